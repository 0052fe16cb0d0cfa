-- The integration layer: its organisations, their evidence and measures.
{{ layer_mart('integration', ['team_size']) }}
