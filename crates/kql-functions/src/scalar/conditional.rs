//! Conditionals and null tests: `iff`, `case`, `coalesce`, `isempty`, `isnull`, `not`, …
//!
//! The branches of `iff`, `case` and `coalesce` must share a type; KQL widens numbers
//! (`int` with `long` is `long`, any `real` makes `real`), and here a `dynamic` branch makes the
//! result `dynamic` so that `iff(c, d.x, "none")` works without a conversion.

use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr, lit, not, when};
use datafusion::prelude::{coalesce, nullif};

use crate::{
    FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr,
};

/// Registers the conditional functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "iff",
        doc: "`then` where the condition is true, else `else` (a null condition counts as false).",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Bool), Param::Any, Param::Any],
            Returns::Custom(|t| result_type(t.get(1..).unwrap_or_default())),
        )],
        lower: |_, _, args| {
            let [c, t, e]: [TypedExpr; 3] = args
                .try_into()
                .map_err(|_| invalid("iff", "takes 3 arguments"))?;
            let ty = branch_type("iff", &[t.ty, e.ty])?;
            when(c.expr, t.convert_to(ty))
                .otherwise(e.convert_to(ty))
                .map_err(|err| invalid("iff", &err.to_string()))
        },
    });
    r.add_scalar_alias("iif", "iff");
    r.add_scalar(ScalarFunction {
        name: "case",
        doc: "The value after the first true predicate: `case(p1, v1, p2, v2, …, else)`.",
        signatures: vec![
            Signature::new(
                [Param::Any, Param::Any, Param::Any],
                Returns::Custom(case_type),
            )
            .variadic(),
        ],
        lower: |_, _, args| lower_case(args),
    });
    r.add_scalar(ScalarFunction {
        name: "coalesce",
        doc: "The first argument that is not null (for strings: not empty).",
        signatures: vec![
            Signature::new([Param::Any, Param::Any], Returns::Custom(result_type)).variadic(),
        ],
        lower: |_, _, args| lower_coalesce(args),
    });
    r.add_scalar(ScalarFunction {
        name: "isempty",
        doc: "Whether the value is null or an empty string.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Bool))],
        lower: |_, _, args| Ok(is_empty(single("isempty", args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "isnotempty",
        doc: "Whether the value is neither null nor an empty string.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Bool))],
        lower: |_, _, args| Ok(not(is_empty(single("isnotempty", args)?))),
    });
    r.add_scalar_alias("notempty", "isnotempty");
    r.add_scalar(ScalarFunction {
        name: "isnull",
        doc: "Whether the value is null (a string never is).",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Bool))],
        lower: |_, _, args| Ok(is_null(single("isnull", args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "isnotnull",
        doc: "Whether the value is not null (a string always is).",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Bool))],
        lower: |_, _, args| Ok(not(is_null(single("isnotnull", args)?))),
    });
    r.add_scalar_alias("notnull", "isnotnull");
    r.add_scalar(ScalarFunction {
        name: "not",
        doc: "The negation of a bool (null stays null).",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Bool)],
            Returns::Type(KqlType::Bool),
        )],
        lower: |_, _, args| Ok(not(single("not", args)?.expr)),
    });
}

/// The type branches of these types share, if they can: one type, numbers widened, strings with
/// guids as strings, anything with a `dynamic` as `dynamic`.
pub(crate) fn common_type(types: &[KqlType]) -> Option<KqlType> {
    let (first, rest) = types.split_first()?;
    rest.iter().try_fold(*first, |acc, t| {
        if acc == *t {
            Some(acc)
        } else if acc == KqlType::Dynamic || *t == KqlType::Dynamic {
            Some(KqlType::Dynamic)
        } else if matches!(acc, KqlType::String | KqlType::Guid)
            && matches!(t, KqlType::String | KqlType::Guid)
        {
            Some(KqlType::String)
        } else {
            KqlType::numeric_join(acc, *t)
        }
    })
}

