//! What the planner needs to know about tables: their KQL schema and a DataFusion source.

use std::sync::Arc;

use datafusion::logical_expr::TableSource;

use crate::KqlColumn;

/// A table the planner can scan.
#[derive(Clone)]
pub struct TableEntry {
    /// The DataFusion source to scan.
    pub source: Arc<dyn TableSource>,
    /// The columns in order with their KQL types. Their Arrow types in `source` may differ from
    /// the canonical ones (Utf8View for string, say); the scan casts them.
    pub columns: Vec<KqlColumn>,
}

impl std::fmt::Debug for TableEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableEntry")
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

/// Looks tables up by their KQL name (case-sensitive).
pub trait Catalog {
    /// The table of that name.
    fn table(&self, name: &str) -> Option<TableEntry>;
    /// Every table name, for "did you mean" and `union T*`.
    fn table_names(&self) -> Vec<String>;
}
