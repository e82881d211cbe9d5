//! Query results: one table per tabular statement, Arrow batches plus KQL column types.

use datafusion::arrow::record_batch::RecordBatch;
use kql_planner::KqlColumn;

/// The results of one query text.
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// One table per tabular statement, in order.
    pub tables: Vec<ResultTable>,
}

/// One result table.
#[derive(Debug, Clone)]
pub struct ResultTable {
    /// `PrimaryResult`, `Table_1`, … or the name given with `as`.
    pub name: String,
    /// The columns with their KQL types, in order.
    pub columns: Vec<KqlColumn>,
    /// The rows.
    pub batches: Vec<RecordBatch>,
}

impl ResultTable {
    /// The column names in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// How many rows.
    pub fn row_count(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}
