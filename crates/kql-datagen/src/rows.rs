//! Row-at-a-time filling of Arrow builders in schema order.
//!
//! Generators push one value per column in the order the schema lists them; the writer checks
//! each value's type against the schema as it goes, so a generator that falls out of step with
//! its schema fails with the column's name instead of silently shifting values.

use arrow::array::{
    ArrayRef, Float64Builder, Int32Builder, RecordBatch, StringBuilder, TimestampNanosecondBuilder,
};
use arrow::datatypes::{DataType, SchemaRef, TimeUnit};

use crate::GenError;

enum Col {
    Str(StringBuilder),
    Int(Int32Builder),
    Real(Float64Builder),
    Time(TimestampNanosecondBuilder),
}

pub(crate) struct RowWriter {
    schema: SchemaRef,
    cols: Vec<Col>,
    cursor: usize,
    rows: usize,
    error: Option<String>,
}

impl RowWriter {
    pub(crate) fn new(schema: SchemaRef, capacity: usize) -> Result<Self, GenError> {
        let cols = schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Utf8 => Ok(Col::Str(StringBuilder::with_capacity(
                    capacity,
                    capacity * 16,
                ))),
                DataType::Int32 => Ok(Col::Int(Int32Builder::with_capacity(capacity))),
                DataType::Float64 => Ok(Col::Real(Float64Builder::with_capacity(capacity))),
                DataType::Timestamp(TimeUnit::Nanosecond, tz) => Ok(Col::Time(
                    TimestampNanosecondBuilder::with_capacity(capacity)
                        .with_timezone_opt(tz.clone()),
                )),
                other => Err(GenError::Internal(format!(
                    "no builder for column '{}' of type {other}",
                    f.name()
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            schema,
            cols,
            cursor: 0,
            rows: 0,
            error: None,
        })
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    fn next_col(&mut self, want: &str) -> Option<&mut Col> {
        let i = self.cursor;
        self.cursor += 1;
        match self.cols.get_mut(i) {
            Some(col) => Some(col),
            None => {
                self.error
                    .get_or_insert_with(|| format!("a {want} value past the last column"));
                None
            }
        }
    }

    fn mismatch(&mut self, want: &str) {
        let i = self.cursor - 1;
        let name = self.schema.field(i).name().clone();
        self.error
            .get_or_insert_with(|| format!("a {want} value for column '{name}'"));
    }

    pub(crate) fn str(&mut self, v: &str) {
        match self.next_col("string") {
            Some(Col::Str(b)) => b.append_value(v),
            Some(_) => self.mismatch("string"),
            None => {}
        }
    }

    /// A null in a string column (only `customMeasurements` has them).
    pub(crate) fn null_str(&mut self) {
        match self.next_col("null string") {
            Some(Col::Str(b)) => b.append_null(),
            Some(_) => self.mismatch("null string"),
            None => {}
        }
    }

    pub(crate) fn int(&mut self, v: i32) {
        match self.next_col("int") {
            Some(Col::Int(b)) => b.append_value(v),
            Some(_) => self.mismatch("int"),
            None => {}
        }
    }

    pub(crate) fn real(&mut self, v: f64) {
        match self.next_col("real") {
            Some(Col::Real(b)) => b.append_value(v),
            Some(_) => self.mismatch("real"),
            None => {}
        }
    }

    pub(crate) fn time(&mut self, ns: i64) {
        match self.next_col("datetime") {
            Some(Col::Time(b)) => b.append_value(ns),
            Some(_) => self.mismatch("datetime"),
            None => {}
        }
    }

    pub(crate) fn end_row(&mut self) -> Result<(), GenError> {
        if self.error.is_none() && self.cursor != self.cols.len() {
            self.error = Some(format!(
                "a row of {} values for {} columns",
                self.cursor,
                self.cols.len()
            ));
        }
        if let Some(e) = self.error.take() {
            return Err(GenError::Internal(format!("generator produced {e}")));
        }
        self.cursor = 0;
        self.rows += 1;
        Ok(())
    }

    /// The rows so far as a batch; the writer is left empty for the next one.
    pub(crate) fn finish(&mut self) -> Result<RecordBatch, GenError> {
        let arrays: Vec<ArrayRef> = self
            .cols
            .iter_mut()
            .map(|c| -> ArrayRef {
                match c {
                    Col::Str(b) => std::sync::Arc::new(b.finish()),
                    Col::Int(b) => std::sync::Arc::new(b.finish()),
                    Col::Real(b) => std::sync::Arc::new(b.finish()),
                    Col::Time(b) => std::sync::Arc::new(b.finish()),
                }
            })
            .collect();
        self.rows = 0;
        Ok(RecordBatch::try_new(self.schema.clone(), arrays)?)
    }
}

/// The writer in `slot`, created on first use.
pub(crate) fn writer(
    slot: &mut Option<RowWriter>,
    schema: impl FnOnce() -> SchemaRef,
    capacity: usize,
) -> Result<&mut RowWriter, GenError> {
    if slot.is_none() {
        *slot = Some(RowWriter::new(schema(), capacity)?);
    }
    slot.as_mut()
        .ok_or_else(|| GenError::Internal("row writer missing".into()))
}
