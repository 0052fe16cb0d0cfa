-- One row per region (and AWS Local Zone border group) in the provider's IP-range file.
{{ stg_ip_range_regions('gcp_ip_ranges') }}