/// The result type for the signature: the common type, or the first branch's type when there
/// is none (lowering then reports the mismatch).
fn result_type(types: &[KqlType]) -> KqlType {
    common_type(types).unwrap_or_else(|| types.first().copied().unwrap_or(KqlType::Dynamic))
}

/// `case` branches: the values at odd positions and the last argument.
fn case_branches<T: Copy>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = items.iter().skip(1).step_by(2).copied().collect();
    if !items.len().is_multiple_of(2)
        && let Some(last) = items.last()
    {
        out.push(*last);
    }
    out
}

fn case_type(types: &[KqlType]) -> KqlType {
    result_type(&case_branches(types))
}

fn branch_type(name: &str, types: &[KqlType]) -> Result<KqlType, FunctionError> {
    common_type(types).ok_or_else(|| {
        let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
        invalid(
            name,
            &format!(
                "the result values must have one type, got {}",
                names.join(", ")
            ),
        )
    })
}

fn lower_case(args: Vec<TypedExpr>) -> Result<Expr, FunctionError> {
    if args.len().is_multiple_of(2) {
        return Err(invalid(
            "case",
            "takes predicate/value pairs and a final else value (an odd number of arguments)",
        ));
    }
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let ty = branch_type("case", &case_branches(&types))?;
    let pairs = args.chunks_exact(2);
    let else_value = pairs
        .remainder()
        .first()
        .ok_or_else(|| invalid("case", "missing the else value"))?
        .convert_to(ty);
    let when_then = pairs
        .enumerate()
        .map(|(i, pair)| {
            Ok((
                Box::new(predicate(&pair[0], 2 * i)?),
                Box::new(pair[1].convert_to(ty)),
            ))
        })
        .collect::<Result<Vec<_>, FunctionError>>()?;
    Ok(Expr::Case(Case::new(
        None,
        when_then,
        Some(Box::new(else_value)),
    )))
}

/// A `case` predicate: a bool, or a `dynamic` read as one.
fn predicate(p: &TypedExpr, index: usize) -> Result<Expr, FunctionError> {
    match p.ty {
        KqlType::Bool => Ok(p.expr.clone()),
        KqlType::Dynamic => Ok(p.convert_to(KqlType::Bool)),
        other => Err(FunctionError::ArgumentType {
            name: "case".into(),
            index,
            expected: "a bool".into(),
            got: other,
        }),
    }
}

fn lower_coalesce(args: Vec<TypedExpr>) -> Result<Expr, FunctionError> {
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let ty = branch_type("coalesce", &types)?;
    let values: Vec<Expr> = args.iter().map(|a| a.convert_to(ty)).collect();
    Ok(match ty {
        // KQL strings have no null: the first value that is not empty wins, and "" if none.
        KqlType::String => coalesce(
            values
                .into_iter()
                .map(|v| nullif(v, lit("")))
                .chain([lit("")])
                .collect(),
        ),
        // A JSON `null` is a null dynamic value.
        KqlType::Dynamic => coalesce(values.into_iter().map(|v| nullif(v, lit("null"))).collect()),
        _ => coalesce(values),
    })
}

/// `isempty`: null, or an empty string. A `dynamic` is empty when null, JSON `null` or the empty
/// JSON string; empty arrays and bags are not empty (KQL docs: `isempty(parse_json("[]"))` is
/// false).
fn is_empty(a: TypedExpr) -> Expr {
    match a.ty {
        KqlType::String | KqlType::Guid => a.expr.clone().is_null().or(a.expr.eq(lit(""))),
        KqlType::Dynamic => a.expr.clone().is_null().or(a
            .expr
            .in_list(vec![lit(""), lit("\"\""), lit("null")], false)),
        _ => a.expr.is_null(),
    }
}

/// `isnull`: a string is never null (an absent string is `""`); a `dynamic` JSON `null` is.
fn is_null(a: TypedExpr) -> Expr {
    match a.ty {
        KqlType::String => lit(false),
        KqlType::Dynamic => a
            .expr
            .clone()
            .is_null()
            .or(a.expr.in_list(vec![lit(""), lit("null")], false)),
        _ => a.expr.is_null(),
    }
}

