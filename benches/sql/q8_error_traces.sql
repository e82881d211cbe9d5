-- q8_error_traces.kql: only the key "Level" (not "level"), as in KQL.
SELECT *
FROM traces
WHERE timestamp > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 7 DAY AS TIMESTAMPTZ_NS)
  AND json_extract_string(customDimensions, '$.Level') = 'ERROR'
