{#-
  True for an Epoch notable model at foundation scale: trained with at least
  1e23 FLOP (the threshold of Epoch's large-scale models,
  https://epoch.ai/data/large-scale-ai-models), or a language or multimodal
  model with at least a billion parameters. `m` is an alias of
  stg_epoch_notable_models__models.
-#}
{% macro is_foundation_scale_model(m) -%}
    (coalesce({{ m }}.training_compute_flop >= 1e23, false)
     or (coalesce({{ m }}.parameters >= 1e9, false)
         and list_has_any({{ m }}.domains, ['Language', 'Multimodal'])))
{%- endmacro %}
