-- The applications layer: its organisations, their evidence and measures.
{{ layer_mart('applications', ['team_size']) }}
