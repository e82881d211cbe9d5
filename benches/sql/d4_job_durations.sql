-- d4_job_durations.kql: the join keeps both key columns (the right one renamed JobId1);
-- top 5 by Duration desc puts nulls last. DuckDB 2.0 subtracts TIMESTAMP_NS, not TIMESTAMPTZ_NS.
WITH Submitted AS (
    SELECT JobId, TimeGenerated AS SubmitTime
    FROM AmlComputeJobEvent
    WHERE EventType = 'JobSubmitted'
)
SELECT e.JobId, e.JobName, e.EndTime, s.JobId AS JobId1, s.SubmitTime,
       CAST(e.EndTime AS TIMESTAMP_NS) - CAST(s.SubmitTime AS TIMESTAMP_NS) AS Duration
FROM (
    SELECT JobId, JobName, TimeGenerated AS EndTime
    FROM AmlComputeJobEvent
    WHERE EventType IN ('JobSucceeded', 'JobFailed')
) AS e
JOIN Submitted AS s ON e.JobId = s.JobId
ORDER BY Duration DESC NULLS LAST
LIMIT 5
