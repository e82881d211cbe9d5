//! The sequence of jobs, shared by `AmlComputeJobEvent` and `traces`.
//!
//! Both tables rebuild the same plan from the seed, so a job's `JobId` and the `parent_run_id` of
//! its traces agree without either generator holding the other's rows.

use std::sync::Arc;

use rand::Rng;
use rand::rngs::StdRng;

use crate::GenConfig;
use crate::random::{self, guid, hex, log_uniform};
use crate::time::{SECOND, round_tick, secs};
use crate::vocab::{
    FIXED_AUTOML_EXPERIMENT, FIXED_AUTOML_JOB, FIXED_PARENT_EXPERIMENT, FIXED_PARENT_RUN_ID,
    JOB_API_VERSIONS, JOB_ERRORS, JobError, LOW_PRIORITY, RunKind, TOOL_TYPES,
};
use crate::world::World;

/// Share of finished jobs that fail.
const FAILURE_RATE: f64 = 0.10;

#[derive(Clone, Copy)]
pub(crate) enum Outcome {
    Succeeded,
    Failed(&'static JobError),
    /// Still queued or running at the end of the window (only the newest job).
    InProgress,
}

/// Which customDimensions key carries the log level: the AML docs query `Level`, the opencensus
/// exporter writes `level`, and some loggers end up with both. Keys are case-sensitive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum LevelKeys {
    Upper,
    Lower,
    Both,
}

pub(crate) struct Job {
    pub(crate) index: usize,
    /// Run id: `JobId`, `JobName` and the traces' `parent_run_id`.
    pub(crate) run_id: String,
    pub(crate) cluster: usize,
    pub(crate) experiment: usize,
    pub(crate) tool_type: &'static str,
    pub(crate) tf_parameter_servers: u32,
    pub(crate) tf_workers: u32,
    pub(crate) api_version: &'static str,
    pub(crate) run_in_container: &'static str,
    pub(crate) node_id: String,
    pub(crate) submitted: i64,
    pub(crate) running: i64,
    pub(crate) finished: i64,
    /// Events the job has: 3 for finished jobs, fewer for the in-progress newest job.
    pub(crate) stages: u8,
    pub(crate) outcome: Outcome,
    pub(crate) step_name: &'static str,
    pub(crate) step_id: String,
    pub(crate) level_keys: LevelKeys,
    pub(crate) operation_id: String,
    pub(crate) build: Option<(String, String)>,
    pub(crate) sdk_version: &'static str,
}

impl Job {
    pub(crate) fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }
}

pub(crate) struct JobPlan {
    world: Arc<World>,
    rng: StdRng,
    jobs: usize,
    last_stages: u8,
    next: usize,
    automl_index: usize,
    parent_index: usize,
    forced_failure_index: usize,
    experiment_weights: Vec<(usize, u32)>,
    /// Per workspace, its job-running clusters and their weights.
    cluster_weights: Vec<Vec<(usize, u32)>>,
}

impl JobPlan {
    /// A plan whose jobs yield exactly `events` job events (three per job, the newest job fewer).
    pub(crate) fn new(config: &GenConfig, world: Arc<World>, events: usize) -> Self {
        let jobs = events.div_ceil(3).max(1);
        let last_stages = (events - 3 * (jobs - 1)).clamp(1, 3) as u8;
        let experiment_weights = world
            .experiments
            .iter()
            .enumerate()
            .map(|(i, e)| (i, e.spec.weight))
            .collect();
        let cluster_weights = (0..world.workspaces.len())
            .map(|w| world.job_clusters(w))
            .collect();
        Self {
            world,
            experiment_weights,
            cluster_weights,
            rng: random::stream(config.seed, "jobs"),
            jobs,
            last_stages,
            next: 0,
            // Pinned jobs the seed queries look for, at about 2 days, 1 day and 10 hours ago.
            automl_index: jobs * 8 / 10,
            parent_index: jobs * 9 / 10,
            forced_failure_index: jobs * 96 / 100,
        }
    }

    pub(crate) fn job_count(&self) -> usize {
        self.jobs
    }

