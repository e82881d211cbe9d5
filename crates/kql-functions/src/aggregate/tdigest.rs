//! t-digest sketches: `tdigest(x [, weight])` builds one per group, `tdigest_merge` (also
//! `merge_tdigest`) merges them, and `percentile_tdigest`, `percentiles_array_tdigest`,
//! `rank_tdigest` and `percentrank_tdigest` read them.
//!
//! The digest is DataFusion's (the one behind `approx_percentile_cont`, 100 centroids). Its
//! `dynamic` form is `["tdigest", max_size, sum, count, max, min, [mean, weight, …]]`; a form
//! that does not hold a valid digest is an error, never a wrong answer. A rank is read off the
//! piecewise-linear cumulative count through (min, 0), each centroid's mean at the count below
//! it plus half its weight, and (max, count).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion_functions_aggregate_common::tdigest::{Centroid, DEFAULT_MAX_SIZE, TDigest};
use serde_json::json;

/// The largest digest size read back from a `dynamic` value.
const MAX_SIZE_ACCEPTED: usize = 10_000;

/// The `dynamic` form of a digest; `None` for an empty one.
pub(crate) fn to_json(d: &TDigest) -> Option<String> {
    if d.count() == 0.0 {
        return None;
    }
    let centroids: Vec<f64> = d
        .centroids()
        .iter()
        .flat_map(|c| [c.mean(), c.weight()])
        .collect();
    Some(
        json!([
            "tdigest",
            d.max_size(),
            d.sum(),
            d.count(),
            d.max(),
            d.min(),
            centroids
        ])
        .to_string(),
    )
}

/// A digest from its `dynamic` form.
pub(crate) fn from_json(text: &str) -> Result<TDigest> {
    let bad = || exec_err!("not a tdigest() sketch: {text}");
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return bad();
    };
    let Some([tag, max_size, sum, count, max, min, centroids]) =
        value.as_array().map(Vec::as_slice)
    else {
        return bad();
    };
    let number = |v: &serde_json::Value| v.as_f64();
    let (Some("tdigest"), Some(max_size), Some(sum), Some(count), Some(max), Some(min)) = (
        tag.as_str(),
        max_size.as_u64(),
        number(sum),
        number(count),
        number(max),
        number(min),
    ) else {
        return bad();
    };
    let Some(values) = centroids.as_array() else {
        return bad();
    };
    let values: Option<Vec<f64>> = values.iter().map(serde_json::Value::as_f64).collect();
    let Some(values) = values.filter(|v| v.len() % 2 == 0) else {
        return bad();
    };
    let centroids = values
        .chunks(2)
        .map(|c| Centroid::new(c[0], c[1]))
        .collect();
    // Merging allocates by the first digest's size: a size no tdigest() writes is refused.
    let max_size = match usize::try_from(max_size) {
        Ok(n) if (1..=MAX_SIZE_ACCEPTED).contains(&n) => n,
        _ => return bad(),
    };
    TDigest::try_from_parts(max_size, sum, count, max, min, centroids)
}

/// How many values are at most `v`, estimated.
pub(crate) fn rank(d: &TDigest, v: f64) -> f64 {
    let count = d.count();
    if count == 0.0 || v < d.min() {
        return 0.0;
    }
    if v >= d.max() {
        return count;
    }
    let mut points = vec![(d.min(), 0.0)];
    let mut below = 0.0;
    for c in d.centroids() {
        points.push((c.mean(), below + c.weight() / 2.0));
        below += c.weight();
    }
    points.push((d.max(), count));
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if v >= x0 && v < x1 {
            return if x1 > x0 {
                y0 + (y1 - y0) * (v - x0) / (x1 - x0)
            } else {
                y1
            };
        }
    }
    count
}

/// What the aggregate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DigestInput {
    /// Values (and optionally weights).
    Values { weighted: bool },
    /// Digests to merge.
    Digests,
}

/// The `tdigest` and `tdigest_merge` aggregates.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct DigestUdaf {
    name: &'static str,
    input: DigestInput,
    signature: Signature,
}

impl DigestUdaf {
    pub(crate) fn new(input: DigestInput) -> Self {
        let (name, args) = match input {
            DigestInput::Values { weighted: false } => ("kql_tdigest", 1),
            DigestInput::Values { weighted: true } => ("kql_tdigest_weighted", 2),
            DigestInput::Digests => ("kql_tdigest_merge", 1),
        };
        Self {
            name,
            input,
            signature: Signature::any(args, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for DigestUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, _acc_args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(DigestAccumulator {
            input: self.input,
            digest: TDigest::new(DEFAULT_MAX_SIZE),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "digest"),
            DataType::Utf8,
            true,
        ))])
    }
}

#[derive(Debug)]
struct DigestAccumulator {
    input: DigestInput,
    digest: TDigest,
}

impl DigestAccumulator {
    fn merge_texts(&mut self, texts: &ArrayRef) -> Result<()> {
        let texts = cast(texts, &DataType::Utf8)?;
        let mut digests = vec![self.digest.clone()];
        for text in texts.as_string::<i32>().iter().flatten() {
            digests.push(from_json(text)?);
        }
        self.digest = TDigest::merge_digests(&digests);
        Ok(())
    }
}

