-- The value chain per LatAm country and layer: how many organisations (the
-- counting rule of int_organization_country_layers: hardware & physical
-- infrastructure where capacity sits, the other layers at headquarters; both
-- views are kept as columns), which
-- are largest, how concentrated the layer is over its size measure (the
-- layer_size_measures seed), and whether it hangs on a single provider.
-- Funding: every round of a member organisation counts in each of its layers
-- (fct_funding_rounds), all time and in the 12 months before the build, with
-- how concentrated the layer's funding is over its organisations (HHI, top-3
-- share of all-time USD).
with country_layers as (
    select * from {{ ref('int_organization_country_layers') }}
),

members as (
    -- the counting rule (int_organization_country_layers): hardware where capacity sits, other layers at HQ
    select distinct
        cl.organization_id,
        cl.layer_code,
        cl.country_iso2,
        d.organization_name,
        d.status,
        d.founded_year
    from country_layers as cl
    inner join {{ ref('dim_organizations') }} as d using (organization_id)
    where cl.is_counted
),

views as (
    select
        country_iso2,
        layer_code,
        count(distinct organization_id) filter (where by_headquarters) as organization_count_by_headquarters,
        count(distinct organization_id) filter (where by_presence) as organization_count_by_presence
    from country_layers
    group by 1, 2
),

sized as (
    select
        members.*,
        s.measure as size_measure,
        case s.measure
            -- MW in this country only (latest figure per site), never the organisation's other countries
            when 'datacenter_mw_total' then coalesce(cap.datacenter_mw_operating + cap.datacenter_mw_pipeline, 0)
            when 'team_size' then m.team_size
            when 'ai_works' then m.ai_works
            when 'model_count' then m.model_count
            when 'gpu_count' then m.gpu_count
        end as size_value
    from members
    inner join {{ ref('layer_size_measures') }} as s using (layer_code)
    left join {{ ref('int_organization_measures') }} as m using (organization_id)
    left join {{ ref('mart_capacity__organization_country') }} as cap
        on cap.organization_id = members.organization_id and cap.country_iso2 = members.country_iso2
),

shares as (
    select
        *,
        size_value / nullif(sum(size_value) over (partition by country_iso2, layer_code), 0) as size_share,
        row_number() over (partition by country_iso2, layer_code order by size_value desc nulls last,
                           organization_name) as size_rank
    from sized
),

agg as (
    select
        country_iso2,
        layer_code,
        count(*) as organization_count,
        count(*) filter (where coalesce(status, 'active') = 'active') as active_organization_count,
        count(*) filter (where founded_year >= year(current_date) - 1) as new_last_12_months_count,
        list(organization_name order by size_rank)[1:3] as largest_organizations,
        any_value(size_measure) as size_measure,
        sum(size_value) as size_total,
        round(10000 * sum(size_share * size_share), 1) as size_hhi,
        sum(size_share) filter (where size_rank <= 3) as size_top3_share
    from shares
    group by 1, 2
),

runs_on as (
    select
        m.country_iso2,
        m.layer_code,
        count(distinct m.organization_id) as dependent_organization_count,
        count(distinct d.to_organization_id) as provider_count,
        list_sort(list_distinct(list(d.to_organization_id))) as providers
    from members as m
    inner join {{ ref('fct_organization_dependencies') }} as d
        on d.from_organization_id = m.organization_id and d.dependency_kind = 'runs_on'
    group by 1, 2
),

funding_rounds as (
    select r.organization_id, r.country_iso2, layer_code, r.amount_usd,
           r.round_date >= current_date - interval 12 month as is_last_12_months
    from {{ ref('fct_funding_rounds') }} as r, unnest(r.layer_codes) as t(layer_code)
    where r.is_latam
),

funding_by_organization as (
    select country_iso2, layer_code, organization_id, sum(amount_usd) as usd
    from funding_rounds
    group by 1, 2, 3
),

funding_concentration as (
    select
        country_iso2,
        layer_code,
        round(10000 * sum(share * share), 1) as funding_hhi,
        sum(share) filter (where share_rank <= 3) as funding_top3_share
    from (
        select *,
               usd / nullif(sum(usd) over (partition by country_iso2, layer_code), 0) as share,
               row_number() over (partition by country_iso2, layer_code order by usd desc nulls last) as share_rank
        from funding_by_organization
    )
    group by 1, 2
),

funding as (
    select
        country_iso2,
        layer_code,
        coalesce(sum(amount_usd), 0) as funding_usd_all_time,
        coalesce(sum(amount_usd) filter (where is_last_12_months), 0) as funding_usd_last_12_months,
        count(*) as funding_rounds_all_time,
        count(*) filter (where is_last_12_months) as funding_rounds_last_12_months
    from funding_rounds
    group by 1, 2
)

select
    c.country_iso2 || ':' || l.layer_code as country_layer_id,
    c.country_iso2,
    c.name_en as country_name,
    l.layer_code,
    l.layer_name,
    l.stream,
    case when l.layer_code = 'hardware_infrastructure' then 'presence' else 'headquarters' end as counting_rule,
    coalesce(a.organization_count, 0) as organization_count,
    coalesce(v.organization_count_by_headquarters, 0) as organization_count_by_headquarters,
    coalesce(v.organization_count_by_presence, 0) as organization_count_by_presence,
    coalesce(a.active_organization_count, 0) as active_organization_count,
    coalesce(a.new_last_12_months_count, 0) as new_last_12_months_count,
    coalesce(a.largest_organizations, cast([] as varchar[])) as largest_organizations,
    a.size_measure,
    a.size_total,
    a.size_hhi,
    a.size_top3_share,
    coalesce(r.dependent_organization_count, 0) as dependent_organization_count,
    coalesce(r.providers, cast([] as varchar[])) as providers,
    coalesce(r.provider_count = 1, false) as depends_on_single_provider,
    coalesce(f.funding_usd_all_time, 0) as funding_usd_all_time,
    coalesce(f.funding_usd_last_12_months, 0) as funding_usd_last_12_months,
    coalesce(f.funding_rounds_all_time, 0) as funding_rounds_all_time,
    coalesce(f.funding_rounds_last_12_months, 0) as funding_rounds_last_12_months,
    fc.funding_hhi,
    fc.funding_top3_share
from {{ ref('dim_country') }} as c
cross join {{ ref('value_chain_layers') }} as l
left join agg as a on a.country_iso2 = c.country_iso2 and a.layer_code = l.layer_code
left join views as v on v.country_iso2 = c.country_iso2 and v.layer_code = l.layer_code
left join runs_on as r on r.country_iso2 = c.country_iso2 and r.layer_code = l.layer_code
left join funding as f on f.country_iso2 = c.country_iso2 and f.layer_code = l.layer_code
left join funding_concentration as fc on fc.country_iso2 = c.country_iso2 and fc.layer_code = l.layer_code
