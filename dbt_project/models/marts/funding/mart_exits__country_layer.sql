-- Exits per country and value-chain layer of the target, and year: how many
-- acquisitions and IPOs, how many with a stated amount and their USD total, and
-- whether the buyer is from the target's country, from elsewhere, or unknown.
-- An exit counts in every layer of its target (layers do not add up to a
-- country total); targets in no layer count under 'unclassified', targets
-- whose country Cadena does not know under country 'unknown'.
with exits as (
    select
        x.*,
        coalesce(x.target_country_iso2, 'unknown') as country_key,
        layer_code
    from {{ ref('fct_exits') }} as x,
        unnest(case when len(x.target_layer_codes) = 0 then ['unclassified'] else x.target_layer_codes end)
            as t(layer_code)
)

select
    x.country_key || ':' || x.layer_code || ':' || year(x.exit_date) as country_layer_year_id,
    x.country_key as country_iso2,
    c.name_en as country_name,
    x.layer_code,
    coalesce(l.layer_name, 'Not classified in a layer') as layer_name,
    cast(year(x.exit_date) as integer) as exit_year,
    cast(count(*) as integer) as exit_count,
    cast(count(*) filter (where x.exit_type = 'acquisition') as integer) as acquisition_count,
    cast(count(*) filter (where x.exit_type = 'ipo') as integer) as ipo_count,
    cast(count(*) filter (where x.amount_usd is not null) as integer) as disclosed_exit_count,
    coalesce(sum(x.amount_usd), 0) as usd_disclosed,
    cast(count(*) filter (where x.exit_type = 'acquisition' and x.acquirer_country_iso2 = x.target_country_iso2)
        as integer) as domestic_acquirer_count,
    cast(count(*) filter (where x.exit_type = 'acquisition' and x.acquirer_country_iso2 <> x.target_country_iso2)
        as integer) as foreign_acquirer_count,
    cast(count(*) filter (where x.exit_type = 'acquisition'
        and (x.acquirer_country_iso2 is null or x.target_country_iso2 is null)) as integer)
        as unknown_acquirer_origin_count,
    bool_or(x.is_sample_data) as is_sample_data
from exits as x
left join {{ ref('dim_country') }} as c on c.country_iso2 = x.country_key
left join {{ ref('value_chain_layers') }} as l using (layer_code)
where x.exit_date is not null
group by all
