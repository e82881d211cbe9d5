-- d3_failed_jobs_with_error_traces.kql: kind=inner keeps every matching pair, as a SQL join.
SELECT j.JobId, j.ClusterName, j.JobErrorMessage, t.message
FROM (
    SELECT JobId, ClusterName, JobErrorMessage
    FROM AmlComputeJobEvent
    WHERE EventType = 'JobFailed'
) AS j
JOIN (
    SELECT message, json_extract_string(customDimensions, '$.parent_run_id') AS RunId
    FROM traces
    WHERE json_extract_string(customDimensions, '$.Level') = 'ERROR'
) AS t ON j.JobId = t.RunId
