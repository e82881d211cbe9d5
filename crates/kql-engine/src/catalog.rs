//! The engine's tables as the planner sees them.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use datafusion::catalog::TableProvider;
use datafusion::datasource::provider_as_source;
use kql_planner::{Catalog, KqlColumn, ShreddedMember, TableEntry};

/// A registered table: its provider and KQL columns.
#[derive(Clone)]
pub(crate) struct Registered {
    pub(crate) provider: Arc<dyn TableProvider>,
    pub(crate) columns: Vec<KqlColumn>,
    /// Members of its `dynamic` columns held as child columns of the provider.
    pub(crate) members: Vec<ShreddedMember>,
}

/// Tables by KQL name (case-sensitive).
#[derive(Clone, Default)]
pub(crate) struct Tables {
    pub(crate) by_name: Arc<RwLock<HashMap<String, Registered>>>,
}

impl Catalog for Tables {
    fn table(&self, name: &str) -> Option<TableEntry> {
        let tables = self.by_name.read().ok()?;
        tables.get(name).map(|t| TableEntry {
            source: provider_as_source(Arc::clone(&t.provider)),
            columns: t.columns.clone(),
            members: t.members.clone(),
        })
    }

    fn table_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .by_name
            .read()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}
