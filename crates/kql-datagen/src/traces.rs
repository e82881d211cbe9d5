//! Classic Application Insights `traces`: what the jobs' Python loggers sent through the
//! opencensus exporter, with the AML pipeline custom dimensions.
//!
//! Every trace belongs to a job of `AmlComputeJobEvent` (`parent_run_id` is the `JobId`) and lies
//! within the job's running time; failed jobs end in ERROR traces describing their failure.

use std::sync::Arc;

use arrow::array::RecordBatch;
use rand::Rng;
use rand::rngs::StdRng;

use crate::job_plan::{Job, JobPlan, LevelKeys, Outcome};
use crate::jsonl::push_json_str;
use crate::queue::TimeQueue;
use crate::random::{self, guid};
use crate::rows::{self, RowWriter};
use crate::time::{SECOND, round_tick, secs};
use crate::vocab::{DATASETS, RunKind, TRANSIENT_ERRORS, WARNINGS};
use crate::world::World;
use crate::{GenConfig, GenError, schema};

/// How far a job's trace count may drift from its even share before the next jobs compensate;
/// it lets counts vary per job while the table still gets exactly the requested rows.
const SLACK: usize = 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Debug,
    Info,
    Warning,
    Error,
    Critical,
}

impl Level {
    /// Python's level name, as opencensus writes it.
    fn name(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
            Level::Critical => "CRITICAL",
        }
    }

    /// opencensus' `max(0, levelno - 1) // 10`: DEBUG 0, INFO 1, WARNING 2, ERROR 3, CRITICAL 4.
    fn severity(self) -> i32 {
        match self {
            Level::Debug => 0,
            Level::Info => 1,
            Level::Warning => 2,
            Level::Error => 3,
            Level::Critical => 4,
        }
    }
}

struct Trace {
    job: Arc<Job>,
    level: Level,
    message: String,
    line_number: u32,
}

pub(crate) struct TracesGen {
    plan: JobPlan,
    world: Arc<World>,
    rng: StdRng,
    upcoming: Option<Job>,
    pending: TimeQueue<Trace>,
    rows: usize,
    jobs: usize,
    /// Traces handed out to jobs so far.
    allotted: usize,
    writer: Option<RowWriter>,
    batch_rows: usize,
    dims: String,
    buf: String,
}

impl TracesGen {
    pub(crate) fn new(config: &GenConfig, rows: usize) -> Self {
        let world = Arc::new(World::new(config));
        // The plan sized for `rows` job events, so traces and job events describe the same jobs.
        let job_rows = crate::Table::AmlComputeJobEvent.row_count(config);
        let mut plan = JobPlan::new(config, Arc::clone(&world), job_rows);
        let jobs = plan.job_count();
        let upcoming = plan.next();
        Self {
            plan,
            world,
            rng: random::stream(config.seed, "traces"),
            upcoming,
            pending: TimeQueue::new(),
            rows,
            jobs,
            allotted: 0,
            writer: None,
            batch_rows: config.batch_rows,
            dims: String::with_capacity(1024),
            buf: String::new(),
        }
    }

    /// How many traces job `job.index` gets: a random count, kept within `SLACK` of an even
    /// share so the total lands exactly on `rows`.
    fn trace_count(&mut self, job: &Job) -> usize {
        let (i, n, jobs) = (job.index, self.rows as u128, self.jobs as u128);
        if i + 1 == self.jobs {
            return self.rows.saturating_sub(self.allotted);
        }
        let target = (n * (i as u128 + 1) / jobs) as i64;
        let slack = SLACK.min(self.jobs - 1 - i) as i64;
        let allotted = self.allotted as i64;
        let hi = (target + slack - allotted).max(0);
        let minimum: i64 = if job.run_id == crate::vocab::FIXED_PARENT_RUN_ID {
            5
        } else if job.failed() {
            2
        } else {
            0
        };
        let lo = (target - slack - allotted).max(minimum.min(hi)).max(0);
        // A mean slightly under the even share of ~3 keeps the running total near the lower
        // edge of the band, leaving headroom for the jobs that need several traces.
        let wanted: i64 = if job.failed() {
            self.rng.random_range(4..=7)
        } else {
            self.rng.random_range(1..=4)
        };
        wanted.clamp(lo, hi.max(lo)) as usize
    }

