-- One row per exit the news reports: an acquisition (buyer and target) or an
-- IPO (the company that listed), with the amount where stated, converted to
-- USD as round amounts are (official daily rate within 7 days before, else the
-- World Bank's annual average), and the evidence: source, snapshot, article
-- and sentence. The target's country and layers come from dim_organizations
-- when the target is a known organisation.
with exits as (
    select *
    from {{ ref('int_news_exits') }} as x
    inner join {{ ref('stg_news__funding_events') }} as e using (event_id)
),

daily as (
    {{ fx_daily_rates('exits', 'event_id', 'currency', 'published_date') }}
),

layers as (
    select organization_id, list_sort(list_distinct(list(layer_code))) as layer_codes
    from {{ ref('bridge_organization_layers') }}
    group by organization_id
),

samples as (
    select distinct snapshot_id from {{ ref('stg_cadena_meta__load_logs') }} where is_sample
),

rated as (
    select
        exits.*,
        {{ fx_rate_columns('exits', 'currency', 'published_date') }}
    from exits
    left join daily using (event_id)
    left join {{ ref('int_fx_rates_annual') }} as annual
        on annual.currency = exits.currency and annual.year = year(exits.published_date)
)

select
    r.event_id as exit_id,
    r.exit_type,
    r.published_date as exit_date,
    coalesce(t.organization_name, r.target_name) as target_name,
    r.target_organization_id,
    t.hq_country_iso2 as target_country_iso2,
    coalesce(l.layer_codes, cast([] as varchar[])) as target_layer_codes,
    coalesce(a.organization_name, r.acquirer_name) as acquirer_name,
    r.acquirer_organization_id,
    a.hq_country_iso2 as acquirer_country_iso2,
    r.amount as amount_original,
    r.currency,
    case when r.fx_rate is not null and r.amount is not null then r.amount * r.fx_rate end as amount_usd,
    case when r.amount is not null then r.fx_rate end as fx_rate,
    case when r.amount is not null then r.fx_rate_date end as fx_rate_date,
    case when r.amount is not null then r.fx_source end as fx_source,
    r.split_rule,
    r.rule as extractor_rule,
    r.confidence as confidence_score,
    r.sentence as evidence_text,
    r.article_url as evidence_url,
    r.snapshot_id in (select snapshot_id from samples) as is_sample_data,
    {{ select_provenance('r') }}
from rated as r
left join {{ ref('dim_organizations') }} as t on t.organization_id = r.target_organization_id
left join {{ ref('dim_organizations') }} as a on a.organization_id = r.acquirer_organization_id
left join layers as l on l.organization_id = r.target_organization_id
