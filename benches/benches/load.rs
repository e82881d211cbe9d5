//! JSON-lines load through the library (`Engine::register_json_lines`): generated `traces` and
//! `AmlComputeJobEvent` rows with their documented schema declared, as an embedding program
//! loads exported logs. The time includes parsing on every core and shredding `dynamic`
//! columns.
//!
//! `KQL_BENCH_ROWS` sets the rows per table (default 2000, so `cargo bench` stays quick); the
//! files are generated once into a temporary folder, or read from `KQL_BENCH_DATA` (a folder of
//! `<Table>.jsonl`, such as `benches/data/1000000` after `benches/compare.py`).
#![allow(missing_docs, clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kql_engine::Engine;
use kql_engine::load::{JsonLinesOptions, azure_schema};

const NOW_NANOS: i64 = 1_767_225_600_000_000_000;

const TABLES: [kql_datagen::Table; 2] = [
    kql_datagen::Table::Traces,
    kql_datagen::Table::AmlComputeJobEvent,
];

/// The folder holding `<Table>.jsonl`, and the temporary folder to remove afterwards.
fn data(rows: usize) -> (PathBuf, Option<PathBuf>) {
    if let Some(dir) = std::env::var_os("KQL_BENCH_DATA") {
        return (PathBuf::from(dir), None);
    }
    let dir = std::env::temp_dir().join(format!("kql-bench-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = kql_datagen::GenConfig::new(rows, 42, Utc.timestamp_nanos(NOW_NANOS));
    let formats = kql_datagen::Formats {
        jsonl: true,
        parquet: false,
    };
    for table in TABLES {
        kql_datagen::write_table(&config, table, &dir, formats).unwrap();
    }
    (dir.clone(), Some(dir))
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("KQL_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let (dir, temporary) = data(rows);
    let mut group = c.benchmark_group("load/json_lines");
    if rows >= 100_000 || temporary.is_none() {
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(30));
    }
    for table in TABLES {
        let name = table.name();
        let path = dir.join(format!("{name}.jsonl"));
        group.throughput(Throughput::Bytes(std::fs::metadata(&path).unwrap().len()));
        let options = JsonLinesOptions {
            schema: azure_schema(name),
            ..JsonLinesOptions::default()
        };
        // The data must fit the schema, or this would time loading a table of nulls.
        let report = Engine::new()
            .register_json_lines(name, &path, &options)
            .unwrap();
        assert_eq!(report.skipped, 0, "{name}: {:?}", report.first_errors);
        assert!(
            report.ignored_fields.is_empty(),
            "{name}: {:?}",
            report.ignored_fields
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                let engine = Engine::new();
                engine.register_json_lines(name, &path, &options).unwrap()
            })
        });
    }
    group.finish();
    if let Some(dir) = temporary {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