/// The only argument.
fn single(name: &str, args: Vec<TypedExpr>) -> Result<TypedExpr, FunctionError> {
    let [a]: [TypedExpr; 1] = args
        .try_into()
        .map_err(|_| invalid(name, "takes 1 argument"))?;
    Ok(a)
}

/// A lowering error for `name`.
pub(crate) fn invalid(name: &str, message: &str) -> FunctionError {
    FunctionError::Invalid {
        name: name.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::testing::{arg, call, l, s};

    fn b(v: bool) -> TypedExpr {
        arg(v, KqlType::Bool)
    }

    fn null_bool() -> TypedExpr {
        arg(ScalarValue::Boolean(None), KqlType::Bool)
    }

    fn d(text: &str) -> TypedExpr {
        arg(text, KqlType::Dynamic)
    }

    fn text(v: &str) -> ScalarValue {
        ScalarValue::Utf8(Some(v.into()))
    }

    fn boolean(v: bool) -> ScalarValue {
        ScalarValue::Boolean(Some(v))
    }

    fn lower_error(name: &str, args: Vec<TypedExpr>) -> FunctionError {
        let registry = Registry::new();
        let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
        match registry.resolve_scalar(name, &types) {
            Err(e) => e,
            Ok(resolved) => {
                let ctx = crate::LowerContext {
                    now_nanos: crate::testing::TEST_NOW_NANOS,
                };
                registry
                    .lower_scalar(&resolved, &ctx, args)
                    .expect_err("lowering fails")
            }
        }
    }

    #[test]
    fn iff_picks_a_branch() {
        // KQL docs: iff(EventType in (…), "Rain event", "Not rain event").
        assert_eq!(
            call("iff", vec![b(true), s("Rain event"), s("Not rain event")]),
            text("Rain event")
        );
        assert_eq!(
            call("iif", vec![b(false), s("Rain event"), s("Not rain event")]),
            text("Not rain event")
        );
        // A null condition takes the else branch.
        assert_eq!(
            call("iff", vec![null_bool(), l(1), l(2)]),
            ScalarValue::Int64(Some(2))
        );
    }

    #[test]
    fn iff_widens_to_the_common_type() {
        assert_eq!(
            call("iff", vec![b(true), arg(1i32, KqlType::Int), l(2)]),
            ScalarValue::Int64(Some(1))
        );
        assert_eq!(
            call("iff", vec![b(false), l(1), arg(2.5, KqlType::Real)]),
            ScalarValue::Float64(Some(2.5))
        );
        let registry = Registry::new();
        let resolved = registry
            .resolve_scalar("iff", &[KqlType::Bool, KqlType::Int, KqlType::Long])
            .expect("resolves");
        assert_eq!(resolved.result, KqlType::Long);
        assert!(matches!(
            lower_error("iff", vec![b(true), s("a"), l(1)]),
            FunctionError::Invalid { .. }
        ));
    }

    #[test]
    fn case_follows_the_docs() {
        // KQL docs: case(Size <= 3, "Small", Size <= 10, "Medium", "Large") for Size 1, 5, 11.
        for (size, expected) in [(1, "Small"), (3, "Small"), (5, "Medium"), (11, "Large")] {
            assert_eq!(
                call(
                    "case",
                    vec![
                        b(size <= 3),
                        s("Small"),
                        b(size <= 10),
                        s("Medium"),
                        s("Large")
                    ]
                ),
                text(expected)
            );
        }
        // Null predicates are not true.
        assert_eq!(
            call("case", vec![null_bool(), l(1), arg(2i32, KqlType::Int)]),
            ScalarValue::Int64(Some(2))
        );
        let registry = Registry::new();
        let resolved = registry
            .resolve_scalar(
                "case",
                &[
                    KqlType::Bool,
                    KqlType::Int,
                    KqlType::Bool,
                    KqlType::Real,
                    KqlType::Long,
                ],
            )
            .expect("resolves");
        assert_eq!(resolved.result, KqlType::Real);
        assert!(matches!(
            lower_error("case", vec![b(true), l(1), b(false), l(2)]),
            FunctionError::Invalid { .. }
        ));
        assert!(matches!(
            lower_error("case", vec![l(1), l(1), l(2)]),
            FunctionError::ArgumentType { index: 0, .. }
        ));
    }

    #[test]
    fn coalesce_skips_nulls_and_empty_strings() {
        // KQL docs: coalesce(tolong("not a number"), tolong("42"), 33) is 42.
        assert_eq!(
            call(
                "coalesce",
                vec![arg(ScalarValue::Int64(None), KqlType::Long), l(42), l(33)]
            ),
            ScalarValue::Int64(Some(42))
        );
        assert_eq!(call("coalesce", vec![s(""), s("x"), s("y")]), text("x"));
        assert_eq!(
            call(
                "coalesce",
                vec![arg(ScalarValue::Utf8(None), KqlType::String), s("")]
            ),
            text("")
        );
        assert_eq!(call("coalesce", vec![d("null"), d("[1]")]), text("[1]"));
        assert_eq!(
            call(
                "coalesce",
                vec![arg(ScalarValue::Int32(None), KqlType::Int), l(7)]
            ),
            ScalarValue::Int64(Some(7))
        );
    }

    #[test]
    fn isempty_follows_the_docs_table() {
        assert_eq!(call("isempty", vec![s("")]), boolean(true));
        assert_eq!(call("isempty", vec![s("x")]), boolean(false));
        assert_eq!(call("isempty", vec![d("[]")]), boolean(false));
        assert_eq!(call("isempty", vec![d("{}")]), boolean(false));
        // parse_json("") is an empty dynamic value.
        assert_eq!(call("isempty", vec![d("\"\"")]), boolean(true));
        assert_eq!(
            call(
                "isempty",
                vec![arg(ScalarValue::Utf8(None), KqlType::Dynamic)]
            ),
            boolean(true)
        );
        assert_eq!(
            call(
                "isempty",
                vec![arg(ScalarValue::Int64(None), KqlType::Long)]
            ),
            boolean(true)
        );
        assert_eq!(call("isempty", vec![l(0)]), boolean(false));
        assert_eq!(call("isnotempty", vec![s("x")]), boolean(true));
        assert_eq!(call("isnotempty", vec![s("")]), boolean(false));
        assert_eq!(
            call(
                "isnotempty",
                vec![arg(ScalarValue::Utf8(None), KqlType::String)]
            ),
            boolean(false)
        );
    }

    #[test]
    fn isnull_follows_the_docs_table() {
        assert_eq!(call("isnull", vec![s("")]), boolean(false));
        assert_eq!(call("isnull", vec![s("x")]), boolean(false));
        assert_eq!(call("isnull", vec![d("[]")]), boolean(false));
        assert_eq!(call("isnull", vec![d("{}")]), boolean(false));
        assert_eq!(
            call(
                "isnull",
                vec![arg(ScalarValue::Utf8(None), KqlType::Dynamic)]
            ),
            boolean(true)
        );
        assert_eq!(call("isnull", vec![d("null")]), boolean(true));
        assert_eq!(
            call(
                "isnull",
                vec![arg(ScalarValue::Float64(None), KqlType::Real)]
            ),
            boolean(true)
        );
        assert_eq!(call("isnull", vec![l(1)]), boolean(false));
        assert_eq!(
            call(
                "isnotnull",
                vec![arg(ScalarValue::Int64(None), KqlType::Long)]
            ),
            boolean(false)
        );
        assert_eq!(call("isnotnull", vec![s("")]), boolean(true));
    }

    #[test]
    fn not_negates() {
        assert_eq!(call("not", vec![b(true)]), boolean(false));
        assert_eq!(call("not", vec![b(false)]), boolean(true));
        assert_eq!(call("not", vec![null_bool()]), ScalarValue::Boolean(None));
    }
}
