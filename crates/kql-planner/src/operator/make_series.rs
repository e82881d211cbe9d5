//! `make-series`: per group, one array per aggregate with a value for every bin of the axis
//! (`from start to end step step`, end exclusive), the default value where a bin has no rows,
//! and the axis itself as an array.
//!
//! Planned in two aggregations: the aggregates by (group, bin index), over the rows whose axis
//! value lies in the range, then per group the arrays, filled by [`make_series_fill`]. The
//! range must be constant (literals, `let` values, `ago()`, `now()`, …): the number of bins and
//! the axis array are fixed when planning. Without `by`, an input with no rows gives no row,
//! unless `kind=nonempty`, which gives one row of defaults.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::logical_expr::{Expr, cast, lit};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;
use kql_functions::aggregate::{json_of_constant, make_series_fill};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{ExprKind, MakeSeries, NamedExpr, SeriesRange, Summarize};

use crate::error::{OrInternal, PResult, codes, error};
use crate::naming::derived_name;
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// The hidden column of each row's bin index.
const BIN: &str = "__kql_series_bin";
/// The hidden count of rows per group, to drop the empty global group.
const ROWS: &str = "__kql_series_rows";
/// The most bins a series may have.
const MAX_BINS: i64 = 1_000_000;

/// A constant axis value: nanoseconds for datetimes and timespans, else a number.
#[derive(Clone, Copy)]
enum AxisValue {
    Nanos(i64),
    Number(f64),
}

