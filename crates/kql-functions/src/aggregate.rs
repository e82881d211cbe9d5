//! Aggregate functions for `summarize`: `count`, `sum`, `avg`, `dcount`, `make_list`, …
//!
//! Most lower to DataFusion's aggregates, with KQL's `…if` variants as `FILTER (WHERE p)` (a null
//! predicate drops the row, as in KQL). `make_list`, `make_set`, `make_bag` ([`collect`]) and
//! `percentile` ([`percentile`]) are UDAFs of this crate. `arg_max` / `arg_min` return several
//! columns; the planner expands them with [`arg_extreme`].

mod collect;
mod hll;
mod percentile;
mod schema;
mod series;
mod tdigest;

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::expr_fn as agg;
use datafusion::logical_expr::{AggregateUDF, Expr, cast, lit};
use datafusion::prelude::nullif;

use self::collect::{Collect, CollectUdaf, MAX_SIZE};
use self::percentile::NearestRank;
use crate::scalar::conditional::invalid;
use crate::{
    AggregateFunction, FunctionError, KqlType, Param, Registry, Returns, Signature, TypedExpr,
};

const BOOL: Param = Param::Of(KqlType::Bool);
const LONG: Param = Param::Of(KqlType::Long);

/// The value of `by`'s extreme row: `arg_max(by, value)` (`max` true) or `arg_min`. Rows whose
/// `by` is null come last, so they are chosen only when every `by` in the group is null (KQL docs:
/// `arg_max(Version, *)` of a group with only null versions still returns a row).
pub fn arg_extreme(by: TypedExpr, value: TypedExpr, max: bool) -> Expr {
    agg::first_value(value.expr, vec![by.expr.sort(!max, false)])
}

/// One row's value for `take_any(a, b, …)` and `take_any(*)`: unlike `take_any(x)`, which prefers
/// a non-empty value, these must take every column from the same row, so they take the first row
/// as it comes (nulls included).
pub fn take_any_row(value: TypedExpr) -> Expr {
    agg::first_value(value.expr, vec![])
}

/// `percentile(value, percent)` with the percentile given as a number, for `percentiles(x, p1,
/// p2, …)`, which the planner expands into one column per percentile.
pub fn percentile(value: TypedExpr, percent: f64) -> Expr {
    AggregateUDF::new_from_impl(NearestRank::new(percent)).call(vec![value.expr])
}

/// `percentilew(value, weight, percent)`, for `percentilesw(x, w, p1, p2, …)`, which the planner
/// expands into one column per percentile.
pub fn percentile_weighted(value: TypedExpr, weight: TypedExpr, percent: f64) -> Expr {
    AggregateUDF::new_from_impl(NearestRank::weighted(percent)).call(vec![value.expr, weight.expr])
}

/// The arrays of `make-series`: over rows that each hold a bin index (0-based) and the bin's
/// value of type `ty`, the `dynamic` array of `bins` elements, `default` (JSON text) where a bin
/// has no row. Rows whose bin is outside the axis are ignored.
pub fn make_series_fill(bin: Expr, value: TypedExpr, bins: usize, default: String) -> Expr {
    AggregateUDF::new_from_impl(series::SeriesUdaf::new(value.ty, bins, default))
        .call(vec![bin, value.expr])
}

/// A constant as `dynamic` JSON text, encoded as `make_list` encodes values of its type.
pub fn json_of_constant(value: &ScalarValue, ty: KqlType) -> Option<String> {
    let array = value.to_array().ok()?;
    if ty == KqlType::Dynamic {
        return datafusion::arrow::compute::cast(&array, &DataType::Utf8)
            .ok()
            .and_then(|a| {
                use datafusion::arrow::array::{Array, AsArray};
                let s = a.as_string::<i32>();
                (!s.is_null(0)).then(|| s.value(0).to_string())
            });
    }
    collect::encode(&array, ty).ok()?.into_iter().next()?
}

/// Registers every aggregate function.
pub(crate) fn register_all(r: &mut Registry) {
    register_basic(r);
    register_distinct(r);
    register_collect(r);
    register_sketches(r);
    register_statistics(r);
    register_pickers(r);
}

