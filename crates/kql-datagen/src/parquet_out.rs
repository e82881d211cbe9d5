//! Parquet output tuned for time-filtered log queries: rows arrive sorted by time, so each row
//! group's min/max statistics on the time column let a reader skip most of a file for `ago(1d)`.

use std::fs::File;
use std::path::Path;

use arrow::datatypes::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use crate::GenError;

/// Rows per row group: big enough for good compression, small enough that a day of a 10M-row
/// table spans several groups that statistics can prune.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Creates (truncates) `path` for batches of `schema`, declaring them sorted by `time_column`.
pub fn create(
    path: &Path,
    schema: &SchemaRef,
    time_column: &str,
) -> Result<ArrowWriter<File>, GenError> {
    let sorted_by = schema.index_of(time_column)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_sorting_columns(Some(vec![SortingColumn {
            column_idx: i32::try_from(sorted_by)
                .map_err(|_| GenError::Internal("too many columns".into()))?,
            descending: false,
            nulls_first: false,
        }]))
        .set_created_by(format!("kql-datagen {}", env!("CARGO_PKG_VERSION")))
        .build();
    let file = File::create(path).map_err(|e| GenError::io(path, e))?;
    Ok(ArrowWriter::try_new(file, schema.clone(), Some(props))?)
}
