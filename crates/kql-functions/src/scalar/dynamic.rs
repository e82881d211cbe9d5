//! Functions over `dynamic` values: `parse_json`, `array_length`, `bag_keys`, `bag_pack`,
//! `pack_array`, `gettype`, the `array_*`, `bag_*` and `set_*` families, `zip`, `treepath`.
//!
//! A `dynamic` value is JSON text, so each function is a kernel that parses its arguments per row
//! ([`json::Json`] keeps bag keys in written order) and writes compact JSON text back. Text that is
//! not JSON reads as the dynamic string holding it, as `parse_json` makes it; a null argument
//! reads as a null value. Functions that need an array or a bag give null for anything else.

/// Defines `fn $name() -> Arc<ScalarUDF>` returning one shared UDF (defined before the
/// submodules so that they use it too).
macro_rules! kernel_udf {
    ($name:ident, $make:expr) => {
        fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| $make.into_udf()))
        }
    };
}

mod build;
mod expand;
pub(crate) mod json;
mod ops;
mod reshape;

pub use expand::{INDEX_FIELD, mv_expand, value_field};

pub(crate) use ops::value_of;

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array, StringArray, StringBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{Expr, ScalarUDF, lit};

use self::json::Json;
use crate::udf::{KernelUdf, utf8};
use crate::{
    FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr,
};

const DYNAMIC: Param = Param::Of(KqlType::Dynamic);

