//! `AmlComputeClusterEvent`: snapshots of each cluster's scale state as it resizes, plus the
//! creation and deletion of compute instances inside the window.

use std::sync::Arc;

use arrow::array::RecordBatch;
use rand::Rng;
use rand::rngs::StdRng;

use crate::random::{self, fmt_into};
use crate::rows::{self, RowWriter};
use crate::time::{HOUR, MINUTE};
use crate::vocab::{
    D1_V2_CLUSTER, IMAGE_OFFER, IMAGE_PUBLISHER, IMAGE_SKU, LOW_PRIORITY, Lifecycle,
};
use crate::world::{Cluster, World};
use crate::{GenConfig, GenError, schema};

/// Event names: the two `*OperationCompleted` ones are VERIFIED (Microsoft's dashboard filters on
/// them), the resize and update ones follow their pattern.
const CREATED: &str = "CreateOperationCompleted";
const DELETED: &str = "DeleteOperationCompleted";
const RESIZE_STARTED: &str = "ResizeOperationStarted";
const RESIZE_COMPLETED: &str = "ResizeOperationCompleted";
const UPDATED: &str = "UpdateOperationCompleted";

struct State {
    current: i32,
    target: i32,
    resizing: bool,
    transition: i64,
    /// Whether the create/delete event inside the window has been written.
    announced_create: bool,
    announced_delete: bool,
}

pub(crate) struct ClusterEventGen {
    world: Arc<World>,
    rng: StdRng,
    states: Vec<State>,
    rows: usize,
    next: usize,
    writer: Option<RowWriter>,
    batch_rows: usize,
    buf: String,
}

impl ClusterEventGen {
    pub(crate) fn new(config: &GenConfig, rows: usize) -> Self {
        let world = Arc::new(World::new(config));
        let mut rng = random::stream(config.seed, "cluster-events");
        let states = world
            .clusters
            .iter()
            .map(|c| {
                let current = match c.spec.lifecycle {
                    Lifecycle::CreatedAt(_) => 0,
                    _ => rng.random_range(c.spec.min_nodes..=(c.spec.max_nodes + 1) / 2),
                };
                State {
                    current,
                    target: current,
                    resizing: false,
                    transition: world.window.start - rng.random_range(1..48) * HOUR,
                    announced_create: !matches!(c.spec.lifecycle, Lifecycle::CreatedAt(_)),
                    announced_delete: false,
                }
            })
            .collect();
        Self {
            world,
            rng,
            states,
            rows,
            next: 0,
            writer: None,
            batch_rows: config.batch_rows,
            buf: String::new(),
        }
    }

    /// Which cluster logs the event at `t`, and what happened to it.
    fn step(&mut self, t: i64, last: bool) -> (usize, &'static str) {
        let clusters = &self.world.clusters;
        // Creation and deletion are logged as soon as they happen.
        for (i, c) in clusters.iter().enumerate() {
            let s = &mut self.states[i];
            if !s.announced_create && c.created <= t {
                s.announced_create = true;
                s.transition = t;
                return (i, CREATED);
            }
            if !s.announced_delete && c.deleted.is_some_and(|d| d <= t) {
                s.announced_delete = true;
                s.current = 0;
                s.target = 0;
                s.resizing = false;
                s.transition = t;
                return (i, DELETED);
            }
        }
        // The newest event is the D1_V2 cluster's, so `ago(1d)` and `ago(4d)` seed queries on
        // STANDARD_D1_V2 always find a row.
        let i = if last {
            D1_V2_CLUSTER
        } else {
            let alive: Vec<(usize, u32)> = clusters
                .iter()
                .enumerate()
                .filter(|(i, c)| {
                    c.alive_at(t)
                        && self.states[*i].announced_create
                        && !self.states[*i].announced_delete
                })
                .map(|(i, c)| (i, c.spec.job_weight + 4))
                .collect();
            if alive.is_empty() {
                D1_V2_CLUSTER
            } else {
                *random::pick_weighted(&mut self.rng, &alive)
            }
        };
        let spec = clusters[i].spec;
        let rng = &mut self.rng;
        let s = &mut self.states[i];
        let event = if s.resizing {
            s.current = s.target;
            s.resizing = false;
            RESIZE_COMPLETED
        } else if spec.min_nodes == spec.max_nodes || rng.random_bool(0.08) {
            UPDATED
        } else {
            let mut target = rng.random_range(spec.min_nodes..=spec.max_nodes);
            if target == s.current {
                target = if s.current > spec.min_nodes {
                    spec.min_nodes
                } else {
                    spec.max_nodes
                };
            }
            s.target = target;
            s.resizing = true;
            RESIZE_STARTED
        };
        if event != UPDATED {
            s.transition = t - rng.random_range(0..(2 * MINUTE));
        }
        (i, event)
    }

