//! Loading data files into tables. Every bad row is either an error naming the file and line, or
//! (with `skip_bad_rows`) skipped and counted in the [`LoadReport`]: rows are never dropped
//! silently.

mod api_response;
mod azure;
mod csv;
mod json;
mod jsonl;
mod object;

pub use self::csv::read_csv;
pub use api_response::read_api_response;
pub use azure::{azure_schema, azure_table_name, azure_tables};
pub use json::{JsonShape, JsonSource, read_json, sniff_json};
pub use jsonl::read_json_lines;

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use kql_planner::KqlColumn;

/// Options for JSON lines files.
#[derive(Clone, Debug)]
pub struct JsonLinesOptions {
    /// The table's KQL schema; inferred from the first rows when `None`.
    pub schema: Option<Vec<KqlColumn>>,
    /// Skip rows that do not fit the schema instead of failing.
    pub skip_bad_rows: bool,
    /// How many rows inference reads.
    pub infer_rows: usize,
}

impl Default for JsonLinesOptions {
    fn default() -> Self {
        Self {
            schema: None,
            skip_bad_rows: false,
            infer_rows: 1000,
        }
    }
}

/// What a load did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadReport {
    /// Rows loaded.
    pub rows: usize,
    /// Rows skipped as bad.
    pub skipped: usize,
    /// The first few skipped rows: line number (0 for a record of a whole-file document) and
    /// reason.
    pub first_errors: Vec<(usize, String)>,
    /// Fields of the data that are not columns of the table (a key first seen after the rows
    /// the schema was inferred from), each with where it was first seen.
    pub ignored_fields: Vec<String>,
}

/// Options for [`read_json`], [`read_csv`] and [`read_api_response`].
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// The table's documented columns (see [`azure_schema`]): always present, with these types,
    /// matched to the data's keys exactly or else ignoring case; keys beyond them become further
    /// columns typed from the data. `None`: every column is inferred.
    pub schema: Option<Vec<KqlColumn>>,
    /// Skip rows that do not fit instead of failing; the report counts them.
    pub skip_bad_rows: bool,
    /// How many rows inference reads.
    pub infer_rows: usize,
    /// Called with the number of bytes read (before decompression) as reading goes on.
    pub progress: Option<Progress>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            schema: None,
            skip_bad_rows: false,
            infer_rows: 1000,
            progress: None,
        }
    }
}

/// A callback that is told how many more bytes were read.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(u64) + Send + Sync>);

impl Progress {
    /// A progress callback.
    pub fn new(f: impl Fn(u64) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub(crate) fn add(&self, bytes: u64) {
        if bytes > 0 {
            (self.0)(bytes);
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress")
    }
}

/// A table read into memory: register it with [`crate::Engine::register_columns`].
#[derive(Clone, Debug)]
pub struct LoadedTable {
    /// The columns with their KQL types.
    pub columns: Vec<KqlColumn>,
    /// The rows, in canonical Arrow types; at least one (possibly empty) batch.
    pub batches: Vec<RecordBatch>,
    /// What the load did.
    pub report: LoadReport,
}
