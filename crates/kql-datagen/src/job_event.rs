//! `AmlComputeJobEvent`: each job logs `JobSubmitted`, `JobRunning`, then `JobSucceeded` or
//! `JobFailed`, interleaved with other jobs' events in time order.

use std::sync::Arc;

use arrow::array::RecordBatch;

use crate::job_plan::{Job, JobPlan, Outcome};
use crate::queue::TimeQueue;
use crate::rows::{self, RowWriter};
use crate::world::World;
use crate::{GenConfig, GenError, schema};

#[derive(Clone, Copy)]
enum Stage {
    Submitted,
    Running,
    Finished,
}

pub(crate) struct JobEventGen {
    plan: JobPlan,
    world: Arc<World>,
    /// The next job to start, held back until every earlier event is out.
    upcoming: Option<Job>,
    pending: TimeQueue<(Arc<Job>, Stage)>,
    writer: Option<RowWriter>,
    batch_rows: usize,
    buf: String,
}

impl JobEventGen {
    pub(crate) fn new(config: &GenConfig, rows: usize) -> Self {
        let world = Arc::new(World::new(config));
        let mut plan = JobPlan::new(config, Arc::clone(&world), rows);
        let upcoming = plan.next();
        Self {
            plan,
            world,
            upcoming,
            pending: TimeQueue::new(),
            writer: None,
            batch_rows: config.batch_rows,
            buf: String::new(),
        }
    }

    /// The next event in time order, or `None` when every job is written out.
    fn next_event(&mut self) -> Option<(i64, (Arc<Job>, Stage))> {
        loop {
            let limit = self.upcoming.as_ref().map_or(i64::MAX, |j| j.submitted);
            if let Some(event) = self.pending.pop_until(limit) {
                return Some(event);
            }
            let job = Arc::new(self.upcoming.take()?);
            self.upcoming = self.plan.next();
            let stages = [
                (job.submitted, Stage::Submitted),
                (job.running, Stage::Running),
                (job.finished, Stage::Finished),
            ];
            for (time, stage) in stages.into_iter().take(usize::from(job.stages)) {
                self.pending.push(time, (Arc::clone(&job), stage));
            }
        }
    }

    fn write_row(&mut self, time: i64, job: &Job, stage: Stage) -> Result<(), GenError> {
        let world = &self.world;
        let cluster = &world.clusters[job.cluster];
        let ws = world.workspace_of(cluster);
        let exp = &world.experiments[job.experiment];
        let (event, state) = match (stage, job.outcome) {
            (Stage::Submitted, _) => ("JobSubmitted", "Queued"),
            (Stage::Running, _) => ("JobRunning", "Running"),
            (Stage::Finished, Outcome::Failed(_)) => ("JobFailed", "Failed"),
            (Stage::Finished, _) => ("JobSucceeded", "Succeeded"),
        };
        let (message, details) = match (stage, job.outcome) {
            (Stage::Finished, Outcome::Failed(e)) => (e.message, e.details),
            _ => ("", ""),
        };
        let node = match stage {
            Stage::Submitted => "",
            _ => job.node_id.as_str(),
        };
        let billed = 640.0
            + (cluster.cluster_id.len()
                + ws.resource_id.len()
                + job.run_id.len() * 2
                + message.len()
                + details.len()
                + node.len()) as f64;
        let w = rows::writer(
            &mut self.writer,
            schema::aml_compute_job_event,
            self.batch_rows,
        )?;
        w.real(billed); // _BilledSize
        w.str(&cluster.cluster_id); // ClusterId
        w.str(cluster.spec.name); // ClusterName
        w.str(ws.spec.resource_group); // ClusterResourceGroupName
        w.str(job.api_version); // CreationApiVersion
        w.str(&world.subscription); // CustomerSubscriptionId
        w.str(details); // ErrorDetails
        w.str(event); // EventType
        w.str(state); // ExecutionState
        w.str(&exp.id); // ExperimentId
        w.str(exp.spec.name); // ExperimentName
        w.str(""); // InternalOperationName (undocumented)
        w.str("true"); // _IsBillable
        w.str(message); // JobErrorMessage
        w.str(&job.run_id); // JobId
        w.str(&job.run_id); // JobName
        w.str(node); // NodeId
        w.str(event); // OperationName
        w.str("Succeeded"); // ProvisioningState: the submission itself went through
        w.str(ws.spec.resource_group); // ResourceGroupName
        w.str(&ws.resource_id); // _ResourceId
        w.str(""); // ResultSignature (undocumented)
        w.str(job.run_in_container); // RunInContainer
        w.str("Azure"); // SourceSystem
        w.str(&world.subscription); // _SubscriptionId
        w.str(&world.tenant_id); // TenantId
        let buf = &mut self.buf;
        w.str(crate::random::fmt_into(
            buf,
            format_args!("{}", job.tf_parameter_servers),
        )); // TFParameterServerCount
        w.str(crate::random::fmt_into(
            buf,
            format_args!("{}", job.tf_workers),
        )); // TFWorkerCount
        w.time(time); // TimeGenerated
        w.str(job.tool_type); // ToolType
        w.str("AmlComputeJobEvent"); // Type
        w.str(ws.spec.name); // WorkspaceName
        w.end_row()
    }

    fn next_batch(&mut self) -> Result<Option<RecordBatch>, GenError> {
        while self.writer.as_ref().map_or(0, RowWriter::rows) < self.batch_rows {
            let Some((time, (job, stage))) = self.next_event() else {
                break;
            };
            self.write_row(time, &job, stage)?;
        }
        match self.writer.as_mut() {
            Some(w) if w.rows() > 0 => Ok(Some(w.finish()?)),
            _ => Ok(None),
        }
    }
}

impl Iterator for JobEventGen {
    type Item = Result<RecordBatch, GenError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_batch().transpose()
    }
}
