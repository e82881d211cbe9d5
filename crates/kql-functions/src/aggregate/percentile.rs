//! `percentile(x, p)` and `percentilew(x, weight, p)`: KQL's nearest-rank percentile, computed
//! exactly (the weighted one counts each value `weight` times).
//!
//! KQL defines the P-th percentile as the smallest value such that P percent of the values are
//! less or equal to it (the nearest-rank method; the 0th is the minimum), so the result is always
//! one of the values. DataFusion's `percentile_cont` and `approx_percentile_cont` interpolate
//! between values (the median of 1..4 is 2.5 there, 2 in KQL), so neither matches; KQL itself
//! estimates with a t-digest, which is exact on small inputs, and an exact rank is what small
//! inputs need to agree. The state is the list of values, so memory grows with the group.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int64Array, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

/// The UDAF for one percentile; the name carries it, so instances differ exactly when their
/// percentiles do.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct NearestRank {
    name: String,
    /// The percentile's bits (`f64` is neither `Eq` nor `Hash`).
    percent_bits: u64,
    /// Whether a second argument weighs each value.
    weighted: bool,
    signature: Signature,
}

impl NearestRank {
    /// The percentile `percent`, in 0..=100.
    pub(crate) fn new(percent: f64) -> Self {
        Self {
            name: format!("kql_percentile_{percent}"),
            percent_bits: percent.to_bits(),
            weighted: false,
            signature: Signature::any(1, Volatility::Immutable),
        }
    }

    /// The percentile `percent` of values weighed by a second argument (`percentilew`).
    pub(crate) fn weighted(percent: f64) -> Self {
        Self {
            name: format!("kql_percentilew_{percent}"),
            percent_bits: percent.to_bits(),
            weighted: true,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

/// Reals are ranked as reals; integers, datetimes and timespans as 64-bit integers so that
/// nanosecond timestamps keep every digit.
fn is_real(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Float16
            | DataType::Float32
            | DataType::Float64
            | DataType::Decimal32(..)
            | DataType::Decimal64(..)
            | DataType::Decimal128(..)
            | DataType::Decimal256(..)
    )
}

impl AggregateUDFImpl for NearestRank {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types.first() {
            Some(t) => Ok(t.clone()),
            None => exec_err!("percentile takes one value"),
        }
    }

    fn accumulator(&self, acc_args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        let out = acc_args.return_field.data_type().clone();
        Ok(Box::new(RankAccumulator {
            percent: f64::from_bits(self.percent_bits),
            values: if is_real(&out) {
                Values::Reals(Vec::new())
            } else {
                Values::Ints(Vec::new())
            },
            weights: self.weighted.then(Vec::new),
            out,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        let item = if is_real(args.return_type()) {
            DataType::Float64
        } else {
            DataType::Int64
        };
        let mut fields = vec![Arc::new(Field::new(
            format_state_name(args.name, "values"),
            DataType::List(Arc::new(Field::new_list_field(item, true))),
            true,
        ))];
        if self.weighted {
            fields.push(Arc::new(Field::new(
                format_state_name(args.name, "weights"),
                DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true))),
                true,
            )));
        }
        Ok(fields)
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::Insensitive
    }
}

#[derive(Debug)]
enum Values {
    Ints(Vec<i64>),
    Reals(Vec<f64>),
}

#[derive(Debug)]
struct RankAccumulator {
    percent: f64,
    values: Values,
    /// For `percentilew`: each value's weight, in the order of `values`.
    weights: Option<Vec<i64>>,
    out: DataType,
}

/// The 0-based index of the nearest-rank percentile among `n` sorted values.
pub(crate) fn rank_index(percent: f64, n: usize) -> usize {
    if n == 0 || percent <= 0.0 {
        return 0;
    }
    // `percent * n / 100` is exact for integral percents, where `percent / 100 * n` may not be.
    let rank = (percent * n as f64 / 100.0).ceil();
    (rank as usize).clamp(1, n) - 1
}

/// The index (into `order`, which sorts the values) of the weighted nearest-rank percentile: the
/// first value whose cumulative weight reaches `percent` of the total.
fn weighted_rank(percent: f64, order: &[usize], weights: &[i64]) -> usize {
    let total: f64 = weights.iter().map(|w| *w as f64).sum();
    let threshold = percent / 100.0 * total;
    let mut cumulative = 0.0;
    for (k, i) in order.iter().enumerate() {
        cumulative += weights[*i] as f64;
        if cumulative >= threshold && cumulative > 0.0 {
            return k;
        }
    }
    order.len().saturating_sub(1)
}

impl RankAccumulator {
    /// Adds values weighed by `weights` (rows with a null value, or a null or non-positive
    /// weight, count for nothing).
    fn add_weighted(&mut self, array: &ArrayRef, weights: &ArrayRef) -> Result<()> {
        let w = cast(weights, &DataType::Int64)?;
        let w = w.as_primitive::<Int64Type>();
        let keep: Vec<bool> = (0..array.len())
            .map(|i| array.is_valid(i) && w.is_valid(i) && w.value(i) > 0)
            .collect();
        let Some(out) = self.weights.as_mut() else {
            return exec_err!("percentilew state without weights");
        };
        match &mut self.values {
            Values::Ints(v) => {
                let a = cast(array, &DataType::Int64)?;
                let a = a.as_primitive::<Int64Type>();
                for i in (0..a.len()).filter(|i| keep[*i]) {
                    v.push(a.value(i));
                    out.push(w.value(i));
                }
            }
            Values::Reals(v) => {
                let a = cast(array, &DataType::Float64)?;
                let a = a.as_primitive::<Float64Type>();
                for i in (0..a.len()).filter(|i| keep[*i] && !a.value(*i).is_nan()) {
                    v.push(a.value(i));
                    out.push(w.value(i));
                }
            }
        }
        Ok(())
    }

