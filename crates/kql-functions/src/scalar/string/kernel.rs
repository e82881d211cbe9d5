//! The plumbing the string UDFs share: a macro defining each as a columnar
//! [`crate::udf::KernelUdf`] (its kernel sees scalars as scalars), uniform access to
//! `Utf8` / `LargeUtf8` / `Utf8View` arguments, case folding, and a cache of compiled regexes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use datafusion::arrow::array::{
    Array, AsArray, Int64Array, LargeStringArray, StringArray, StringViewArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, Expr};
use regex::Regex;

use crate::{FunctionError, TypedExpr};

/// Defines `fn $name() -> Arc<ScalarUDF>` returning one shared columnar [`crate::udf::KernelUdf`];
/// `null_only_from N` declares argument `N` the only source of nulls
/// ([`crate::udf::KernelUdf::null_only_from`]).
macro_rules! string_udf {
    ($(#[$doc:meta])* $name:ident = $udf_name:literal, $ret:expr, $kernel:expr $(, null_only_from $arg:literal)?) => {
        $(#[$doc])*
        pub(crate) fn $name() -> std::sync::Arc<datafusion::logical_expr::ScalarUDF> {
            static UDF: std::sync::OnceLock<std::sync::Arc<datafusion::logical_expr::ScalarUDF>> =
                std::sync::OnceLock::new();
            std::sync::Arc::clone(UDF.get_or_init(|| {
                crate::udf::KernelUdf::columnar($udf_name, $ret, $kernel)
                    $(.null_only_from($arg))?
                    .into_udf()
            }))
        }
    };
}
pub(crate) use string_udf;

/// A string argument of a kernel, whatever its Arrow string type.
pub(crate) enum StrArg {
    Scalar(Option<String>),
    Utf8(StringArray),
    Large(LargeStringArray),
    View(StringViewArray),
}

impl StrArg {
    pub(crate) fn new(value: &ColumnarValue) -> Result<Self> {
        Ok(match value {
            ColumnarValue::Scalar(s) => Self::Scalar(match s {
                ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => {
                    v.clone()
                }
                other if other.is_null() => None,
                other => match other.cast_to(&DataType::Utf8)? {
                    ScalarValue::Utf8(v) => v,
                    _ => None,
                },
            }),
            ColumnarValue::Array(a) => match a.data_type() {
                DataType::Utf8 => Self::Utf8(a.as_string::<i32>().clone()),
                DataType::LargeUtf8 => Self::Large(a.as_string::<i64>().clone()),
                DataType::Utf8View => Self::View(a.as_string_view().clone()),
                _ => Self::Utf8(cast(a, &DataType::Utf8)?.as_string::<i32>().clone()),
            },
        })
    }

    /// The argument at `index` of the kernel's arguments, or an error naming the UDF.
    pub(crate) fn arg(args: &[ColumnarValue], index: usize, udf: &str) -> Result<Self> {
        match args.get(index) {
            Some(v) => Self::new(v),
            None => exec_err!("{udf}: missing argument {}", index + 1),
        }
    }

    /// The value in row `i`, `None` for null.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        match self {
            Self::Scalar(v) => v.as_deref(),
            Self::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Self::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }

    /// The value in row `i` as KQL reads it: null is `""`.
    #[inline]
    pub(crate) fn text(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }

    /// `Some(value)` when the argument is one value for every row.
    pub(crate) fn constant(&self) -> Option<Option<&str>> {
        match self {
            Self::Scalar(v) => Some(v.as_deref()),
            _ => None,
        }
    }
}

/// An integer argument of a kernel (any integer or float type is cast to `Int64`).
pub(crate) enum IntArg {
    Scalar(Option<i64>),
    Array(Int64Array),
}

impl IntArg {
    pub(crate) fn new(value: &ColumnarValue) -> Result<Self> {
        Ok(match value {
            ColumnarValue::Scalar(s) => Self::Scalar(match s.cast_to(&DataType::Int64)? {
                ScalarValue::Int64(v) => v,
                _ => None,
            }),
            ColumnarValue::Array(a) => {
                Self::Array(cast(a, &DataType::Int64)?.as_primitive().clone())
            }
        })
    }

    /// The argument at `index`, or `default` for every row when it was left out.
    pub(crate) fn arg_or(args: &[ColumnarValue], index: usize, default: i64) -> Result<Self> {
        match args.get(index) {
            Some(v) => Self::new(v),
            None => Ok(Self::Scalar(Some(default))),
        }
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<i64> {
        match self {
            Self::Scalar(v) => *v,
            Self::Array(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

/// Lower-cases `s` into `buf` (replacing its contents), character by character, so that both
/// sides of a case-insensitive comparison fold the same way; ASCII text is copied and folded in
/// place.
#[inline]
pub(crate) fn lower_into(s: &str, buf: &mut String) {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        }
    }
}

/// `s` lower-cased, as [`lower_into`] does it.
pub(crate) fn lowered(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_into(s, &mut out);
    out
}

/// The characters of `s` lower-cased, as [`lower_into`] does it, without allocating.
pub(crate) fn lower_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

/// Case-insensitive equality without allocating.
pub(crate) fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        lower_chars(a).eq(lower_chars(b))
    }
}

/// The compiled regex for `pattern`, `None` when it does not compile. Compiled regexes are kept
/// (up to a bound) so a pattern is compiled once, not once per batch or row.
pub(crate) fn cached_regex(pattern: &str) -> Option<Regex> {
    const MAX_ENTRIES: usize = 1024;
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = cache.get(pattern) {
        return found.clone();
    }
    let compiled = Regex::new(pattern).ok();
    if cache.len() >= MAX_ENTRIES {
        cache.clear();
    }
    cache.insert(pattern.to_string(), compiled.clone());
    compiled
}

/// A pattern argument turned into a `T` (a compiled regex, or several): once per batch when it
/// is constant, else per row, remembering the last pattern so a column of few distinct patterns
/// is not rebuilt on every row. `None` for a pattern that does not compile.
pub(crate) struct PatternArg<T> {
    arg: StrArg,
    build: fn(&str) -> Option<T>,
    constant: Option<Option<T>>,
    last: Option<(String, Option<T>)>,
}

impl<T> PatternArg<T> {
    pub(crate) fn new(
        args: &[ColumnarValue],
        index: usize,
        udf: &str,
        build: fn(&str) -> Option<T>,
    ) -> Result<Self> {
        let arg = StrArg::arg(args, index, udf)?;
        let constant = arg.constant().map(|p| build(p.unwrap_or("")));
        Ok(Self {
            arg,
            build,
            constant,
            last: None,
        })
    }

    /// The built pattern of row `i`.
    pub(crate) fn get(&mut self, i: usize) -> Option<&T> {
        if let Some(c) = &self.constant {
            return c.as_ref();
        }
        let pattern = self.arg.text(i);
        if self.last.as_ref().is_none_or(|(p, _)| p != pattern) {
            self.last = Some((pattern.to_string(), (self.build)(pattern)));
        }
        self.last.as_ref().and_then(|(_, t)| t.as_ref())
    }
}

/// The string a literal expression holds: `Some(None)` for a null literal, `None` when the
/// expression is not a literal. Sees through `coalesce(literal, …)`, the form
/// [`TypedExpr::to_text`] gives a string literal.
pub(crate) fn literal_str(expr: &Expr) -> Option<Option<&str>> {
    match expr {
        Expr::Literal(
            ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v),
            _,
        ) => Some(v.as_deref()),
        Expr::Literal(v, _) if v.is_null() => Some(None),
        Expr::ScalarFunction(f) if f.func.name() == "coalesce" => {
            let mut result = Some(None);
            for arg in &f.args {
                match literal_str(arg)? {
                    Some(v) => return Some(Some(v)),
                    None => result = Some(None),
                }
            }
            result
        }
        _ => None,
    }
}

/// Rejects at plan time a literal regex that does not compile; other patterns are checked per
/// row (an invalid one gives null).
pub(crate) fn check_regex(name: &str, pattern: &TypedExpr) -> Result<(), FunctionError> {
    if let Some(Some(p)) = literal_str(&pattern.expr)
        && let Err(e) = Regex::new(p)
    {
        return Err(FunctionError::Invalid {
            name: name.to_string(),
            message: format!("invalid regular expression: {e}"),
        });
    }
    Ok(())
}

/// Appends `s` to `out` as a JSON string literal.
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowering_is_unicode_aware() {
        assert_eq!(lowered("ÀÉÎ Straße ΣΑΣ"), "àéî straße σασ");
        assert!(eq_ci("KUSTO", "kusto"));
        assert!(eq_ci("ÄÖÜ", "äöü"));
        assert!(!eq_ci("abc", "abd"));
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        push_json_str(&mut out, "a\"b\\c\nd\u{1}");
        assert_eq!(out, r#""a\"b\\c\nd\u0001""#);
    }

    #[test]
    fn literals_are_seen_through_to_text() {
        use datafusion::prelude::{col, lit};

        use crate::KqlType;
        let text = TypedExpr::new(lit("a("), KqlType::String).to_text();
        assert_eq!(literal_str(&text), Some(Some("a(")));
        let null = TypedExpr::new(lit(ScalarValue::Utf8(None)), KqlType::String).to_text();
        assert_eq!(literal_str(&null), Some(Some("")));
        assert_eq!(literal_str(&col("x")), None);
        let column = TypedExpr::new(col("x"), KqlType::String).to_text();
        assert_eq!(literal_str(&column), None);
    }

    #[test]
    fn regex_cache_reports_invalid_patterns() {
        assert!(cached_regex("a(b").is_none());
        assert!(cached_regex("a(b)").is_some_and(|r| r.is_match("xab")));
    }
}
