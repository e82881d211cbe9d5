-- q7_training_traces.kql
SELECT *
FROM traces
WHERE timestamp > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 7 DAY AS TIMESTAMPTZ_NS)
  AND json_extract_string(customDimensions, '$.run_type') = 'training'
