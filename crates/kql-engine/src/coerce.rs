//! Data loaded with other Arrow types (Timestamp(µs), Utf8View, Int16, Float32, …) is coerced to
//! the canonical Arrow type of its KQL type, and a null string becomes `""`: KQL strings have no
//! null, so every later stage can rely on that.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use kql_functions::KqlType;
use kql_planner::KqlColumn;

use crate::EngineError;

/// The KQL columns of an Arrow schema; an Arrow type with no KQL type is an error.
pub(crate) fn kql_columns(schema: &Schema) -> Result<Vec<KqlColumn>, EngineError> {
    schema
        .fields()
        .iter()
        .map(|f| {
            KqlType::from_field(f)
                .map(|ty| KqlColumn::new(f.name().clone(), ty))
                .ok_or_else(|| {
                    EngineError::Register(format!(
                        "column '{}' has Arrow type {}, which has no KQL type",
                        f.name(),
                        f.data_type()
                    ))
                })
        })
        .collect()
}

/// The Arrow schema with canonical types for `columns`.
pub(crate) fn canonical_schema(columns: &[KqlColumn]) -> SchemaRef {
    let fields: Vec<Field> = columns.iter().map(|c| c.ty.to_field(&c.name)).collect();
    Arc::new(Schema::new(fields))
}

/// `batch` with every column cast to its canonical type and null strings replaced by `""`.
pub(crate) fn coerce_batch(
    batch: &RecordBatch,
    columns: &[KqlColumn],
    schema: &SchemaRef,
) -> Result<RecordBatch, EngineError> {
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for (array, column) in batch.columns().iter().zip(columns) {
        if column.ty == KqlType::Dynamic
            && !matches!(
                array.data_type(),
                datafusion::arrow::datatypes::DataType::Utf8
                    | datafusion::arrow::datatypes::DataType::Utf8View
                    | datafusion::arrow::datatypes::DataType::LargeUtf8
            )
        {
            arrays.push(nested_to_json(array)?);
            continue;
        }
        let want = column.ty.to_arrow();
        let array = if array.data_type() == &want {
            Arc::clone(array)
        } else {
            cast(array, &want).map_err(|e| {
                EngineError::Register(format!(
                    "column '{}': cannot convert to {}: {e}",
                    column.name, column.ty
                ))
            })?
        };
        let array = if column.ty == KqlType::String && array.null_count() > 0 {
            let strings = array.as_string::<i32>();
            Arc::new(
                strings
                    .iter()
                    .map(|v| Some(v.unwrap_or("")))
                    .collect::<StringArray>(),
            ) as ArrayRef
        } else {
            array
        };
        arrays.push(array);
    }
    // The row count is explicit: a table may have no columns.
    let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
    Ok(RecordBatch::try_new_with_options(
        Arc::clone(schema),
        arrays,
        &options,
    )?)
}

/// Nested Arrow values (lists, structs, maps) as JSON text, for `dynamic` columns.
fn nested_to_json(array: &ArrayRef) -> Result<ArrayRef, EngineError> {
    let field = Field::new("v", array.data_type().clone(), true);
    let batch = RecordBatch::try_new(Arc::new(Schema::new(vec![field])), vec![Arc::clone(array)])?;
    let mut buffer = Vec::new();
    {
        let mut writer = datafusion::arrow::json::LineDelimitedWriter::new(&mut buffer);
        writer.write(&batch)?;
        writer.finish()?;
    }
    let text = String::from_utf8_lossy(&buffer);
    let mut values: Vec<Option<String>> = Vec::with_capacity(array.len());
    for (i, line) in text.lines().enumerate() {
        if array.is_null(i) {
            values.push(None);
            continue;
        }
        let parsed: serde_json::Value =
            serde_json::from_str(line).map_err(|e| EngineError::Execution(e.to_string()))?;
        values.push(parsed.get("v").map(|v| v.to_string()));
    }
    values.resize(array.len(), None);
    Ok(Arc::new(StringArray::from(values)))
}
