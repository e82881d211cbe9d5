//! Math functions: `abs`, `round`, `floor`/`bin`, `bin_at`, `exp`, `log`, `pow`, `min_of`, …
//!
//! DataFusion's built-ins where they agree with KQL; `bin` is a kernel (see `bin`) because it
//! also bins timespans and datetimes and must give null, not an error, for a bad size.

mod beta;
mod bin;
mod convert;
mod special;

use datafusion::functions::expr_fn as df;
use datafusion::logical_expr::{Expr, cast, lit, not, when};

use crate::{
    FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr,
};

const LONG: Param = Param::Of(KqlType::Long);
const REAL: Param = Param::Of(KqlType::Real);
const TIMESPAN: Param = Param::Of(KqlType::Timespan);
const DATETIME: Param = Param::Of(KqlType::Datetime);

/// A numeric argument's own type; a `dynamic` one arrives converted to `real`.
fn numeric_type(args: &[KqlType]) -> KqlType {
    match args.first() {
        Some(KqlType::Dynamic) | None => KqlType::Real,
        Some(t) => *t,
    }
}

fn invalid(name: &str, message: &str) -> FunctionError {
    FunctionError::Invalid {
        name: name.to_string(),
        message: message.to_string(),
    }
}

/// Registers the math functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "abs",
        doc: "The absolute value.",
        signatures: vec![Signature::new([Param::Numeric], Returns::SameAs(0))],
        lower: |_, _, mut args| Ok(df::abs(args.remove(0).expr)),
    });
    register_binning(r);
    register_rounding(r);
    register_real_functions(r);
    register_min_max(r);
    special::register(r);
    beta::register(r);
    convert::register(r);
}

fn register_binning(r: &mut Registry) {
    let bin_signatures = || {
        vec![
            Signature::new([LONG, LONG], Returns::Type(KqlType::Long)),
            Signature::new([REAL, REAL], Returns::Type(KqlType::Real)),
            Signature::new([TIMESPAN, TIMESPAN], Returns::Type(KqlType::Timespan)),
            Signature::new([DATETIME, TIMESPAN], Returns::Type(KqlType::Datetime)),
        ]
    };
    let lower_bin: crate::ScalarLowering = |_, sig, args| {
        let mut args: Vec<Expr> = args.into_iter().map(|a| a.expr).collect();
        let origin = match sig {
            0 => lit(0_i64),
            1 => lit(0.0_f64),
            2 => lit(datafusion::common::ScalarValue::DurationNanosecond(Some(0))),
            _ => lit(datafusion::common::ScalarValue::TimestampNanosecond(
                Some(0),
                Some("UTC".into()),
            )),
        };
        args.push(origin);
        Ok(bin_call(sig, args))
    };
    for (name, doc) in [
        (
            "bin",
            "Rounds down to a multiple of the bin size: numbers, timespans, and datetimes (counted from 1970-01-01).",
        ),
        (
            "floor",
            "Rounds down to a multiple of the bin size; the same as bin().",
        ),
    ] {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: bin_signatures(),
            lower: lower_bin,
        });
    }
    r.add_scalar(ScalarFunction {
        name: "bin_at",
        doc: "Rounds down to a multiple of the bin size, with bins aligned to a fixed point.",
        signatures: vec![
            Signature::new([LONG, LONG, LONG], Returns::Type(KqlType::Long)),
            Signature::new([REAL, REAL, REAL], Returns::Type(KqlType::Real)),
            Signature::new(
                [TIMESPAN, TIMESPAN, TIMESPAN],
                Returns::Type(KqlType::Timespan),
            ),
            Signature::new(
                [DATETIME, TIMESPAN, DATETIME],
                Returns::Type(KqlType::Datetime),
            ),
        ],
        lower: |_, sig, args| Ok(bin_call(sig, args.into_iter().map(|a| a.expr).collect())),
    });
}

/// The kernel for the signature that matched: long, real, timespan, datetime.
fn bin_call(sig: usize, args: Vec<Expr>) -> Expr {
    let udf = match sig {
        0 => bin::long_udf(),
        1 => bin::real_udf(),
        2 => bin::timespan_udf(),
        _ => bin::datetime_udf(),
    };
    udf.call(args)
}

