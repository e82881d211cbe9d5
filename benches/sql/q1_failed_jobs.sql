-- q1_failed_jobs.kql: recent failed jobs. ago(5d) is 5 days before the fixed now (2026-01-01Z);
-- datetimes are TIMESTAMPTZ_NS (KQL's 100 ns ticks need nanoseconds), which DuckDB 2.0 compares
-- only with TIMESTAMPTZ_NS, hence the cast of the constant (folded before the scan).
SELECT TimeGenerated, ClusterId, EventType, ExecutionState, ToolType
FROM AmlComputeJobEvent
WHERE TimeGenerated > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 5 DAY AS TIMESTAMPTZ_NS)
  AND EventType = 'JobFailed'
