//! Window functions over serialized rows that DataFusion has no equivalent of: the restartable
//! `row_number` and `row_cumsum`, `row_rank_dense`, `row_rank_min` and `row_window_session`.
//!
//! Each is one scan over the rows in arrival order (the planner gives them no partition and no
//! order), keeping a little state and starting over where the optional restart argument is true.
//! Arguments, in order: the value (none for `row_number`), then the function's constants, then
//! the restart flag if any.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, AsArray, BooleanArray, Int64Array, PrimitiveArray,
    TimestampNanosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Field, FieldRef, Float64Type, Int64Type, TimeUnit,
    TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{PartitionEvaluatorArgs, WindowUDFFieldArgs};
use datafusion::logical_expr::{
    Expr, PartitionEvaluator, Signature, Volatility, WindowUDF, WindowUDFImpl,
};

/// What a [`RowScan`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowScanKind {
    /// `row_number(start, restart)`: args `start`, `restart`.
    RowNumber,
    /// `row_cumsum(x, restart)` of longs: args `x`, `restart`.
    CumSumLong,
    /// `row_cumsum(x, restart)` of reals: args `x`, `restart`.
    CumSumReal,
    /// `row_rank_dense(x, restart)`: args `x`, `restart`.
    RankDense,
    /// `row_rank_min(x, restart)`: args `x`, `restart`.
    RankMin,
    /// `row_window_session(t, max_from_first, max_between, restart)`.
    WindowSession,
}

impl RowScanKind {
    fn name(self) -> &'static str {
        match self {
            Self::RowNumber => "kql_row_number",
            Self::CumSumLong => "kql_row_cumsum_long",
            Self::CumSumReal => "kql_row_cumsum_real",
            Self::RankDense => "kql_row_rank_dense",
            Self::RankMin => "kql_row_rank_min",
            Self::WindowSession => "kql_row_window_session",
        }
    }

    fn output(self) -> DataType {
        match self {
            Self::CumSumReal => DataType::Float64,
            Self::WindowSession => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            _ => DataType::Int64,
        }
    }
}

