-- Top investors in LatAm foundation-model and infrastructure companies.
select i.investor_name,
       count(distinct r.round_id) as rounds,
       count(distinct r.round_id) filter (where b.is_lead) as rounds_led,
       sum(r.amount_usd) as usd_of_rounds_joined,
       list(distinct r.organization_name) as companies
from bridge_round_investors as b
join fct_funding_rounds as r using (round_id)
join dim_investors as i using (investor_id)
where r.is_latam
  and list_has_any(r.layer_codes, ['foundation_models', 'hardware_infrastructure'])
group by i.investor_name
order by rounds desc, usd_of_rounds_joined desc nulls last
limit 20;
