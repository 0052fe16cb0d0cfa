-- The data layer: its organisations, their evidence and measures.
{{ layer_mart('data', ['team_size']) }}