/// Registers the dynamic functions.
pub(crate) fn register(r: &mut Registry) {
    reshape::register(r);
    build::register(r);
    r.add_scalar(ScalarFunction {
        name: "parse_json",
        doc: "Text read as JSON; text that is not JSON becomes a dynamic string.",
        signatures: vec![Signature::new(
            [Param::Any],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, mut args| Ok(args.remove(0).convert_to(KqlType::Dynamic)),
    });
    r.add_scalar_alias("todynamic", "parse_json");
    r.add_scalar_alias("toobject", "parse_json");
    r.add_scalar_alias("parsejson", "parse_json");

    r.add_scalar(ScalarFunction {
        name: "array_length",
        doc: "The number of elements of an array; null for anything else.",
        signatures: vec![Signature::new([DYNAMIC], Returns::Type(KqlType::Long))],
        lower: |_, _, args| Ok(array_length_udf().call(exprs(args))),
    });
    r.add_scalar_alias("arraylength", "array_length");
    r.add_scalar(ScalarFunction {
        name: "bag_keys",
        doc: "The keys of a property bag, as an array; null for anything else.",
        signatures: vec![Signature::new([DYNAMIC], Returns::Type(KqlType::Dynamic))],
        lower: |_, _, args| Ok(bag_keys_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "bag_pack",
        doc: "A property bag from alternating keys and values: `bag_pack(k1, v1, k2, v2, …)`.",
        signatures: vec![
            Signature::new([Param::Any], Returns::Type(KqlType::Dynamic))
                .optional(1)
                .variadic(),
        ],
        lower: |_, _, args| lower_bag_pack(args),
    });
    r.add_scalar_alias("pack", "bag_pack");
    r.add_scalar_alias("pack_dictionary", "bag_pack");
    r.add_scalar(ScalarFunction {
        name: "pack_array",
        doc: "A dynamic array of the values.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Dynamic)).variadic()],
        lower: |_, _, args| Ok(pack_array_udf().call(args.into_iter().map(json_value).collect())),
    });
    r.add_scalar(ScalarFunction {
        name: "gettype",
        doc: "The runtime type of the value: `string`, `long`, …; for dynamic values `array`, \
              `dictionary`, `int`, `long`, `real`, `string`, `bool` or `null`.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, mut args| {
            let a = args.remove(0);
            Ok(match a.ty {
                KqlType::Dynamic => gettype_udf().call(vec![a.expr]),
                other => lit(other.name()),
            })
        },
    });
    r.add_scalar(ScalarFunction {
        name: "array_concat",
        doc: "The arrays concatenated; null if an argument is not an array.",
        signatures: vec![Signature::new([DYNAMIC], Returns::Type(KqlType::Dynamic)).variadic()],
        lower: |_, _, args| Ok(array_concat_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "array_slice",
        doc: "The elements from `start` to `end`, both included; negative indexes count from \
              the end.",
        signatures: vec![Signature::new(
            [DYNAMIC, Param::Of(KqlType::Long), Param::Of(KqlType::Long)],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, args| Ok(array_slice_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "array_index_of",
        doc: "The 0-based index of a value in an array, -1 if absent: \
              `array_index_of(arr, value [, start [, length [, occurrence]]])`.",
        signatures: vec![
            Signature::new(
                [
                    DYNAMIC,
                    Param::Any,
                    Param::Of(KqlType::Long),
                    Param::Of(KqlType::Long),
                    Param::Of(KqlType::Long),
                ],
                Returns::Type(KqlType::Long),
            )
            .optional(3),
        ],
        lower: |_, _, args| {
            let mut args = args.into_iter();
            let mut call = Vec::with_capacity(5);
            call.extend(args.next().map(|a| a.expr));
            call.extend(args.next().map(json_value));
            call.extend(args.map(|a| a.expr));
            let defaults = [lit(0i64), lit(-1i64), lit(1i64)];
            let missing = 5usize.saturating_sub(call.len());
            call.extend(defaults.into_iter().skip(3 - missing.min(3)));
            Ok(array_index_of_udf().call(call))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "set_has_element",
        doc: "Whether the array holds the value.",
        signatures: vec![Signature::new(
            [DYNAMIC, Param::Any],
            Returns::Type(KqlType::Bool),
        )],
        lower: |_, _, args| {
            let mut args = args.into_iter();
            let call: Vec<Expr> = args
                .next()
                .map(|a| a.expr)
                .into_iter()
                .chain(args.next().map(json_value))
                .collect();
            Ok(set_has_element_udf().call(call))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "array_sum",
        doc: "The sum of a numeric array, as a real; null if an element is not a number.",
        signatures: vec![Signature::new([DYNAMIC], Returns::Type(KqlType::Real))],
        lower: |_, _, args| Ok(array_sum_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "array_reverse",
        doc: "The array in reverse order.",
        signatures: vec![Signature::new([DYNAMIC], Returns::Type(KqlType::Dynamic))],
        lower: |_, _, args| Ok(array_reverse_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "array_sort_asc",
        doc: "The array sorted ascending (numbers, datetimes, strings, the rest); nulls last \
              unless the optional `nulls_last` is false.",
        signatures: sort_signatures(),
        lower: |_, _, args| lower_sort("array_sort_asc", args, false),
    });
    r.add_scalar(ScalarFunction {
        name: "array_sort_desc",
        doc: "The array sorted descending; nulls last unless the optional `nulls_last` is false.",
        signatures: sort_signatures(),
        lower: |_, _, args| lower_sort("array_sort_desc", args, true),
    });
    r.add_scalar(ScalarFunction {
        name: "bag_has_key",
        doc: "Whether the bag has the key; the key may be a JSONPath such as `$.a.b`.",
        signatures: vec![Signature::new(
            [DYNAMIC, Param::Of(KqlType::String)],
            Returns::Type(KqlType::Bool),
        )],
        lower: |_, _, args| Ok(bag_has_key_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "bag_merge",
        doc: "The bags merged into one; the leftmost bag wins a repeated key.",
        signatures: vec![
            Signature::new([DYNAMIC, DYNAMIC], Returns::Type(KqlType::Dynamic)).variadic(),
        ],
        lower: |_, _, args| Ok(bag_merge_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "bag_remove_keys",
        doc: "The bag without the keys (or JSONPaths) in the array.",
        signatures: vec![Signature::new(
            [DYNAMIC, DYNAMIC],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, args| Ok(bag_remove_keys_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "set_union",
        doc: "The distinct values found in any of the arrays.",
        signatures: vec![
            Signature::new([DYNAMIC, DYNAMIC], Returns::Type(KqlType::Dynamic)).variadic(),
        ],
        lower: |_, _, args| Ok(set_union_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "set_intersect",
        doc: "The distinct values found in every array.",
        signatures: vec![
            Signature::new([DYNAMIC, DYNAMIC], Returns::Type(KqlType::Dynamic)).variadic(),
        ],
        lower: |_, _, args| Ok(set_intersect_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "set_difference",
        doc: "The distinct values of the first array that are in none of the others.",
        signatures: vec![
            Signature::new([DYNAMIC, DYNAMIC], Returns::Type(KqlType::Dynamic)).variadic(),
        ],
        lower: |_, _, args| Ok(set_difference_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "zip",
        doc: "An array of arrays: the elements of the inputs at each index (null where an input \
              is shorter).",
        signatures: vec![
            Signature::new([DYNAMIC, DYNAMIC], Returns::Type(KqlType::Dynamic)).variadic(),
        ],
        lower: |_, _, args| Ok(zip_udf().call(exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "treepath",
        doc: "The paths of every member of a dynamic value (`['a']`, `['a'][0]`, …).",
        signatures: vec![Signature::new([DYNAMIC], Returns::Type(KqlType::Dynamic))],
        lower: |_, _, args| Ok(treepath_udf().call(exprs(args))),
    });
}

/// The expressions of arguments that reach the lowering already typed.
fn exprs(args: Vec<TypedExpr>) -> Vec<Expr> {
    args.into_iter().map(|a| a.expr).collect()
}

/// A value as JSON text for packing into a dynamic value: strings quoted (a null string is `""`,
/// KQL strings have no null), numbers bare, datetimes and timespans as their text, dynamic values
/// as they are.
fn json_value(a: TypedExpr) -> Expr {
    match a.ty {
        KqlType::Dynamic => a.expr,
        KqlType::String => crate::scalar::conversion::to_dynamic(a.to_text(), KqlType::String),
        ty => crate::scalar::conversion::to_dynamic(a.expr, ty),
    }
}

fn lower_bag_pack(args: Vec<TypedExpr>) -> Result<Expr, FunctionError> {
    if !args.len().is_multiple_of(2) {
        return Err(crate::scalar::conditional::invalid(
            "bag_pack",
            "takes alternating keys and values (an even number of arguments)",
        ));
    }
    if args.is_empty() {
        return Ok(lit("{}"));
    }
    let call = args
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            if i % 2 == 0 {
                a.to_text()
            } else {
                json_value(a)
            }
        })
        .collect();
    Ok(bag_pack_udf().call(call))
}

fn sort_signatures() -> Vec<Signature> {
    vec![
        Signature::new([DYNAMIC, Param::Any], Returns::Type(KqlType::Dynamic))
            .optional(1)
            .variadic(),
    ]
}

/// `array_sort_asc(array [, nulls_last])`, or with several arrays `array_sort_asc(a1, a2, …
/// [, nulls_last])`: then the value is the array of the sorted arrays, which the planner splits
/// into one column per array (`a1_sorted`, …) where the call is a whole item.
fn lower_sort(
    name: &'static str,
    args: Vec<TypedExpr>,
    descending: bool,
) -> Result<Expr, FunctionError> {
    let arrays = args.iter().take_while(|a| a.ty == KqlType::Dynamic).count();
    if arrays == 0 {
        return Err(crate::scalar::conditional::invalid(name, "takes an array"));
    }
    let mut rest = args.into_iter();
    let arrays: Vec<Expr> = rest.by_ref().take(arrays).map(|a| a.expr).collect();
    let index = arrays.len();
    let nulls_last = match rest.next() {
        None => lit(true),
        Some(a) if a.ty == KqlType::Bool => a.expr,
        Some(a) => {
            return Err(FunctionError::ArgumentType {
                name: name.into(),
                index,
                expected: "a bool or another array".into(),
                got: a.ty,
            });
        }
    };
    if rest.next().is_some() {
        return Err(crate::scalar::conditional::invalid(
            name,
            "takes arrays and then at most one bool",
        ));
    }
    if arrays.len() == 1 {
        let array = arrays.into_iter().next().unwrap_or_else(|| lit(""));
        return Ok(array_sort_udf().call(vec![array, lit(descending), nulls_last]));
    }
    let mut call = vec![lit(descending), nulls_last];
    call.extend(arrays);
    Ok(array_sort_together_udf().call(call))
}

// ---------------------------------------------------------------------------------------------
// Kernels.

/// Each row of a dynamic argument parsed; null stays `None`.
fn json_column(a: &ArrayRef) -> Result<Vec<Option<Json>>> {
    let a = utf8(a)?;
    Ok(a.as_string::<i32>()
        .iter()
        .map(|v| v.map(ops::value_of))
        .collect())
}

fn longs(a: &ArrayRef) -> Result<Int64Array> {
    Ok(cast(a, &DataType::Int64)?
        .as_primitive::<Int64Type>()
        .clone())
}

fn bools(a: &ArrayRef) -> Result<BooleanArray> {
    Ok(cast(a, &DataType::Boolean)?.as_boolean().clone())
}

fn texts(a: &ArrayRef) -> Result<StringArray> {
    Ok(utf8(a)?.as_string::<i32>().clone())
}

fn json_out(rows: impl IntoIterator<Item = Option<Json>>) -> ArrayRef {
    let mut out = StringBuilder::new();
    for row in rows {
        out.append_option(row.map(|v| v.text()));
    }
    Arc::new(out.finish())
}

/// The rows of every argument, transposed: one vector of values per row.
fn rows_of(args: &[ArrayRef]) -> Result<Vec<Vec<Option<Json>>>> {
    let columns = args.iter().map(json_column).collect::<Result<Vec<_>>>()?;
    let n = columns.first().map_or(0, Vec::len);
    Ok((0..n)
        .map(|i| columns.iter().map(|c| c[i].clone()).collect())
        .collect())
}

/// A kernel over any number of dynamic arguments: null when any argument is null.
fn variadic_json(args: &[ArrayRef], f: fn(&[Option<Json>]) -> Option<Json>) -> Result<ArrayRef> {
    Ok(json_out(rows_of(args)?.into_iter().map(|row| {
        if row.iter().any(Option::is_none) {
            None
        } else {
            f(&row)
        }
    })))
}

/// A kernel over one dynamic argument.
fn unary_json(args: &[ArrayRef], f: fn(&Json) -> Option<Json>) -> Result<ArrayRef> {
    let Some(a) = args.first() else {
        return exec_err!("a dynamic function got no argument");
    };
    Ok(json_out(
        json_column(a)?.into_iter().map(|v| v.and_then(|v| f(&v))),
    ))
}

fn dyn_type() -> DataType {
    DataType::Utf8
}

kernel_udf!(
    array_length_udf,
    KernelUdf::new("kql_array_length", vec![dyn_type()], DataType::Int64, |a| {
        let out: Int64Array = json_column(&a[0])?
            .into_iter()
            .map(|v| v.as_ref().and_then(ops::array_length))
            .collect();
        Ok(Arc::new(out))
    })
);

kernel_udf!(
    bag_keys_udf,
    KernelUdf::new("kql_bag_keys", vec![dyn_type()], dyn_type(), |a| {
        unary_json(a, ops::bag_keys)
    })
);

kernel_udf!(
    array_reverse_udf,
    KernelUdf::new("kql_array_reverse", vec![dyn_type()], dyn_type(), |a| {
        unary_json(a, ops::array_reverse)
    })
);

kernel_udf!(
    treepath_udf,
    KernelUdf::new("kql_treepath", vec![dyn_type()], dyn_type(), |a| {
        unary_json(a, ops::treepath)
    })
);

kernel_udf!(
    bag_pack_udf,
    KernelUdf::any_args("kql_bag_pack", dyn_type(), |a| {
        let keys = a.iter().step_by(2).map(texts).collect::<Result<Vec<_>>>()?;
        let values = a
            .iter()
            .skip(1)
            .step_by(2)
            .map(json_column)
            .collect::<Result<Vec<_>>>()?;
        let n = keys.first().map_or(0, Array::len);
        Ok(json_out((0..n).map(|i| {
            Some(ops::bag_pack(keys.iter().zip(&values).map(|(k, v)| {
                let key = if k.is_null(i) {
                    String::new()
                } else {
                    k.value(i).to_string()
                };
                (key, v[i].clone().unwrap_or(Json::Null))
            })))
        })))
    })
);

kernel_udf!(
    pack_array_udf,
    KernelUdf::any_args("kql_pack_array", dyn_type(), |a| {
        Ok(json_out(rows_of(a)?.into_iter().map(|row| {
            Some(Json::Array(
                row.into_iter().map(|v| v.unwrap_or(Json::Null)).collect(),
            ))
        })))
    })
);

kernel_udf!(
    gettype_udf,
    KernelUdf::new("kql_gettype", vec![dyn_type()], DataType::Utf8, |a| {
        let out: StringArray = json_column(&a[0])?
            .iter()
            .map(|v| Some(ops::type_name(v.as_ref())))
            .collect();
        Ok(Arc::new(out))
    })
);

kernel_udf!(
    array_concat_udf,
    KernelUdf::any_args("kql_array_concat", dyn_type(), |a| {
        variadic_json(a, ops::array_concat)
    })
);

kernel_udf!(
    array_slice_udf,
    KernelUdf::new(
        "kql_array_slice",
        vec![dyn_type(), DataType::Int64, DataType::Int64],
        dyn_type(),
        |a| {
            let (start, end) = (longs(&a[1])?, longs(&a[2])?);
            Ok(json_out(json_column(&a[0])?.into_iter().enumerate().map(
                |(i, v)| {
                    if start.is_null(i) || end.is_null(i) {
                        return None;
                    }
                    ops::array_slice(&v?, start.value(i), end.value(i))
                },
            )))
        }
    )
);

kernel_udf!(
    array_index_of_udf,
    KernelUdf::new(
        "kql_array_index_of",
        vec![
            dyn_type(),
            dyn_type(),
            DataType::Int64,
            DataType::Int64,
            DataType::Int64
        ],
        DataType::Int64,
        |a| {
            let arrays = json_column(&a[0])?;
            let values = json_column(&a[1])?;
            let (start, length, occurrence) = (longs(&a[2])?, longs(&a[3])?, longs(&a[4])?);
            let out: Int64Array = arrays
                .iter()
                .zip(&values)
                .enumerate()
                .map(|(i, (arr, value))| {
                    if start.is_null(i) || length.is_null(i) || occurrence.is_null(i) {
                        return None;
                    }
                    let value = value.clone().unwrap_or(Json::Null);
                    ops::array_index_of(
                        arr.as_ref()?,
                        &value,
                        start.value(i),
                        length.value(i),
                        occurrence.value(i),
                    )
                })
                .collect();
            Ok(Arc::new(out))
        }
    )
);

kernel_udf!(
    set_has_element_udf,
    KernelUdf::new(
        "kql_set_has_element",
        vec![dyn_type(), dyn_type()],
        DataType::Boolean,
        |a| {
            let arrays = json_column(&a[0])?;
            let values = json_column(&a[1])?;
            let out: BooleanArray = arrays
                .iter()
                .zip(&values)
                .map(|(arr, value)| {
                    let value = value.clone().unwrap_or(Json::Null);
                    ops::array_index_of(arr.as_ref()?, &value, 0, -1, 1).map(|i| i >= 0)
                })
                .collect();
            Ok(Arc::new(out))
        }
    )
);

kernel_udf!(
    array_sum_udf,
    KernelUdf::new("kql_array_sum", vec![dyn_type()], DataType::Float64, |a| {
        let out: Float64Array = json_column(&a[0])?
            .iter()
            .map(|v| v.as_ref().and_then(ops::array_sum))
            .collect();
        Ok(Arc::new(out))
    })
);

kernel_udf!(
    array_sort_udf,
    KernelUdf::new(
        "kql_array_sort",
        vec![dyn_type(), DataType::Boolean, DataType::Boolean],
        dyn_type(),
        |a| {
            let (descending, nulls_last) = (bools(&a[1])?, bools(&a[2])?);
            Ok(json_out(json_column(&a[0])?.into_iter().enumerate().map(
                |(i, v)| {
                    let desc = descending.is_valid(i) && descending.value(i);
                    let last = nulls_last.is_null(i) || nulls_last.value(i);
                    ops::array_sort(&v?, desc, last)
                },
            )))
        }
    )
);

kernel_udf!(
    array_sort_together_udf,
    KernelUdf::any_args("kql_array_sort_together", dyn_type(), |a| {
        let (descending, nulls_last) = (bools(&a[0])?, bools(&a[1])?);
        let columns = a[2..].iter().map(json_column).collect::<Result<Vec<_>>>()?;
        let rows = descending.len();
        Ok(json_out((0..rows).map(|i| {
            let desc = descending.is_valid(i) && descending.value(i);
            let last = nulls_last.is_null(i) || nulls_last.value(i);
            let arrays: Vec<Option<Json>> = columns.iter().map(|c| c[i].clone()).collect();
            ops::array_sort_together(&arrays, desc, last)
        })))
    })
);

kernel_udf!(
    bag_has_key_udf,
    KernelUdf::new(
        "kql_bag_has_key",
        vec![dyn_type(), DataType::Utf8],
        DataType::Boolean,
        |a| {
            let keys = texts(&a[1])?;
            let out: BooleanArray = json_column(&a[0])?
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let key = if keys.is_null(i) { "" } else { keys.value(i) };
                    v.as_ref().map(|v| ops::bag_has_key(v, key))
                })
                .collect();
            Ok(Arc::new(out))
        }
    )
);

kernel_udf!(
    bag_merge_udf,
    KernelUdf::any_args("kql_bag_merge", dyn_type(), |a| {
        Ok(json_out(rows_of(a)?.iter().map(|row| ops::bag_merge(row))))
    })
);

kernel_udf!(
    bag_remove_keys_udf,
    KernelUdf::new(
        "kql_bag_remove_keys",
        vec![dyn_type(), dyn_type()],
        dyn_type(),
        |a| {
            let keys = json_column(&a[1])?;
            Ok(json_out(json_column(&a[0])?.iter().zip(&keys).map(
                |(bag, keys)| ops::bag_remove_keys(bag.as_ref()?, keys.as_ref()),
            )))
        }
    )
);

kernel_udf!(
    set_union_udf,
    KernelUdf::any_args("kql_set_union", dyn_type(), |a| {
        variadic_json(a, ops::set_union)
    })
);

kernel_udf!(
    set_intersect_udf,
    KernelUdf::any_args("kql_set_intersect", dyn_type(), |a| {
        variadic_json(a, ops::set_intersect)
    })
);

kernel_udf!(
    set_difference_udf,
    KernelUdf::any_args("kql_set_difference", dyn_type(), |a| {
        variadic_json(a, ops::set_difference)
    })
);

kernel_udf!(
    zip_udf,
    KernelUdf::any_args("kql_zip", dyn_type(), |a| { variadic_json(a, ops::zip) })
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::testing::{arg, call, l, s};

    fn d(text: &str) -> TypedExpr {
        arg(text, KqlType::Dynamic)
    }

    fn null_d() -> TypedExpr {
        arg(ScalarValue::Utf8(None), KqlType::Dynamic)
    }

    fn text(v: &str) -> ScalarValue {
        ScalarValue::Utf8(Some(v.into()))
    }

    fn long(v: i64) -> ScalarValue {
        ScalarValue::Int64(Some(v))
    }

    fn boolean(v: bool) -> ScalarValue {
        ScalarValue::Boolean(Some(v))
    }

    #[test]
    fn array_length_counts_elements() {
        // KQL docs: array_length(dynamic([1, 2, 3, "four"])) is 4.
        assert_eq!(
            call("array_length", vec![d(r#"[1, 2, 3, "four"]"#)]),
            long(4)
        );
        assert_eq!(call("array_length", vec![d("[]")]), long(0));
        // Not an array: null.
        assert_eq!(
            call("array_length", vec![d(r#"{"a":1}"#)]),
            ScalarValue::Int64(None)
        );
        assert_eq!(call("array_length", vec![d("5")]), ScalarValue::Int64(None));
        assert_eq!(
            call("array_length", vec![null_d()]),
            ScalarValue::Int64(None)
        );
        assert_eq!(call("arraylength", vec![d("[1]")]), long(1));
    }

    #[test]
    fn bag_keys_follow_the_docs_table() {
        assert_eq!(
            call("bag_keys", vec![d(r#"{"a":"b", "c":123}"#)]),
            text(r#"["a","c"]"#)
        );
        assert_eq!(
            call("bag_keys", vec![d(r#"{"a":"b","c":[{"d":123}]}"#)]),
            text(r#"["a","c"]"#)
        );
        assert_eq!(call("bag_keys", vec![d("{}")]), text("[]"));
        assert_eq!(call("bag_keys", vec![null_d()]), ScalarValue::Utf8(None));
        assert_eq!(call("bag_keys", vec![d(r#""a""#)]), ScalarValue::Utf8(None));
        assert_eq!(call("bag_keys", vec![d("[]")]), ScalarValue::Utf8(None));
        // Keys stay in written order, not sorted.
        assert_eq!(
            call("bag_keys", vec![d(r#"{"z":1,"a":2}"#)]),
            text(r#"["z","a"]"#)
        );
    }

    #[test]
    fn bag_pack_builds_bags_in_order() {
        // KQL docs: bag_pack("Level", "Information", "ProcessID", 1234, "Data",
        // bag_pack("url", "www.bing.com")).
        let inner = TypedExpr::new(
            call_expr("bag_pack", vec![s("url"), s("www.bing.com")]),
            KqlType::Dynamic,
        );
        assert_eq!(
            call(
                "bag_pack",
                vec![
                    s("Level"),
                    s("Information"),
                    s("ProcessID"),
                    l(1234),
                    s("Data"),
                    inner
                ]
            ),
            text(r#"{"Level":"Information","ProcessID":1234,"Data":{"url":"www.bing.com"}}"#)
        );
        // KQL docs: bag_pack("Dest", Destination, "Text", Message) with an int and a string.
        assert_eq!(
            call(
                "pack",
                vec![s("Dest"), arg(100i32, KqlType::Int), s("Text"), s("Hi")]
            ),
            text(r#"{"Dest":100,"Text":"Hi"}"#)
        );
        // A null string packs as "" (KQL strings have no null); other nulls as null.
        assert_eq!(
            call(
                "bag_pack",
                vec![
                    s("s"),
                    arg(ScalarValue::Utf8(None), KqlType::String),
                    s("n"),
                    arg(ScalarValue::Int64(None), KqlType::Long),
                    s("b"),
                    arg(true, KqlType::Bool),
                    s("d"),
                    null_d()
                ]
            ),
            text(r#"{"s":"","n":null,"b":true,"d":null}"#)
        );
        assert_eq!(call("bag_pack", vec![]), text("{}"));
    }

    #[test]
    fn bag_pack_needs_pairs() {
        let registry = Registry::new();
        let resolved = registry
            .resolve_scalar("bag_pack", &[KqlType::String])
            .expect("resolves");
        let ctx = crate::LowerContext {
            now_nanos: crate::testing::TEST_NOW_NANOS,
        };
        assert!(
            registry
                .lower_scalar(&resolved, &ctx, vec![s("a")])
                .is_err()
        );
    }

    /// The lowered expression of a call, for nesting.
    fn call_expr(name: &str, args: Vec<TypedExpr>) -> Expr {
        let registry = Registry::new();
        let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
        let resolved = registry.resolve_scalar(name, &types).expect("resolves");
        let ctx = crate::LowerContext {
            now_nanos: crate::testing::TEST_NOW_NANOS,
        };
        registry
            .lower_scalar(&resolved, &ctx, args)
            .expect("lowers")
            .expr
    }

    #[test]
    fn pack_array_types_its_values() {
        // KQL docs: pack_array(x, y, z) of longs is [1,2,4].
        assert_eq!(call("pack_array", vec![l(1), l(2), l(4)]), text("[1,2,4]"));
        // KQL docs: pack_array(x, tostring(x * 2), (x * 2) * 1s) is [1,"2","00:00:02"].
        assert_eq!(
            call(
                "pack_array",
                vec![
                    l(1),
                    s("2"),
                    arg(
                        ScalarValue::DurationNanosecond(Some(2_000_000_000)),
                        KqlType::Timespan
                    )
                ]
            ),
            text(r#"[1,"2","00:00:02"]"#)
        );
        let dt = arg(
            ScalarValue::TimestampNanosecond(Some(1_483_228_800_000_000_000), Some("UTC".into())),
            KqlType::Datetime,
        );
        assert_eq!(
            call(
                "pack_array",
                vec![
                    dt,
                    d(r#"{"a": [1, 2]}"#),
                    arg(ScalarValue::Int64(None), KqlType::Long)
                ]
            ),
            text(r#"["2017-01-01T00:00:00Z",{"a":[1,2]},null]"#)
        );
    }

    #[test]
    fn gettype_follows_the_docs_table() {
        assert_eq!(call("gettype", vec![s("a")]), text("string"));
        assert_eq!(call("gettype", vec![l(111)]), text("long"));
        assert_eq!(
            call("gettype", vec![arg(true, KqlType::Bool)]),
            text("bool")
        );
        let now = arg(
            ScalarValue::TimestampNanosecond(Some(0), Some("UTC".into())),
            KqlType::Datetime,
        );
        assert_eq!(call("gettype", vec![now]), text("datetime"));
        let second = arg(
            ScalarValue::DurationNanosecond(Some(1_000_000_000)),
            KqlType::Timespan,
        );
        assert_eq!(call("gettype", vec![second]), text("timespan"));
        assert_eq!(call("gettype", vec![d("1")]), text("int"));
        assert_eq!(call("gettype", vec![d(r#" "abc" "#)]), text("string"));
        assert_eq!(
            call("gettype", vec![d(r#" {"abc":1} "#)]),
            text("dictionary")
        );
        assert_eq!(call("gettype", vec![d(" [1, 2, 3] ")]), text("array"));
        assert_eq!(
            call("gettype", vec![arg(123.45, KqlType::Real)]),
            text("real")
        );
        assert_eq!(
            call(
                "gettype",
                vec![arg("12e8b78d-55b4-46ae-b068-26d7a0080254", KqlType::Guid)]
            ),
            text("guid")
        );
        assert_eq!(call("gettype", vec![null_d()]), text("null"));
        // Own edge cases: JSON kinds the table does not list.
        assert_eq!(call("gettype", vec![d("null")]), text("null"));
        assert_eq!(call("gettype", vec![d("2.5")]), text("real"));
        assert_eq!(call("gettype", vec![d("12345678901")]), text("long"));
        assert_eq!(call("gettype", vec![d("false")]), text("bool"));
    }

    #[test]
    fn array_concat_joins_arrays() {
        // KQL docs: array_concat(pack_array(1,2,4), pack_array(1,2)) is [1,2,4,1,2].
        assert_eq!(
            call("array_concat", vec![d("[1,2,4]"), d("[1,2]")]),
            text("[1,2,4,1,2]")
        );
        assert_eq!(call("array_concat", vec![d("[1]")]), text("[1]"));
        assert_eq!(
            call("array_concat", vec![d("[1]"), d(r#"{"a":1}"#)]),
            ScalarValue::Utf8(None)
        );
        assert_eq!(
            call("array_concat", vec![d("[1]"), null_d()]),
            ScalarValue::Utf8(None)
        );
    }

    #[test]
    fn array_slice_follows_the_docs() {
        assert_eq!(
            call("array_slice", vec![d("[1,2,3]"), l(1), l(2)]),
            text("[2,3]")
        );
        assert_eq!(
            call("array_slice", vec![d("[1,2,3,4,5]"), l(2), l(-1)]),
            text("[3,4,5]")
        );
        assert_eq!(
            call("array_slice", vec![d("[1,2,3,4,5]"), l(-3), l(-2)]),
            text("[3,4]")
        );
        // Out-of-bounds ends are ignored (clamped); an empty range is an empty array.
        assert_eq!(
            call("array_slice", vec![d("[1,2,3]"), l(1), l(10)]),
            text("[2,3]")
        );
        assert_eq!(
            call("array_slice", vec![d("[1,2,3]"), l(-10), l(0)]),
            text("[1]")
        );
        assert_eq!(
            call("array_slice", vec![d("[1,2,3]"), l(2), l(1)]),
            text("[]")
        );
        assert_eq!(
            call("array_slice", vec![d("[1,2,3]"), l(5), l(7)]),
            text("[]")
        );
        assert_eq!(
            call("array_slice", vec![d(r#""x""#), l(0), l(1)]),
            ScalarValue::Utf8(None)
        );
        // An int index converts to long.
        assert_eq!(
            call(
                "array_slice",
                vec![
                    d("[1,2,3]"),
                    arg(0i32, KqlType::Int),
                    arg(0i32, KqlType::Int)
                ]
            ),
            text("[1]")
        );
    }

    #[test]
    fn array_index_of_follows_the_docs() {
        let arr = || d(r#"["this", "is", "an", "example", "an", "example"]"#);
        assert_eq!(call("array_index_of", vec![arr(), s("an")]), long(2));
        assert_eq!(
            call("array_index_of", vec![arr(), s("example"), l(1), l(3)]),
            long(3)
        );
        assert_eq!(
            call("array_index_of", vec![arr(), s("example"), l(1), l(2)]),
            long(-1)
        );
        assert_eq!(
            call("array_index_of", vec![arr(), s("is"), l(2), l(4)]),
            long(-1)
        );
        assert_eq!(
            call("array_index_of", vec![arr(), s("example"), l(2), l(-1)]),
            long(3)
        );
        assert_eq!(
            call("array_index_of", vec![arr(), s("an"), l(1), l(-1), l(2)]),
            long(4)
        );
        assert_eq!(
            call("array_index_of", vec![arr(), s("an"), l(1), l(-1), l(3)]),
            long(-1)
        );
        assert_eq!(call("array_index_of", vec![arr(), s("an"), l(-3)]), long(4));
        assert_eq!(
            call("array_index_of", vec![arr(), s("is"), l(-4)]),
            long(-1)
        );
        // Null for occurrence < 0 or length < -1.
        assert_eq!(
            call("array_index_of", vec![arr(), s("an"), l(0), l(-1), l(-1)]),
            ScalarValue::Int64(None)
        );
        assert_eq!(
            call("array_index_of", vec![arr(), s("an"), l(0), l(-2)]),
            ScalarValue::Int64(None)
        );
        // Numbers compare by value.
        assert_eq!(
            call("array_index_of", vec![d("[1, 2.0, 3]"), l(2)]),
            long(1)
        );
        assert_eq!(
            call("array_index_of", vec![d("[1,2]"), arg(true, KqlType::Bool)]),
            long(-1)
        );
    }

    #[test]
    fn set_has_element_finds_values() {
        // KQL docs: set_has_element(dynamic(["this", "is", "an", "example"]), "example").
        assert_eq!(
            call(
                "set_has_element",
                vec![d(r#"["this", "is", "an", "example"]"#), s("example")]
            ),
            boolean(true)
        );
        assert_eq!(
            call("set_has_element", vec![d("[1,2]"), l(3)]),
            boolean(false)
        );
        assert_eq!(
            call("set_has_element", vec![d(r#"{"a":1}"#), l(1)]),
            ScalarValue::Boolean(None)
        );
    }

    #[test]
    fn array_sum_adds_numbers() {
        // KQL docs: array_sum(dynamic([1,2,3,4])) is 10.
        assert_eq!(
            call("array_sum", vec![d("[1,2,3,4]")]),
            ScalarValue::Float64(Some(10.0))
        );
        assert_eq!(
            call("array_sum", vec![d("[1.5,2]")]),
            ScalarValue::Float64(Some(3.5))
        );
        // A non-numeric element makes the result null.
        assert_eq!(
            call("array_sum", vec![d(r#"[1,"a"]"#)]),
            ScalarValue::Float64(None)
        );
        assert_eq!(call("array_sum", vec![d("5")]), ScalarValue::Float64(None));
    }

    #[test]
    fn array_sort_follows_the_docs() {
        assert_eq!(
            call("array_sort_asc", vec![d("[1,3,4,5,2]")]),
            text("[1,2,3,4,5]")
        );
        assert_eq!(
            call("array_sort_desc", vec![d("[1,3,4,5,2]")]),
            text("[5,4,3,2,1]")
        );
        assert_eq!(
            call("array_sort_asc", vec![d(r#"["John","Paul","Jane","Kao"]"#)]),
            text(r#"["Jane","John","Kao","Paul"]"#)
        );
        let colors = || d(r#"[null,"blue","yellow","green",null]"#);
        assert_eq!(
            call("array_sort_asc", vec![colors()]),
            text(r#"["blue","green","yellow",null,null]"#)
        );
        assert_eq!(
            call("array_sort_asc", vec![colors(), arg(false, KqlType::Bool)]),
            text(r#"[null,null,"blue","green","yellow"]"#)
        );
        assert_eq!(
            call("array_sort_desc", vec![colors()]),
            text(r#"["yellow","green","blue",null,null]"#)
        );
        assert_eq!(
            call("array_sort_desc", vec![colors(), arg(false, KqlType::Bool)]),
            text(r#"[null,null,"yellow","green","blue"]"#)
        );
        // Mixed kinds: numbers, then strings, then the rest.
        assert_eq!(
            call("array_sort_asc", vec![d(r#"[true,"b",2,"a",1.5]"#)]),
            text(r#"[1.5,2,"a","b",true]"#)
        );
        // Datetimes (ISO text) order as times.
        assert_eq!(
            call(
                "array_sort_asc",
                vec![d(
                    r#"["2019-07-15T00:00:00Z","2019-07-02T00:00:00.5Z","2019-07-02T00:00:00Z"]"#
                )]
            ),
            text(r#"["2019-07-02T00:00:00Z","2019-07-02T00:00:00.5Z","2019-07-15T00:00:00Z"]"#)
        );
    }

    #[test]
    fn bag_has_key_follows_the_docs() {
        assert_eq!(
            call(
                "bag_has_key",
                vec![d(r#"{"key1" : 123, "key2": "abc"}"#), s("key2")]
            ),
            boolean(true)
        );
        assert_eq!(
            call(
                "bag_has_key",
                vec![d(r#"{"key1" : 123, "key3": "abc"}"#), s("key2")]
            ),
            boolean(false)
        );
        let nested =
            || d(r#"{"key1": 123, "key2": {"prop1" : "abc", "prop2": "xyz"}, "key3": [100, 200]}"#);
        assert_eq!(
            call("bag_has_key", vec![nested(), s("$.key2.prop1")]),
            boolean(true)
        );
        assert_eq!(
            call("bag_has_key", vec![nested(), s("$['key2']['prop2']")]),
            boolean(true)
        );
        assert_eq!(
            call("bag_has_key", vec![nested(), s("$.key2.prop3")]),
            boolean(false)
        );
        assert_eq!(call("bag_has_key", vec![d("[1]"), s("a")]), boolean(false));
    }

    #[test]
    fn bag_merge_keeps_the_leftmost_value() {
        assert_eq!(
            call(
                "bag_merge",
                vec![
                    d(r#"{"A1":12, "B1":2, "C1":3}"#),
                    d(r#"{"A2":81, "B2":82, "A1":1}"#)
                ]
            ),
            text(r#"{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}"#)
        );
        assert_eq!(
            call("bag_merge", vec![null_d(), d(r#"{"a":1}"#), d("[1]")]),
            text(r#"{"a":1}"#)
        );
        assert_eq!(
            call("bag_merge", vec![null_d(), d("3")]),
            ScalarValue::Utf8(None)
        );
    }

    #[test]
    fn bag_remove_keys_follows_the_docs() {
        assert_eq!(
            call(
                "bag_remove_keys",
                vec![
                    d(r#"{"key1" : 123, "key2": "abc"}"#),
                    d(r#"["key2", "key4"]"#)
                ]
            ),
            text(r#"{"key1":123}"#)
        );
        assert_eq!(
            call(
                "bag_remove_keys",
                vec![
                    d(r#"{"key1" : "value", "key3": 42.0}"#),
                    d(r#"["key2", "key4"]"#)
                ]
            ),
            text(r#"{"key1":"value","key3":42.0}"#)
        );
        assert_eq!(
            call(
                "bag_remove_keys",
                vec![
                    d(
                        r#"{"key1": 123, "key2": {"prop1" : "abc", "prop2": "xyz"}, "key3": [100, 200]}"#
                    ),
                    d(r#"["$.key2.prop1", "key3"]"#)
                ]
            ),
            text(r#"{"key1":123,"key2":{"prop2":"xyz"}}"#)
        );
        assert_eq!(
            call("bag_remove_keys", vec![d("[1]"), d(r#"["a"]"#)]),
            ScalarValue::Utf8(None)
        );
    }

    #[test]
    fn set_functions_follow_the_docs() {
        assert_eq!(
            call("set_union", vec![d("[1,2,1,4]"), d("[1,2]"), d("[8]")]),
            text("[1,2,4,8]")
        );
        let arr1 = || d(r#"["A4", "A2", "A7", "A2"]"#);
        assert_eq!(
            call("set_union", vec![arr1(), arr1()]),
            text(r#"["A4","A2","A7"]"#)
        );
        assert_eq!(
            call(
                "set_intersect",
                vec![d("[1,2,1,4]"), d("[1,2]"), d("[8,1]")]
            ),
            text("[1]")
        );
        assert_eq!(
            call("set_intersect", vec![d("[1, 2, 3]"), d("[4,5]")]),
            text("[]")
        );
        assert_eq!(
            call(
                "set_difference",
                vec![d("[1,2,1,4]"), d("[1,2]"), d("[1,2,8]")]
            ),
            text("[4]")
        );
        assert_eq!(
            call("set_difference", vec![d("[1,2,3]"), d("[1,2,3]")]),
            text("[]")
        );
        assert_eq!(
            call("set_union", vec![d("[1]"), d(r#""x""#)]),
            ScalarValue::Utf8(None)
        );
    }

    #[test]
    fn zip_follows_the_docs() {
        assert_eq!(
            call("zip", vec![d("[1,3,5]"), d("[2,4,6]")]),
            text("[[1,2],[3,4],[5,6]]")
        );
        assert_eq!(
            call("zip", vec![d(r#"["A", 1, 1.5]"#), d(r#"[{}, "B"]"#)]),
            text(r#"[["A",{}],[1,"B"],[1.5,null]]"#)
        );
        assert_eq!(
            call("zip", vec![d("[1,2,3]"), d(r#"["one","two","three"]"#)]),
            text(r#"[[1,"one"],[2,"two"],[3,"three"]]"#)
        );
    }

    #[test]
    fn treepath_follows_the_docs() {
        assert_eq!(
            call("treepath", vec![d(r#"{"a":"b", "c":123}"#)]),
            text(r#"["['a']","['c']"]"#)
        );
        assert_eq!(
            call(
                "treepath",
                vec![d(r#"{"prop1":[1,2,3,4], "prop2":"value2"}"#)]
            ),
            text(r#"["['prop1']","['prop1'][0]","['prop2']"]"#)
        );
        assert_eq!(
            call(
                "treepath",
                vec![d(r#"{"listProperty":[100,200,300,"abcde",{"x":"y"}]}"#)]
            ),
            text(r#"["['listProperty']","['listProperty'][0]","['listProperty'][0]['x']"]"#)
        );
    }

    #[test]
    fn array_reverse_reverses() {
        assert_eq!(
            call("array_reverse", vec![d(r#"[1,"a",{"b":2}]"#)]),
            text(r#"[{"b":2},"a",1]"#)
        );
    }

    #[test]
    fn sorting_several_arrays_orders_them_as_the_first() {
        // KQL docs: the first array sorted, the others in the same order; null for an array of
        // another length.
        assert_eq!(
            call(
                "array_sort_asc",
                vec![d("[1,3,4,5,2]"), d(r#"["a","b","c","d","e"]"#)]
            ),
            text(r#"[[1,2,3,4,5],["a","e","b","c","d"]]"#)
        );
        assert_eq!(
            call(
                "array_sort_desc",
                vec![d("[1,null,2]"), d("[7,8]"), d("[1,2,3]")]
            ),
            text("[[2,1,null],null,[3,1,2]]")
        );
    }
}
