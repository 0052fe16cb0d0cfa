-- OWID's energy indicators pivoted to one row per entity (LatAm country, United States, World) and year.
{% set columns = {
    'electricity_generation': 'electricity_generation_twh',
    'electricity_demand': 'electricity_demand_twh',
    'electricity_demand_per_capita': 'electricity_demand_kwh_per_capita',
    'net_elec_imports': 'net_electricity_imports_twh',
    'carbon_intensity_elec': 'carbon_intensity_g_co2e_per_kwh',
    'greenhouse_gas_emissions': 'electricity_emissions_mt_co2e',
    'coal_share_elec': 'coal_share_pct',
    'gas_share_elec': 'gas_share_pct',
    'oil_share_elec': 'oil_share_pct',
    'nuclear_share_elec': 'nuclear_share_pct',
    'hydro_share_elec': 'hydro_share_pct',
    'solar_share_elec': 'solar_share_pct',
    'wind_share_elec': 'wind_share_pct',
    'biofuel_share_elec': 'bioenergy_share_pct',
    'other_renewables_share_elec': 'other_renewables_share_pct',
    'renewables_share_elec': 'renewables_share_pct',
    'low_carbon_share_elec': 'low_carbon_share_pct',
    'fossil_share_elec': 'fossil_share_pct',
    'primary_energy_consumption': 'primary_energy_twh',
} %}
select
    entity,
    entity_code,
    country_iso2,
    year,
    {% for indicator, col in columns.items() %}
    max(value) filter (where indicator = '{{ indicator }}') as {{ col }},
    {% endfor %}
    max(snapshot_id) as snapshot_id,
    max(retrieved_at) as retrieved_at
from {{ ref('stg_owid_energy__observations') }}
group by entity, entity_code, country_iso2, year
