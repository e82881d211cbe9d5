//! Snapshots of the logical plans of representative queries: how each KQL construct lowers.
//! Review a changed snapshot as you would a code change (`cargo insta review`).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use datafusion::arrow::datatypes::Schema;
use datafusion::datasource::{MemTable, provider_as_source};
use kql_functions::{KqlType, Registry};
use kql_planner::{Catalog, KqlColumn, PlannedQuery, Planner, TableEntry};

/// Two tables with a few columns each, enough for the queries below.
struct TestCatalog;

fn table(columns: &[(&str, KqlType)]) -> TableEntry {
    let columns: Vec<KqlColumn> = columns
        .iter()
        .map(|(n, t)| KqlColumn::new(*n, *t))
        .collect();
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| c.ty.to_field(&c.name))
            .collect::<Vec<_>>(),
    ));
    let provider = MemTable::try_new(schema, vec![vec![]]).unwrap();
    TableEntry {
        source: provider_as_source(Arc::new(provider)),
        columns,
        members: Vec::new(),
    }
}

impl Catalog for TestCatalog {
    fn table(&self, name: &str) -> Option<TableEntry> {
        match name {
            "AmlComputeJobEvent" => Some(table(&[
                ("TimeGenerated", KqlType::Datetime),
                ("JobId", KqlType::String),
                ("ClusterName", KqlType::String),
                ("EventType", KqlType::String),
                ("_ResourceId", KqlType::String),
            ])),
            "traces" => Some(table(&[
                ("timestamp", KqlType::Datetime),
                ("message", KqlType::String),
                ("severityLevel", KqlType::Int),
                ("customDimensions", KqlType::Dynamic),
            ])),
            _ => None,
        }
    }

    fn table_names(&self) -> Vec<String> {
        vec!["AmlComputeJobEvent".into(), "traces".into()]
    }
}

/// The planned statements of `query` over [`TestCatalog`].
fn plan_statements(query: &str) -> Vec<PlannedQuery> {
    let script = kql_parser::parse(query).unwrap();
    let registry = Registry::new();
    // 2026-01-01T00:00:00Z, so ago() literals are stable.
    let mut planner = Planner::new(&TestCatalog, &registry, 1_767_225_600_000_000_000);
    planner
        .plan_script(&script)
        .unwrap_or_else(|d| panic!("{}", d.render(query)))
}

fn plan(query: &str) -> String {
    plan_statements(query)
        .iter()
        .map(|p| {
            let columns: Vec<String> = p
                .columns
                .iter()
                .map(|c| format!("{}:{}", c.name, c.ty))
                .collect();
            format!(
                "{} ({})\n{}",
                p.name,
                columns.join(", "),
                p.plan.display_indent()
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn filter_and_project() {
    insta::assert_snapshot!(plan(
        r#"AmlComputeJobEvent | where TimeGenerated > ago(5d) and EventType == "JobFailed" | project TimeGenerated, ClusterName"#
    ));
}

#[test]
fn dynamic_member_compared_with_a_string() {
    insta::assert_snapshot!(plan(
        "traces | where timestamp > ago(7d) and customDimensions.Level == 'ERROR' | summarize count()"
    ));
}

#[test]
fn summarize_by_bin_and_split() {
    insta::assert_snapshot!(plan(
        r#"AmlComputeJobEvent | summarize n = count() by Workspace = tostring(split(_ResourceId, "/")[8]), bin(TimeGenerated, 1d)"#
    ));
}

/// `tostring(split(s, d)[i])` is never null (a missing part is `""`), and its column says so,
/// as the `coalesce(…, "")` it once lowered to did; the dynamic `split(s, d)[i]` can be null.
#[test]
fn tostring_of_a_split_part_is_not_nullable() {
    let query = r#"AmlComputeJobEvent | project w = tostring(split(_ResourceId, "/")[8]), d = split(_ResourceId, "/")[8]"#;
    let planned = plan_statements(query);
    let schema = planned[0].plan.schema();
    let nullable = |name: &str| {
        schema
            .field_with_unqualified_name(name)
            .unwrap()
            .is_nullable()
    };
    assert!(!nullable("w"));
    assert!(nullable("d"));
}

#[test]
fn innerunique_join_on_left_and_right_columns() {
    insta::assert_snapshot!(plan(
        "AmlComputeJobEvent | join (traces | extend RunId = tostring(customDimensions.parent_run_id)) on $left.JobId == $right.RunId"
    ));
}

#[test]
fn null_rules_of_equality() {
    insta::assert_snapshot!(plan(
        "traces | extend a = severityLevel == 3, b = severityLevel != int(null)"
    ));
}

#[test]
fn sort_defaults_and_top() {
    insta::assert_snapshot!(plan(
        "traces | sort by severityLevel, timestamp asc | top 5 by message"
    ));
}

#[test]
fn let_union_withsource_and_batch() {
    insta::assert_snapshot!(plan(
        "let since = ago(1h); union withsource=Table (AmlComputeJobEvent | where TimeGenerated > since), (traces | where timestamp > since); traces | count"
    ));
}
