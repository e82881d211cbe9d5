-- q2_job_by_name.kql: the events of one job, by name (KQL == is case-sensitive, as SQL =).
SELECT TimeGenerated, ClusterId, EventType, ExecutionState, ToolType
FROM AmlComputeJobEvent
WHERE JobName = 'automl_a9940991-dedb-4262-9763-2fd08b79d8fb_setup'