    fn add(&mut self, array: &ArrayRef) -> Result<()> {
        match &mut self.values {
            Values::Ints(v) => {
                let a = cast(array, &DataType::Int64)?;
                v.extend(a.as_primitive::<Int64Type>().iter().flatten());
            }
            Values::Reals(v) => {
                let a = cast(array, &DataType::Float64)?;
                v.extend(
                    a.as_primitive::<Float64Type>()
                        .iter()
                        .flatten()
                        .filter(|x| !x.is_nan()),
                );
            }
        }
        Ok(())
    }
}

impl Accumulator for RankAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        match (values.first(), values.get(1), self.weights.is_some()) {
            (Some(a), Some(w), true) => self.add_weighted(a, w),
            (Some(a), _, false) => self.add(a),
            _ => exec_err!("percentile takes a value (and percentilew a weight)"),
        }
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(list) = states.first().and_then(|s| s.as_list_opt::<i32>()) else {
            return exec_err!("percentile state is not a list");
        };
        let weights = states.get(1).and_then(|s| s.as_list_opt::<i32>());
        for row in 0..list.len() {
            if !list.is_valid(row) {
                continue;
            }
            match weights {
                Some(w) if self.weights.is_some() => {
                    self.add_weighted(&list.value(row), &w.value(row))?
                }
                _ => self.add(&list.value(row))?,
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values: ArrayRef = match &self.values {
            Values::Ints(v) => Arc::new(Int64Array::from(v.clone())),
            Values::Reals(v) => Arc::new(Float64Array::from(v.clone())),
        };
        let list = |values: ArrayRef| -> Result<ScalarValue> {
            let field = Arc::new(Field::new_list_field(values.data_type().clone(), true));
            let offsets = OffsetBuffer::from_lengths([values.len()]);
            Ok(ScalarValue::List(Arc::new(ListArray::try_new(
                field, offsets, values, None,
            )?)))
        };
        let mut state = vec![list(values)?];
        if let Some(w) = &self.weights {
            state.push(list(Arc::new(Int64Array::from(w.clone())))?);
        }
        Ok(state)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if let Some(weights) = &self.weights {
            let value = match &self.values {
                Values::Ints(v) if !v.is_empty() => {
                    let mut order: Vec<usize> = (0..v.len()).collect();
                    order.sort_unstable_by_key(|i| v[*i]);
                    ScalarValue::Int64(Some(v[order[weighted_rank(self.percent, &order, weights)]]))
                }
                Values::Reals(v) if !v.is_empty() => {
                    let mut order: Vec<usize> = (0..v.len()).collect();
                    order.sort_unstable_by(|a, b| v[*a].total_cmp(&v[*b]));
                    ScalarValue::Float64(Some(
                        v[order[weighted_rank(self.percent, &order, weights)]],
                    ))
                }
                _ => return ScalarValue::try_from(&self.out),
            };
            return value.cast_to(&self.out);
        }
        let value = match &mut self.values {
            Values::Ints(v) if !v.is_empty() => {
                v.sort_unstable();
                ScalarValue::Int64(Some(v[rank_index(self.percent, v.len())]))
            }
            Values::Reals(v) if !v.is_empty() => {
                v.sort_unstable_by(f64::total_cmp);
                ScalarValue::Float64(Some(v[rank_index(self.percent, v.len())]))
            }
            _ => return ScalarValue::try_from(&self.out),
        };
        value.cast_to(&self.out)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.weights.as_ref().map_or(0, |w| w.capacity() * 8)
            + match &self.values {
                Values::Ints(v) => v.capacity() * 8,
                Values::Reals(v) => v.capacity() * 8,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::{rank_index, weighted_rank};

    #[test]
    fn weighted_ranks_count_each_value_weight_times() {
        // Values 10, 20, 30, 40 weighed 8, 6, 3, 1 (18 in all): the 50th percentile is the first
        // value whose cumulative weight reaches 9 (20), the 99.9th the last (40).
        let order = [0, 1, 2, 3];
        let weights = [8, 6, 3, 1];
        assert_eq!(weighted_rank(50.0, &order, &weights), 1);
        assert_eq!(weighted_rank(75.0, &order, &weights), 1);
        assert_eq!(weighted_rank(99.9, &order, &weights), 3);
        assert_eq!(weighted_rank(0.0, &order, &weights), 0);
    }

    #[test]
    fn nearest_rank_indexes() {
        // Wikipedia's nearest-rank example (the definition the KQL docs cite): for
        // [15, 20, 35, 40, 50] the 5th, 30th, 40th, 50th and 100th percentiles are 15, 20, 20, 35
        // and 50, the values at ranks 1, 2, 2, 3 and 5.
        for (p, index) in [(5.0, 0), (30.0, 1), (40.0, 1), (50.0, 2), (100.0, 4)] {
            assert_eq!(rank_index(p, 5), index, "percentile {p}");
        }
        // The 0th percentile is the smallest value.
        assert_eq!(rank_index(0.0, 5), 0);
    }
}
