//! Small helpers over `rand`, so generators read as choices rather than index arithmetic.

use std::fmt::Write as _;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Independent streams per purpose: tables must not shift each other's random choices, or adding
/// a column to one table would change every other table's output.
pub(crate) fn stream(seed: u64, purpose: &str) -> StdRng {
    let mut h = seed ^ 0x9E37_79B9_7F4A_7C15;
    for b in purpose.bytes() {
        h = splitmix64(h ^ u64::from(b));
    }
    StdRng::seed_from_u64(splitmix64(h))
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A uniformly chosen element. The vocabularies are non-empty constants.
pub(crate) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// An element chosen with the given relative weights.
pub(crate) fn pick_weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if ticket < *weight {
            return item;
        }
        ticket -= weight;
    }
    &items[items.len() - 1].0
}

/// `n` lower-case hex digits.
pub(crate) fn hex(rng: &mut StdRng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    push_hex(rng, &mut s, n);
    s
}

fn push_hex(rng: &mut StdRng, s: &mut String, n: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for _ in 0..n {
        s.push(char::from(DIGITS[rng.random_range(0..16)]));
    }
}

/// A random (version 4 shaped) GUID in the lower-case form Azure logs use.
pub(crate) fn guid(rng: &mut StdRng) -> String {
    let mut s = String::with_capacity(36);
    push_hex(rng, &mut s, 8);
    s.push('-');
    push_hex(rng, &mut s, 4);
    s.push_str("-4");
    push_hex(rng, &mut s, 3);
    s.push('-');
    let variant = ['8', '9', 'a', 'b'];
    s.push(*pick(rng, &variant));
    push_hex(rng, &mut s, 3);
    s.push('-');
    push_hex(rng, &mut s, 12);
    s
}

/// A value drawn log-uniformly from `[lo, hi]`: durations and delays in real systems spread over
/// orders of magnitude, mostly short with a long tail.
pub(crate) fn log_uniform(rng: &mut StdRng, lo: f64, hi: f64) -> f64 {
    let (a, b) = (lo.max(1e-9).ln(), hi.max(lo).max(1e-9).ln());
    (a + (b - a) * rng.random::<f64>()).exp()
}

/// Formats a number into a reused buffer and hands it back as `&str`.
pub(crate) fn fmt_into<'a>(buf: &'a mut String, args: std::fmt::Arguments<'_>) -> &'a str {
    buf.clear();
    let _ = buf.write_fmt(args);
    buf.as_str()
}