fn register_basic(r: &mut Registry) {
    r.add_aggregate(AggregateFunction {
        name: "count",
        doc: "The number of rows in the group; `count(x)`: of the rows where x is not null.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Long)).optional(1)],
        lower: |_, _, args| {
            Ok(match args.into_iter().next() {
                Some(x) => agg::count(x.expr),
                None => agg::count(lit(1i64)),
            })
        },
        column_name: "count_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "countif",
        doc: "The number of rows where the predicate is true.",
        signatures: vec![Signature::new([BOOL], Returns::Type(KqlType::Long))],
        lower: |_, _, args| {
            let [p] = take("countif", args)?;
            filtered("countif", agg::count(lit(1i64)), p)
        },
        column_name: "countif_",
    });
    r.add_aggregate(AggregateFunction {
        name: "sum",
        doc: "The sum of the values.",
        signatures: vec![Signature::new([Param::Summable], Returns::Custom(sum_type))],
        lower: |_, _, args| {
            let [a] = take("sum", args)?;
            Ok(agg::sum(widen_int(a)))
        },
        column_name: "sum_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "sumif",
        doc: "The sum of the values where the predicate is true.",
        signatures: vec![Signature::new(
            [Param::Summable, BOOL],
            Returns::Custom(sum_type),
        )],
        lower: |_, _, args| {
            let [a, p] = take("sumif", args)?;
            filtered("sumif", agg::sum(widen_int(a)), p)
        },
        column_name: "sumif_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "min",
        doc: "The smallest value.",
        signatures: vec![Signature::new([Param::Scalar], Returns::SameAs(0))],
        lower: |_, _, args| {
            let [a] = take("min", args)?;
            Ok(agg::min(a.expr))
        },
        column_name: "min_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "max",
        doc: "The largest value.",
        signatures: vec![Signature::new([Param::Scalar], Returns::SameAs(0))],
        lower: |_, _, args| {
            let [a] = take("max", args)?;
            Ok(agg::max(a.expr))
        },
        column_name: "max_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "avg",
        doc: "The mean of the values (real for numbers, timespan for timespans).",
        signatures: vec![Signature::new([Param::Summable], Returns::RealOr(0))],
        lower: |_, _, args| {
            let [a] = take("avg", args)?;
            Ok(agg::avg(real_if_numeric(a)))
        },
        column_name: "avg_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "avgif",
        doc: "The mean of the values where the predicate is true.",
        signatures: vec![Signature::new([Param::Summable, BOOL], Returns::RealOr(0))],
        lower: |_, _, args| {
            let [a, p] = take("avgif", args)?;
            filtered("avgif", agg::avg(real_if_numeric(a)), p)
        },
        column_name: "avgif_{}",
    });
    for (name, column_name) in [
        ("binary_all_and", "binary_all_and_{}"),
        ("binary_all_or", "binary_all_or_{}"),
        ("binary_all_xor", "binary_all_xor_{}"),
    ] {
        r.add_aggregate(AggregateFunction {
            name,
            doc: "The values combined with a bitwise operation (and, or, xor).",
            signatures: vec![Signature::new([LONG], Returns::Type(KqlType::Long))],
            lower: match name {
                "binary_all_and" => |_, _, args| bitwise("binary_all_and", args, agg::bit_and),
                "binary_all_or" => |_, _, args| bitwise("binary_all_or", args, agg::bit_or),
                _ => |_, _, args| bitwise("binary_all_xor", args, agg::bit_xor),
            },
            column_name,
        });
    }
}

fn register_distinct(r: &mut Registry) {
    r.add_aggregate(AggregateFunction {
        name: "dcount",
        doc: "The number of distinct non-null values (exact; the accuracy argument is accepted \
              and ignored).",
        signatures: vec![
            Signature::new([Param::Any, LONG], Returns::Type(KqlType::Long)).optional(1),
        ],
        lower: |_, _, args| {
            let a = first("dcount", args)?;
            Ok(agg::count_distinct(a.expr))
        },
        column_name: "dcount_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "dcountif",
        doc: "The number of distinct non-null values where the predicate is true.",
        signatures: vec![
            Signature::new([Param::Any, BOOL, LONG], Returns::Type(KqlType::Long)).optional(1),
        ],
        lower: |_, _, args| {
            let mut args = args.into_iter();
            let (Some(a), Some(p)) = (args.next(), args.next()) else {
                return Err(invalid("dcountif", "takes a value and a predicate"));
            };
            filtered("dcountif", agg::count_distinct(a.expr), p)
        },
        column_name: "dcountif_{}",
    });
}