    /// Writes the job's traces into the pending queue.
    fn plan_traces(&mut self, job: Arc<Job>) {
        let count = self.trace_count(&job);
        self.allotted += count;
        if count == 0 {
            return;
        }
        let world = Arc::clone(&self.world);
        let rng = &mut self.rng;
        let cluster = &world.clusters[job.cluster];
        let exp = world.experiments[job.experiment].spec;
        let (from, to) = match job.stages {
            1 => (job.submitted, job.submitted + SECOND),
            _ => (job.running, job.finished),
        };
        let span = (to - from).max(SECOND);
        let errors = match job.outcome {
            Outcome::Failed(_) if count <= 2 => count,
            Outcome::Failed(_) => rng.random_range(2..=3).min(count - 1),
            _ => 0,
        };
        let regular = count - errors;
        let succeeded = matches!(job.outcome, Outcome::Succeeded);
        let epochs = rng.random_range(5..=50);
        for j in 0..regular {
            // Spread the ordinary lines over the run, before any closing errors.
            let at = from
                + (span as f64 * 0.9 * (j as f64 + rng.random::<f64>()) / regular as f64) as i64;
            // Runs log only a few traces each, so the opening and closing lines are not always
            // among them; otherwise messages would be mostly "Starting step".
            let (level, message) = if j == 0 && rng.random_bool(0.5) {
                (
                    Level::Info,
                    format!(
                        "Starting step '{}' of run {} on {} ({})",
                        job.step_name, job.run_id, cluster.spec.name, cluster.vm.size
                    ),
                )
            } else if j + 1 == regular && j > 0 && succeeded && rng.random_bool(0.5) {
                (Level::Info, closing_line(rng, &job, exp.kind, exp.model))
            } else {
                middle_line(
                    rng,
                    &job,
                    exp.kind,
                    cluster.vm.gpu,
                    cluster.vm.cores,
                    epochs,
                    j,
                )
            };
            let line_number = rng.random_range(20..400);
            self.pending.push(
                round_tick(at),
                Trace {
                    job: Arc::clone(&job),
                    level,
                    message,
                    line_number,
                },
            );
        }
        if let Outcome::Failed(err) = job.outcome {
            for k in 0..errors {
                // The failure is logged in the last seconds before the job is marked failed.
                let back = secs((errors - k) as f64 * rng.random_range(0.05..2.0));
                let at = round_tick((to - back).max(from));
                let last = k + 1 == errors;
                let (level, message) = if last {
                    let level = if errors >= 2 && rng.random_bool(0.2) {
                        Level::Critical
                    } else {
                        Level::Error
                    };
                    (level, format!("Run {} failed: {}", job.run_id, err.message))
                } else {
                    (
                        Level::Error,
                        err.log_lines[k % err.log_lines.len()].to_string(),
                    )
                };
                self.pending.push(
                    at,
                    Trace {
                        job: Arc::clone(&job),
                        level,
                        message,
                        line_number: rng.random_range(20..400),
                    },
                );
            }
        }
    }

    fn next_trace(&mut self) -> Option<(i64, Trace)> {
        loop {
            let limit = self.upcoming.as_ref().map_or(i64::MAX, |j| j.submitted);
            if let Some(t) = self.pending.pop_until(limit) {
                return Some(t);
            }
            let job = Arc::new(self.upcoming.take()?);
            self.upcoming = self.plan.next();
            self.plan_traces(job);
        }
    }

