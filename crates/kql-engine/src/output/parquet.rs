//! A result as a Parquet file, with the canonical Arrow type of each column's KQL type; `dynamic`
//! columns keep the `arrow.json` marker in the stored Arrow schema, so the file loads back with
//! the same KQL types.

use std::io::Write;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;

use super::ColumnValues;
use crate::coerce::canonical_schema;
use crate::{EngineError, ResultTable};

/// Writes `table` as Parquet (Snappy-compressed).
pub fn write_parquet(table: &ResultTable, w: impl Write + Send) -> Result<(), EngineError> {
    let schema = canonical_schema(&table.columns);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let error = |e: datafusion::parquet::errors::ParquetError| {
        EngineError::Execution(format!("writing Parquet: {e}"))
    };
    let mut writer = ArrowWriter::try_new(w, Arc::clone(&schema), Some(props)).map_err(error)?;
    for batch in &table.batches {
        let columns = ColumnValues::of_batch(batch, &table.columns)?;
        let arrays = columns.into_iter().map(|c| c.array).collect();
        let batch = RecordBatch::try_new(Arc::clone(&schema), arrays)?;
        writer.write(&batch).map_err(error)?;
    }
    writer.close().map_err(error)?;
    Ok(())
}
