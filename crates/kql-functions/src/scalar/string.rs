//! String functions (`strlen`, `substring`, `split`, `extract`, …) and the string operators the
//! planner lowers (`has`, `contains`, `=~`, `in~`, `matches regex`, …).
//!
//! KQL strings have no null: a null string argument reads as `""`. Arguments the KQL reference
//! types as "scalar" (`strcat`, `indexof`, `reverse`, …) take any type and convert it with
//! `tostring` semantics, as the pages say they "forcibly" do.

pub(crate) mod kernel;
mod key_values;
mod lookup;
mod memo;
mod ops;
mod punycode;
mod regex_fns;
mod rewrite;
mod text;

use datafusion::functions::expr_fn as df;
use datafusion::logical_expr::{Expr, cast, lit};

pub use key_values::{KvOptions, parse_kv};
pub use ops::{
    contains, endswith, equals_ci, has, has_all, has_any, hasprefix, hassuffix, in_ci,
    matches_regex, startswith,
};

use crate::{
    FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr,
};

const STRING: Param = Param::Of(KqlType::String);
const LONG: Param = Param::Of(KqlType::Long);

/// The most values `strcat` and `strcat_delim` take (strcat-function.md).
const MAX_CONCAT: usize = 64;

/// Registers the string functions.
pub(crate) fn register(r: &mut Registry) {
    register_lookup_and_rewrite(r);
    r.add_scalar(ScalarFunction {
        name: "strlen",
        doc: "The number of Unicode code points in a string.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::Long))],
        lower: |_, _, args| {
            Ok(cast(
                df::character_length(first_text(args)?),
                KqlType::Long.to_arrow(),
            ))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "tolower",
        doc: "The value as a string, in lower case.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(df::lower(first_text(args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "toupper",
        doc: "The value as a string, in upper case.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(df::upper(first_text(args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "strcat",
        doc: "Concatenates 1 to 64 values, each converted to a string.",
        signatures: vec![
            Signature::new(vec![Param::Any; MAX_CONCAT], Returns::Type(KqlType::String))
                .optional(MAX_CONCAT - 1),
        ],
        lower: |_, _, args| Ok(df::concat(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "strcat_delim",
        doc: "Concatenates 2 to 64 values, each converted to a string, with a delimiter between.",
        signatures: vec![
            Signature::new(
                vec![Param::Any; MAX_CONCAT + 1],
                Returns::Type(KqlType::String),
            )
            .optional(MAX_CONCAT - 2),
        ],
        lower: |_, _, args| {
            let mut args = texts(&args);
            let delimiter = args.remove(0);
            Ok(df::concat_ws(delimiter, args))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "substring",
        doc: "The characters from a 0-based start (negative: from the end), optionally that many.",
        signatures: vec![
            Signature::new([Param::Any, LONG, LONG], Returns::Type(KqlType::String)).optional(1),
        ],
        lower: |_, _, args| Ok(text::substring_udf().call(text_then_exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "indexof",
        doc: "The 0-based index of an occurrence of a string in another, or -1.",
        signatures: vec![
            Signature::new(
                [Param::Any, Param::Any, LONG, LONG, LONG],
                Returns::Type(KqlType::Long),
            )
            .optional(3),
        ],
        lower: |_, _, args| {
            let mut exprs = texts(&args[..2]);
            exprs.extend(args.into_iter().skip(2).map(|a| a.expr));
            Ok(text::indexof_udf().call(exprs))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "split",
        doc: "The parts of a string between a delimiter, as an array (one part with an index).",
        signatures: vec![
            Signature::new([Param::Any, STRING, LONG], Returns::Type(KqlType::Dynamic)).optional(1),
        ],
        lower: |_, _, args| {
            // The kernel reads null as `""` itself: a `coalesce` (`to_text`) around a nullable
            // column would copy it before every split.
            let mut exprs: Vec<Expr> = args[..2].iter().map(TypedExpr::text_or_null).collect();
            exprs.extend(args.into_iter().skip(2).map(|a| a.expr));
            Ok(text::split_udf().call(exprs))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "strrep",
        doc: "A string repeated a number of times, optionally with a delimiter between.",
        signatures: vec![
            Signature::new(
                [Param::Any, LONG, Param::Any],
                Returns::Type(KqlType::String),
            )
            .optional(1),
        ],
        lower: |_, _, args| {
            let mut exprs = vec![args[0].to_text(), args[1].expr.clone()];
            exprs.extend(args.get(2).map(TypedExpr::to_text));
            Ok(text::strrep_udf().call(exprs))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "reverse",
        doc: "The value as a string, its characters in reverse order.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(df::reverse(first_text(args)?)),
    });
    r.add_scalar(ScalarFunction {
        name: "replace_string",
        doc: "The text with every (non-overlapping) occurrence of a string replaced.",
        signatures: vec![Signature::new(
            [STRING, STRING, STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, args| {
            let [t, l, r]: [Expr; 3] = texts(&args)
                .try_into()
                .map_err(|_| invalid("replace_string", "takes 3 arguments"))?;
            Ok(df::replace(t, l, r))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "countof",
        doc: "How many times a string (overlapping) or regex (not overlapping) occurs in a text.",
        signatures: vec![
            Signature::new([STRING, STRING, STRING], Returns::Type(KqlType::Long)).optional(1),
        ],
        lower: |_, _, args| {
            let regex = match args.get(2) {
                None => false,
                Some(kind) => match kernel::literal_str(&kind.expr) {
                    Some(Some("normal")) => false,
                    Some(Some("regex")) => true,
                    Some(_) => {
                        return Err(invalid("countof", "kind must be \"normal\" or \"regex\""));
                    }
                    None => {
                        return Err(FunctionError::NotConstant {
                            name: "countof".into(),
                            index: 2,
                        });
                    }
                },
            };
            if regex {
                kernel::check_regex("countof", &args[1])?;
                Ok(regex_fns::countof_regex_udf()
                    .call(vec![args[0].to_text(), args[1].expr.clone()]))
            } else {
                Ok(text::countof_udf().call(texts(&args[..2])))
            }
        },
    });
    for (name, doc, lower) in [
        (
            "trim",
            "The text without the matches of a regex at its start and end.",
            (|_, _, args| regex_call("trim", regex_fns::trim_udf(), args)) as crate::ScalarLowering,
        ),
        (
            "trim_start",
            "The text without the matches of a regex at its start.",
            |_, _, args| regex_call("trim_start", regex_fns::trim_start_udf(), args),
        ),
        (
            "trim_end",
            "The text without the matches of a regex at its end.",
            |_, _, args| regex_call("trim_end", regex_fns::trim_end_udf(), args),
        ),
    ] {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: vec![Signature::new(
                [STRING, STRING],
                Returns::Type(KqlType::String),
            )],
            lower,
        });
    }
    r.add_scalar(ScalarFunction {
        name: "extract",
        doc: "A capture group of the first match of a regex in a text; null when none matches.",
        signatures: vec![Signature::new(
            [STRING, LONG, STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, args| {
            kernel::check_regex("extract", &args[0])?;
            let exprs = vec![
                args[0].expr.clone(),
                args[1].expr.clone(),
                args[2].to_text(),
            ];
            Ok(regex_fns::extract_udf().call(exprs))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "extract_all",
        doc: "Every match of a regex in a text (its capture groups), as an array; null when none.",
        signatures: vec![
            Signature::new([STRING, STRING], Returns::Type(KqlType::Dynamic)),
            Signature::new(
                [STRING, Param::Of(KqlType::Dynamic), STRING],
                Returns::Type(KqlType::Dynamic),
            ),
        ],
        lower: |_, _, args| {
            kernel::check_regex("extract_all", &args[0])?;
            let mut exprs = vec![args[0].expr.clone()];
            if let [_, groups, _] = args.as_slice() {
                exprs.push(groups.expr.clone());
            }
            exprs.extend(args.last().map(TypedExpr::to_text));
            Ok(regex_fns::extract_all_udf().call(exprs))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "replace_regex",
        doc: "The text with every match of a regex replaced; \\1 in the rewrite is group 1.",
        signatures: vec![Signature::new(
            [STRING, STRING, STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, args| {
            kernel::check_regex("replace_regex", &args[1])?;
            let exprs = vec![args[0].to_text(), args[1].expr.clone(), args[2].to_text()];
            Ok(regex_fns::replace_regex_udf().call(exprs))
        },
    });
}

/// `name(regex, text)` with the regex checked when it is a literal.
fn regex_call(
    name: &str,
    udf: std::sync::Arc<datafusion::logical_expr::ScalarUDF>,
    args: Vec<TypedExpr>,
) -> Result<Expr, FunctionError> {
    let [pattern, text]: [TypedExpr; 2] = args
        .try_into()
        .map_err(|_| invalid(name, "takes 2 arguments"))?;
    kernel::check_regex(name, &pattern)?;
    Ok(udf.call(vec![pattern.expr, text.to_text()]))
}

/// `split(text, delimiter)[index]` as text, when `split_call` is a two-argument `split`; `None`
/// otherwise. A missing part is null, or `""` (what `tostring()` of it gives) when
/// `empty_when_missing`: the kernel writes it, where a `coalesce` around the call would copy
/// every row's part once more.
pub fn split_part(split_call: &Expr, index: &Expr, empty_when_missing: bool) -> Option<Expr> {
    let Expr::ScalarFunction(f) = split_call else {
        return None;
    };
    if f.func.name() != "kql_split" || f.args.len() != 2 {
        return None;
    }
    if !matches!(
        index,
        Expr::Literal(datafusion::common::ScalarValue::Int64(Some(_)), _)
    ) {
        return None;
    }
    let mut args = f.args.clone();
    args.push(index.clone());
    if empty_when_missing {
        args.push(lit(""));
    }
    Some(text::split_part_udf().call(args))
}

/// `has_any_index`, `indexof_regex`, `strcmp`, `translate`, `regex_quote`, `parse_csv`.
fn register_lookup_and_rewrite(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "has_any_index",
        doc: "The index in an array of terms of the first one the string has (as `has` \
              matches), -1 if none.",
        signatures: vec![Signature::new(
            [Param::Any, Param::Of(KqlType::Dynamic)],
            Returns::Type(KqlType::Long),
        )],
        lower: |_, _, args| Ok(lookup::has_any_index_udf().call(text_then_exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "indexof_regex",
        doc: "The 0-based index of a regex match in a string, or -1: \
              `indexof_regex(source, regex [, start [, length [, occurrence]]])`.",
        signatures: vec![
            Signature::new(
                [Param::Any, STRING, LONG, LONG, LONG],
                Returns::Type(KqlType::Long),
            )
            .optional(3),
        ],
        lower: |_, _, args| Ok(lookup::indexof_regex_udf().call(text_then_exprs(args))),
    });
    r.add_scalar(ScalarFunction {
        name: "strcmp",
        doc: "-1, 0 or 1 as the first string sorts before, with or after the second.",
        signatures: vec![Signature::new(
            [STRING, STRING],
            Returns::Type(KqlType::Int),
        )],
        lower: |_, _, args| Ok(lookup::strcmp_udf().call(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "translate",
        doc: "The source with each character of the search list replaced by the one at the \
              same place in the replacement list: `translate(search, replacement, source)`.",
        signatures: vec![Signature::new(
            [STRING, STRING, STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, args| Ok(rewrite::translate_udf().call(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "regex_quote",
        doc: "The string with the characters that are special in a regex escaped.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(rewrite::regex_quote_udf().call(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "replace_strings",
        doc: "The text with every lookup string replaced by the replacement at the same place, \
              all at once (earlier lookups win where matches overlap).",
        signatures: vec![Signature::new(
            [
                STRING,
                Param::Of(KqlType::Dynamic),
                Param::Of(KqlType::Dynamic),
            ],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, mut args| {
            let replacements = args.remove(2).expr;
            let lookups = args.remove(1).expr;
            let text = args.remove(0).to_text();
            Ok(rewrite::replace_strings_udf().call(vec![text, lookups, replacements]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "url_encode",
        doc: "The text URL-encoded (space as +, %xx in lower case).",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(rewrite::url_encode_udf().call(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "url_decode",
        doc: "The text URL-decoded (%xx escapes, + as a space).",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String))],
        lower: |_, _, args| Ok(rewrite::url_decode_udf().call(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "parse_command_line",
        doc: "The arguments of a command line as an array of strings; the parser must be \
              \"windows\" (CommandLineToArgvW's rules).",
        signatures: vec![Signature::new(
            [STRING, STRING],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, args| Ok(rewrite::parse_command_line_udf().call(texts(&args))),
    });
    r.add_scalar(ScalarFunction {
        name: "strcat_array",
        doc: "The elements of an array as text, joined by a delimiter.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Dynamic), STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, mut args| {
            let delimiter = args.remove(1).to_text();
            Ok(rewrite::strcat_array_udf().call(vec![args.remove(0).expr, delimiter]))
        },
    });
    for (name, doc) in [
        (
            "punycode_from_string",
            "The text encoded as Punycode (RFC 3492); \"\" if it cannot be.",
        ),
        (
            "punycode_to_string",
            "Punycode decoded to text; \"\" if it is not Punycode.",
        ),
        (
            "punycode_domain_to_string",
            "A domain name with each non-ASCII label encoded as xn--Punycode.",
        ),
        (
            "punycode_domain_from_string",
            "A domain name with each xn-- label decoded from Punycode.",
        ),
    ] {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: vec![Signature::new([STRING], Returns::Type(KqlType::String))],
            lower: match name {
                "punycode_from_string" => {
                    |_, _, args| Ok(punycode::punycode_from_string_udf().call(texts(&args)))
                }
                "punycode_to_string" => {
                    |_, _, args| Ok(punycode::punycode_to_string_udf().call(texts(&args)))
                }
                "punycode_domain_to_string" => {
                    |_, _, args| Ok(punycode::punycode_domain_to_string_udf().call(texts(&args)))
                }
                _ => {
                    |_, _, args| Ok(punycode::punycode_domain_from_string_udf().call(texts(&args)))
                }
            },
        });
    }
    r.add_scalar(ScalarFunction {
        name: "parse_csv",
        doc: "The fields of the first CSV record in the string, as an array of strings.",
        signatures: vec![Signature::new([STRING], Returns::Type(KqlType::Dynamic))],
        lower: |_, _, args| Ok(rewrite::parse_csv_udf().call(texts(&args))),
    });
}

/// Every argument as text (`tostring` semantics: null becomes `""`).
fn texts(args: &[TypedExpr]) -> Vec<Expr> {
    args.iter().map(TypedExpr::to_text).collect()
}

/// The first argument as text, the others as they are.
fn text_then_exprs(args: Vec<TypedExpr>) -> Vec<Expr> {
    let mut args = args.into_iter();
    let mut out: Vec<Expr> = args.next().map(|a| a.to_text()).into_iter().collect();
    out.extend(args.map(|a| a.expr));
    out
}

/// The first argument as text.
fn first_text(args: Vec<TypedExpr>) -> Result<Expr, FunctionError> {
    args.first()
        .map(TypedExpr::to_text)
        .ok_or_else(|| invalid("", "missing argument"))
}

fn invalid(name: &str, message: &str) -> FunctionError {
    FunctionError::Invalid {
        name: name.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests;
