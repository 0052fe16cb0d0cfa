-- The research layer: its organisations, their evidence and measures.
{{ layer_mart('research', ['ai_works','model_count','max_parameters','gpu_count']) }}