    fn build_dims(&mut self, t: &Trace) {
        let job = &t.job;
        let world = &self.world;
        let cluster = &world.clusters[job.cluster];
        let ws = world.workspace_of(cluster);
        let exp = world.experiments[job.experiment].spec;
        let module = exp.script.trim_end_matches(".py");
        let d = &mut self.dims;
        d.clear();
        d.push_str("{\"process\":\"MainProcess\",\"module\":");
        push_json_str(d, module);
        // `record.pathname` is the script path as passed to python, relative in AML jobs.
        d.push_str(",\"fileName\":\"");
        d.push_str(exp.script);
        d.push_str("\",\"lineNumber\":\"");
        d.push_str(&t.line_number.to_string());
        d.push('"');
        let level = t.level.name();
        if matches!(job.level_keys, LevelKeys::Lower | LevelKeys::Both) {
            d.push_str(",\"level\":\"");
            d.push_str(level);
            d.push('"');
        }
        if matches!(job.level_keys, LevelKeys::Upper | LevelKeys::Both) {
            d.push_str(",\"Level\":\"");
            d.push_str(level);
            d.push('"');
        }
        d.push_str(",\"parent_run_id\":");
        push_json_str(d, &job.run_id);
        d.push_str(",\"step_id\":");
        push_json_str(d, &job.step_id);
        d.push_str(",\"step_name\":");
        push_json_str(d, job.step_name);
        d.push_str(",\"experiment_name\":");
        push_json_str(d, exp.name);
        d.push_str(",\"run_url\":\"https://ml.azure.com/runs/");
        d.push_str(&job.run_id);
        d.push_str("?wsid=/subscriptions/");
        d.push_str(&world.subscription);
        d.push_str("/resourcegroups/");
        d.push_str(ws.spec.resource_group);
        d.push_str("/workspaces/");
        d.push_str(ws.spec.name);
        d.push_str("\",\"run_type\":\"");
        d.push_str(exp.kind.run_type());
        d.push('"');
        if let Some((url, version)) = &job.build {
            d.push_str(",\"build_url\":");
            push_json_str(d, url);
            d.push_str(",\"build_version\":");
            push_json_str(d, version);
        }
        d.push('}');
    }

    fn write_row(&mut self, time: i64, t: &Trace) -> Result<(), GenError> {
        self.build_dims(t);
        let item_id = guid(&mut self.rng);
        let world = &self.world;
        let job = &t.job;
        let cluster = &world.clusters[job.cluster];
        let ws = world.workspace_of(cluster);
        let exp = world.experiments[job.experiment].spec;
        let (city, state, country) = ws.spec.location;
        let w = rows::writer(&mut self.writer, schema::traces, self.batch_rows)?;
        let buf = &mut self.buf;
        w.time(time); // timestamp
        w.str(&t.message); // message
        w.int(t.level.severity()); // severityLevel
        w.str("trace"); // itemType
        w.str(&self.dims); // customDimensions
        w.null_str(); // customMeasurements: opencensus sends none
        w.str(""); // operation_Name
        w.str(&job.operation_id); // operation_Id
        w.str(random::fmt_into(
            buf,
            format_args!("|{}.0000000000000000.", job.operation_id),
        )); // operation_ParentId
        w.str(""); // operation_SyntheticSource
        w.str(""); // session_Id
        w.str(""); // user_Id
        w.str(""); // user_AuthenticatedId
        w.str(""); // user_AccountId
        w.str(""); // application_Version
        w.str("PC"); // client_Type
        w.str(""); // client_Model
        w.str("Linux"); // client_OS
        w.str("0.0.0.0"); // client_IP
        w.str(city); // client_City
        w.str(state); // client_StateOrProvince
        w.str(country); // client_CountryOrRegion
        w.str(""); // client_Browser
        w.str(exp.script); // cloud_RoleName
        w.str(&job.node_id); // cloud_RoleInstance
        w.str(&ws.app_id); // appId
        w.str(ws.spec.app_name); // appName
        w.str(&ws.ikey); // iKey
        w.str(job.sdk_version); // sdkVersion
        w.str(&item_id); // itemId
        w.int(1); // itemCount
        w.end_row()
    }

