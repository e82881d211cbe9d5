//! String functions: `strlen`, `tolower`, `strcat`, …

use datafusion::functions::expr_fn as df;
use datafusion::logical_expr::Expr;

use crate::{
    FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr,
};

const STRING: Param = Param::Of(KqlType::String);

/// Registers the string functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "strlen",
        doc: "The number of Unicode characters in a string.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::Long))],
        lower: |_, _, args| {
            Ok(datafusion::logical_expr::cast(
                df::character_length(first(args)?),
                KqlType::Long.to_arrow(),
            ))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "tolower",
        doc: "The string in lower case.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(df::lower(first(args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "toupper",
        doc: "The string in upper case.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(df::upper(first(args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "strcat",
        doc: "Concatenates 1 to 64 values, each converted to a string.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String)).variadic()],
        lower: |_, _, args| Ok(df::concat(args.into_iter().map(|a| a.expr).collect())),
    });
}

/// The first argument's expression (the signature guarantees there is one).
pub(crate) fn first(args: Vec<TypedExpr>) -> Result<Expr, FunctionError> {
    args.into_iter()
        .next()
        .map(|a| a.expr)
        .ok_or_else(|| FunctionError::Invalid {
            name: String::new(),
            message: "missing argument".into(),
        })
}
