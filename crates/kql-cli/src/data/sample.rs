//! The bundled sample (`testdata/sample/`, embedded in the binary so that `kql` works from any
//! directory and from `cargo install`): four tables of Azure ML logs generated for
//! 2026-01-01T00:00:00Z. Every datetime column of every table is moved by the same amount, so
//! that the newest event is five minutes before now and queries with `ago()` find rows.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::max;
use datafusion::arrow::datatypes::TimestampNanosecondType;
use datafusion::arrow::record_batch::RecordBatch;
use kql_engine::load::{JsonSource, LoadOptions, LoadedTable, azure_schema, read_json};
use kql_engine::{Engine, KqlType};

use super::LoadSettings;
use crate::error::Failure;

/// The sample tables: name and JSON lines.
const SAMPLE: [(&str, &str); 4] = [
    (
        "AmlComputeJobEvent",
        include_str!("../../../../testdata/sample/AmlComputeJobEvent.jsonl"),
    ),
    (
        "AmlComputeClusterEvent",
        include_str!("../../../../testdata/sample/AmlComputeClusterEvent.jsonl"),
    ),
    (
        "AmlComputeClusterNodeEvent",
        include_str!("../../../../testdata/sample/AmlComputeClusterNodeEvent.jsonl"),
    ),
    (
        "traces",
        include_str!("../../../../testdata/sample/traces.jsonl"),
    ),
];

/// How old the newest sample event is after the move.
const NEWEST_AGE_NANOS: i64 = 5 * 60 * 1_000_000_000;

/// Loads the sample, moved to `now` (the fixed `--now`, or the clock).
pub(crate) fn load_sample(engine: &Engine, settings: &LoadSettings) -> Result<(), Failure> {
    let mut tables: Vec<(&str, LoadedTable)> = Vec::with_capacity(SAMPLE.len());
    for (name, text) in SAMPLE {
        let source = JsonSource::Text {
            name: format!("{name}.jsonl (bundled sample)"),
            text: text.into(),
        };
        let options = LoadOptions {
            schema: azure_schema(name),
            ..LoadOptions::default()
        };
        tables.push((name, read_json(&[source], &options).map_err(Failure::data)?));
    }
    let newest = tables
        .iter()
        .filter_map(|(_, t)| newest_event(t))
        .max()
        .unwrap_or(0);
    let now = settings.now_nanos.unwrap_or_else(|| {
        chrono::Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or(newest + NEWEST_AGE_NANOS)
    });
    let delta = now - NEWEST_AGE_NANOS - newest;
    for (name, table) in tables {
        let table = shifted(table, delta)?;
        engine.register_loaded(name, table).map_err(Failure::data)?;
    }
    Ok(())
}

/// The newest `TimeGenerated` (or Application Insights `timestamp`) of a table.
fn newest_event(table: &LoadedTable) -> Option<i64> {
    let i = table
        .columns
        .iter()
        .position(|c| c.name == "TimeGenerated" || c.name == "timestamp")?;
    table
        .batches
        .iter()
        .filter_map(|b| max(b.column(i).as_primitive::<TimestampNanosecondType>()))
        .max()
}

/// The table with every datetime value moved by `delta` nanoseconds.
fn shifted(mut table: LoadedTable, delta: i64) -> Result<LoadedTable, Failure> {
    let mut batches = Vec::with_capacity(table.batches.len());
    for batch in &table.batches {
        let arrays: Vec<ArrayRef> = batch
            .columns()
            .iter()
            .zip(&table.columns)
            .map(|(a, c)| {
                if c.ty == KqlType::Datetime {
                    let moved = a
                        .as_primitive::<TimestampNanosecondType>()
                        .unary::<_, TimestampNanosecondType>(|v| v.saturating_add(delta))
                        .with_timezone("UTC");
                    Arc::new(moved) as ArrayRef
                } else {
                    Arc::clone(a)
                }
            })
            .collect();
        batches.push(
            RecordBatch::try_new(batch.schema(), arrays)
                .map_err(|e| Failure::Other(format!("moving the sample's timestamps: {e}")))?,
        );
    }
    table.batches = batches;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_table_is_known() {
        for (name, _) in SAMPLE {
            assert!(azure_schema(name).is_some(), "{name}");
        }
    }
}