    fn next_batch(&mut self) -> Result<Option<RecordBatch>, GenError> {
        while self.writer.as_ref().map_or(0, RowWriter::rows) < self.batch_rows {
            let Some((time, trace)) = self.next_trace() else {
                break;
            };
            self.write_row(time, &trace)?;
        }
        match self.writer.as_mut() {
            Some(w) if w.rows() > 0 => Ok(Some(w.finish()?)),
            _ => Ok(None),
        }
    }
}

/// The last line of a successful run.
fn closing_line(rng: &mut StdRng, job: &Job, kind: RunKind, model: &str) -> String {
    let took = (job.finished - job.running) as f64 / SECOND as f64;
    match kind {
        RunKind::Training | RunKind::AutoMl => format!(
            "Run completed in {took:.1}s; registered model '{model}' version {}",
            rng.random_range(1..40)
        ),
        RunKind::Pipeline => format!("Step '{}' finished in {took:.1}s", job.step_name),
        RunKind::Inference => format!(
            "Scoring finished: {} rows in {took:.1}s with model '{model}'",
            rng.random_range(10_000..2_000_000)
        ),
    }
}

/// One ordinary log line from the middle of a run.
fn middle_line(
    rng: &mut StdRng,
    job: &Job,
    kind: RunKind,
    gpu: Option<&str>,
    cores: i32,
    epochs: u32,
    j: usize,
) -> (Level, String) {
    let roll = rng.random_range(0..100);
    if roll < 12 {
        return (Level::Warning, random::pick(rng, WARNINGS).to_string());
    }
    if roll < 14 && matches!(job.outcome, Outcome::Succeeded) {
        return (
            Level::Error,
            random::pick(rng, TRANSIENT_ERRORS).to_string(),
        );
    }
    if roll < 28 {
        let message = match rng.random_range(0..2) {
            0 => format!(
                "Batch {} processed in {} ms",
                rng.random_range(1..5000),
                rng.random_range(40..900)
            ),
            _ => format!("Prefetch queue size: {}", rng.random_range(0..64)),
        };
        return (Level::Debug, message);
    }
    let message = match (j, kind) {
        (1, _) => match gpu {
            Some(gpu) => format!("Using {} GPU(s): {gpu}", rng.random_range(1..=4)),
            None => format!("Using CPU with {cores} cores"),
        },
        (2, _) => format!(
            "Loading dataset '{}' version {}",
            random::pick(rng, DATASETS),
            rng.random_range(1..30)
        ),
        (_, RunKind::Training | RunKind::AutoMl) => {
            let epoch = ((j as u32).saturating_sub(2)).min(epochs).max(1);
            let progress = f64::from(epoch) / f64::from(epochs);
            format!(
                "Epoch {epoch}/{epochs} - loss: {:.4} - val_loss: {:.4} - accuracy: {:.4}",
                2.3 * (1.0 - progress * 0.8) * rng.random_range(0.9..1.1),
                2.4 * (1.0 - progress * 0.75) * rng.random_range(0.9..1.1),
                (0.5 + 0.45 * progress * rng.random_range(0.9..1.0)).min(0.999)
            )
        }
        (_, RunKind::Pipeline) => format!(
            "Wrote {} rows to output '{}_output'",
            rng.random_range(1_000..5_000_000),
            job.step_name
        ),
        (_, RunKind::Inference) => format!(
            "Scored mini-batch {}: {} rows in {} ms",
            rng.random_range(1..500),
            rng.random_range(100..10_000),
            rng.random_range(50..5_000)
        ),
    };
    (Level::Info, message)
}

impl Iterator for TracesGen {
    type Item = Result<RecordBatch, GenError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_batch().transpose()
    }
}
