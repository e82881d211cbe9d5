//! Functions that move an array's elements or set a bag's key: `array_rotate_left/right`,
//! `array_shift_left/right`, `array_split`, `array_iff`, `bag_set_key`, `jaccard_index`.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, Float64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::{ScalarUDF, lit};

use super::json::Json;
use super::{dyn_type, exprs, json_column, json_out, json_value, longs, ops};
use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

const DYNAMIC: Param = Param::Of(KqlType::Dynamic);
const LONG: Param = Param::Of(KqlType::Long);

pub(super) fn register(r: &mut Registry) {
    let shift = || {
        vec![
            Signature::new([DYNAMIC, LONG, Param::Any], Returns::Type(KqlType::Dynamic))
                .optional(1),
        ]
    };
    r.add_scalar(ScalarFunction {
        name: "array_rotate_left",
        doc: "The array rotated left by n elements (right for a negative n).",
        signatures: vec![Signature::new(
            [DYNAMIC, LONG],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, a| Ok(array_rotate_udf().call(exprs(a))),
    });
    r.add_scalar(ScalarFunction {
        name: "array_rotate_right",
        doc: "The array rotated right by n elements (left for a negative n).",
        signatures: vec![Signature::new(
            [DYNAMIC, LONG],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, a| {
            let mut a = exprs(a);
            let n = a.remove(1);
            a.push(lit(0i64) - n);
            Ok(array_rotate_udf().call(a))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "array_shift_left",
        doc: "The array shifted left by n elements, the emptied places holding the fill value \
              (null by default); a negative n shifts right.",
        signatures: shift(),
        lower: |_, _, a| lower_shift(a, false),
    });
    r.add_scalar(ScalarFunction {
        name: "array_shift_right",
        doc: "The array shifted right by n elements, the emptied places holding the fill value \
              (null by default); a negative n shifts left.",
        signatures: shift(),
        lower: |_, _, a| lower_shift(a, true),
    });
    r.add_scalar(ScalarFunction {
        name: "array_split",
        doc: "The array split before each index (a number or an array of them; negative ones \
              count from the end) into an array of arrays.",
        signatures: vec![Signature::new(
            [DYNAMIC, Param::Any],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, mut a| {
            let indexes = json_value(a.remove(1));
            Ok(array_split_udf().call(vec![a.remove(0).expr, indexes]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "array_iff",
        doc: "Element by element, the when-true or when-false value (each an array or a scalar) \
              as the condition array's element is true (or a non-zero number) or false (or 0); \
              null elsewhere.",
        signatures: vec![Signature::new(
            [DYNAMIC, Param::Any, Param::Any],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, a| {
            let args = a.into_iter().map(json_value).collect();
            Ok(array_iff_udf().call(args))
        },
    });
    r.add_scalar_alias("array_iif", "array_iff");
    r.add_scalar(ScalarFunction {
        name: "bag_set_key",
        doc: "The bag with the key (or JSONPath, creating the bags on the way) set to the value.",
        signatures: vec![Signature::new(
            [DYNAMIC, Param::Of(KqlType::String), Param::Any],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, mut a| {
            let value = json_value(a.remove(2));
            let key = a.remove(1).to_text();
            Ok(bag_set_key_udf().call(vec![a.remove(0).expr, key, value]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "jaccard_index",
        doc: "The size of the intersection of two sets' distinct values over the size of their \
              union.",
        signatures: vec![Signature::new(
            [DYNAMIC, DYNAMIC],
            Returns::Type(KqlType::Real),
        )],
        lower: |_, _, a| Ok(jaccard_index_udf().call(exprs(a))),
    });
}

fn lower_shift(
    a: Vec<crate::TypedExpr>,
    right: bool,
) -> Result<datafusion::logical_expr::Expr, crate::FunctionError> {
    let mut a = a.into_iter();
    let (Some(array), Some(n)) = (a.next(), a.next()) else {
        return Err(crate::scalar::conditional::invalid(
            "array_shift_left",
            "takes an array and a count",
        ));
    };
    let fill = a.next().map_or(lit("null"), json_value);
    let n = if right { lit(0i64) - n.expr } else { n.expr };
    Ok(array_shift_udf().call(vec![array.expr, n, fill]))
}

/// Each row's array in `a` through `f` (with the row index); null for a value that is not an
/// array.
fn map_arrays(
    a: &ArrayRef,
    mut f: impl FnMut(usize, Vec<Json>) -> Option<Json>,
) -> datafusion::common::Result<ArrayRef> {
    Ok(json_out(json_column(a)?.into_iter().enumerate().map(
        |(i, v)| match v? {
            Json::Array(items) => f(i, items),
            _ => None,
        },
    )))
}

/// `n` within `0..len` (Euclidean remainder).
fn wrap(n: i64, len: usize) -> usize {
    n.rem_euclid(len as i64) as usize
}

kernel_udf!(
    array_rotate_udf,
    KernelUdf::new(
        "kql_array_rotate_left",
        vec![dyn_type(), DataType::Int64],
        dyn_type(),
        |a| {
            let n = longs(&a[1])?;
            map_arrays(&a[0], |i, mut items| {
                if n.is_null(i) {
                    return None;
                }
                if !items.is_empty() {
                    let k = wrap(n.value(i), items.len());
                    items.rotate_left(k);
                }
                Some(Json::Array(items))
            })
        }
    )
);

kernel_udf!(
    array_shift_udf,
    KernelUdf::new(
        "kql_array_shift_left",
        vec![dyn_type(), DataType::Int64, dyn_type()],
        dyn_type(),
        |a| {
            let n = longs(&a[1])?;
            let fill = json_column(&a[2])?;
            map_arrays(&a[0], |i, items| {
                if n.is_null(i) {
                    return None;
                }
                let fill = fill[i].clone().unwrap_or(Json::Null);
                let len = items.len() as i64;
                let k = n.value(i);
                let shifted = (0..len)
                    .map(|j| match j.checked_add(k) {
                        Some(from) if (0..len).contains(&from) => items[from as usize].clone(),
                        _ => fill.clone(),
                    })
                    .collect();
                Some(Json::Array(shifted))
            })
        }
    )
);

kernel_udf!(
    array_split_udf,
    KernelUdf::new(
        "kql_array_split",
        vec![dyn_type(), dyn_type()],
        dyn_type(),
        |a| {
            let indexes = json_column(&a[1])?;
            map_arrays(&a[0], |i, items| {
                let len = items.len() as i64;
                let cuts: Vec<i64> = match indexes[i].as_ref()? {
                    Json::Array(xs) => xs.iter().map(|x| x.as_i64()).collect::<Option<_>>()?,
                    x => vec![x.as_i64()?],
                };
                let mut parts = Vec::with_capacity(cuts.len() + 1);
                let mut start = 0i64;
                for cut in cuts {
                    let cut = if cut < 0 { len + cut } else { cut }.clamp(start, len);
                    parts.push(Json::Array(items[start as usize..cut as usize].to_vec()));
                    start = cut;
                }
                parts.push(Json::Array(items[start as usize..].to_vec()));
                Some(Json::Array(parts))
            })
        }
    )
);

kernel_udf!(
    array_iff_udf,
    KernelUdf::new(
        "kql_array_iff",
        vec![dyn_type(), dyn_type(), dyn_type()],
        dyn_type(),
        |a| {
            let (yes, no) = (json_column(&a[1])?, json_column(&a[2])?);
            map_arrays(&a[0], |i, conditions| {
                // An array argument gives its element at the same position (null past its end);
                // a scalar one is used for every element.
                let pick = |arg: &Option<Json>, j: usize| match arg {
                    Some(Json::Array(xs)) => xs.get(j).cloned().unwrap_or(Json::Null),
                    Some(x) => x.clone(),
                    None => Json::Null,
                };
                let out = conditions
                    .iter()
                    .enumerate()
                    .map(|(j, c)| match c {
                        Json::Bool(true) => pick(&yes[i], j),
                        Json::Bool(false) => pick(&no[i], j),
                        // A number is true when it is not 0.
                        Json::Number(n) if n.as_f64() == Some(0.0) => pick(&no[i], j),
                        Json::Number(_) => pick(&yes[i], j),
                        _ => Json::Null,
                    })
                    .collect();
                Some(Json::Array(out))
            })
        }
    )
);

kernel_udf!(
    bag_set_key_udf,
    KernelUdf::new(
        "kql_bag_set_key",
        vec![dyn_type(), DataType::Utf8, dyn_type()],
        dyn_type(),
        |a| {
            let keys = super::texts(&a[1])?;
            let values = json_column(&a[2])?;
            Ok(json_out(json_column(&a[0])?.into_iter().enumerate().map(
                |(i, v)| {
                    let mut bag = v?;
                    if !matches!(bag, Json::Object(_)) || keys.is_null(i) {
                        return None;
                    }
                    let steps = ops::key_path(keys.value(i));
                    set_path(&mut bag, &steps, values[i].clone().unwrap_or(Json::Null));
                    Some(bag)
                },
            )))
        }
    )
);

/// Sets `steps` in `bag` to `value`, replacing the first entry of each key on the way and
/// creating (or replacing non-bag values with) bags where the path goes on.
fn set_path(bag: &mut Json, steps: &[String], value: Json) {
    let Some((first, rest)) = steps.split_first() else {
        *bag = value;
        return;
    };
    if !matches!(bag, Json::Object(_)) {
        *bag = Json::Object(Vec::new());
    }
    let Json::Object(entries) = bag else {
        return;
    };
    let slot = match entries.iter().position(|(k, _)| k == first) {
        Some(p) => &mut entries[p].1,
        None => {
            entries.push((first.clone(), Json::Null));
            let last = entries.len() - 1;
            &mut entries[last].1
        }
    };
    if rest.is_empty() {
        *slot = value;
    } else {
        set_path(slot, rest, value);
    }
}

kernel_udf!(
    jaccard_index_udf,
    KernelUdf::new(
        "kql_jaccard_index",
        vec![dyn_type(), dyn_type()],
        DataType::Float64,
        |a| {
            let right = json_column(&a[1])?;
            let out: Float64Array = json_column(&a[0])?
                .into_iter()
                .zip(right)
                .map(|(l, r)| {
                    let (Json::Array(l), Json::Array(r)) = (l?, r?) else {
                        return None;
                    };
                    let mut union: Vec<&Json> = Vec::new();
                    for x in l.iter().chain(&r) {
                        if !union.iter().any(|u| u.same(x)) {
                            union.push(x);
                        }
                    }
                    let has = |set: &[Json], x: &Json| set.iter().any(|y| y.same(x));
                    let both = union.iter().filter(|x| has(&l, x) && has(&r, x)).count();
                    Some(both as f64 / union.len() as f64)
                })
                .collect();
            Ok(Arc::new(out) as ArrayRef)
        }
    )
);
