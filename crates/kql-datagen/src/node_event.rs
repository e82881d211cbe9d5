//! `AmlComputeClusterNodeEvent`: one row per node that joined a cluster, stamped when the node
//! became ready, with its allocation, boot and start-task times leading up to it.

use std::sync::Arc;

use arrow::array::RecordBatch;
use rand::Rng;
use rand::rngs::StdRng;

use crate::random::{self, fmt_into};
use crate::rows::{self, RowWriter};
use crate::time::{SECOND, iso8601_seconds, round_tick, secs};
use crate::vocab::{IMAGE_OFFER, IMAGE_PUBLISHER, IMAGE_SKU};
use crate::world::World;
use crate::{GenConfig, GenError, schema};

/// Not documented; named like the cluster table's `*OperationCompleted` events.
const OPERATION: &str = "NodeAllocationCompleted";

pub(crate) struct NodeEventGen {
    world: Arc<World>,
    rng: StdRng,
    /// Training clusters (compute instances have no node events here) and their weights.
    clusters: Vec<(usize, u32)>,
    creation_times: Vec<String>,
    rows: usize,
    next: usize,
    writer: Option<RowWriter>,
    batch_rows: usize,
    buf: String,
}

impl NodeEventGen {
    pub(crate) fn new(config: &GenConfig, rows: usize) -> Self {
        let world = Arc::new(World::new(config));
        let clusters = world
            .clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.spec.cluster_type == "AmlCompute" && c.spec.job_weight > 0)
            .map(|(i, c)| (i, c.spec.job_weight))
            .collect();
        let creation_times = world
            .clusters
            .iter()
            .map(|c| iso8601_seconds(c.created))
            .collect();
        Self {
            rng: random::stream(config.seed, "node-events"),
            world,
            clusters,
            creation_times,
            rows,
            next: 0,
            writer: None,
            batch_rows: config.batch_rows,
            buf: String::new(),
        }
    }

    fn write_row(&mut self, t: i64) -> Result<(), GenError> {
        let rng = &mut self.rng;
        let i = *random::pick_weighted(rng, &self.clusters);
        let c = &self.world.clusters[i];
        let node = random::pick(rng, &c.nodes);
        // Walk back from the moment the node was ready: each step takes seconds to minutes.
        let start_task_end = t - secs(rng.random_range(1.0..30.0));
        let start_task_start = start_task_end - secs(rng.random_range(8.0..240.0));
        let boot = start_task_start - secs(rng.random_range(5.0..60.0));
        let allocation = boot - secs(rng.random_range(45.0..240.0));
        let resize_start = allocation - secs(rng.random_range(10.0..120.0));
        let resize_end = round_tick((boot + secs(rng.random_range(20.0..200.0))).min(t));
        let e2e = (start_task_end - resize_start) as f64 / SECOND as f64;
        let billed =
            860.0 + (node.len() + c.spec.name.len()) as f64 + f64::from(rng.random_range(0..20));

        let w = rows::writer(
            &mut self.writer,
            schema::aml_compute_cluster_node_event,
            self.batch_rows,
        )?;
        w.real(billed); // _BilledSize
        w.str(&self.creation_times[i]); // ClusterCreationTime
        w.str(c.spec.name); // ClusterName
        w.str(""); // InternalOperationName (undocumented)
        w.str("true"); // _IsBillable
        w.time(allocation); // NodeAllocationTime
        w.time(boot); // NodeBootTime
        w.str(node); // NodeId
        w.str(IMAGE_OFFER); // Offer
        w.str(OPERATION); // OperationName
        w.str(IMAGE_PUBLISHER); // Publisher
        w.time(resize_end); // ResizeEndTime
        w.time(resize_start); // ResizeStartTime
        w.str(""); // ResultSignature (undocumented)
        w.str(IMAGE_SKU); // Sku
        w.str("Azure"); // SourceSystem
        w.time(start_task_end); // StartTaskEndTime
        w.time(start_task_start); // StartTaskStartTime
        w.str(&self.world.tenant_id); // TenantId
        w.time(t); // TimeGenerated
        w.str(fmt_into(&mut self.buf, format_args!("{e2e:.1}"))); // TotalE2ETimeInSeconds
        w.str("AmlComputeClusterNodeEvent"); // Type
        w.str(c.image_version); // Version
        w.str(c.vm.family); // VmFamilyName
        w.str(c.spec.priority); // VmPriority
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
            self.write_row(t)?;
            produced += 1;
        }
        match self.writer.as_mut() {
            Some(w) if w.rows() > 0 => Ok(Some(w.finish()?)),
            _ => Ok(None),
        }
    }
}

impl Iterator for NodeEventGen {
    type Item = Result<RecordBatch, GenError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_batch().transpose()
    }
}
