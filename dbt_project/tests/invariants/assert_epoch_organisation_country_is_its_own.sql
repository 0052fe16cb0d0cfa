-- Issue 12, defect 2: an Epoch model builder's country comes from its own
-- entry, never from a co-developer's. Epoch's Country cell lists one country
-- per organisation, in the Organization cell's order. Fails with every Epoch
-- organisation record whose country is not the one at its own position in
-- some model it built (where the two lists line up).
with own as (
    select
        m.organizations[g.i] as org,
        c.iso2 as country_iso2
    from {{ ref('stg_epoch_notable_models__models') }} as m,
        range(1, len(m.organizations) + 1) as g(i)
    inner join {{ ref('latam_countries') }} as c on c.name_en = m.countries[g.i]
    where len(m.organizations) = len(m.countries)
)

select r.record_key, r.country_iso2
from {{ ref('int_organization_records') }} as r
where r.source_name = 'epoch_notable_models'
    and r.country_iso2 is not null
    and not exists (select 1 from own where own.org = r.name and own.country_iso2 = r.country_iso2)
