//! Parse time of the documented sample queries and the diagnosis queries in `testdata/queries/`.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

fn queries() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/queries");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "kql"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn parse_queries(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, text) in queries() {
        group.bench_function(&name, |b| {
            b.iter(|| kql_parser::parse(black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, parse_queries);
criterion_main!(benches);
