select
    model as model_name,
    organization as organization_name,
    organization_categories,
    countries,
    country_iso2s,
    publication_date,
    domain as domains,
    task as tasks,
    parameters,
    training_compute_flop,
    training_dataset_size,
    model_accessibility,
    notability_criteria,
    link,
    base_model,
    {{ provenance_columns() }}
from {{ source('epoch_notable_models', 'models') }}
