-- d2_top_error_messages.kql
SELECT message, count(*) AS "Count"
FROM traces
WHERE timestamp > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 7 DAY AS TIMESTAMPTZ_NS)
  AND json_extract_string(customDimensions, '$.Level') = 'ERROR'
GROUP BY message
ORDER BY "Count" DESC, message ASC
LIMIT 10
