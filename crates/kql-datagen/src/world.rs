//! The simulated Azure estate every table describes. Built from the seed alone, so each table's
//! generator can rebuild it independently and still agree with the others on ids and names.

use rand::Rng;

use crate::GenConfig;
use crate::random::{self, guid, hex};
use crate::time::{DAY, Window};
use crate::vocab::{
    CLUSTER_API_VERSIONS, CLUSTERS, ClusterSpec, EXPERIMENTS, ExperimentSpec, IMAGE_VERSIONS,
    LOW_PRIORITY, Lifecycle, VMS, VmSpec, WORKSPACES, WorkspaceSpec,
};

pub(crate) struct Workspace {
    pub(crate) spec: &'static WorkspaceSpec,
    /// Lower-case, as Log Analytics stores it; `split(_, "/")[8]` is the workspace name.
    pub(crate) resource_id: String,
    /// Application Insights component the workspace's runs log to.
    pub(crate) app_id: String,
    pub(crate) ikey: String,
}

pub(crate) struct Cluster {
    pub(crate) spec: &'static ClusterSpec,
    pub(crate) vm: &'static VmSpec,
    /// `ClusterId`: documented only as "ID of the cluster"; a GUID keeps rows short (the ARM
    /// compute id would repeat `_ResourceId`).
    pub(crate) cluster_id: String,
    pub(crate) created: i64,
    /// `Some` for a cluster deleted inside the window.
    pub(crate) deleted: Option<i64>,
    pub(crate) subnet_id: String,
    pub(crate) api_version: &'static str,
    pub(crate) image_version: &'static str,
    /// Node ids the cluster hands out; job and node events draw from the same pool.
    pub(crate) nodes: Vec<String>,
}

impl Cluster {
    pub(crate) fn alive_at(&self, t: i64) -> bool {
        self.created <= t && self.deleted.is_none_or(|d| t <= d)
    }
}

pub(crate) struct Experiment {
    pub(crate) spec: &'static ExperimentSpec,
    pub(crate) id: String,
}

pub(crate) struct World {
    pub(crate) window: Window,
    pub(crate) subscription: String,
    /// The Log Analytics workspace id (`TenantId` column), shared by all three ML workspaces.
    pub(crate) tenant_id: String,
    pub(crate) workspaces: Vec<Workspace>,
    pub(crate) clusters: Vec<Cluster>,
    pub(crate) experiments: Vec<Experiment>,
}

impl World {
    pub(crate) fn new(config: &GenConfig) -> Self {
        let window = Window::new(config);
        let mut rng = random::stream(config.seed, "world");
        let subscription = guid(&mut rng);
        let tenant_id = guid(&mut rng);
        let workspaces = WORKSPACES
            .iter()
            .map(|spec| Workspace {
                spec,
                resource_id: format!(
                    "/subscriptions/{subscription}/resourcegroups/{}/providers/microsoft.machinelearningservices/workspaces/{}",
                    spec.resource_group, spec.name
                ),
                app_id: guid(&mut rng),
                ikey: guid(&mut rng),
            })
            .collect::<Vec<_>>();
        let span = window.last_start - window.start;
        let clusters = CLUSTERS
            .iter()
            .map(|spec| {
                let ws = &WORKSPACES[spec.workspace];
                let (created, deleted) = match spec.lifecycle {
                    Lifecycle::Stable | Lifecycle::DeletedAt(_) => {
                        (window.start - rng.random_range(20 * DAY..400 * DAY), None)
                    }
                    Lifecycle::CreatedAt(f) => (window.start + (span as f64 * f) as i64, None),
                };
                // Whole seconds, as the string-typed `ClusterCreationTime` shows them.
                let created = created - created.rem_euclid(crate::time::SECOND);
                let deleted = match spec.lifecycle {
                    Lifecycle::DeletedAt(f) => Some(window.start + (span as f64 * f) as i64),
                    _ => deleted,
                };
                let suffix = if spec.priority == LOW_PRIORITY { "p" } else { "d" };
                // Low-priority nodes are preempted and replaced, so they cycle through more ids.
                let pool = if spec.priority == LOW_PRIORITY {
                    spec.max_nodes * 2
                } else {
                    spec.max_nodes
                };
                let nodes = (0..pool.max(1))
                    .map(|_| format!("tvmps_{}_{suffix}", hex(&mut rng, 32)))
                    .collect();
                Cluster {
                    spec,
                    vm: &VMS[spec.vm],
                    cluster_id: guid(&mut rng),
                    created,
                    deleted,
                    subnet_id: match spec.workspace {
                        0 => format!(
                            "/subscriptions/{subscription}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-{}",
                            ws.name
                        ),
                        _ => String::new(),
                    },
                    api_version: random::pick::<&str>(&mut rng, CLUSTER_API_VERSIONS),
                    image_version: random::pick::<&str>(&mut rng, IMAGE_VERSIONS),
                    nodes,
                }
            })
            .collect();
        let experiments = EXPERIMENTS
            .iter()
            .map(|spec| Experiment {
                spec,
                id: guid(&mut rng),
            })
            .collect();
        Self {
            window,
            subscription,
            tenant_id,
            workspaces,
            clusters,
            experiments,
        }
    }

    pub(crate) fn workspace_of(&self, cluster: &Cluster) -> &Workspace {
        &self.workspaces[cluster.spec.workspace]
    }

    /// Clusters that run jobs, as (index, weight), for one workspace.
    pub(crate) fn job_clusters(&self, workspace: usize) -> Vec<(usize, u32)> {
        self.clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.spec.workspace == workspace && c.spec.job_weight > 0)
            .map(|(i, c)| (i, c.spec.job_weight))
            .collect()
    }
}
