-- q6_traces_of_run.kql: customDimensions is JSON text; KQL property access is case-sensitive,
-- as json_extract_string's path is.
SELECT *
FROM traces
WHERE json_extract_string(customDimensions, '$.parent_run_id') = '931024c2-3720-11ea-b247-c49deda841c1'