impl Planner<'_> {
    pub(super) fn make_series(
        &mut self,
        m: &MakeSeries,
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let mut nonempty = false;
        for p in &m.params {
            let value = match &p.value.kind {
                ExprKind::Name(n) => n.name.as_str(),
                _ => "",
            };
            match (p.name.name.as_str(), value) {
                ("kind", "nonempty") => nonempty = true,
                (name, _) if name.starts_with("hint.") => {}
                _ => {
                    return Err(error(
                        codes::INVALID_VALUE,
                        format!("'{}' is not an option of make-series", p.name.name),
                        p.value.span,
                    ));
                }
            }
        }
        let axis = self.expr(&m.on, &input)?;
        let (from, to, step) = match &m.range {
            SeriesRange::FromTo { from, to, step } => {
                let (Some(from), Some(to)) = (from, to) else {
                    return Err(error(
                        codes::UNSUPPORTED,
                        "make-series needs 'from' and 'to' here: a range taken from the data is \
                         not supported yet",
                        m.on.span,
                    ));
                };
                (from, to, step)
            }
            SeriesRange::InRange { start, stop, step } => (start, stop, step),
        };
        let mut start = self.axis_constant(from, axis.ty, "start")?;
        let mut end = self.axis_constant(to, axis.ty, "end")?;
        let step_value = self.axis_constant(step, step_type(axis.ty), "step")?;
        if matches!(m.range, SeriesRange::InRange { .. }) {
            // The older syntax bins with bin() (aligned to multiples of the step, not to the
            // start) and includes the stop's bin.
            (start, end) = inclusive_range(start, end, step_value);
        }
        let (bins, bin_expr, in_range, axis_json) = match (start, end, step_value) {
            (AxisValue::Nanos(s), AxisValue::Nanos(e), AxisValue::Nanos(st)) => {
                if st <= 0 {
                    return Err(error(
                        codes::INVALID_VALUE,
                        "the step must be positive",
                        step.span,
                    ));
                }
                let span_ns = i128::from(e) - i128::from(s);
                let bins = if span_ns > 0 {
                    i64::try_from((span_ns + i128::from(st) - 1) / i128::from(st))
                        .unwrap_or(i64::MAX)
                } else {
                    0
                };
                check_bins(bins, step.span)?;
                let nanos = cast(axis.expr.clone(), DataType::Int64);
                let bin = (nanos.clone() - lit(s)) / lit(st);
                let in_range = nanos.clone().gt_eq(lit(s)).and(nanos.lt(lit(e)));
                let points: Vec<String> = (0..bins)
                    .map(|k| {
                        let v = ScalarValue::Int64(Some(s.saturating_add(k.saturating_mul(st))));
                        let v = v.cast_to(&axis.ty.to_arrow()).ok();
                        v.and_then(|v| json_of_constant(&v, axis.ty))
                            .unwrap_or_else(|| "null".into())
                    })
                    .collect();
                (bins, bin, in_range, format!("[{}]", points.join(",")))
            }
            (AxisValue::Number(s), AxisValue::Number(e), AxisValue::Number(st)) => {
                if st.is_nan() || st <= 0.0 {
                    return Err(error(
                        codes::INVALID_VALUE,
                        "the step must be positive",
                        step.span,
                    ));
                }
                let bins = if e > s { ((e - s) / st).ceil() } else { 0.0 };
                let bins = if bins.is_finite() {
                    bins as i64
                } else {
                    i64::MAX
                };
                check_bins(bins, step.span)?;
                let value = cast(axis.expr.clone(), DataType::Float64);
                // Rounding can put a value just under the end one bin too far: it belongs to
                // the last bin.
                let bin = datafusion::functions::core::expr_fn::least(vec![
                    cast(
                        datafusion::functions::math::expr_fn::floor(
                            (value.clone() - lit(s)) / lit(st),
                        ),
                        DataType::Int64,
                    ),
                    lit((bins - 1).max(0)),
                ]);
                let in_range = value.clone().gt_eq(lit(s)).and(value.lt(lit(e)));
                let real_points = axis.ty == KqlType::Real || s.fract() != 0.0 || st.fract() != 0.0;
                let points: Vec<String> = (0..bins)
                    .map(|k| {
                        // A whole-numbered axis stays whole unless its start or step is not.
                        let p = s + k as f64 * st;
                        let (v, ty) = if real_points {
                            (ScalarValue::Float64(Some(p)), KqlType::Real)
                        } else {
                            (ScalarValue::Int64(Some(p as i64)), KqlType::Long)
                        };
                        json_of_constant(&v, ty).unwrap_or_else(|| "null".into())
                    })
                    .collect();
                (bins, bin, in_range, format!("[{}]", points.join(",")))
            }
            _ => {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    "the range of make-series must have the axis column's type",
                    m.on.span,
                ));
            }
        };
        let bins = usize::try_from(bins).unwrap_or(0);

        // The rows in range, with their bin index.
        let schema = input.plan.schema().clone();
        let filtered = input
            .builder()
            .filter(in_range)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let filtered = Tabular {
            plan: filtered,
            columns: input.columns.clone(),
        };
        let mut exprs: Vec<Expr> = input.columns.iter().map(|c| column_ref(&c.name)).collect();
        exprs.push(
            crate::expr::finish(&TypedExpr::new(bin_expr, KqlType::Long), &schema).alias(BIN),
        );
        let mut columns = input.columns.clone();
        columns.push(KqlColumn::new(BIN, KqlType::Long));
        let binned = filtered.project(exprs, columns, span)?;

        // The aggregates per (group, bin).
        let mut by = m.by.clone();
        by.push(NamedExpr::unnamed(kql_parser::ast::Expr::name(BIN, span)));
        let summarize = Summarize {
            params: Vec::new(),
            aggregates: m.aggregates.iter().map(|a| a.agg.clone()).collect(),
            by,
        };
        let per_bin = self.summarize(&summarize, binned, span)?;
        let keys = m.by.len();
        let key_columns: Vec<KqlColumn> = per_bin.columns[..keys].to_vec();
        let value_columns: Vec<KqlColumn> = per_bin.columns[keys + 1..].to_vec();
        if value_columns.len() != m.aggregates.len() {
            return Err(error(
                codes::UNSUPPORTED,
                "make-series takes aggregates of one column each",
                span,
            ));
        }

        // The arrays per group.
        let mut aggregates = Vec::new();
        for (c, a) in value_columns.iter().zip(&m.aggregates) {
            let default = match &a.default {
                Some(d) => {
                    let v = self.expr(d, &Tabular::empty())?;
                    let v = fold(&v.convert_to(c.ty), d.span)?;
                    json_of_constant(&v, c.ty).unwrap_or_else(|| "null".into())
                }
                // Zero of the aggregate's type (`0.0` for a real), else null.
                None => ScalarValue::new_zero(&c.ty.to_arrow())
                    .ok()
                    .filter(|_| {
                        matches!(
                            c.ty,
                            KqlType::Int | KqlType::Long | KqlType::Real | KqlType::Decimal
                        )
                    })
                    .and_then(|zero| json_of_constant(&zero, c.ty))
                    .unwrap_or_else(|| "null".into()),
            };
            let value = TypedExpr::new(column_ref(&c.name), c.ty);
            aggregates.push(make_series_fill(column_ref(BIN), value, bins, default).alias(&c.name));
        }
        aggregates.push(count(lit(1i64)).alias(ROWS));
        let groups: Vec<Expr> = key_columns.iter().map(|c| column_ref(&c.name)).collect();
        let mut builder = per_bin
            .builder()
            .aggregate(groups, aggregates)
            .or_internal(span)?;
        if keys == 0 && !nonempty {
            builder = builder
                .filter(column_ref(ROWS).gt(lit(0i64)))
                .or_internal(span)?;
        }
        let series = Tabular {
            plan: builder.build().or_internal(span)?,
            columns: Vec::new(),
        };

        // Group keys, arrays, then the axis.
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for c in &key_columns {
            exprs.push(column_ref(&c.name));
            columns.push(c.clone());
        }
        for c in &value_columns {
            exprs.push(column_ref(&c.name));
            columns.push(KqlColumn::new(c.name.clone(), KqlType::Dynamic));
        }
        let axis_name = derived_name(&m.on, false).unwrap_or_else(|| "Column1".into());
        exprs.push(lit(axis_json).alias(&axis_name));
        columns.push(KqlColumn::new(axis_name, KqlType::Dynamic));
        series.project(exprs, columns, span)
    }

    /// A constant of the axis range, as nanoseconds or a number.
    fn axis_constant(
        &mut self,
        e: &kql_parser::ast::Expr,
        ty: KqlType,
        what: &str,
    ) -> PResult<AxisValue> {
        let v = self.expr(e, &Tabular::empty())?;
        let wrong = || {
            error(
                codes::INVALID_VALUE,
                format!("the {what} of make-series must be a constant {ty}"),
                e.span,
            )
        };
        match ty {
            KqlType::Datetime | KqlType::Timespan => {
                if v.ty != ty {
                    return Err(wrong());
                }
                match fold(&cast(v.expr, DataType::Int64), e.span)? {
                    ScalarValue::Int64(Some(n)) => Ok(AxisValue::Nanos(n)),
                    _ => Err(wrong()),
                }
            }
            KqlType::Int | KqlType::Long | KqlType::Real | KqlType::Decimal => {
                match fold(&cast(v.expr, DataType::Float64), e.span)? {
                    ScalarValue::Float64(Some(n)) => Ok(AxisValue::Number(n)),
                    _ => Err(wrong()),
                }
            }
            _ => Err(error(
                codes::TYPE_MISMATCH,
                format!("make-series needs a datetime, timespan or numeric axis, not {ty}"),
                e.span,
            )),
        }
    }
}

