-- Trace a mart figure back to its source records: Brazil's facilities, with the
-- snapshot each came from and the publisher's page for each record.
select facility_id, facility_name, operator_name, city, source_name, snapshot_id, retrieved_at, record_url
from fct_facilities
where country_iso2 = 'BR'
order by facility_name;
