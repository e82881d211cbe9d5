//! Parse, plan and execute time of the documented sample queries and the diagnosis queries
//! (`testdata/queries/`) over generated Azure ML log tables held in memory.
//!
//! `KQL_BENCH_ROWS` sets the size (rows of `traces` and `AmlComputeJobEvent`; the cluster and
//! node tables get a tenth). The default, 2000 rows with seed 42 and now = 2026-01-01, is the
//! committed sample (`testdata/sample/`), so `cargo bench` stays quick.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kql_engine::{Engine, EngineOptions};

const NOW_NANOS: i64 = 1_767_225_600_000_000_000;

fn queries() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/queries");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "kql"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn engine(rows: usize) -> Engine {
    let engine = Engine::with_options(EngineOptions {
        now_nanos: Some(NOW_NANOS),
        ..EngineOptions::default()
    });
    let now = Utc.timestamp_nanos(NOW_NANOS);
    let config = kql_datagen::GenConfig::new(rows, 42, now);
    for table in kql_datagen::Table::ALL {
        let batches = kql_datagen::generate_all(&config, table).unwrap();
        engine.register_batches(table.name(), batches).unwrap();
    }
    engine
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("KQL_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let engine = engine(rows);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let queries = queries();
    let mut group = c.benchmark_group(format!("plan/{rows}"));
    for (name, text) in &queries {
        group.bench_function(name, |b| b.iter(|| engine.plan(black_box(text)).unwrap()));
    }
    group.finish();
    let mut group = c.benchmark_group(format!("execute/{rows}"));
    group.sample_size(20);
    for (name, text) in &queries {
        group.bench_function(name, |b| {
            b.iter(|| runtime.block_on(engine.query(black_box(text))).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