    fn job(&mut self, index: usize) -> Job {
        let world = Arc::clone(&self.world);
        let window = world.window;
        let rng = &mut self.rng;
        let is_last = index + 1 == self.jobs;
        let stages = if is_last { self.last_stages } else { 3 };

        let fixed_automl = index == self.automl_index && !is_last;
        let fixed_parent = index == self.parent_index && !fixed_automl && !is_last;
        let experiment = if fixed_automl {
            FIXED_AUTOML_EXPERIMENT
        } else if fixed_parent {
            FIXED_PARENT_EXPERIMENT
        } else {
            *random::pick_weighted(rng, &self.experiment_weights)
        };
        let exp = world.experiments[experiment].spec;
        let cluster = *random::pick_weighted(rng, &self.cluster_weights[exp.workspace]);
        let cluster_ref = &world.clusters[cluster];

        let submitted = window.spread(index, self.jobs, rng.random::<f64>());
        let queued = secs(log_uniform(rng, 3.0, 1200.0));
        let run_secs = match exp.kind {
            RunKind::Training => log_uniform(rng, 120.0, 8.0 * 3600.0),
            RunKind::Pipeline => log_uniform(rng, 30.0, 3600.0),
            RunKind::Inference => log_uniform(rng, 60.0, 1800.0),
            RunKind::AutoMl => log_uniform(rng, 60.0, 900.0),
        };
        let outcome = if stages < 3 {
            Outcome::InProgress
        } else if index == self.forced_failure_index
            || (!fixed_automl && rng.random_bool(FAILURE_RATE))
        {
            Outcome::Failed(pick_error(rng, cluster_ref.spec.priority == LOW_PRIORITY))
        } else {
            Outcome::Succeeded
        };
        // Failures tend to come early (bad imports, missing data), so they cut the run short.
        let ran = match outcome {
            Outcome::Failed(_) => secs(run_secs * rng.random_range(0.02..1.0)),
            _ => secs(run_secs),
        };
        let mut running = submitted + queued.max(SECOND);
        let mut finished = running + ran.max(SECOND);
        if finished > window.cutoff {
            // Squeeze the newest jobs into the window so nothing is stamped in the future.
            let avail = window.cutoff - submitted;
            running = submitted + (avail as f64 * rng.random_range(0.05..0.4)) as i64;
            finished =
                running + ((window.cutoff - running) as f64 * rng.random_range(0.2..0.95)) as i64;
        }
        let running = round_tick(running.max(submitted + SECOND));
        let finished = round_tick(finished.max(running + SECOND));

        let run_id = if fixed_automl {
            FIXED_AUTOML_JOB.to_string()
        } else if fixed_parent {
            FIXED_PARENT_RUN_ID.to_string()
        } else {
            match exp.kind {
                RunKind::Pipeline => guid(rng),
                RunKind::AutoMl => match rng.random_range(0..4) {
                    0 => format!("automl_{}_setup", guid(rng)),
                    n => format!("automl_{}_{}", guid(rng), n - 1),
                },
                RunKind::Training | RunKind::Inference => format!(
                    "{}_{}_{}",
                    exp.name.replace('-', "_"),
                    submitted.div_euclid(SECOND),
                    hex(rng, 8)
                ),
            }
        };
        let step_name = if fixed_automl {
            "setup"
        } else {
            *random::pick(rng, exp.steps)
        };
        let tool_type = *random::pick_weighted(rng, TOOL_TYPES);
        let (tf_parameter_servers, tf_workers) = match tool_type {
            "tensorflow" => (rng.random_range(1..=2), rng.random_range(2..=4)),
            _ => (0, 0),
        };
        let level_keys = match rng.random_range(0..100) {
            _ if fixed_parent => LevelKeys::Upper,
            0..60 => LevelKeys::Upper,
            60..93 => LevelKeys::Lower,
            _ => LevelKeys::Both,
        };
        let operation_id = if rng.random_bool(0.65) {
            hex(rng, 32)
        } else {
            // opencensus' default when no tracer is active.
            "0".repeat(32)
        };
        let build = rng.random_bool(0.3).then(|| {
            let build_id = rng.random_range(10_000..99_999);
            (
                format!(
                    "https://dev.azure.com/contoso/ml-platform/_build/results?buildId={build_id}"
                ),
                format!("1.{}.{}", rng.random_range(0..12), rng.random_range(0..400)),
            )
        });
        Job {
            index,
            run_id,
            cluster,
            experiment,
            tool_type,
            tf_parameter_servers,
            tf_workers,
            api_version: random::pick::<&str>(rng, JOB_API_VERSIONS),
            run_in_container: if rng.random_bool(0.9) {
                "True"
            } else {
                "False"
            },
            node_id: random::pick(rng, &cluster_ref.nodes).clone(),
            submitted,
            running,
            finished,
            stages,
            outcome,
            step_name,
            step_id: guid(rng),
            level_keys,
            operation_id,
            build,
            sdk_version: random::pick_weighted::<&str>(rng, crate::vocab::SDK_VERSIONS),
        }
    }
}

fn pick_error(rng: &mut StdRng, low_priority: bool) -> &'static JobError {
    loop {
        let e = random::pick(rng, JOB_ERRORS);
        if low_priority || !e.low_priority_only {
            return e;
        }
    }
}

impl Iterator for JobPlan {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        if self.next >= self.jobs {
            return None;
        }
        let job = self.job(self.next);
        self.next += 1;
        Some(job)
    }
}
