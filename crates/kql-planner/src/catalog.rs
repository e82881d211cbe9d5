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
    /// Members of `dynamic` columns that `source` also holds as child columns of their own
    /// (see [`ShreddedMember`]); empty for most tables.
    pub members: Vec<ShreddedMember>,
}

/// A top-level member of a `dynamic` column, extracted at load time into a column of its own so
/// that `d.key == "x"` and `tostring(d.key)` scan a string column instead of parsing JSON.
///
/// The child column `field` of the table's source holds, row by row, exactly what
/// `json_as_text(column, key)` gives: a string member without its quotes, any other member as
/// its JSON text, null where the member is missing or JSON `null`. Its type is Utf8, or a
/// dictionary of Utf8 for members with few distinct values (read as Utf8). It is not one of the
/// table's KQL columns: the planner reads it only in place of that accessor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShreddedMember {
    /// The `dynamic` column.
    pub column: String,
    /// The member's key (case-sensitive).
    pub key: String,
    /// The child column's field name in the table's source.
    pub field: String,
}

impl ShreddedMember {
    /// The member `key` of `column`, with the field name the engine gives such child columns.
    pub fn new(column: impl Into<String>, key: impl Into<String>) -> Self {
        let (column, key) = (column.into(), key.into());
        let field = format!("__kql_member:{column}:{key}");
        Self { column, key, field }
    }
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