fn register_rounding(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "round",
        doc: "Rounds to a number of decimal digits (default 0; negative rounds left of the point), halves away from zero.",
        signatures: vec![
            Signature::new([Param::Numeric, LONG], Returns::Custom(numeric_type)).optional(1),
        ],
        lower: |_, _, mut args| {
            let x = args.remove(0);
            let ty = if x.ty == KqlType::Dynamic {
                KqlType::Real
            } else {
                x.ty
            };
            let mut call = vec![x.expr];
            if let Some(precision) = args.pop() {
                call.push(cast(precision.expr, datafusion::arrow::datatypes::DataType::Int32));
            }
            // DataFusion narrows a decimal's scale to the digits kept; KQL keeps one type.
            Ok(cast(df::round(call), ty.to_arrow()))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "ceiling",
        doc: "The smallest integer greater than or equal to the number.",
        signatures: vec![Signature::new(
            [Param::Numeric],
            Returns::Custom(numeric_type),
        )],
        lower: |_, _, mut args| {
            let x = args.remove(0);
            Ok(match x.ty {
                KqlType::Int | KqlType::Long => x.expr,
                KqlType::Decimal => cast(df::ceil(x.expr), KqlType::Decimal.to_arrow()),
                _ => df::ceil(x.expr),
            })
        },
    });
}

/// `f(x)`, or null where `x` is negative: KQL's logarithms and square root give null there
/// (DataFusion gives NaN).
fn null_below_zero(x: Expr, f: fn(Expr) -> Expr) -> Result<Expr, FunctionError> {
    when(
        x.clone().lt(lit(0.0_f64)),
        lit(datafusion::common::ScalarValue::Float64(None)),
    )
    .otherwise(f(x))
    .map_err(|e| invalid("log", &e.to_string()))
}

fn first_expr(mut args: Vec<TypedExpr>) -> Expr {
    args.remove(0).expr
}

