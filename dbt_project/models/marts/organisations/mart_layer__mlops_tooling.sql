-- The mlops_tooling layer: its organisations, their evidence and measures.
{{ layer_mart('mlops_tooling', ['team_size']) }}
