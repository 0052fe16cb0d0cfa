-- The end_users layer: its organisations, their evidence and measures.
{{ layer_mart('end_users', ['gpu_count','team_size']) }}
