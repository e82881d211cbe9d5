-- d1_failures_per_cluster_per_day.kql: bin(TimeGenerated, 1d) floors to the UTC day and keeps
-- the column's name. DuckDB 2.0 has no date_trunc for TIMESTAMPTZ_NS; the cast to TIMESTAMP_NS
-- keeps the UTC wall time.
SELECT ClusterName, date_trunc('day', CAST(TimeGenerated AS TIMESTAMP_NS)) AS TimeGenerated,
       count(*) AS count_
FROM AmlComputeJobEvent
WHERE EventType = 'JobFailed'
GROUP BY ALL