    fn write_row(&mut self, t: i64, i: usize, event: &'static str) -> Result<(), GenError> {
        let world = &self.world;
        let c: &Cluster = &world.clusters[i];
        let spec = c.spec;
        let s = &self.states[i];
        let rng = &mut self.rng;
        let low_priority = spec.priority == LOW_PRIORITY;

        // Split the current nodes into the states Azure reports; they always add up.
        let mut rest = s.current;
        let unusable = i32::from(rest > 0 && rng.random_bool(0.03));
        rest -= unusable;
        let leaving = if s.resizing && s.target < s.current {
            (s.current - s.target).min(rest)
        } else {
            0
        };
        rest -= leaving;
        let preparing = if s.resizing && s.target > s.current {
            rng.random_range(0..=rest)
        } else {
            0
        };
        rest -= preparing;
        let running = rng.random_range(0..=rest);
        let idle = rest - running;
        let preempted = if low_priority && s.current > 0 && rng.random_bool(0.15) {
            rng.random_range(1..=s.current.min(2))
        } else {
            0
        };
        let error_codes = if low_priority && event == RESIZE_STARTED && rng.random_bool(0.05) {
            "LowPriorityQuotaExceeded"
        } else {
            ""
        };
        let cores = c.vm.cores;
        let ws = world.workspace_of(c);
        let billed = 1080.0
            + (ws.resource_id.len() + c.subnet_id.len()) as f64
            + f64::from(rng.random_range(0..40));

        let w = rows::writer(
            &mut self.writer,
            schema::aml_compute_cluster_event,
            self.batch_rows,
        )?;
        let buf = &mut self.buf;
        w.str(if s.resizing { "Resizing" } else { "Steady" }); // AllocationState
        w.time(s.transition.min(t)); // AllocationStateTransitionTime
        w.real(billed); // _BilledSize
        w.str(error_codes); // ClusterErrorCodes
        w.str(spec.name); // ClusterName
        w.str(spec.cluster_type); // ClusterType
        w.int(s.current * cores); // CoreCount
        w.str(spec.created_by); // CreatedBy
        w.str(c.api_version); // CreationApiVersion
        w.int(s.current); // CurrentNodeCount
        w.str(event); // EventType
        w.int(idle); // IdleNodeCount
        w.int(spec.min_nodes); // InitialNodeCount
        w.str(""); // InternalOperationName (undocumented)
        w.str("true"); // _IsBillable
        w.str(if s.target > s.current {
            "True"
        } else {
            "False"
        }); // IsResizeGrow
        w.int(leaving); // LeavingNodeCount
        w.int(spec.max_nodes); // MaximumNodeCount
        w.int(spec.min_nodes); // MinimumNodeCount
        w.str(match (spec.cluster_type, low_priority) {
            ("DSI", _) => "terminate",
            (_, true) => "requeue",
            _ => "waitforjobcompletion",
        }); // NodeDeallocationOption
        w.int(spec.idle_seconds); // NodeIdleTimeSecondsBeforeScaleDown
        w.str(IMAGE_OFFER); // Offer
        w.str(event); // OperationName
        w.str(fmt_into(buf, format_args!("{preempted}"))); // PreemptedNodeCount
        w.int(preparing); // PreparingNodeCount
        w.str(if event == DELETED {
            "Deleting"
        } else {
            "Succeeded"
        }); // ProvisioningState
        w.str(IMAGE_PUBLISHER); // Publisher
        w.str(fmt_into(buf, format_args!("{}", spec.max_nodes * cores))); // QuotaAllocated
        w.str(fmt_into(buf, format_args!("{}", s.current * cores))); // QuotaUtilized
        w.str(&ws.resource_id); // _ResourceId
        w.str(""); // ResultSignature (undocumented)
        w.int(running); // RunningNodeCount
        w.str(if spec.cluster_type == "DSI" {
            "Manual"
        } else {
            "Auto"
        }); // ScalingType
        w.str(IMAGE_SKU); // Sku
        w.str("Azure"); // SourceSystem
        w.str(&c.subnet_id); // SubnetId
        w.str(&world.subscription); // _SubscriptionId
        w.int(s.target); // TargetNodeCount
        w.str(&world.tenant_id); // TenantId
        w.time(t); // TimeGenerated
        w.str("AmlComputeClusterEvent"); // Type
        w.int(unusable); // UnusableNodeCount
        w.str(c.image_version); // Version
        w.str(c.vm.family); // VmFamilyName
        w.str(spec.priority); // VmPriority
        w.str(c.vm.size); // VmSize
        w.end_row()
    }

    fn next_batch(&mut self) -> Result<Option<RecordBatch>, GenError> {
        let mut produced = 0;
        while produced < self.batch_rows && self.next < self.rows {
            let k = self.next;
            self.next += 1;
            let u = self.rng.random::<f64>();
            let t = self.world.window.spread(k, self.rows, u);
            let (cluster, event) = self.step(t, k + 1 == self.rows);
            self.write_row(t, cluster, event)?;
            produced += 1;
        }
        match self.writer.as_mut() {
            Some(w) if w.rows() > 0 => Ok(Some(w.finish()?)),
            _ => Ok(None),
        }
    }
}

impl Iterator for ClusterEventGen {
    type Item = Result<RecordBatch, GenError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_batch().transpose()
    }
}
