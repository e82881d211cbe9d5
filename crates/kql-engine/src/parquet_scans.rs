//! What the engine's physical optimizer rules for Parquet share: finding each Parquet scan in a
//! plan and putting a changed scan in its place.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::datasource::physical_plan::{FileScanConfig, ParquetSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::error::Result;
use datafusion::physical_plan::ExecutionPlan;

/// `plan` with every Parquet scan replaced by what `rewrite` makes of its configuration; a scan
/// for which `rewrite` gives `None` stays as it is.
pub(crate) fn rewrite_parquet_scans(
    plan: Arc<dyn ExecutionPlan>,
    rewrite: impl Fn(&FileScanConfig, &ParquetSource) -> Option<FileScanConfig>,
) -> Result<Arc<dyn ExecutionPlan>> {
    plan.transform_up(|node| {
        let Some(exec) = node.downcast_ref::<DataSourceExec>() else {
            return Ok(Transformed::no(node));
        };
        let Some(scan) = exec
            .downcast_to_file_source::<ParquetSource>()
            .and_then(|(config, source)| rewrite(config, source))
        else {
            return Ok(Transformed::no(node));
        };
        Ok(Transformed::yes(Arc::new(
            exec.clone().with_data_source(Arc::new(scan)),
        )))
    })
    .map(|t| t.data)
}
