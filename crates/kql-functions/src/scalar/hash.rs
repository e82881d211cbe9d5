//! Hash functions: the digests (lower-case hex strings, from DataFusion's) and XXH64 (`hash`).

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::functions::crypto::{md5, sha256};
use datafusion::functions::encoding::expr_fn::encode;
use datafusion::logical_expr::{ScalarUDF, cast};
use datafusion::prelude::lit;
use twox_hash::XxHash64;

use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the hash functions.
pub(crate) fn register(r: &mut Registry) {
    register_xxhash(r);
    r.add_scalar(ScalarFunction {
        name: "hash_md5",
        doc: "The MD5 hash of the value's text, as 32 lower-case hex digits.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, mut args| Ok(md5().call(vec![args.remove(0).to_text()])),
    });
    r.add_scalar(ScalarFunction {
        name: "hash_sha256",
        doc: "The SHA-256 hash of the value's text, as 64 lower-case hex digits.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, mut args| {
            Ok(encode(
                sha256().call(vec![args.remove(0).to_text()]),
                lit("hex"),
            ))
        },
    });
}

/// .NET ticks (100 ns units) between 0001-01-01 and the Unix epoch: KQL hashes a datetime as
/// its ticks.
const EPOCH_TICKS: i64 = 621_355_968_000_000_000;

/// Registers `hash` and `hash_xxhash64`: XXH64 (seed 0) of the value's bytes, optionally
/// reduced modulo a number.
pub(crate) fn register_xxhash(r: &mut Registry) {
    for (name, doc) in [
        (
            "hash",
            "The XXH64 hash of the value (a string's UTF-8 bytes, a number's or a datetime's \
             8 bytes), as a long; with a modulo, the unsigned hash modulo it.",
        ),
        (
            "hash_xxhash64",
            "The XXH64 hash of the value, as for `hash`.",
        ),
    ] {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: vec![
                Signature::new(
                    [Param::Any, Param::Of(KqlType::Long)],
                    Returns::Type(KqlType::Long),
                )
                .optional(1),
            ],
            lower: |_, _, mut args| {
                let modulo = if args.len() > 1 {
                    args.remove(1).expr
                } else {
                    lit(0i64)
                };
                Ok(xxhash(args.remove(0), modulo))
            },
        });
    }
}

/// `hash(value, modulo)`: XXH64 (seed 0) of the value's bytes as KQL hashes them, as a long
/// (`modulo` 0: the whole hash). Also what the `hll` sketch hashes.
pub(crate) fn xxhash(
    value: crate::TypedExpr,
    modulo: datafusion::logical_expr::Expr,
) -> datafusion::logical_expr::Expr {
    let (udf, value) = match value.ty {
        KqlType::Long | KqlType::Int | KqlType::Bool => {
            (xxhash_i64_udf(), cast(value.expr, DataType::Int64))
        }
        KqlType::Real => (xxhash_f64_udf(), cast(value.expr, DataType::Float64)),
        KqlType::Datetime => {
            let ticks = cast(
                cast(value.expr, DataType::Int64) / lit(100i64) + lit(EPOCH_TICKS),
                DataType::Int64,
            );
            (xxhash_i64_udf(), ticks)
        }
        KqlType::Timespan => (
            xxhash_i64_udf(),
            cast(value.expr, DataType::Int64) / lit(100i64),
        ),
        _ => (xxhash_text_udf(), value.to_text()),
    };
    udf.call(vec![value, modulo])
}

/// The hash as KQL shows it: the 64 bits as a signed long, or with a modulo above 0 the
/// unsigned hash modulo it (null for a negative modulo).
fn finish_hash(h: u64, modulo: i64) -> Option<i64> {
    match modulo {
        0 => Some(h as i64),
        m if m > 0 => Some((h % m as u64) as i64),
        _ => None,
    }
}

macro_rules! xxhash_udf {
    ($name:ident, $udf:literal, $arg:expr, |$a:ident, $i:ident| $bytes:expr) => {
        fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| {
                KernelUdf::new($udf, vec![$arg, DataType::Int64], DataType::Int64, |args| {
                    let $a = &args[0];
                    let modulo = args[1].as_primitive::<Int64Type>();
                    let out: Int64Array = (0..$a.len())
                        .map(|$i| {
                            if $a.is_null($i) || modulo.is_null($i) {
                                return None;
                            }
                            let h = XxHash64::oneshot(0, &$bytes);
                            finish_hash(h, modulo.value($i))
                        })
                        .collect();
                    Ok(Arc::new(out) as ArrayRef)
                })
                .into_udf()
            }))
        }
    };
}

xxhash_udf!(
    xxhash_text_udf,
    "kql_xxhash_text",
    DataType::Utf8,
    |a, i| { a.as_string::<i32>().value(i).as_bytes() }
);
xxhash_udf!(
    xxhash_i64_udf,
    "kql_xxhash_long",
    DataType::Int64,
    |a, i| { a.as_primitive::<Int64Type>().value(i).to_le_bytes() }
);
xxhash_udf!(
    xxhash_f64_udf,
    "kql_xxhash_real",
    DataType::Float64,
    |a, i| { a.as_primitive::<Float64Type>().value(i).to_le_bytes() }
);