/// `hll`, `hll_merge` and `dcount_hll`; `tdigest`, `tdigest_merge` and the functions that read
/// a digest.
fn register_sketches(r: &mut Registry) {
    use crate::ScalarFunction;
    use crate::udf::KernelUdf;

    let dynamic = Returns::Type(KqlType::Dynamic);
    r.add_aggregate(AggregateFunction {
        name: "hll",
        doc: "A HyperLogLog sketch of the group's distinct values (accuracy 0–4, default 1), \
              for hll_merge and dcount_hll.",
        signatures: vec![Signature::new([Param::Any, LONG], dynamic).optional(1)],
        lower: |_, _, args| {
            let mut args = args.into_iter();
            let value = args.next().ok_or_else(|| invalid("hll", "takes a value"))?;
            let precision = match args.next() {
                None => hll::DEFAULT_PRECISION,
                Some(a) => literal_i64(&a.expr)
                    .and_then(hll::precision_of_accuracy)
                    .ok_or_else(|| invalid("hll", "the accuracy must be a constant 0 to 4"))?,
            };
            let hashes = crate::scalar::hash::xxhash(value, lit(0i64));
            Ok(
                AggregateUDF::new_from_impl(hll::HllUdaf::new(hll::HllInput::Hashes(precision)))
                    .call(vec![hashes]),
            )
        },
        column_name: "hll_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "hll_merge",
        doc: "The union of the group's hll() sketches.",
        signatures: vec![Signature::new([Param::Of(KqlType::Dynamic)], dynamic)],
        lower: |_, _, args| {
            let a = first("hll_merge", args)?;
            Ok(
                AggregateUDF::new_from_impl(hll::HllUdaf::new(hll::HllInput::Sketches))
                    .call(vec![a.expr]),
            )
        },
        column_name: "hll_merge_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "tdigest",
        doc: "A t-digest sketch of the group's values (optionally weighted), for \
              percentile_tdigest, rank_tdigest and tdigest_merge.",
        signatures: vec![Signature::new([Param::Any, Param::Any], dynamic).optional(1)],
        lower: |_, _, args| {
            let weighted = args.len() > 1;
            let udaf = tdigest::DigestUdaf::new(tdigest::DigestInput::Values { weighted });
            let exprs = args.into_iter().map(|a| a.expr).collect();
            Ok(AggregateUDF::new_from_impl(udaf).call(exprs))
        },
        column_name: "tdigest_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "tdigest_merge",
        doc: "The merge of the group's tdigest() sketches.",
        signatures: vec![Signature::new([Param::Of(KqlType::Dynamic)], dynamic)],
        lower: |_, _, args| {
            let a = first("tdigest_merge", args)?;
            Ok(
                AggregateUDF::new_from_impl(tdigest::DigestUdaf::new(
                    tdigest::DigestInput::Digests,
                ))
                .call(vec![a.expr]),
            )
        },
        column_name: "tdigest_merge_{}",
    });
    r.add_aggregate_alias("merge_tdigest", "tdigest_merge");

    let dyn_param = Param::Of(KqlType::Dynamic);
    let merge =
        |name: &'static str, doc: &'static str, lower: crate::ScalarLowering| ScalarFunction {
            name,
            doc,
            signatures: vec![
                Signature::new([dyn_param, dyn_param], Returns::Type(KqlType::Dynamic))
                    .optional(1)
                    .variadic(),
            ],
            lower,
        };
    r.add_scalar(merge(
        "hll_merge",
        "The union of hll() sketches.",
        |_, _, args| {
            let udf =
                KernelUdf::any_args("kql_hll_merge_scalar", DataType::Utf8, hll::merge_kernel);
            Ok(udf
                .into_udf()
                .call(args.into_iter().map(|a| a.expr).collect()))
        },
    ));
    r.add_scalar(merge(
        "tdigest_merge",
        "The merge of tdigest() sketches.",
        |_, _, args| {
            let udf = KernelUdf::any_args(
                "kql_tdigest_merge_scalar",
                DataType::Utf8,
                tdigest::merge_kernel,
            );
            Ok(udf
                .into_udf()
                .call(args.into_iter().map(|a| a.expr).collect()))
        },
    ));
    r.add_scalar_alias("merge_tdigest", "tdigest_merge");
    r.add_scalar(ScalarFunction {
        name: "dcount_hll",
        doc: "The distinct count an hll() sketch estimates.",
        signatures: vec![Signature::new([dyn_param], Returns::Type(KqlType::Long))],
        lower: |_, _, args| {
            let udf = KernelUdf::any_args("kql_dcount_hll", DataType::Int64, hll::dcount_kernel);
            Ok(udf
                .into_udf()
                .call(args.into_iter().map(|a| a.expr).collect()))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "percentile_tdigest",
        doc: "The value at a percentile of a tdigest() sketch (typeof(T) converts it).",
        signatures: vec![Signature::new(
            [dyn_param, Param::Of(KqlType::Real)],
            Returns::Type(KqlType::Real),
        )],
        lower: |_, _, args| {
            let udf = KernelUdf::any_args(
                "kql_percentile_tdigest",
                DataType::Float64,
                tdigest::percentile_kernel,
            );
            Ok(udf
                .into_udf()
                .call(args.into_iter().map(|a| a.expr).collect()))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "rank_tdigest",
        doc: "How many of a tdigest() sketch's values are at most the value (estimated).",
        signatures: vec![Signature::new(
            [dyn_param, Param::Of(KqlType::Real)],
            Returns::Type(KqlType::Long),
        )],
        lower: |_, _, args| {
            let udf = KernelUdf::any_args("kql_rank_tdigest", DataType::Float64, |a| {
                tdigest::rank_kernel(a, false)
            });
            Ok(cast(
                udf.into_udf()
                    .call(args.into_iter().map(|a| a.expr).collect()),
                DataType::Int64,
            ))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "percentrank_tdigest",
        doc: "The percentage of a tdigest() sketch's values that are at most the value.",
        signatures: vec![Signature::new(
            [dyn_param, Param::Of(KqlType::Real)],
            Returns::Type(KqlType::Real),
        )],
        lower: |_, _, args| {
            let udf = KernelUdf::any_args("kql_percentrank_tdigest", DataType::Float64, |a| {
                tdigest::rank_kernel(a, true)
            });
            Ok(udf
                .into_udf()
                .call(args.into_iter().map(|a| a.expr).collect()))
        },
    });
}

fn register_collect(r: &mut Registry) {
    let dynamic = Returns::Type(KqlType::Dynamic);
    r.add_aggregate(AggregateFunction {
        name: "buildschema",
        doc: "The minimal schema admitting every dynamic value of the group: type names, bags \
              of member schemas, `indexer` for array elements.",
        signatures: vec![Signature::new([Param::Of(KqlType::Dynamic)], dynamic)],
        lower: |_, _, args| {
            let a = first("buildschema", args)?;
            Ok(AggregateUDF::new_from_impl(schema::BuildSchema::new()).call(vec![a.expr]))
        },
        column_name: "schema_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "make_list",
        doc: "A dynamic array of the group's non-null values (at most `maxSize`).",
        signatures: vec![Signature::new([Param::Any, LONG], dynamic).optional(1)],
        lower: |_, _, args| lower_collect("make_list", Collect::List, args, false),
        column_name: "list_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "make_list_if",
        doc: "A dynamic array of the values where the predicate is true.",
        signatures: vec![Signature::new([Param::Any, BOOL, LONG], dynamic).optional(1)],
        lower: |_, _, args| lower_collect("make_list_if", Collect::List, args, true),
        column_name: "list_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "make_list_with_nulls",
        doc: "A dynamic array of all the group's values, nulls included.",
        signatures: vec![Signature::new([Param::Any], dynamic)],
        lower: |_, _, args| {
            lower_collect("make_list_with_nulls", Collect::ListWithNulls, args, false)
        },
        column_name: "list_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "make_set",
        doc: "A dynamic array of the group's distinct non-null values; array values add their \
              elements.",
        signatures: vec![Signature::new([Param::Any, LONG], dynamic).optional(1)],
        lower: |_, _, args| lower_collect("make_set", Collect::Set, args, false),
        column_name: "set_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "make_set_if",
        doc: "A dynamic array of the distinct values where the predicate is true.",
        signatures: vec![Signature::new([Param::Any, BOOL, LONG], dynamic).optional(1)],
        lower: |_, _, args| lower_collect("make_set_if", Collect::Set, args, true),
        column_name: "set_{}",
    });
    let bag = Param::Of(KqlType::Dynamic);
    r.add_aggregate(AggregateFunction {
        name: "make_bag",
        doc: "A property bag of the members of the group's bag values; values that are not bags \
              are skipped.",
        signatures: vec![Signature::new([bag, LONG], dynamic).optional(1)],
        lower: |_, _, args| lower_collect("make_bag", Collect::Bag, args, false),
        column_name: "bag_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "make_bag_if",
        doc: "A property bag of the bag values where the predicate is true.",
        signatures: vec![Signature::new([bag, BOOL, LONG], dynamic).optional(1)],
        lower: |_, _, args| lower_collect("make_bag_if", Collect::Bag, args, true),
        column_name: "bag_{}",
    });
}

fn register_statistics(r: &mut Registry) {
    let real = Returns::Type(KqlType::Real);
    let numeric = Param::Numeric;
    for (name, column_name) in [
        ("stdev", "stdev_{}"),
        ("stdevp", "stdevp_{}"),
        ("variance", "variance_{}"),
        ("variancep", "variancep_{}"),
    ] {
        r.add_aggregate(AggregateFunction {
            name,
            doc: "The standard deviation or variance of the values: `stdev` and `variance` of a \
                  sample, `stdevp` and `variancep` of a population.",
            signatures: vec![Signature::new([numeric], real)],
            lower: match name {
                "stdev" => |_, _, args| statistic("stdev", args, agg::stddev),
                "stdevp" => |_, _, args| statistic("stdevp", args, agg::stddev_pop),
                "variance" => |_, _, args| statistic("variance", args, agg::var_sample),
                _ => |_, _, args| statistic("variancep", args, agg::var_pop),
            },
            column_name,
        });
    }
    for (name, column_name) in [
        ("stdevif", "stdevif_{}"),
        ("stdevpif", "stdevpif_{}"),
        ("varianceif", "varianceif_{}"),
        ("variancepif", "variancepif_{}"),
    ] {
        r.add_aggregate(AggregateFunction {
            name,
            doc: "The standard deviation or variance of the values where the predicate is true.",
            signatures: vec![Signature::new([numeric, BOOL], real)],
            lower: match name {
                "stdevif" => |_, _, args| statistic("stdevif", args, agg::stddev),
                "stdevpif" => |_, _, args| statistic("stdevpif", args, agg::stddev_pop),
                "varianceif" => |_, _, args| statistic("varianceif", args, agg::var_sample),
                _ => |_, _, args| statistic("variancepif", args, agg::var_pop),
            },
            column_name,
        });
    }
    r.add_aggregate(AggregateFunction {
        name: "covariance",
        doc: "The sample covariance of two values.",
        signatures: vec![Signature::new([numeric, numeric], real)],
        lower: |_, _, args| covariance("covariance", args, agg::covar_samp),
        column_name: "covariance_{}_{1}",
    });
    r.add_aggregate(AggregateFunction {
        name: "covariancep",
        doc: "The population covariance of two values.",
        signatures: vec![Signature::new([numeric, numeric], real)],
        lower: |_, _, args| covariance("covariancep", args, agg::covar_pop),
        column_name: "covariancep_{}_{1}",
    });
    r.add_aggregate(AggregateFunction {
        name: "covarianceif",
        doc: "The sample covariance of two values over the rows where the predicate is true.",
        signatures: vec![Signature::new([numeric, numeric, BOOL], real)],
        lower: |_, _, args| covariance("covarianceif", args, agg::covar_samp),
        column_name: "covarianceif_{}_{1}",
    });
    r.add_aggregate(AggregateFunction {
        name: "covariancepif",
        doc: "The population covariance of two values over the rows where the predicate is \
              true.",
        signatures: vec![Signature::new([numeric, numeric, BOOL], real)],
        lower: |_, _, args| covariance("covariancepif", args, agg::covar_pop),
        column_name: "covariancepif_{}_{1}",
    });
    r.add_aggregate(AggregateFunction {
        name: "percentile",
        doc: "The nearest-rank percentile (0 to 100) of the values: the smallest value such \
              that the given percent of the values are less or equal to it.",
        signatures: vec![Signature::new(
            [Param::Orderable, Param::Of(KqlType::Real)],
            Returns::SameAs(0),
        )],
        lower: |_, _, args| {
            let [a, p] = take("percentile", args)?;
            let percent = literal_f64(&p.expr).ok_or(FunctionError::NotConstant {
                name: "percentile".into(),
                index: 1,
            })?;
            if !(0.0..=100.0).contains(&percent) {
                return Err(invalid(
                    "percentile",
                    "the percentile must be between 0 and 100",
                ));
            }
            Ok(percentile(a, percent))
        },
        column_name: "percentile_{}_{1}",
    });
    r.add_aggregate(AggregateFunction {
        name: "percentilew",
        doc: "The weighted nearest-rank percentile (0 to 100): each value counts as many times \
              as its weight (a positive integer).",
        signatures: vec![Signature::new(
            [
                Param::Orderable,
                Param::Of(KqlType::Long),
                Param::Of(KqlType::Real),
            ],
            Returns::SameAs(0),
        )],
        lower: |_, _, args| {
            let [a, w, p] = take("percentilew", args)?;
            let percent = literal_f64(&p.expr).ok_or(FunctionError::NotConstant {
                name: "percentilew".into(),
                index: 2,
            })?;
            if !(0.0..=100.0).contains(&percent) {
                return Err(invalid(
                    "percentilew",
                    "the percentile must be between 0 and 100",
                ));
            }
            Ok(percentile_weighted(a, w, percent))
        },
        column_name: "percentile_{}_{2}",
    });
}

fn register_pickers(r: &mut Registry) {
    r.add_aggregate(AggregateFunction {
        name: "take_any",
        doc: "An arbitrary value of the group, preferring one that is not null or empty.",
        signatures: vec![Signature::new([Param::Any], Returns::SameAs(0))],
        lower: |_, _, args| Ok(any_value(first("take_any", args)?)),
        column_name: "{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "any",
        doc: "An arbitrary value of the group (deprecated name of `take_any`).",
        signatures: vec![Signature::new([Param::Any], Returns::SameAs(0))],
        lower: |_, _, args| Ok(any_value(first("any", args)?)),
        column_name: "any_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "take_anyif",
        doc: "An arbitrary value among the rows where the predicate is true.",
        signatures: vec![Signature::new([Param::Any, BOOL], Returns::SameAs(0))],
        lower: |_, _, args| {
            let [a, p] = take("take_anyif", args)?;
            filtered("take_anyif", any_value(a), p)
        },
        column_name: "{}",
    });
    for name in ["arg_max", "arg_min"] {
        r.add_aggregate(AggregateFunction {
            name,
            doc: "The row where the first expression is largest (`arg_max`) or smallest \
                  (`arg_min`): its value and the other expressions' values in that row.",
            signatures: vec![
                Signature::new([Param::Scalar, Param::Any], Returns::SameAs(0))
                    .optional(1)
                    .variadic(),
            ],
            lower: match name {
                "arg_max" => |_, _, args| {
                    let by = first("arg_max", args)?;
                    Ok(arg_extreme(by.clone(), by, true))
                },
                _ => |_, _, args| {
                    let by = first("arg_min", args)?;
                    Ok(arg_extreme(by.clone(), by, false))
                },
            },
            column_name: "{}",
        });
    }
}

/// The arguments, exactly `N` of them.
fn take<const N: usize>(name: &str, args: Vec<TypedExpr>) -> Result<[TypedExpr; N], FunctionError> {
    args.try_into()
        .map_err(|_| invalid(name, &format!("takes {N} arguments")))
}

/// The first argument.
fn first(name: &str, args: Vec<TypedExpr>) -> Result<TypedExpr, FunctionError> {
    args.into_iter()
        .next()
        .ok_or_else(|| invalid(name, "takes an argument"))
}

/// The aggregate over the rows where `predicate` is true. The filter is set on the aggregate
/// itself: DataFusion's `ExprFunctionExt` builder would reset `distinct` (`dcountif`).
fn filtered(name: &str, aggregate: Expr, predicate: TypedExpr) -> Result<Expr, FunctionError> {
    match aggregate {
        Expr::AggregateFunction(mut f) => {
            f.params.filter = Some(Box::new(predicate.expr));
            Ok(Expr::AggregateFunction(f))
        }
        _ => Err(invalid(name, "the filtered expression is not an aggregate")),
    }
}

fn sum_type(t: &[KqlType]) -> KqlType {
    match t.first() {
        Some(KqlType::Int) | None => KqlType::Long,
        Some(t) => *t,
    }
}

/// An `int` widened to `long` (sums of ints are longs).
fn widen_int(a: TypedExpr) -> Expr {
    if a.ty == KqlType::Int {
        cast(a.expr, KqlType::Long.to_arrow())
    } else {
        a.expr
    }
}

fn real_if_numeric(a: TypedExpr) -> Expr {
    if a.ty.is_numeric() {
        cast(a.expr, KqlType::Real.to_arrow())
    } else {
        a.expr
    }
}

fn bitwise(name: &str, args: Vec<TypedExpr>, f: fn(Expr) -> Expr) -> Result<Expr, FunctionError> {
    let [a] = take(name, args)?;
    Ok(f(cast(a.expr, DataType::Int64)))
}

/// A statistic of the values as reals, filtered by the second argument if there is one.
fn statistic(name: &str, args: Vec<TypedExpr>, f: fn(Expr) -> Expr) -> Result<Expr, FunctionError> {
    let mut args = args.into_iter();
    let value = args.next().ok_or_else(|| invalid(name, "takes a value"))?;
    let aggregate = f(cast(value.expr, DataType::Float64));
    match args.next() {
        Some(p) => filtered(name, aggregate, p),
        None => Ok(aggregate),
    }
}

fn covariance(
    name: &str,
    args: Vec<TypedExpr>,
    f: fn(Expr, Expr) -> Expr,
) -> Result<Expr, FunctionError> {
    let mut args = args.into_iter();
    let (Some(x), Some(y)) = (args.next(), args.next()) else {
        return Err(invalid(name, "takes two values"));
    };
    let aggregate = f(
        cast(x.expr, DataType::Float64),
        cast(y.expr, DataType::Float64),
    );
    match args.next() {
        Some(p) => filtered(name, aggregate, p),
        None => Ok(aggregate),
    }
}

/// `take_any(x)`: an arbitrary non-null value; for strings, a non-empty one if there is one (KQL
/// docs: "it will attempt to return a non-null/non-empty value").
fn any_value(a: TypedExpr) -> Expr {
    let e = if a.ty == KqlType::String {
        nullif(a.expr, lit(""))
    } else {
        a.expr
    };
    agg::any_value(e)
}

/// `make_list(x [, maxSize])`, `make_list_if(x, p [, maxSize])`, … .
fn lower_collect(
    name: &str,
    collect: Collect,
    args: Vec<TypedExpr>,
    has_predicate: bool,
) -> Result<Expr, FunctionError> {
    let mut args = args.into_iter();
    let value = args.next().ok_or_else(|| invalid(name, "takes a value"))?;
    let predicate = if has_predicate { args.next() } else { None };
    let max_size = match args.next() {
        None => MAX_SIZE,
        Some(m) => {
            let index = if has_predicate { 2 } else { 1 };
            let n = literal_i64(&m.expr).ok_or(FunctionError::NotConstant {
                name: name.into(),
                index,
            })?;
            usize::try_from(n)
                .ok()
                .filter(|n| *n > 0)
                .map_or(MAX_SIZE, |n| n.min(MAX_SIZE))
        }
    };
    let udaf =
        AggregateUDF::new_from_shared_impl(Arc::new(CollectUdaf::new(collect, value.ty, max_size)));
    let aggregate = udaf.call(vec![value.expr]);
    match predicate {
        Some(p) => filtered(name, aggregate, p),
        None => Ok(aggregate),
    }
}

/// The constant an argument holds, looking through the conversions the registry adds.
fn literal(e: &Expr) -> Option<ScalarValue> {
    match e {
        Expr::Literal(v, _) => Some(v.clone()),
        Expr::Cast(c) => literal(&c.expr)?.cast_to(c.field.data_type()).ok(),
        Expr::TryCast(c) => literal(&c.expr)?.cast_to(c.field.data_type()).ok(),
        Expr::Alias(a) => literal(&a.expr),
        Expr::Negative(inner) => literal(inner)?.arithmetic_negate().ok(),
        _ => None,
    }
}

fn literal_f64(e: &Expr) -> Option<f64> {
    match literal(e)?.cast_to(&DataType::Float64).ok()? {
        ScalarValue::Float64(v) => v,
        _ => None,
    }
}

fn literal_i64(e: &Expr) -> Option<i64> {
    match literal(e)?.cast_to(&DataType::Int64).ok()? {
        ScalarValue::Int64(v) => v,
        _ => None,
    }
}

#[cfg(test)]
mod tests;
