//! A physical optimizer rule: a Parquet scan whose filter looks a row up by an identifier
//! (`where JobName == "automl_a9940991-…_setup"`, `where customDimensions.parent_run_id ==
//! "931024c2-…"`) evaluates its filter while decoding ("late materialization"): the filter's
//! columns are decoded first, and the query's other columns only for the few rows kept.
//!
//! DataFusion's switch for this (`pushdown_filters`) is one setting for every scan, and measured
//! both ways on the log workload (benches/PERFORMANCE.md): a lookup by id runs 2× faster, while
//! a filter that keeps a few percent of the rows scattered through the file
//! (`EventType == "JobFailed"`, `Level == "ERROR"`) runs up to 1.5× slower, as decoding the other
//! columns row by row costs more than decoding them whole. Parquet files carry no count of
//! distinct values to tell the two apart, so the rule goes by the literal: an equality with a
//! string of 16 characters or more (a GUID, a run id, a job name) is taken as an identifier
//! lookup, which keeps few rows; a short one (a level, a state, a type) is not. Scans with a
//! join's dynamic filter are left alone: it holds many keys, and pushed down it is evaluated on
//! every row. The `FilterExec` above the scan stays, and re-checks the few rows that arrive.

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::config::ConfigOptions;
use datafusion::datasource::physical_plan::FileSource as _;
use datafusion::error::Result;
use datafusion::logical_expr::Operator;
use datafusion::physical_expr::expressions::{
    BinaryExpr, DynamicFilterPhysicalExpr, InListExpr, Literal,
};
use datafusion::physical_expr::{PhysicalExpr, ScalarFunctionExpr, split_conjunction};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use kql_functions::member_equals::JSON_TEXT_EQUALS;

use crate::parquet_scans::rewrite_parquet_scans;

/// The shortest string literal an equality is taken to look up an identifier by.
const IDENTIFIER_CHARS: usize = 16;

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct IdentifierLookupPushdown;

impl PhysicalOptimizerRule for IdentifierLookupPushdown {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        if config.execution.parquet.pushdown_filters {
            return Ok(plan);
        }
        rewrite_parquet_scans(plan, |scan, source| {
            let predicate = source.filter()?;
            if !looks_up_identifier(&predicate) || has_dynamic_filter(&predicate) {
                return None;
            }
            let mut scan = scan.clone();
            scan.file_source = Arc::new(source.clone().with_pushdown_filters(true));
            Some(scan)
        })
    }

    fn name(&self) -> &str {
        "kql_identifier_lookup_pushdown"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// Whether one of the predicate's conjuncts compares with an identifier-like literal.
fn looks_up_identifier(predicate: &Arc<dyn PhysicalExpr>) -> bool {
    split_conjunction(predicate).into_iter().any(|c| {
        if let Some(b) = c.downcast_ref::<BinaryExpr>() {
            return *b.op() == Operator::Eq
                && (is_identifier(b.left()) || is_identifier(b.right()));
        }
        if let Some(list) = c.downcast_ref::<InListExpr>() {
            return !list.negated() && list.list().iter().all(is_identifier);
        }
        if let Some(f) = c.downcast_ref::<ScalarFunctionExpr>() {
            return f.name() == JSON_TEXT_EQUALS && f.args().get(1).is_some_and(is_identifier);
        }
        false
    })
}

/// Whether `e` is a string literal of [`IDENTIFIER_CHARS`] or more.
fn is_identifier(e: &Arc<dyn PhysicalExpr>) -> bool {
    e.downcast_ref::<Literal>().is_some_and(|l| {
        matches!(
            l.value(),
            ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s))
                if s.chars().count() >= IDENTIFIER_CHARS
        )
    })
}

fn has_dynamic_filter(predicate: &Arc<dyn PhysicalExpr>) -> bool {
    let mut found = false;
    // Visiting never fails.
    let _ = predicate.apply(|e| {
        if e.downcast_ref::<DynamicFilterPhysicalExpr>().is_some() {
            found = true;
            return Ok(TreeNodeRecursion::Stop);
        }
        Ok(TreeNodeRecursion::Continue)
    });
    found
}
