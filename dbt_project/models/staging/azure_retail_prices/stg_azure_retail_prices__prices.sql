-- Azure GPU VM price items. Consumption prices are per hour; reservation
-- prices are for the whole term, so the hourly equivalent divides by its hours.
select
    arm_region_name as region_code,
    location,
    arm_sku_name,
    sku_name,
    product_name,
    meter_id,
    sku_id,
    price_type,
    reservation_term,
    os,
    unit_of_measure,
    unit_price,
    currency_code,
    tier_minimum_units,
    effective_start_date,
    is_us_reference,
    case
        when price_type = 'reservation' and reservation_term = '1 Year' then 'reserved_1y'
        when price_type = 'reservation' and reservation_term = '3 Years' then 'reserved_3y'
        when price_type = 'reservation' and reservation_term = '5 Years' then 'reserved_5y'
        when price_type = 'consumption' then 'on_demand'
        else price_type
    end as offer_price_type,
    case
        when price_type = 'reservation' and reservation_term = '1 Year' then unit_price / (365 * 24)
        when price_type = 'reservation' and reservation_term = '3 Years' then unit_price / (3 * 365 * 24)
        when price_type = 'reservation' and reservation_term = '5 Years' then unit_price / (5 * 365 * 24)
        when unit_of_measure = '1 Hour' then unit_price
    end as usd_per_hour,
    {{ provenance_columns() }}
from {{ source('azure_retail_prices', 'prices') }}
where currency_code = 'USD'