/// `in range(start, stop, step)` as a `from … to …` range: from the bin of `start` to the end
/// of the bin of `stop`. Left as is when the step is not positive (reported later).
fn inclusive_range(start: AxisValue, stop: AxisValue, step: AxisValue) -> (AxisValue, AxisValue) {
    match (start, stop, step) {
        (AxisValue::Nanos(s), AxisValue::Nanos(e), AxisValue::Nanos(st)) if st > 0 => {
            let from = s.div_euclid(st).saturating_mul(st);
            let to = e.div_euclid(st).saturating_add(1).saturating_mul(st);
            (AxisValue::Nanos(from), AxisValue::Nanos(to))
        }
        (AxisValue::Number(s), AxisValue::Number(e), AxisValue::Number(st)) if st > 0.0 => {
            let from = (s / st).floor() * st;
            let to = ((e / st).floor() + 1.0) * st;
            (AxisValue::Number(from), AxisValue::Number(to))
        }
        _ => (start, stop),
    }
}

/// The type of the step for an axis of type `ty`.
fn step_type(ty: KqlType) -> KqlType {
    match ty {
        KqlType::Datetime => KqlType::Timespan,
        other => other,
    }
}

fn check_bins(bins: i64, span: Span) -> PResult<()> {
    if bins > MAX_BINS {
        return Err(error(
            codes::INVALID_VALUE,
            format!("make-series would have {bins} bins; at most {MAX_BINS} are allowed"),
            span,
        ));
    }
    Ok(())
}

/// The value of a constant expression, folded as DataFusion's simplifier folds it.
fn fold(e: &Expr, span: Span) -> PResult<ScalarValue> {
    let simplified = ExprSimplifier::new(SimplifyContext::default())
        .simplify(e.clone())
        .or_internal(span)?;
    crate::expr::constant(&simplified).ok_or_else(|| {
        error(
            codes::INVALID_VALUE,
            "make-series needs a constant here",
            span,
        )
    })
}
