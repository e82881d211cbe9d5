//! A physical optimizer rule that deals a Parquet file's row groups to the scan's partitions in
//! turn, instead of in the contiguous byte ranges DataFusion cuts.
//!
//! Log files are written in time order, and most log queries keep only the newest rows
//! (`where TimeGenerated > ago(1d)`). Row-group statistics then prune a prefix of the file, so
//! with contiguous ranges the partitions holding the start of the file have nothing left to read
//! while the last one reads everything: on a 2-core machine, one core does the scan. Dealt in
//! turn (partition `p` reads row groups `p`, `p + n`, `p + 2n`, …), the groups a time filter
//! keeps are spread evenly over the partitions. Each partition still reads its row groups in
//! file order, so a file's declared sort order (the time column) still holds per partition.
//!
//! The rewrite applies to a scan of one local Parquet file split into byte ranges; other scans
//! are left as DataFusion planned them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::config::ConfigOptions;
use datafusion::datasource::physical_plan::parquet::{ParquetAccessPlan, RowGroupAccess};
use datafusion::datasource::physical_plan::{FileGroup, FileScanConfig};
use datafusion::error::Result;
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;

use crate::parquet_scans::rewrite_parquet_scans;

/// Deals row groups of single-file Parquet scans to partitions in turn (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct InterleaveRowGroups {
    /// Row-group counts of the files seen, by path, size and modification time: a footer is read
    /// once per file version, not at every query.
    row_groups: Mutex<HashMap<FileVersion, usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FileVersion {
    path: String,
    size: u64,
    modified_nanos: i64,
}

impl PhysicalOptimizerRule for InterleaveRowGroups {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        rewrite_parquet_scans(plan, |config, _| self.interleaved(config))
    }

    fn name(&self) -> &str {
        "kql_interleave_row_groups"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

impl InterleaveRowGroups {
    /// The scan with its row groups dealt in turn, or `None` when it is not a single local file
    /// cut into byte ranges (or its footer cannot be read: then DataFusion's plan stands, and
    /// reading the file reports the problem).
    fn interleaved(&self, config: &FileScanConfig) -> Option<FileScanConfig> {
        let partitions = config.file_groups.len();
        if partitions < 2
            || config.output_partitioning.is_some()
            || config.object_store_url != ObjectStoreUrl::local_filesystem()
        {
            return None;
        }
        let first = config.file_groups.first()?.files().first()?;
        let single_file_in_ranges = config.file_groups.iter().all(|group| {
            group.files().iter().all(|f| {
                f.range.is_some()
                    && f.object_meta.location == first.object_meta.location
                    && f.extensions.is_empty()
            })
        });
        if !single_file_in_ranges || !ranges_are_disjoint(config) {
            return None;
        }
        let row_groups = self.row_group_count(first)?;
        let file_groups = (0..partitions)
            .map(|p| {
                let plan = ParquetAccessPlan::new(
                    (0..row_groups)
                        .map(|rg| {
                            if rg % partitions == p {
                                RowGroupAccess::Scan
                            } else {
                                RowGroupAccess::Skip
                            }
                        })
                        .collect(),
                );
                let mut file = first.clone();
                file.range = None;
                file.extensions.insert(plan);
                FileGroup::new(vec![file])
            })
            .collect();
        let mut config = config.clone();
        config.file_groups = file_groups;
        Some(config)
    }

    fn row_group_count(
        &self,
        file: &datafusion::datasource::listing::PartitionedFile,
    ) -> Option<usize> {
        let meta = &file.object_meta;
        let version = FileVersion {
            path: format!("/{}", meta.location),
            size: meta.size,
            modified_nanos: meta.last_modified.timestamp_nanos_opt().unwrap_or(0),
        };
        let mut known = self.row_groups.lock().ok()?;
        if let Some(count) = known.get(&version) {
            return Some(*count);
        }
        let handle = std::fs::File::open(&version.path).ok()?;
        if handle.metadata().ok()?.len() != version.size {
            return None;
        }
        let footer = datafusion::parquet::file::metadata::ParquetMetaDataReader::new()
            .parse_and_finish(&handle)
            .ok()?;
        let count = footer.num_row_groups();
        known.insert(version, count);
        Some(count)
    }
}

/// Whether the scan's byte ranges do not overlap: a file listed twice (a table of a file and of
/// its own folder) is read twice, and dealing its row groups once would lose the second copy.
fn ranges_are_disjoint(config: &FileScanConfig) -> bool {
    let mut ranges: Vec<(i64, i64)> = config
        .file_groups
        .iter()
        .flat_map(|g| g.files().iter())
        .filter_map(|f| f.range.as_ref().map(|r| (r.start, r.end)))
        .collect();
    ranges.sort_unstable();
    ranges.windows(2).all(|w| w[0].1 <= w[1].0)
}
