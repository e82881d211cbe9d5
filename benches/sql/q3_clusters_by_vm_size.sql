-- q3_clusters_by_vm_size.kql
SELECT ClusterName, InitialNodeCount, MaximumNodeCount, QuotaAllocated, QuotaUtilized
FROM AmlComputeClusterEvent
WHERE TimeGenerated > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 4 DAY AS TIMESTAMPTZ_NS)
  AND VmSize = 'STANDARD_D1_V2'
