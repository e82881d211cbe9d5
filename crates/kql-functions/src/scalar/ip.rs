//! IP functions: `parse_ipv4`, `ipv4_compare`, `ipv4_is_in_range`, `format_ipv4`, `has_ipv4`,
//! the IPv6 counterparts, … Addresses are text (`a.b.c.d`, IPv6, each with an optional
//! `/prefix`); a text that is not an address gives null (or `""` where the result is a string),
//! never an error.

mod address;

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Int32Builder, Int64Builder, StringBuilder,
};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, Expr};

use self::address::{V4, V6, format_v4, format_v6, ipv4_terms, mask4, mask6, parse_v4, parse_v6};
use super::string::kernel::{IntArg, StrArg, string_udf};
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr};

const STRING: Param = Param::Of(KqlType::String);
const LONG: Param = Param::Of(KqlType::Long);

fn exprs(args: Vec<TypedExpr>) -> Vec<Expr> {
    args.into_iter().map(|a| a.expr).collect()
}

/// Registers the IP functions.
pub(crate) fn register(r: &mut Registry) {
    let sig = |params: &[Param], ret: KqlType| Signature::new(params.to_vec(), Returns::Type(ret));
    let functions: [(
        &'static str,
        &'static str,
        Vec<Signature>,
        crate::ScalarLowering,
    ); 20] = [
        (
            "parse_ipv4",
            "An IPv4 address (with an optional /prefix, which masks it) as a long.",
            vec![sig(&[STRING], KqlType::Long)],
            |_, _, a| Ok(parse_ipv4_udf().call(exprs(a))),
        ),
        (
            "parse_ipv4_mask",
            "An IPv4 address masked to a prefix length, as a long.",
            vec![sig(&[STRING, LONG], KqlType::Long)],
            |_, _, a| Ok(parse_ipv4_mask_udf().call(exprs(a))),
        ),
        (
            "ipv4_is_private",
            "Whether an IPv4 address is in a private network (10/8, 172.16/12, 192.168/16).",
            vec![sig(&[STRING], KqlType::Bool)],
            |_, _, a| Ok(ipv4_is_private_udf().call(exprs(a))),
        ),
        (
            "ipv4_netmask_suffix",
            "The prefix length of an IPv4 address (32 without one).",
            vec![sig(&[STRING], KqlType::Int)],
            |_, _, a| Ok(ipv4_netmask_suffix_udf().call(exprs(a))),
        ),
        (
            "ipv4_compare",
            "-1, 0 or 1 as the first IPv4 address is below, equal to or above the second, over the shortest of their prefixes and the optional one.",
            vec![sig(&[STRING, STRING, LONG], KqlType::Long).optional(1)],
            |_, _, a| Ok(ipv4_compare_udf().call(exprs(a))),
        ),
        (
            "ipv4_is_match",
            "Whether two IPv4 addresses are equal over the shortest of their prefixes and the optional one.",
            vec![sig(&[STRING, STRING, LONG], KqlType::Bool).optional(1)],
            |_, _, a| Ok(ipv4_is_match_udf().call(exprs(a))),
        ),
        (
            "ipv4_is_in_range",
            "Whether an IPv4 address is in a range written with prefix notation.",
            vec![sig(&[STRING, STRING], KqlType::Bool)],
            |_, _, a| Ok(ipv4_is_in_any_range_udf().call(exprs(a))),
        ),
        (
            "ipv4_is_in_any_range",
            "Whether an IPv4 address is in any of the ranges (strings or dynamic arrays of them).",
            vec![sig(&[STRING, Param::Any], KqlType::Bool).variadic()],
            |_, _, a| Ok(ipv4_is_in_any_range_udf().call(exprs(a))),
        ),
        (
            "format_ipv4",
            "An IPv4 address (text or long) masked to the optional prefix, as a.b.c.d; \"\" if invalid.",
            vec![sig(&[Param::Scalar, LONG], KqlType::String).optional(1)],
            |_, _, a| Ok(format_ipv4_udf().call(exprs(a))),
        ),
        (
            "format_ipv4_mask",
            "An IPv4 address (text or long) masked to the optional prefix, as a.b.c.d/n; \"\" if invalid.",
            vec![sig(&[Param::Scalar, LONG], KqlType::String).optional(1)],
            |_, _, a| Ok(format_ipv4_mask_udf().call(exprs(a))),
        ),
        (
            "has_ipv4",
            "Whether the text holds the IPv4 address as a term of its own.",
            vec![sig(&[STRING, STRING], KqlType::Bool)],
            |_, _, a| Ok(has_any_ipv4_udf().call(exprs(a))),
        ),
        (
            "has_any_ipv4",
            "Whether the text holds any of the IPv4 addresses (strings or dynamic arrays) as a term of its own.",
            vec![sig(&[STRING, Param::Any], KqlType::Bool).variadic()],
            |_, _, a| Ok(has_any_ipv4_udf().call(exprs(a))),
        ),
        (
            "has_ipv4_prefix",
            "Whether the text holds an IPv4 address starting with the prefix (whole octets ending in '.', or a whole address).",
            vec![sig(&[STRING, STRING], KqlType::Bool)],
            |_, _, a| Ok(has_any_ipv4_prefix_udf().call(exprs(a))),
        ),
        (
            "has_any_ipv4_prefix",
            "Whether the text holds an IPv4 address starting with any of the prefixes.",
            vec![sig(&[STRING, Param::Any], KqlType::Bool).variadic()],
            |_, _, a| Ok(has_any_ipv4_prefix_udf().call(exprs(a))),
        ),
        (
            "parse_ipv6",
            "An IPv6 or IPv4 address (with an optional /prefix, which masks it) in full IPv6 form; \"\" if invalid.",
            vec![sig(&[STRING], KqlType::String)],
            |_, _, a| Ok(parse_ipv6_udf().call(exprs(a))),
        ),
        (
            "parse_ipv6_mask",
            "An IPv6 or IPv4 address masked to an IPv6 prefix length, in full IPv6 form.",
            vec![sig(&[STRING, LONG], KqlType::String)],
            |_, _, a| Ok(parse_ipv6_mask_udf().call(exprs(a))),
        ),
        (
            "ipv6_compare",
            "-1, 0 or 1 as the first IPv6/IPv4 address is below, equal to or above the second.",
            vec![sig(&[STRING, STRING, LONG], KqlType::Long).optional(1)],
            |_, _, a| Ok(ipv6_compare_udf().call(exprs(a))),
        ),
        (
            "ipv6_is_match",
            "Whether two IPv6/IPv4 addresses are equal over the shortest prefix.",
            vec![sig(&[STRING, STRING, LONG], KqlType::Bool).optional(1)],
            |_, _, a| Ok(ipv6_is_match_udf().call(exprs(a))),
        ),
        (
            "ipv6_is_in_range",
            "Whether an IPv6/IPv4 address is in a range written with prefix notation.",
            vec![sig(&[STRING, STRING], KqlType::Bool)],
            |_, _, a| Ok(ipv6_is_in_any_range_udf().call(exprs(a))),
        ),
        (
            "ipv6_is_in_any_range",
            "Whether an IPv6/IPv4 address is in any of the ranges (strings or dynamic arrays of them).",
            vec![sig(&[STRING, Param::Any], KqlType::Bool).variadic()],
            |_, _, a| Ok(ipv6_is_in_any_range_udf().call(exprs(a))),
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

/// Rows of a one-address function: `f` of each parsed address, null for null or invalid text.
fn map_v4<B>(
    args: &[ColumnarValue],
    rows: usize,
    udf: &str,
    mut out: B,
    mut f: impl FnMut(&mut B, Option<V4>),
) -> Result<B> {
    let ip = StrArg::arg(args, 0, udf)?;
    for i in 0..rows {
        f(&mut out, ip.get(i).and_then(parse_v4));
    }
    Ok(out)
}

string_udf!(
    parse_ipv4_udf = "kql_parse_ipv4",
    DataType::Int64,
    |args, rows| {
        let out = map_v4(
            args,
            rows,
            "parse_ipv4",
            Int64Builder::with_capacity(rows),
            |b, v| {
                b.append_option(v.map(|v| i64::from(v.addr & mask4(v.prefix))));
            },
        )?;
        finish_long(out)
    }
);

string_udf!(
    parse_ipv4_mask_udf = "kql_parse_ipv4_mask",
    DataType::Int64,
    |args, rows| {
        let ip = StrArg::arg(args, 0, "parse_ipv4_mask")?;
        let prefix = IntArg::arg_or(args, 1, 32)?;
        let mut out = Int64Builder::with_capacity(rows);
        for i in 0..rows {
            let v = ip.get(i).and_then(parse_v4);
            let p = prefix
                .get(i)
                .and_then(|p| u8::try_from(p).ok())
                .filter(|p| *p <= 32);
            out.append_option(match (v, p) {
                (Some(v), Some(p)) => Some(i64::from(v.addr & mask4(p.min(v.prefix)))),
                _ => None,
            });
        }
        finish_long(out)
    }
);

string_udf!(
    ipv4_is_private_udf = "kql_ipv4_is_private",
    DataType::Boolean,
    |args, rows| {
        const PRIVATE: [(u32, u8); 3] = [(0x0a00_0000, 8), (0xac10_0000, 12), (0xc0a8_0000, 16)];
        let out = map_v4(
            args,
            rows,
            "ipv4_is_private",
            BooleanBuilder::with_capacity(rows),
            |b, v| {
                b.append_option(v.map(|v| {
                    PRIVATE
                        .iter()
                        .any(|(net, p)| v.prefix >= *p && v.addr & mask4(*p) == *net)
                }));
            },
        )?;
        finish_bool(out)
    }
);

string_udf!(
    ipv4_netmask_suffix_udf = "kql_ipv4_netmask_suffix",
    DataType::Int32,
    |args, rows| {
        let mut out = map_v4(
            args,
            rows,
            "ipv4_netmask_suffix",
            Int32Builder::with_capacity(rows),
            |b, v| {
                b.append_option(v.map(|v| i32::from(v.prefix)));
            },
        )?;
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// The two addresses' comparison over the shortest prefix (of theirs and the optional third
/// argument), row by row: `Some(ordering)` or `None` for an invalid address or prefix.
fn compare_rows<T: Copy>(
    args: &[ColumnarValue],
    rows: usize,
    udf: &str,
    parse: fn(&str) -> Option<T>,
    max_prefix: u8,
    cmp: fn(T, T, u8) -> std::cmp::Ordering,
) -> Result<Vec<Option<std::cmp::Ordering>>> {
    let a = StrArg::arg(args, 0, udf)?;
    let b = StrArg::arg(args, 1, udf)?;
    let prefix = IntArg::arg_or(args, 2, i64::from(max_prefix))?;
    Ok((0..rows)
        .map(|i| {
            let p = prefix
                .get(i)
                .and_then(|p| u8::try_from(p).ok())
                .filter(|p| *p <= max_prefix)?;
            Some(cmp(a.get(i).and_then(parse)?, b.get(i).and_then(parse)?, p))
        })
        .collect())
}

fn cmp_v4(a: V4, b: V4, p: u8) -> std::cmp::Ordering {
    let m = mask4(p.min(a.prefix).min(b.prefix));
    (a.addr & m).cmp(&(b.addr & m))
}

fn cmp_v6(a: V6, b: V6, p: u8) -> std::cmp::Ordering {
    let m = mask6(p.min(a.prefix).min(b.prefix));
    (a.addr & m).cmp(&(b.addr & m))
}

fn ordering_long(rows: Vec<Option<std::cmp::Ordering>>) -> Result<ArrayRef> {
    let mut out = Int64Builder::with_capacity(rows.len());
    for o in rows {
        out.append_option(o.map(|o| o as i64));
    }
    finish_long(out)
}

fn ordering_equal(rows: Vec<Option<std::cmp::Ordering>>) -> Result<ArrayRef> {
    let mut out = BooleanBuilder::with_capacity(rows.len());
    for o in rows {
        out.append_option(o.map(|o| o.is_eq()));
    }
    finish_bool(out)
}

string_udf!(
    ipv4_compare_udf = "kql_ipv4_compare",
    DataType::Int64,
    |args, rows| {
        ordering_long(compare_rows(
            args,
            rows,
            "ipv4_compare",
            parse_v4,
            32,
            cmp_v4,
        )?)
    }
);

string_udf!(
    ipv4_is_match_udf = "kql_ipv4_is_match",
    DataType::Boolean,
    |args, rows| {
        ordering_equal(compare_rows(
            args,
            rows,
            "ipv4_is_match",
            parse_v4,
            32,
            cmp_v4,
        )?)
    }
);

string_udf!(
    ipv6_compare_udf = "kql_ipv6_compare",
    DataType::Int64,
    |args, rows| {
        ordering_long(compare_rows(
            args,
            rows,
            "ipv6_compare",
            parse_v6,
            128,
            cmp_v6,
        )?)
    }
);

string_udf!(
    ipv6_is_match_udf = "kql_ipv6_is_match",
    DataType::Boolean,
    |args, rows| {
        ordering_equal(compare_rows(
            args,
            rows,
            "ipv6_is_match",
            parse_v6,
            128,
            cmp_v6,
        )?)
    }
);

/// The values of a list argument in one row: a `dynamic` array's string elements, a `dynamic`
/// string, or plain text.
fn list_items(text: &str) -> Vec<String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('"') {
        match serde_json::from_str::<serde_json::Value>(trimmed) {
            Ok(serde_json::Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| match v {
                    serde_json::Value::String(s) => Some(s),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                })
                .collect(),
            Ok(serde_json::Value::String(s)) => vec![s],
            _ => vec![text.to_string()],
        }
    } else {
        vec![text.to_string()]
    }
}

/// The list arguments from `first` on (ranges, addresses, prefixes), flattened row by row. When
/// every one is a constant, as `dynamic([...])` and literals are, they are read once, not
/// parsed again for every row.
struct ListArgs {
    lists: Vec<StrArg>,
    constant: Option<Vec<String>>,
}

impl ListArgs {
    fn new(args: &[ColumnarValue], first: usize, udf: &str) -> Result<Self> {
        let lists = (first..args.len())
            .map(|i| StrArg::arg(args, i, udf))
            .collect::<Result<Vec<_>>>()?;
        let constant = lists
            .iter()
            .all(|l| l.constant().is_some())
            .then(|| Self::read(&lists, 0));
        Ok(Self { lists, constant })
    }

    fn read(lists: &[StrArg], i: usize) -> Vec<String> {
        lists
            .iter()
            .filter_map(|l| l.get(i))
            .flat_map(list_items)
            .collect()
    }

    /// The items of row `i`.
    fn items(&self, i: usize) -> std::borrow::Cow<'_, [String]> {
        match &self.constant {
            Some(items) => std::borrow::Cow::Borrowed(items),
            None => std::borrow::Cow::Owned(Self::read(&self.lists, i)),
        }
    }
}

/// `ip` in any of the ranges; null when the address or a range is not valid.
fn in_any_range<T: Copy>(
    args: &[ColumnarValue],
    rows: usize,
    udf: &str,
    parse: fn(&str) -> Option<T>,
    contains: fn(T, T) -> bool,
) -> Result<ArrayRef> {
    let ip = StrArg::arg(args, 0, udf)?;
    let lists = ListArgs::new(args, 1, udf)?;
    let parse_all = |items: &[String]| items.iter().map(|r| parse(r)).collect::<Option<Vec<T>>>();
    // Constant ranges are parsed once; `None` inside: one of them is not a range.
    let constant_ranges = lists.constant.as_deref().map(parse_all);
    let mut out = BooleanBuilder::with_capacity(rows);
    for i in 0..rows {
        let value = ip.get(i).and_then(parse).and_then(|ip| {
            let row_ranges;
            let ranges = match &constant_ranges {
                Some(ranges) => ranges.as_deref()?,
                None => {
                    row_ranges = parse_all(&lists.items(i))?;
                    &row_ranges[..]
                }
            };
            Some(ranges.iter().any(|r| contains(*r, ip)))
        });
        out.append_option(value);
    }
    finish_bool(out)
}

string_udf!(
    ipv4_is_in_any_range_udf = "kql_ipv4_is_in_any_range",
    DataType::Boolean,
    |args, rows| {
        in_any_range(args, rows, "ipv4_is_in_any_range", parse_v4, |range, ip| {
            let m = mask4(range.prefix);
            range.addr & m == ip.addr & m
        })
    }
);

string_udf!(
    ipv6_is_in_any_range_udf = "kql_ipv6_is_in_any_range",
    DataType::Boolean,
    |args, rows| {
        in_any_range(args, rows, "ipv6_is_in_any_range", parse_v6, |range, ip| {
            let m = mask6(range.prefix);
            range.addr & m == ip.addr & m
        })
    }
);

/// The IPv4 address of a `format_ipv4` argument: text, or a number in 0–2³²−1.
fn format_input(args: &[ColumnarValue], udf: &str) -> Result<Box<dyn Fn(usize) -> Option<V4>>> {
    let is_number = match &args[0] {
        ColumnarValue::Scalar(s) => s.data_type().is_integer(),
        ColumnarValue::Array(a) => a.data_type().is_integer(),
    };
    if is_number {
        let n = IntArg::new(&args[0])?;
        Ok(Box::new(move |i| {
            let addr = u32::try_from(n.get(i)?).ok()?;
            Some(V4 { addr, prefix: 32 })
        }))
    } else {
        let s = StrArg::arg(args, 0, udf)?;
        Ok(Box::new(move |i| s.get(i).and_then(parse_v4)))
    }
}

fn format_rows(
    args: &[ColumnarValue],
    rows: usize,
    udf: &str,
    with_suffix: bool,
) -> Result<ArrayRef> {
    let ip = format_input(args, udf)?;
    let prefix = IntArg::arg_or(args, 1, 32)?;
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    for i in 0..rows {
        let p = prefix
            .get(i)
            .and_then(|p| u8::try_from(p).ok())
            .filter(|p| *p <= 32);
        match (ip(i), p) {
            (Some(v), Some(p)) => {
                let p = p.min(v.prefix);
                let text = format_v4(v.addr & mask4(p));
                if with_suffix {
                    out.append_value(format!("{text}/{p}"));
                } else {
                    out.append_value(text);
                }
            }
            _ => out.append_value(""),
        }
    }
    Ok(Arc::new(out.finish()))
}

string_udf!(
    format_ipv4_udf = "kql_format_ipv4",
    DataType::Utf8,
    |args, rows| { format_rows(args, rows, "format_ipv4", false) }
);

string_udf!(
    format_ipv4_mask_udf = "kql_format_ipv4_mask",
    DataType::Utf8,
    |args, rows| { format_rows(args, rows, "format_ipv4_mask", true) }
);

/// Whether `text` holds an IPv4 term that `matches` any of the items; null for null text.
fn has_any(
    args: &[ColumnarValue],
    rows: usize,
    udf: &str,
    matches: fn(&str, &str) -> bool,
) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, udf)?;
    let lists = ListArgs::new(args, 1, udf)?;
    let mut out = BooleanBuilder::with_capacity(rows);
    for i in 0..rows {
        let Some(t) = text.get(i) else {
            out.append_null();
            continue;
        };
        let items = lists.items(i);
        out.append_value(ipv4_terms(t).any(|term| items.iter().any(|item| matches(term, item))));
    }
    finish_bool(out)
}

string_udf!(
    has_any_ipv4_udf = "kql_has_any_ipv4",
    DataType::Boolean,
    |args, rows| {
        has_any(args, rows, "has_any_ipv4", |term, ip| {
            parse_v4(ip).is_some_and(|ip| parse_v4(term).is_some_and(|t| t.addr == ip.addr))
        })
    }
);

string_udf!(
    has_any_ipv4_prefix_udf = "kql_has_any_ipv4_prefix",
    DataType::Boolean,
    |args, rows| {
        has_any(args, rows, "has_any_ipv4_prefix", |term, prefix| {
            let prefix = prefix.trim();
            if let Some(whole) = prefix.strip_suffix('.') {
                // One to three whole octets.
                let octets: Vec<&str> = whole.split('.').collect();
                octets.len() <= 3
                    && octets.iter().all(|o| o.parse::<u8>().is_ok())
                    && term.starts_with(prefix)
            } else {
                parse_v4(prefix).is_some_and(|p| parse_v4(term).is_some_and(|t| t.addr == p.addr))
            }
        })
    }
);

string_udf!(
    parse_ipv6_udf = "kql_parse_ipv6",
    DataType::Utf8,
    |args, rows| {
        let ip = StrArg::arg(args, 0, "parse_ipv6")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 40);
        for i in 0..rows {
            match ip.get(i).and_then(parse_v6) {
                Some(v) => out.append_value(format_v6(v.addr & mask6(v.prefix))),
                None => out.append_value(""),
            }
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

string_udf!(
    parse_ipv6_mask_udf = "kql_parse_ipv6_mask",
    DataType::Utf8,
    |args, rows| {
        let ip = StrArg::arg(args, 0, "parse_ipv6_mask")?;
        let prefix = IntArg::arg_or(args, 1, 128)?;
        let mut out = StringBuilder::with_capacity(rows, rows * 40);
        for i in 0..rows {
            let p = prefix
                .get(i)
                .and_then(|p| u8::try_from(p).ok())
                .filter(|p| *p <= 128);
            match (ip.get(i).and_then(parse_v6), p) {
                (Some(v), Some(p)) => out.append_value(format_v6(v.addr & mask6(p.min(v.prefix)))),
                _ => out.append_value(""),
            }
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

fn finish_long(mut b: Int64Builder) -> Result<ArrayRef> {
    Ok(Arc::new(b.finish()))
}

fn finish_bool(mut b: BooleanBuilder) -> Result<ArrayRef> {
    Ok(Arc::new(b.finish()))
}