/// The window function for `kind` over `args` (see [`RowScanKind`] for their order).
pub fn row_scan(kind: RowScanKind, args: Vec<Expr>) -> Expr {
    WindowUDF::new_from_impl(RowScan::new(kind)).call(args)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct RowScan {
    kind: RowScanKind,
    signature: Signature,
}

impl RowScan {
    fn new(kind: RowScanKind) -> Self {
        Self {
            kind,
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

impl WindowUDFImpl for RowScan {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn partition_evaluator(
        &self,
        _args: PartitionEvaluatorArgs<'_>,
    ) -> Result<Box<dyn PartitionEvaluator>> {
        Ok(Box::new(RowScanEvaluator { kind: self.kind }))
    }

    fn field(&self, field_args: WindowUDFFieldArgs<'_>) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(
            field_args.name(),
            self.kind.output(),
            true,
        )))
    }
}

#[derive(Debug)]
struct RowScanEvaluator {
    kind: RowScanKind,
}

/// The restart flags (the last argument), true where a row starts over; absent: never.
fn restarts(values: &[ArrayRef], index: usize, rows: usize) -> Result<Vec<bool>> {
    Ok(match values.get(index) {
        None => vec![false; rows],
        Some(a) => {
            let flags = cast(a, &DataType::Boolean)?;
            let flags: &BooleanArray = flags.as_boolean();
            (0..rows)
                .map(|i| flags.is_valid(i) && flags.value(i))
                .collect()
        }
    })
}

/// `row_cumsum(x, restart)` in the value type `T`: the sum so far, from zero again where the
/// restart flag (argument 1) holds; a null value adds nothing.
fn running_sum<T: ArrowPrimitiveType>(
    values: &[ArrayRef],
    rows: usize,
    add: fn(T::Native, T::Native) -> T::Native,
) -> Result<ArrayRef> {
    let Some(x) = values.first() else {
        return exec_err!("row_cumsum needs a value");
    };
    let x = cast(x, &T::DATA_TYPE)?;
    let x = x.as_primitive::<T>();
    let restart = restarts(values, 1, rows)?;
    let mut sum = T::Native::default();
    let out: PrimitiveArray<T> = (0..rows)
        .map(|i| {
            if restart[i] {
                sum = T::Native::default();
            }
            if x.is_valid(i) {
                sum = add(sum, x.value(i));
            }
            Some(sum)
        })
        .collect();
    Ok(Arc::new(out))
}

impl PartitionEvaluator for RowScanEvaluator {
    fn evaluate_all(&mut self, values: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        match self.kind {
            RowScanKind::RowNumber => {
                let Some(start) = values.first() else {
                    return exec_err!("row_number needs its start");
                };
                let start = cast(start, &DataType::Int64)?;
                let start = start.as_primitive::<Int64Type>();
                let restart = restarts(values, 1, rows)?;
                let mut n = 0i64;
                let out: Int64Array = (0..rows)
                    .map(|i| {
                        let first = if start.is_valid(i) { start.value(i) } else { 1 };
                        n = if i == 0 || restart[i] {
                            first
                        } else {
                            n.saturating_add(1)
                        };
                        Some(n)
                    })
                    .collect();
                Ok(Arc::new(out))
            }
            RowScanKind::CumSumLong => running_sum::<Int64Type>(values, rows, i64::wrapping_add),
            RowScanKind::CumSumReal => running_sum::<Float64Type>(values, rows, |a, b| a + b),
            RowScanKind::RankDense | RowScanKind::RankMin => {
                let Some(x) = values.first() else {
                    return exec_err!("row_rank needs a value");
                };
                let restart = restarts(values, 1, rows)?;
                let dense = self.kind == RowScanKind::RankDense;
                let mut previous: Option<ScalarValue> = None;
                // The rank so far, and the row number within the current run of restarts.
                let (mut rank, mut row) = (0i64, 0i64);
                let mut out = Vec::with_capacity(rows);
                for (i, starts_over) in restart.iter().enumerate() {
                    let value = ScalarValue::try_from_array(x, i)?;
                    if i == 0 || *starts_over {
                        rank = 1;
                        row = 1;
                    } else {
                        row += 1;
                        if previous.as_ref() != Some(&value) {
                            rank = if dense { rank + 1 } else { row };
                        }
                    }
                    previous = Some(value);
                    out.push(Some(rank));
                }
                Ok(Arc::new(Int64Array::from(out)))
            }
            RowScanKind::WindowSession => {
                let [t, from_first, between, ..] = values else {
                    return exec_err!("row_window_session needs a time and two distances");
                };
                let t = cast(t, &DataType::Timestamp(TimeUnit::Nanosecond, None))?;
                let t = t.as_primitive::<TimestampNanosecondType>();
                let span = |a: &ArrayRef| -> Result<Option<i64>> {
                    let d = cast(a, &DataType::Duration(TimeUnit::Nanosecond))?;
                    let d = d.as_primitive::<DurationNanosecondType>();
                    Ok((!d.is_empty() && d.is_valid(0)).then(|| d.value(0)))
                };
                let (Some(from_first), Some(between)) = (span(from_first)?, span(between)?) else {
                    return exec_err!("row_window_session's distances must not be null");
                };
                let restart = restarts(values, 3, rows)?;
                let mut session: Option<(i64, i64)> = None; // (start, previous time)
                let out: TimestampNanosecondArray = (0..rows)
                    .map(|i| {
                        if !t.is_valid(i) {
                            return None;
                        }
                        let now = t.value(i);
                        let start = match session {
                            Some((start, prev))
                                if !restart[i]
                                    && now.saturating_sub(start) <= from_first
                                    && now.saturating_sub(prev) <= between =>
                            {
                                start
                            }
                            _ => now,
                        };
                        session = Some((start, now));
                        Some(start)
                    })
                    .collect();
                Ok(Arc::new(out.with_timezone("UTC")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::StringArray;

    use super::*;

    fn run(kind: RowScanKind, values: Vec<ArrayRef>, rows: usize) -> ArrayRef {
        RowScanEvaluator { kind }
            .evaluate_all(&values, rows)
            .unwrap()
    }

    fn flags(v: &[bool]) -> ArrayRef {
        Arc::new(BooleanArray::from(v.to_vec()))
    }

    #[test]
    fn cumsum_and_row_number_restart() {
        let x: ArrayRef = Arc::new(Int64Array::from(vec![
            Some(1000),
            Some(2000),
            None,
            Some(1000),
            Some(1950),
        ]));
        let restart = flags(&[false, false, false, true, false]);
        let out = run(RowScanKind::CumSumLong, vec![x, restart.clone()], 5);
        assert_eq!(
            out.as_primitive::<Int64Type>().values(),
            &[1000, 3000, 3000, 1000, 2950]
        );
        let start: ArrayRef = Arc::new(Int64Array::from(vec![10; 5]));
        let out = run(RowScanKind::RowNumber, vec![start, restart], 5);
        assert_eq!(
            out.as_primitive::<Int64Type>().values(),
            &[10, 11, 12, 10, 11]
        );
    }

    #[test]
    fn ranks() {
        let x: ArrayRef = Arc::new(StringArray::from(vec!["a", "b", "b", "c", "c", "d"]));
        let restart = flags(&[false, false, false, false, true, false]);
        let dense = run(RowScanKind::RankDense, vec![x.clone(), restart.clone()], 6);
        assert_eq!(
            dense.as_primitive::<Int64Type>().values(),
            &[1, 2, 2, 3, 1, 2]
        );
        let min = run(RowScanKind::RankMin, vec![x], 6);
        assert_eq!(
            min.as_primitive::<Int64Type>().values(),
            &[1, 2, 2, 4, 4, 6]
        );
    }

    #[test]
    fn sessions() {
        let minute = 60_000_000_000i64;
        let t: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![
            Some(0),
            Some(2 * minute),
            Some(8 * minute),
            None,
            Some(60 * minute),
            Some(64 * minute),
        ]));
        let d = |m: i64| -> ArrayRef {
            Arc::new(datafusion::arrow::array::DurationNanosecondArray::from(
                vec![m * minute; 6],
            ))
        };
        let out = run(RowScanKind::WindowSession, vec![t, d(60), d(5)], 6);
        let out = out.as_primitive::<TimestampNanosecondType>();
        let got: Vec<Option<i64>> = out.iter().collect();
        assert_eq!(
            got,
            [
                Some(0),
                Some(0),
                Some(8 * minute),
                None,
                Some(60 * minute),
                Some(60 * minute)
            ]
        );
    }
}
