-- q9_error_count.kql: KQL names the column of count() count_.
SELECT count(*) AS count_
FROM traces
WHERE timestamp > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 7 DAY AS TIMESTAMPTZ_NS)
  AND json_extract_string(customDimensions, '$.Level') = 'ERROR'
