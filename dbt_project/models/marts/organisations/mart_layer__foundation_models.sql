-- The foundation_models layer: its organisations, their evidence and measures.
{{ layer_mart('foundation_models', ['model_count','max_parameters','latest_model_date','hub_downloads_30d']) }}
