-- Chips, computers and their parts crossing each LatAm border per year: imports as a proxy for the supply of
-- servers and accelerators, exports to find the assembly hubs.
{% set codes = {'8542': 'ic', '8471': 'computer', '847330': 'computer_parts'} %}
with trade as (
    select
        country_iso2,
        year,
        {% for code, name in codes.items() %}
        max(primary_value_usd) filter (where cmd_code = '{{ code }}' and flow = 'import') as {{ name }}_imports_usd,
        max(primary_value_usd) filter (where cmd_code = '{{ code }}' and flow = 'export') as {{ name }}_exports_usd,
        {% endfor %}
        bool_and(coalesce(is_reported, true)) as is_all_reported,
        max(snapshot_id) as snapshot_id,
        max(retrieved_at) as retrieved_at
    from {{ ref('stg_un_comtrade__trades') }}
    group by 1, 2
),

population as (
    select country_iso2, year, value as population
    from {{ ref('stg_world_bank__observations') }}
    where indicator_code = 'SP.POP.TOTL'
),

build as ({{ sample_build() }})

select
    t.country_iso2,
    c.name_en as country_name,
    t.year,
    {% for name in codes.values() %}
    t.{{ name }}_imports_usd,
    t.{{ name }}_exports_usd,
    t.{{ name }}_exports_usd - t.{{ name }}_imports_usd as {{ name }}_net_exports_usd,
    {% endfor %}
    t.computer_imports_usd / nullif(p.population, 0) as computer_imports_usd_per_capita,
    coalesce(t.ic_exports_usd > t.ic_imports_usd or t.computer_exports_usd > t.computer_imports_usd, false)
        as is_net_exporter,
    t.is_all_reported,
    'un_comtrade' as source_name,
    t.snapshot_id,
    t.retrieved_at,
    build.is_sample_data
from trade as t
inner join {{ ref('dim_country') }} as c using (country_iso2)
asof left join population as p on p.country_iso2 = t.country_iso2 and p.year <= t.year
cross join build
