//! A result as a Parquet file, with the canonical Arrow type of each column's KQL type. The
//! stored Arrow schema keeps `dynamic`'s `arrow.json` marker and names every column's KQL type
//! in field metadata ([`KQL_TYPE_KEY`]: `guid` and `string` are both Utf8), so the file loads
//! back with the same KQL types.

use std::io::Write;
use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;

use super::ColumnValues;
use crate::{EngineError, ResultTable};

/// Arrow field metadata naming a column's KQL type, in files this engine writes.
pub const KQL_TYPE_KEY: &str = "kql.type";

/// Writes `table` as Parquet (Snappy-compressed).
pub fn write_parquet(table: &ResultTable, w: impl Write + Send) -> Result<(), EngineError> {
    let fields: Vec<Field> = table
        .columns
        .iter()
        .map(|c| {
            let field = c.ty.to_field(&c.name);
            let mut metadata = field.metadata().clone();
            metadata.insert(KQL_TYPE_KEY.to_string(), c.ty.name().to_string());
            field.with_metadata(metadata)
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
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
