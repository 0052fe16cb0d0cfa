{#
  One rule converts an amount to USD, for funding claims and for exits alike:
  USD is itself; else the official daily rate of the latest day at most 7 days
  before the amount's date (int_fx_rates_daily); else the World Bank's annual
  average of that year (int_fx_rates_annual), dated 31 December.

  fx_daily_rates(rel, key, currency, on_date): the body of a CTE with one row per
  `key` of `rel` that has a daily rate in the window.
  fx_rate_columns(rel, currency, on_date): fx_rate, fx_rate_date and fx_source,
  to select from `rel` left-joined to that CTE as `daily` and to
  int_fx_rates_annual as `annual`.
#}

{% macro fx_daily_rates(rel, key, currency, on_date) %}
    select {{ rel }}.{{ key }}, d.usd_per_unit, d.rate_date, d.fx_source
    from {{ rel }}
    asof inner join {{ ref('int_fx_rates_daily') }} as d
        on d.currency = {{ rel }}.{{ currency }} and {{ rel }}.{{ on_date }} >= d.rate_date
    where {{ rel }}.{{ on_date }} - d.rate_date <= 7
{% endmacro %}

{% macro fx_rate_columns(rel, currency, on_date) %}
        case
            when {{ rel }}.{{ currency }} = 'USD' then 1.0
            when daily.usd_per_unit is not null then daily.usd_per_unit
            else annual.usd_per_unit
        end as fx_rate,
        case
            when {{ rel }}.{{ currency }} = 'USD' then {{ rel }}.{{ on_date }}
            when daily.usd_per_unit is not null then daily.rate_date
            when annual.usd_per_unit is not null then make_date(annual.year, 12, 31)
        end as fx_rate_date,
        case
            when {{ rel }}.{{ currency }} = 'USD' then 'identity'
            when daily.usd_per_unit is not null then daily.fx_source
            else annual.fx_source
        end as fx_source
{% endmacro %}
