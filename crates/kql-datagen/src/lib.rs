//! Makes believable Azure Machine Learning log data, so the engine can be developed, tested and
//! benchmarked without access to a real Log Analytics workspace.
//!
//! The four tables (`AmlComputeJobEvent`, `AmlComputeClusterEvent`, `AmlComputeClusterNodeEvent`
//! and the classic Application Insights `traces`) are generated from one simulated world (a
//! subscription, three ML workspaces, their clusters, experiments and jobs), so that joins across
//! tables find each other: a failed job has ERROR traces whose `customDimensions.parent_run_id` is
//! its `JobId`, job events name nodes that node events know, and so on.
//!
//! Output is a pure function of [`GenConfig`]: the same rows, seed and `now` give byte-identical
//! files. Rows come out time-ordered in bounded [`RecordBatch`]es, so ten million rows stream to
//! disk in constant memory.

mod cluster_event;
mod error;
mod job_event;
mod job_plan;
pub mod jsonl;
mod node_event;
pub mod parquet_out;
mod queue;
mod random;
mod rows;
pub mod schema;
mod time;
mod traces;
mod vocab;
mod world;

use std::path::{Path, PathBuf};

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use chrono::{DateTime, Utc};

pub use crate::error::GenError;

/// Rows per generated batch: large enough to amortise per-batch costs, small enough that a table
/// of any size streams in a few tens of megabytes.
pub const DEFAULT_BATCH_ROWS: usize = 64 * 1024;

/// What to generate. Everything in the output is derived from these fields alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenConfig {
    /// Row count of `traces` and `AmlComputeJobEvent`; the cluster and node tables get a tenth of
    /// it (at least one row), as they do in real workspaces.
    pub rows: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// The reference instant: data covers the ten days before it, the newest rows a few minutes
    /// old. Fixed in tests and the committed sample so output is reproducible.
    pub now: DateTime<Utc>,
    /// Rows per [`RecordBatch`] (the last one may be shorter).
    pub batch_rows: usize,
}

impl GenConfig {
    /// A configuration with the default batch size.
    pub fn new(rows: usize, seed: u64, now: DateTime<Utc>) -> Self {
        Self {
            rows,
            seed,
            now,
            batch_rows: DEFAULT_BATCH_ROWS,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), GenError> {
        if self.rows == 0 {
            return Err(GenError::InvalidConfig("rows must be at least 1".into()));
        }
        if self.batch_rows == 0 {
            return Err(GenError::InvalidConfig(
                "batch_rows must be at least 1".into(),
            ));
        }
        // Timestamps are i64 nanoseconds; keep the whole window (and clusters created months
        // before it) representable.
        let year = chrono::Datelike::year(&self.now);
        if !(1700..=2200).contains(&year) {
            return Err(GenError::InvalidConfig(format!(
                "now must be between the years 1700 and 2200, got {}",
                self.now.to_rfc3339()
            )));
        }
        Ok(())
    }
}

/// The tables this crate generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    AmlComputeJobEvent,
    AmlComputeClusterEvent,
    AmlComputeClusterNodeEvent,
    Traces,
}

impl Table {
    /// Every table, in the order the binary writes them.
    pub const ALL: [Table; 4] = [
        Table::AmlComputeJobEvent,
        Table::AmlComputeClusterEvent,
        Table::AmlComputeClusterNodeEvent,
        Table::Traces,
    ];

    /// The table's name as KQL queries spell it (also the output file stem).
    pub fn name(self) -> &'static str {
        match self {
            Table::AmlComputeJobEvent => "AmlComputeJobEvent",
            Table::AmlComputeClusterEvent => "AmlComputeClusterEvent",
            Table::AmlComputeClusterNodeEvent => "AmlComputeClusterNodeEvent",
            Table::Traces => "traces",
        }
    }

    /// Looks a table up by its KQL name (exact spelling).
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The Arrow schema, in the column order of the Azure table reference.
    pub fn schema(self) -> SchemaRef {
        match self {
            Table::AmlComputeJobEvent => schema::aml_compute_job_event(),
            Table::AmlComputeClusterEvent => schema::aml_compute_cluster_event(),
            Table::AmlComputeClusterNodeEvent => schema::aml_compute_cluster_node_event(),
            Table::Traces => schema::traces(),
        }
    }

    /// The column rows are ordered by: `timestamp` for classic Application Insights tables,
    /// `TimeGenerated` for the others.
    pub fn time_column(self) -> &'static str {
        match self {
            Table::Traces => "timestamp",
            _ => "TimeGenerated",
        }
    }

    /// How many rows this table gets for `config`.
    pub fn row_count(self, config: &GenConfig) -> usize {
        match self {
            Table::AmlComputeJobEvent | Table::Traces => config.rows,
            Table::AmlComputeClusterEvent | Table::AmlComputeClusterNodeEvent => {
                (config.rows / 10).max(1)
            }
        }
    }
}

/// A stream of time-ordered batches of one table.
pub type Batches = Box<dyn Iterator<Item = Result<RecordBatch, GenError>> + Send>;

/// Starts generating `table`. Nothing is produced until the iterator is pulled.
pub fn generate(config: &GenConfig, table: Table) -> Result<Batches, GenError> {
    config.validate()?;
    let rows = table.row_count(config);
    Ok(match table {
        Table::AmlComputeJobEvent => Box::new(job_event::JobEventGen::new(config, rows)),
        Table::AmlComputeClusterEvent => {
            Box::new(cluster_event::ClusterEventGen::new(config, rows))
        }
        Table::AmlComputeClusterNodeEvent => Box::new(node_event::NodeEventGen::new(config, rows)),
        Table::Traces => Box::new(traces::TracesGen::new(config, rows)),
    })
}

/// Generates a whole table into memory. Meant for tests and small samples.
pub fn generate_all(config: &GenConfig, table: Table) -> Result<Vec<RecordBatch>, GenError> {
    generate(config, table)?.collect()
}

/// Which files [`write_table`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub jsonl: bool,
    pub parquet: bool,
}

/// Generates `table` once and streams it into `<dir>/<Table>.jsonl` and/or
/// `<dir>/<Table>.parquet`. Returns the files written and the row count.
pub fn write_table(
    config: &GenConfig,
    table: Table,
    dir: &Path,
    formats: Formats,
) -> Result<(Vec<PathBuf>, usize), GenError> {
    let schema = table.schema();
    let mut paths = Vec::new();
    let mut json = None;
    if formats.jsonl {
        let path = dir.join(format!("{}.jsonl", table.name()));
        json = Some(jsonl::JsonLinesWriter::create(&path, &schema)?);
        paths.push(path);
    }
    let mut parquet = None;
    if formats.parquet {
        let path = dir.join(format!("{}.parquet", table.name()));
        parquet = Some(parquet_out::create(&path, &schema, table.time_column())?);
        paths.push(path);
    }
    let mut rows = 0;
    for batch in generate(config, table)? {
        let batch = batch?;
        rows += batch.num_rows();
        if let Some(w) = json.as_mut() {
            w.write(&batch)?;
        }
        if let Some(w) = parquet.as_mut() {
            w.write(&batch)?;
        }
    }
    if let Some(w) = json {
        w.finish()?;
    }
    if let Some(w) = parquet {
        w.close()?;
    }
    Ok((paths, rows))
}
