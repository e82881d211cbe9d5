//! Loading data files into tables. Every bad row is either an error naming the file and line, or
//! (with `skip_bad_rows`) skipped and counted in the [`LoadReport`]: rows are never dropped
//! silently.

mod jsonl;

pub use jsonl::read_json_lines;

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
    /// The first few skipped rows: line number and reason.
    pub first_errors: Vec<(usize, String)>,
}
