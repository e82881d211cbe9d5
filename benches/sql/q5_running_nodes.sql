-- q5_running_nodes.kql: split(_ResourceId, "/")[8] (0-based, empty parts kept) is
-- split_part(_ResourceId, '/', 9) (1-based); KQL puts the by-columns first.
SELECT split_part(_ResourceId, '/', 9) AS Workspace, ClusterName, ClusterType, VmSize, VmPriority,
       avg(TargetNodeCount) AS avgRunningNodes, max(TargetNodeCount) AS maxRunningNodes
FROM AmlComputeClusterEvent
WHERE TimeGenerated > CAST(TIMESTAMPTZ '2026-01-01 00:00:00+00' - INTERVAL 1 DAY AS TIMESTAMPTZ_NS)
GROUP BY ALL