fn register_real_functions(r: &mut Registry) {
    let real_to_real = || vec![Signature::new([REAL], Returns::Type(KqlType::Real))];
    let unary: [(&'static str, &'static str, crate::ScalarLowering); 18] = [
        ("exp", "e raised to the power x.", |_, _, a| {
            Ok(df::exp(first_expr(a)))
        }),
        ("exp2", "2 raised to the power x.", |_, _, a| {
            Ok(df::power(lit(2.0_f64), first_expr(a)))
        }),
        ("exp10", "10 raised to the power x.", |_, _, a| {
            Ok(df::power(lit(10.0_f64), first_expr(a)))
        }),
        (
            "log",
            "The natural logarithm; null for a negative number.",
            |_, _, a| null_below_zero(first_expr(a), df::ln),
        ),
        (
            "log10",
            "The base-10 logarithm; null for a negative number.",
            |_, _, a| null_below_zero(first_expr(a), df::log10),
        ),
        (
            "log2",
            "The base-2 logarithm; null for a negative number.",
            |_, _, a| null_below_zero(first_expr(a), df::log2),
        ),
        (
            "sqrt",
            "The square root; null for a negative number.",
            |_, _, a| null_below_zero(first_expr(a), df::sqrt),
        ),
        (
            "sign",
            "-1, 0 or +1 by the sign of the number.",
            |_, _, a| Ok(df::signum(first_expr(a))),
        ),
        ("sin", "The sine (radians).", |_, _, a| {
            Ok(df::sin(first_expr(a)))
        }),
        ("cos", "The cosine (radians).", |_, _, a| {
            Ok(df::cos(first_expr(a)))
        }),
        ("tan", "The tangent (radians).", |_, _, a| {
            Ok(df::tan(first_expr(a)))
        }),
        ("cot", "The cotangent (radians).", |_, _, a| {
            Ok(df::cot(first_expr(a)))
        }),
        ("asin", "The arc sine, in radians.", |_, _, a| {
            Ok(df::asin(first_expr(a)))
        }),
        ("acos", "The arc cosine, in radians.", |_, _, a| {
            Ok(df::acos(first_expr(a)))
        }),
        ("atan", "The arc tangent, in radians.", |_, _, a| {
            Ok(df::atan(first_expr(a)))
        }),
        ("radians", "Degrees converted to radians.", |_, _, a| {
            Ok(df::radians(first_expr(a)))
        }),
        ("degrees", "Radians converted to degrees.", |_, _, a| {
            Ok(df::degrees(first_expr(a)))
        }),
        (
            "isfinite",
            "Whether the number is neither infinite nor NaN.",
            |_, _, a| {
                let x = first_expr(a);
                Ok(not(df::isnan(x.clone())).and(df::abs(x).not_eq(lit(f64::INFINITY))))
            },
        ),
    ];
    for (name, doc, lower) in unary {
        let signatures = if name == "isfinite" {
            vec![Signature::new([REAL], Returns::Type(KqlType::Bool))]
        } else {
            real_to_real()
        };
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures,
            lower,
        });
    }
    r.add_scalar(ScalarFunction {
        name: "isnan",
        doc: "Whether the number is NaN (not a number).",
        signatures: vec![Signature::new([REAL], Returns::Type(KqlType::Bool))],
        lower: |_, _, a| Ok(df::isnan(first_expr(a))),
    });
    r.add_scalar(ScalarFunction {
        name: "isinf",
        doc: "Whether the number is positive or negative infinity.",
        signatures: vec![Signature::new([REAL], Returns::Type(KqlType::Bool))],
        lower: |_, _, a| Ok(df::abs(first_expr(a)).eq(lit(f64::INFINITY))),
    });
    r.add_scalar(ScalarFunction {
        name: "pow",
        doc: "base raised to the power exponent.",
        signatures: vec![Signature::new([REAL, REAL], Returns::Type(KqlType::Real))],
        lower: |_, _, mut a| {
            let exponent = a.remove(1).expr;
            Ok(df::power(a.remove(0).expr, exponent))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "atan2",
        doc: "The angle, in radians, between the positive x-axis and the point (x, y); arguments (y, x).",
        signatures: vec![Signature::new([REAL, REAL], Returns::Type(KqlType::Real))],
        lower: |_, _, mut a| {
            let x = a.remove(1).expr;
            Ok(df::atan2(a.remove(0).expr, x))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "pi",
        doc: "The constant π.",
        signatures: vec![Signature::new(
            Vec::<Param>::new(),
            Returns::Type(KqlType::Real),
        )],
        lower: |_, _, _| Ok(lit(std::f64::consts::PI)),
    });
}

/// The common type of `min_of`/`max_of` arguments: numbers join (`int` and `long` give `long`,
/// any `real` gives `real`); other types must all be the same.
fn common_type(args: &[KqlType]) -> Option<KqlType> {
    let mut common = *args.first()?;
    for &t in &args[1..] {
        common = if t == common {
            t
        } else if let Some(joined) = KqlType::numeric_join(common, t) {
            joined
        } else if matches!(
            (common, t),
            (KqlType::String, KqlType::Guid) | (KqlType::Guid, KqlType::String)
        ) {
            KqlType::String
        } else {
            return None;
        };
    }
    Some(common)
}

fn min_max(
    name: &str,
    args: Vec<TypedExpr>,
    f: fn(Vec<Expr>) -> Expr,
) -> Result<Expr, FunctionError> {
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let Some(common) = common_type(&types) else {
        return Err(invalid(name, "all arguments must have the same type"));
    };
    Ok(f(args.iter().map(|a| a.convert_to(common)).collect()))
}

fn register_min_max(r: &mut Registry) {
    let signatures = || {
        vec![
            Signature::new(
                [Param::Scalar, Param::Scalar],
                Returns::Custom(|t| common_type(t).unwrap_or(KqlType::Dynamic)),
            )
            .variadic(),
        ]
    };
    r.add_scalar(ScalarFunction {
        name: "min_of",
        doc: "The smallest of the arguments; nulls are skipped (null only when all are null).",
        signatures: signatures(),
        lower: |_, _, args| min_max("min_of", args, df::least),
    });
    r.add_scalar(ScalarFunction {
        name: "max_of",
        doc: "The largest of the arguments; nulls are skipped (null only when all are null).",
        signatures: signatures(),
        lower: |_, _, args| min_max("max_of", args, df::greatest),
    });
}

#[cfg(test)]
mod tests;
