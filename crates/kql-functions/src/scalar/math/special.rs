//! Special functions DataFusion lacks: `erf`, `erfc`, `gamma`, `loggamma` (from `libm`), and the
//! bitwise functions `binary_*` and `bitset_count_ones`.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array, Int64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::logical_expr::{Operator, ScalarUDF, binary_expr, lit};

use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr};

const REAL: Param = Param::Of(KqlType::Real);
const LONG: Param = Param::Of(KqlType::Long);

/// A `real → real` UDF from a plain function.
macro_rules! real_udf {
    ($name:ident, $udf:literal, $f:expr) => {
        fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| {
                KernelUdf::new($udf, vec![DataType::Float64], DataType::Float64, |a| {
                    let f: fn(f64) -> f64 = $f;
                    let out: Float64Array = a[0].as_primitive::<Float64Type>().unary(f);
                    Ok(Arc::new(out) as ArrayRef)
                })
                .into_udf()
            }))
        }
    };
}

real_udf!(erf_udf, "kql_erf", libm::erf);
real_udf!(erfc_udf, "kql_erfc", libm::erfc);
real_udf!(gamma_udf, "kql_gamma", libm::tgamma);
real_udf!(loggamma_udf, "kql_loggamma", libm::lgamma);

fn bitset_count_ones_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    Arc::clone(UDF.get_or_init(|| {
        KernelUdf::new(
            "kql_bitset_count_ones",
            vec![DataType::Int64],
            DataType::Int64,
            |a| {
                let out: Int64Array = a[0]
                    .as_primitive::<Int64Type>()
                    .unary(|v| i64::from(v.count_ones()));
                Ok(Arc::new(out) as ArrayRef)
            },
        )
        .into_udf()
    }))
}

fn first(mut a: Vec<TypedExpr>) -> datafusion::logical_expr::Expr {
    a.remove(0).expr
}

fn pair(
    mut a: Vec<TypedExpr>,
) -> (
    datafusion::logical_expr::Expr,
    datafusion::logical_expr::Expr,
) {
    let right = a.remove(1).expr;
    (a.remove(0).expr, right)
}

/// Registers the special and bitwise functions.
pub(super) fn register(r: &mut Registry) {
    let real = || vec![Signature::new([REAL], Returns::Type(KqlType::Real))];
    let long2 = || vec![Signature::new([LONG, LONG], Returns::Type(KqlType::Long))];
    let functions: [(
        &'static str,
        &'static str,
        Vec<Signature>,
        crate::ScalarLowering,
    ); 11] = [
        ("erf", "The error function.", real(), |_, _, a| {
            Ok(erf_udf().call(vec![first(a)]))
        }),
        (
            "erfc",
            "The complementary error function, 1 - erf(x).",
            real(),
            |_, _, a| Ok(erfc_udf().call(vec![first(a)])),
        ),
        ("gamma", "The gamma function.", real(), |_, _, a| {
            Ok(gamma_udf().call(vec![first(a)]))
        }),
        (
            "loggamma",
            "The natural logarithm of the absolute value of the gamma function.",
            real(),
            |_, _, a| Ok(loggamma_udf().call(vec![first(a)])),
        ),
        (
            "binary_and",
            "Bitwise and of two longs.",
            long2(),
            |_, _, a| {
                let (l, r) = pair(a);
                Ok(binary_expr(l, Operator::BitwiseAnd, r))
            },
        ),
        (
            "binary_or",
            "Bitwise or of two longs.",
            long2(),
            |_, _, a| {
                let (l, r) = pair(a);
                Ok(binary_expr(l, Operator::BitwiseOr, r))
            },
        ),
        (
            "binary_xor",
            "Bitwise exclusive or of two longs.",
            long2(),
            |_, _, a| {
                let (l, r) = pair(a);
                Ok(binary_expr(l, Operator::BitwiseXor, r))
            },
        ),
        (
            "binary_not",
            "Bitwise negation of a long.",
            vec![Signature::new([LONG], Returns::Type(KqlType::Long))],
            |_, _, a| Ok(binary_expr(first(a), Operator::BitwiseXor, lit(-1i64))),
        ),
        (
            "binary_shift_left",
            "A long shifted left by n bits (n taken modulo 64).",
            long2(),
            |_, _, a| {
                let (l, r) = pair(a);
                Ok(binary_expr(l, Operator::BitwiseShiftLeft, r))
            },
        ),
        (
            "binary_shift_right",
            "A long shifted right by n bits, keeping its sign (n taken modulo 64).",
            long2(),
            |_, _, a| {
                let (l, r) = pair(a);
                Ok(binary_expr(l, Operator::BitwiseShiftRight, r))
            },
        ),
        (
            "bitset_count_ones",
            "The number of set bits in a long's binary form.",
            vec![Signature::new([LONG], Returns::Type(KqlType::Long))],
            |_, _, a| Ok(bitset_count_ones_udf().call(vec![first(a)])),
        ),
    ];
    for (name, doc, signatures, lower) in functions {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures,
            lower,
        });
    }
}