impl Accumulator for DigestAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        match self.input {
            DigestInput::Digests => match values.first() {
                Some(v) => self.merge_texts(v),
                None => exec_err!("tdigest_merge takes one value"),
            },
            DigestInput::Values { weighted } => {
                let Some(v) = values.first() else {
                    return exec_err!("tdigest takes a value");
                };
                let v = cast(v, &DataType::Float64)?;
                let v = v.as_primitive::<Float64Type>();
                let weights = if weighted {
                    let Some(w) = values.get(1) else {
                        return exec_err!("tdigest takes a weight");
                    };
                    Some(cast(w, &DataType::Float64)?)
                } else {
                    None
                };
                let weights = weights.as_ref().map(|w| w.as_primitive::<Float64Type>());
                let mut digests = vec![self.digest.clone()];
                let mut plain = Vec::new();
                for i in 0..v.len() {
                    if v.is_null(i) || v.value(i).is_nan() {
                        continue;
                    }
                    match weights {
                        None => plain.push(v.value(i)),
                        Some(w) if w.is_valid(i) && w.value(i) > 0.0 => {
                            digests.push(TDigest::new_with_centroid(
                                DEFAULT_MAX_SIZE,
                                Centroid::new(v.value(i), w.value(i)),
                            ));
                        }
                        Some(_) => {}
                    }
                }
                if !plain.is_empty() {
                    digests.push(TDigest::new(DEFAULT_MAX_SIZE).merge_unsorted_f64(plain));
                }
                self.digest = TDigest::merge_digests(&digests);
                Ok(())
            }
        }
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        match states.first() {
            Some(s) => self.merge_texts(s),
            None => exec_err!("tdigest state is missing"),
        }
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Utf8(to_json(&self.digest))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Utf8(to_json(&self.digest)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.digest.size() * std::mem::size_of::<Centroid>()
    }
}

/// The digest of each row of a `dynamic` column (null for null).
fn digests(a: &ArrayRef) -> Result<Vec<Option<TDigest>>> {
    let texts = cast(a, &DataType::Utf8)?;
    texts
        .as_string::<i32>()
        .iter()
        .map(|t| t.map(from_json).transpose())
        .collect()
}

/// The scalar `tdigest_merge(d1, d2, …)`.
pub(crate) fn merge_kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let columns = args.iter().map(digests).collect::<Result<Vec<_>>>()?;
    let rows = columns.first().map_or(0, Vec::len);
    let out: StringArray = (0..rows)
        .map(|row| {
            let present: Vec<&TDigest> = columns.iter().filter_map(|c| c[row].as_ref()).collect();
            if present.is_empty() {
                None
            } else {
                to_json(&TDigest::merge_digests(present))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// The scalar `percentile_tdigest(d, percent)`: the estimated value at that percentile.
pub(crate) fn percentile_kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let ds = digests(&args[0])?;
    let p = cast(&args[1], &DataType::Float64)?;
    let p = p.as_primitive::<Float64Type>();
    let out: Float64Array = ds
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let d = d.as_ref()?;
            p.is_valid(i)
                .then(|| d.estimate_quantile((p.value(i) / 100.0).clamp(0.0, 1.0)))
        })
        .collect();
    Ok(Arc::new(out))
}

/// The scalar `rank_tdigest(d, v)` (`percent` false) or `percentrank_tdigest` (true).
pub(crate) fn rank_kernel(args: &[ArrayRef], percent: bool) -> Result<ArrayRef> {
    let ds = digests(&args[0])?;
    let v = cast(&args[1], &DataType::Float64)?;
    let v = v.as_primitive::<Float64Type>();
    let out: Float64Array = ds
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let d = d.as_ref()?;
            if !v.is_valid(i) {
                return None;
            }
            let r = rank(d, v.value(i));
            Some(if percent {
                r / d.count() * 100.0
            } else {
                r.round()
            })
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(values: impl Iterator<Item = f64>) -> TDigest {
        TDigest::new(DEFAULT_MAX_SIZE).merge_unsorted_f64(values.collect())
    }

    #[test]
    fn rank_of_a_uniform_range() {
        // The rank_tdigest page: range 1..1000, rank of 685 is 685.
        let d = digest((1..=1000).map(f64::from));
        assert_eq!(rank(&d, 685.0).round(), 685.0);
        assert_eq!(rank(&d, 0.0), 0.0);
        assert_eq!(rank(&d, 1000.0), 1000.0);
    }

    #[test]
    fn json_round_trips_and_rejects_garbage() {
        let d = digest((1..=20).map(f64::from));
        let text = to_json(&d).unwrap();
        let back = from_json(&text).unwrap();
        assert_eq!(back.estimate_quantile(1.0), 20.0);
        assert_eq!(to_json(&back).unwrap(), text);
        assert!(from_json("[1,2]").is_err());
        assert!(from_json(r#"["tdigest",100,1,1,1,2,[1,1]]"#).is_err());
        assert!(from_json(r#"["tdigest",100,1,1,1,1,[1,-1]]"#).is_err());
        assert!(from_json(r#"["tdigest",1000000000000,1,1,1,1,[1,1]]"#).is_err());
        assert!(to_json(&TDigest::new(DEFAULT_MAX_SIZE)).is_none());
    }
}
