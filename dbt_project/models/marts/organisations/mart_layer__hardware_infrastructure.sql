-- The hardware_infrastructure layer: its organisations, their evidence and measures.
{{ layer_mart('hardware_infrastructure', ['datacenter_mw_operating','datacenter_mw_pipeline','datacenter_mw_total','gpu_count']) }}
