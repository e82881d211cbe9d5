//! Functions that build dynamic arrays and bags from other values: `range`, `bag_zip`.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, cast as cast_expr};
use datafusion::prelude::lit;
use kql_parser::temporal;

use super::json::Json;
use crate::udf::{KernelUdf, utf8};
use crate::{FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// The most elements `range()` makes (the KQL documentation's limit).
const RANGE_LIMIT: usize = 1_048_576;

/// Registers `range` and `bag_zip`.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "range",
        doc: "A dynamic array of the values from start to stop (inclusive) by step (1 by default), at most 1,048,576 of them.",
        signatures: vec![
            Signature::new([Param::Orderable, Param::Orderable, Param::Orderable], Returns::Type(KqlType::Dynamic))
                .optional(1),
        ],
        lower: |_, _, args| {
            let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
            let mut exprs: Vec<_> = args.into_iter().map(|a| a.expr).collect();
            let (udf, arg_type, default_step) = match types.as_slice() {
                [KqlType::Datetime, KqlType::Datetime, ..] => (range_udf(Kind::Datetime), None, None),
                [KqlType::Timespan, KqlType::Timespan, ..] => (range_udf(Kind::Timespan), None, None),
                t if t.iter().all(|t| t.is_integer()) => {
                    (range_udf(Kind::Long), Some(DataType::Int64), Some(lit(1i64)))
                }
                t if t.iter().all(|t| t.is_numeric()) => {
                    (range_udf(Kind::Real), Some(DataType::Float64), Some(lit(1.0f64)))
                }
                _ => {
                    return Err(FunctionError::Invalid {
                        name: "range".into(),
                        message: "takes numbers, datetimes with a timespan step, or timespans".into(),
                    });
                }
            };
            if exprs.len() == 2 {
                match default_step {
                    Some(step) => exprs.push(step),
                    None => {
                        return Err(FunctionError::Invalid {
                            name: "range".into(),
                            message: "a range of datetimes or timespans needs a step".into(),
                        });
                    }
                }
            }
            if let Some(t) = arg_type {
                exprs = exprs.into_iter().map(|e| cast_expr(e, t.clone())).collect();
            }
            Ok(udf.call(exprs))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "bag_zip",
        doc: "A bag of keys[i]: values[i]; non-string keys are skipped, missing values are null.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Dynamic), Param::Of(KqlType::Dynamic)],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, args| Ok(bag_zip_udf().call(args.into_iter().map(|a| a.expr).collect())),
    });
}

#[derive(Clone, Copy)]
enum Kind {
    Long,
    Real,
    Datetime,
    Timespan,
}

fn range_udf(kind: Kind) -> Arc<ScalarUDF> {
    static UDFS: OnceLock<[Arc<ScalarUDF>; 4]> = OnceLock::new();
    let all = UDFS.get_or_init(|| {
        [
            KernelUdf::any_args("kql_range_long", DataType::Utf8, |a| {
                range_kernel(a, Kind::Long)
            })
            .into_udf(),
            KernelUdf::any_args("kql_range_real", DataType::Utf8, |a| {
                range_kernel(a, Kind::Real)
            })
            .into_udf(),
            KernelUdf::any_args("kql_range_datetime", DataType::Utf8, |a| {
                range_kernel(a, Kind::Datetime)
            })
            .into_udf(),
            KernelUdf::any_args("kql_range_timespan", DataType::Utf8, |a| {
                range_kernel(a, Kind::Timespan)
            })
            .into_udf(),
        ]
    });
    Arc::clone(&all[kind as usize])
}

/// The arguments as numbers of one kind: i64 (longs, and nanoseconds for datetimes and
/// timespans) or f64.
fn range_kernel(args: &[ArrayRef], kind: Kind) -> Result<ArrayRef> {
    let rows = args.first().map_or(0, |a| a.len());
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    let as_i64 = |a: &ArrayRef| -> Result<ArrayRef> { Ok(cast(a, &DataType::Int64)?) };
    match kind {
        Kind::Real => {
            let v: Vec<_> = args
                .iter()
                .map(|a| cast(a, &DataType::Float64))
                .collect::<std::result::Result<_, _>>()?;
            let (s, e, st) = (
                v[0].as_primitive::<Float64Type>(),
                v[1].as_primitive::<Float64Type>(),
                v[2].as_primitive::<Float64Type>(),
            );
            for row in 0..rows {
                if s.is_null(row) || e.is_null(row) || st.is_null(row) || st.value(row) == 0.0 {
                    out.append_null();
                    continue;
                }
                let (start, stop, step) = (s.value(row), e.value(row), st.value(row));
                let mut items = Vec::new();
                let mut k = 0usize;
                while items.len() < RANGE_LIMIT {
                    let x = start + step * k as f64;
                    if (step > 0.0 && x > stop) || (step < 0.0 && x < stop) {
                        break;
                    }
                    items.push(serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number));
                    k += 1;
                }
                out.append_value(Json::Array(items).text());
            }
        }
        _ => {
            let v: Vec<ArrayRef> = args.iter().map(as_i64).collect::<Result<_>>()?;
            let (s, e, st) = (
                v[0].as_primitive::<Int64Type>(),
                v[1].as_primitive::<Int64Type>(),
                v[2].as_primitive::<Int64Type>(),
            );
            for row in 0..rows {
                if s.is_null(row) || e.is_null(row) || st.is_null(row) || st.value(row) == 0 {
                    out.append_null();
                    continue;
                }
                let (start, stop, step) = (s.value(row), e.value(row), st.value(row));
                let mut items = Vec::new();
                let mut x = start;
                while items.len() < RANGE_LIMIT
                    && ((step > 0 && x <= stop) || (step < 0 && x >= stop))
                {
                    items.push(match kind {
                        Kind::Datetime => {
                            Json::String(temporal::format_datetime_full(x.div_euclid(100)))
                        }
                        Kind::Timespan => Json::String(temporal::format_timespan(x / 100)),
                        _ => Json::Number(x.into()),
                    });
                    match x.checked_add(step) {
                        Some(next) => x = next,
                        None => break,
                    }
                }
                out.append_value(Json::Array(items).text());
            }
        }
    }
    Ok(Arc::new(out.finish()))
}

fn bag_zip_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    Arc::clone(UDF.get_or_init(|| {
        KernelUdf::new(
            "kql_bag_zip",
            vec![DataType::Utf8, DataType::Utf8],
            DataType::Utf8,
            |a| {
                let keys = utf8(&a[0])?;
                let values = utf8(&a[1])?;
                let (keys, values) = (keys.as_string::<i32>(), values.as_string::<i32>());
                let mut out = StringBuilder::with_capacity(keys.len(), keys.len() * 16);
                for row in 0..keys.len() {
                    let key_list = (!keys.is_null(row))
                        .then(|| Json::parse(keys.value(row)))
                        .flatten();
                    let Some(Json::Array(key_list)) = key_list else {
                        out.append_null();
                        continue;
                    };
                    let value_list = match (!values.is_null(row))
                        .then(|| Json::parse(values.value(row)))
                        .flatten()
                    {
                        Some(Json::Array(v)) => v,
                        _ => Vec::new(),
                    };
                    let entries = key_list
                        .into_iter()
                        .enumerate()
                        .filter_map(|(i, k)| match k {
                            Json::String(k) => {
                                Some((k, value_list.get(i).cloned().unwrap_or(Json::Null)))
                            }
                            _ => None,
                        })
                        .collect();
                    out.append_value(Json::Object(entries).text());
                }
                Ok(Arc::new(out.finish()))
            },
        )
        .into_udf()
    }))
}
