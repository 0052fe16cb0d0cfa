-- Measured NDT throughput and latency per LatAm country and test day, from M-Lab's statistics archive.
select
    country_iso2,
    day,
    download_median_mbps,
    download_q25_mbps,
    download_q75_mbps,
    download_mean_mbps,
    download_min_rtt_median_ms,
    download_samples,
    upload_median_mbps,
    upload_samples,
    {{ provenance_columns() }}
from {{ source('mlab_speeds', 'country_days') }}
