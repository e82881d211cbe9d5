//! String functions over plain text: `substring`, `indexof`, `split`, `strrep`, `countof`.
//!
//! Positions and lengths count Unicode code points, as `strlen` does (strlen-function.md), with
//! byte arithmetic when the text is ASCII.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Builder, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;

use super::kernel::{IntArg, StrArg, push_json_str, string_udf};
use super::memo::Memo;

string_udf!(
    /// `substring(text, start[, length])`.
    substring_udf = "kql_substring", DataType::Utf8, substring_kernel
);
string_udf!(
    /// `indexof(text, lookup[, start[, length[, occurrence]]])`.
    indexof_udf = "kql_indexof", DataType::Int64, indexof_kernel
);
string_udf!(
    /// `split(text, delimiter[, index])` → JSON array text.
    split_udf = "kql_split", DataType::Utf8, split_kernel
);
string_udf!(
    /// `split(text, delimiter)[index]` as text, without building the JSON array: the part at
    /// `index` (negative from the end); when there is none, the fourth argument (`""` for
    /// `tostring()`), or null without one.
    split_part_udf = "kql_split_part", DataType::Utf8, split_part_kernel, null_only_from 3
);
string_udf!(
    /// `strrep(text, multiplier[, delimiter])`.
    strrep_udf = "kql_strrep", DataType::Utf8, strrep_kernel
);
string_udf!(
    /// `countof(text, search)`, plain text, overlapping matches.
    countof_udf = "kql_countof", DataType::Int64, countof_kernel
);

/// The byte offset of code point `index` (the length when past the end).
fn byte_offset(s: &str, index: usize) -> usize {
    s.char_indices().nth(index).map_or(s.len(), |(b, _)| b)
}

/// `substring`: a negative start counts from the end (substring-function.md: `substring("123456",
/// -2, 2)` is `"56"`); a start or length out of range is clamped to the text, and a negative
/// length gives `""`.
pub(crate) fn substring(s: &str, start: i64, length: Option<i64>) -> &str {
    let ascii = s.is_ascii();
    let n = if ascii { s.len() } else { s.chars().count() } as i64;
    let start = if start < 0 {
        (n + start).max(0)
    } else {
        start.min(n)
    };
    let end = match length {
        None => n,
        Some(l) if l <= 0 => start,
        Some(l) => start.saturating_add(l).min(n),
    };
    let (start, end) = (start as usize, end as usize);
    if ascii {
        &s[start..end]
    } else {
        let b = byte_offset(s, start);
        let e = b + byte_offset(&s[b..], end - start);
        &s[b..e]
    }
}

fn substring_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_substring")?;
    let start = IntArg::arg_or(args, 1, 0)?;
    let length = args.get(2).map(IntArg::new).transpose()?;
    let mut out = StringBuilder::with_capacity(rows, rows * 8);
    for i in 0..rows {
        let length = match &length {
            None => Some(None),
            Some(l) => l.get(i).map(Some),
        };
        match (start.get(i), length) {
            (Some(start), Some(length)) => out.append_value(substring(text.text(i), start, length)),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `indexof` (indexof-function.md): the code-point index of the `occurrence`-th match of
/// `lookup`, or -1. A negative `start` counts from the end; null when that is still before the
/// text, when `length < -1` or when `occurrence < 0`. A search examines `length` characters from
/// where it starts (-1: to the end); the search for a later occurrence starts one character after
/// the previous match and again examines `length` characters. That window, which slides with each
/// occurrence, is the reading that fits all of the page's examples (`idx8` finds the second
/// "cde" at 9 although it ends past `start + length`).
pub(crate) fn indexof(
    s: &str,
    lookup: &str,
    start: i64,
    length: i64,
    occurrence: i64,
    offsets: &mut Vec<usize>,
) -> Option<i64> {
    if length < -1 || occurrence < 0 {
        return None;
    }
    let ascii = s.is_ascii();
    if !ascii {
        offsets.clear();
        offsets.extend(s.char_indices().map(|(b, _)| b));
        offsets.push(s.len());
    }
    let n = if ascii { s.len() } else { offsets.len() - 1 } as i64;
    let byte = |c: i64| {
        if ascii {
            c as usize
        } else {
            offsets[c as usize]
        }
    };
    let mut from = if start < 0 { n + start } else { start };
    if from < 0 {
        return None;
    }
    if occurrence == 0 || from > n {
        return Some(-1);
    }
    let mut seen = 0;
    loop {
        let end = if length == -1 {
            n
        } else {
            from.saturating_add(length).min(n)
        };
        let begin = byte(from);
        let Some(p) = s[begin..byte(end)].find(lookup) else {
            return Some(-1);
        };
        let found = if ascii {
            (begin + p) as i64
        } else {
            offsets.binary_search(&(begin + p)).unwrap_or_else(|i| i) as i64
        };
        seen += 1;
        if seen == occurrence {
            return Some(found);
        }
        from = found + 1;
        if from > n {
            return Some(-1);
        }
    }
}

fn indexof_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_indexof")?;
    let lookup = StrArg::arg(args, 1, "kql_indexof")?;
    let start = IntArg::arg_or(args, 2, 0)?;
    let length = IntArg::arg_or(args, 3, -1)?;
    let occurrence = IntArg::arg_or(args, 4, 1)?;
    let mut offsets = Vec::new();
    let mut out = Int64Builder::with_capacity(rows);
    for i in 0..rows {
        let value = match (start.get(i), length.get(i), occurrence.get(i)) {
            (Some(s), Some(l), Some(o)) => {
                indexof(text.text(i), lookup.text(i), s, l, o, &mut offsets)
            }
            _ => None,
        };
        out.append_option(value);
    }
    Ok(Arc::new(out.finish()))
}

/// The parts of `s` between occurrences of `d` (not empty), as `str::split` gives them. A
/// one-character delimiter (`/` in resource ids, `,` in lists: nearly every query) is not
/// searched as a string pattern, a two-way search several times slower: an ASCII one is found
/// by the `memchr` crate's vectorized scan (a resource id's ninth part in 35 ns against 63 for
/// `str::split` with a char), any other as a char.
fn split_by<'a>(s: &'a str, d: &'a str) -> Parts<'a> {
    let mut chars = d.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii() => Parts::Byte {
            s,
            start: 0,
            // An ASCII byte never occurs inside a multi-byte UTF-8 sequence, so each match is
            // a char boundary.
            found: memchr::memchr_iter(c as u8, s.as_bytes()),
            done: false,
        },
        (Some(c), None) => Parts::Char(s.split(c)),
        _ => Parts::Str(s.split(d)),
    }
}

/// The iterator of [`split_by`].
enum Parts<'a> {
    Byte {
        s: &'a str,
        /// Where the next part starts.
        start: usize,
        found: memchr::Memchr<'a>,
        /// Whether the last part (after the last delimiter) has been given.
        done: bool,
    },
    Char(std::str::Split<'a, char>),
    Str(std::str::Split<'a, &'a str>),
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Parts::Byte {
                s,
                start,
                found,
                done,
            } => {
                if *done {
                    return None;
                }
                let from = *start;
                match found.next() {
                    Some(at) => {
                        *start = at + 1;
                        s.get(from..at)
                    }
                    None => {
                        *done = true;
                        s.get(from..)
                    }
                }
            }
            Parts::Char(parts) => parts.next(),
            Parts::Str(parts) => parts.next(),
        }
    }
}

/// `split(text, delimiter)[index]`: what `json_as_text` gives for that element of `split`'s
/// array (an empty delimiter does not split). A missing part is null, or the optional fourth
/// argument (`""` for `tostring()`).
fn split_part_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_split_part")?;
    let delimiter = StrArg::arg(args, 1, "kql_split_part")?;
    let index = IntArg::arg_or(args, 2, 0)?;
    let missing = args.get(3).map(StrArg::new).transpose()?;
    // With the delimiter and index the same in every row, a part depends on the text alone;
    // without a delimiter or an index there is no work to remember.
    let mut memo = Memo::new(
        matches!(delimiter.constant(), Some(Some(d)) if !d.is_empty())
            && matches!(index, IntArg::Scalar(Some(_))),
    );
    let mut out = StringBuilder::with_capacity(rows, rows * 8);
    for i in 0..rows {
        let (d, k) = (delimiter.text(i), index.get(i));
        let part = memo.get_or(text.text(i), |s| nth_part(s, d, k?));
        match (part, &missing) {
            (None, Some(missing)) => out.append_option(missing.get(i)),
            _ => out.append_option(part),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// Part `k` of `s` cut at every `d` (negative: from the end), `None` when there is none. An
/// empty delimiter does not cut: the text is part 0 and part -1.
fn nth_part<'a>(s: &'a str, d: &'a str, k: i64) -> Option<&'a str> {
    if d.is_empty() {
        return (k == 0 || k == -1).then_some(s);
    }
    if k >= 0 {
        split_by(s, d).nth(usize::try_from(k).ok()?)
    } else {
        // Not `rsplit`: it cuts a self-overlapping delimiter ("aa" in "aaa") elsewhere.
        let parts: Vec<&str> = split_by(s, d).collect();
        let back = usize::try_from(k.checked_neg()?).ok()?;
        parts.len().checked_sub(back).map(|p| parts[p])
    }
}

/// `split` (split-function.md): every part, empty ones included, as a JSON array; with an index,
/// an array of that one part, or an empty array when there is no such part. An empty delimiter
/// does not split.
fn split_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_split")?;
    let delimiter = StrArg::arg(args, 1, "kql_split")?;
    let index = args.get(2).map(IntArg::new).transpose()?;
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    let mut buf = String::new();
    for i in 0..rows {
        let (s, d) = (text.text(i), delimiter.text(i));
        buf.clear();
        buf.push('[');
        match &index {
            None if d.is_empty() => push_json_str(&mut buf, s),
            None => {
                for (k, part) in split_by(s, d).enumerate() {
                    if k > 0 {
                        buf.push(',');
                    }
                    push_json_str(&mut buf, part);
                }
            }
            Some(index) => {
                let Some(k) = index.get(i) else {
                    out.append_null();
                    continue;
                };
                let part = match usize::try_from(k) {
                    Err(_) => None,
                    Ok(0) if d.is_empty() => Some(s),
                    Ok(_) if d.is_empty() => None,
                    Ok(k) => split_by(s, d).nth(k),
                };
                if let Some(part) = part {
                    push_json_str(&mut buf, part);
                }
            }
        }
        buf.push(']');
        out.append_value(&buf);
    }
    Ok(Arc::new(out.finish()))
}

/// The most repetitions `strrep` makes (strrep-function.md).
const STRREP_MAX_MULTIPLIER: i64 = 67_108_864;
/// The longest text `strrep` makes, in bytes (the 64 MB record limit of string.md); longer
/// results are null.
const STRREP_MAX_BYTES: usize = 64 << 20;

/// `strrep`: null for a multiplier below 1 (the page allows 1 to 67,108,864), at most
/// 67,108,864 repetitions.
pub(crate) fn strrep(value: &str, multiplier: i64, delimiter: &str, out: &mut String) -> bool {
    if multiplier < 1 {
        return false;
    }
    let n = multiplier.min(STRREP_MAX_MULTIPLIER) as usize;
    let size = value.len().checked_mul(n).and_then(|v| {
        delimiter
            .len()
            .checked_mul(n - 1)
            .and_then(|d| v.checked_add(d))
    });
    let Some(size) = size.filter(|&s| s <= STRREP_MAX_BYTES) else {
        return false;
    };
    out.clear();
    out.reserve(size);
    for k in 0..n {
        if k > 0 {
            out.push_str(delimiter);
        }
        out.push_str(value);
    }
    true
}

fn strrep_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let value = StrArg::arg(args, 0, "kql_strrep")?;
    let multiplier = IntArg::arg_or(args, 1, 1)?;
    let delimiter = match args.get(2) {
        Some(d) => StrArg::new(d)?,
        None => StrArg::Scalar(None),
    };
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    let mut buf = String::new();
    for i in 0..rows {
        match multiplier.get(i) {
            Some(m) if strrep(value.text(i), m, delimiter.text(i), &mut buf) => {
                out.append_value(&buf);
            }
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `countof(text, search)`: plain matches may overlap (countof-function.md: `countof("aaaa",
/// "aa")` is 3). An empty search counts 0.
pub(crate) fn count_overlapping(hay: &str, needle: &str) -> i64 {
    let Some(step) = needle.chars().next().map(char::len_utf8) else {
        return 0;
    };
    let mut count = 0;
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        count += 1;
        from += p + step;
    }
    count
}

fn countof_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_countof")?;
    let search = StrArg::arg(args, 1, "kql_countof")?;
    let mut out = Int64Builder::with_capacity(rows);
    for i in 0..rows {
        out.append_value(count_overlapping(text.text(i), search.text(i)));
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, AsArray, StringArray, StringViewArray};
    use datafusion::common::ScalarValue;

    use super::*;

    fn idx(s: &str, lookup: &str, start: i64, length: i64, occurrence: i64) -> Option<i64> {
        indexof(s, lookup, start, length, occurrence, &mut Vec::new())
    }

    #[test]
    fn indexof_page_examples() {
        assert_eq!(idx("abcdefg", "cde", 0, -1, 1), Some(2));
        assert_eq!(idx("abcdefg", "cde", 1, 4, 1), Some(2));
        assert_eq!(idx("abcdefg", "cde", 1, 2, 1), Some(-1));
        assert_eq!(idx("abcdefg", "cde", 3, 4, 1), Some(-1));
        assert_eq!(idx("abcdefg", "cde", -5, -1, 1), Some(2));
        assert_eq!(idx("1234567", "5", 1, 4, 1), Some(4));
        assert_eq!(idx("abcdefg", "cde", 2, -1, 1), Some(2));
        assert_eq!(idx("abcdefgabcdefg", "cde", 1, 10, 2), Some(9));
        assert_eq!(idx("abcdefgabcdefg", "cde", 1, -1, 3), Some(-1));
    }

    #[test]
    fn indexof_edges() {
        // Null per the page's rules.
        assert_eq!(idx("abc", "a", 0, -2, 1), None);
        assert_eq!(idx("abc", "a", 0, -1, -1), None);
        assert_eq!(idx("abc", "a", -4, -1, 1), None);
        assert_eq!(idx("abc", "c", -1, -1, 1), Some(2));
        assert_eq!(idx("abc", "a", 5, -1, 1), Some(-1));
        assert_eq!(idx("abc", "a", 0, -1, 0), Some(-1));
        assert_eq!(idx("", "", 0, -1, 1), Some(0));
        assert_eq!(idx("aaaa", "aa", 0, -1, 3), Some(2));
        // Code points, not bytes.
        assert_eq!(idx("héllo wörld", "wö", 0, -1, 1), Some(6));
        assert_eq!(idx("héllo wörld", "l", 4, -1, 1), Some(9));
        assert_eq!(idx("héllo wörld", "l", -3, 2, 1), Some(9));
        assert_eq!(idx("日本語日本語", "本", 0, -1, 2), Some(4));
    }

    #[test]
    fn substring_page_examples_and_edges() {
        assert_eq!(substring("123456", 1, None), "23456");
        assert_eq!(substring("123456", 2, Some(2)), "34");
        assert_eq!(substring("ABCD", 0, Some(2)), "AB");
        assert_eq!(substring("123456", -2, Some(2)), "56");
        assert_eq!(substring("123456", -10, Some(2)), "12");
        assert_eq!(substring("123456", 10, None), "");
        assert_eq!(substring("123456", 4, Some(100)), "56");
        assert_eq!(substring("123456", 1, Some(-1)), "");
        assert_eq!(substring("", 0, None), "");
        assert_eq!(substring("héllo", 1, Some(3)), "éll");
        assert_eq!(substring("日本語テキスト", -3, None), "キスト");
    }

    #[test]
    fn countof_page_examples() {
        assert_eq!(count_overlapping("aaa", "a"), 3);
        assert_eq!(count_overlapping("aaaa", "aa"), 3);
        assert_eq!(count_overlapping("ababa", "ab"), 2);
        assert_eq!(count_overlapping("ababa", "aba"), 2);
        assert_eq!(count_overlapping("abc", ""), 0);
        assert_eq!(count_overlapping("ééé", "éé"), 2);
    }

    #[test]
    fn strrep_limits() {
        let mut buf = String::new();
        assert!(strrep("ABC", 2, "", &mut buf));
        assert_eq!(buf, "ABCABC");
        assert!(strrep("123", 3, ".", &mut buf));
        assert_eq!(buf, "123.123.123");
        assert!(!strrep("x", 0, "", &mut buf));
        assert!(!strrep("x", -1, "", &mut buf));
        assert!(!strrep("0123456789", 67_108_864, "", &mut buf));
    }

    #[test]
    fn split_over_a_column_of_views() {
        let text: StringViewArray = vec![Some("a,b,,c"), None, Some("xyz")]
            .into_iter()
            .collect();
        let args = [
            ColumnarValue::Array(Arc::new(text)),
            ColumnarValue::Scalar(ScalarValue::Utf8(Some(",".into()))),
        ];
        let out = split_kernel(&args, 3).expect("split");
        let out = out.as_string::<i32>();
        assert_eq!(out.value(0), r#"["a","b","","c"]"#);
        assert_eq!(out.value(1), r#"[""]"#);
        assert_eq!(out.value(2), r#"["xyz"]"#);
        assert_eq!(out.null_count(), 0);
    }

    #[test]
    fn a_missing_split_part_is_null_or_the_text_given_for_it() {
        let text: StringArray = vec![Some("a/b"), None, Some("x")].into_iter().collect();
        let mut args = vec![
            ColumnarValue::Array(Arc::new(text)),
            ColumnarValue::Scalar(ScalarValue::Utf8(Some("/".into()))),
            ColumnarValue::Scalar(ScalarValue::Int64(Some(1))),
        ];
        let out = split_part_kernel(&args, 3).expect("split part");
        let out = out.as_string::<i32>();
        assert_eq!(out.value(0), "b");
        assert!(out.is_null(1) && out.is_null(2));
        args.push(ColumnarValue::Scalar(ScalarValue::Utf8(
            Some(String::new()),
        )));
        let out = split_part_kernel(&args, 3).expect("split part");
        let out = out.as_string::<i32>();
        assert_eq!((out.value(0), out.value(1), out.value(2)), ("b", "", ""));
        assert_eq!(out.null_count(), 0);
    }

    /// Long enough for the memo's trial; texts that repeat, then texts that do not, and a
    /// per-row index over repeated texts (where the part depends on more than the text).
    #[test]
    fn split_parts_of_a_long_column_are_the_parts_str_split_gives() {
        use datafusion::arrow::array::Int64Array;

        let ids = [
            "/s/1/rg/a/p/m/w/ws-prod",
            "/s/1/rg/b/p/m/w/ws-dev",
            "/s/1/x",
        ];
        let texts: Vec<String> = (0..6000)
            .map(|i| match i {
                0..3000 => ids[i % 3].to_string(),
                _ => format!("/s/{i}/rg/{}/p/m/w/ws-{i}", i % 7),
            })
            .collect();
        let array: StringArray = texts.iter().map(|t| Some(t.as_str())).collect();
        let parts = |delimiter: ColumnarValue, index: ColumnarValue| {
            let args = [
                ColumnarValue::Array(Arc::new(array.clone())),
                delimiter,
                index,
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(String::new()))),
            ];
            let out = split_part_kernel(&args, texts.len()).expect("split part");
            let out = out.as_string::<i32>();
            (0..out.len())
                .map(|i| out.value(i).to_string())
                .collect::<Vec<_>>()
        };
        let want = |d: &dyn Fn(usize) -> &'static str, k: &dyn Fn(usize) -> usize| {
            (texts.iter().enumerate())
                .map(|(i, t)| t.split(d(i)).nth(k(i)).unwrap_or("").to_string())
                .collect::<Vec<_>>()
        };
        let slash = || ColumnarValue::Scalar(ScalarValue::Utf8(Some("/".into())));
        let eight = || ColumnarValue::Scalar(ScalarValue::Int64(Some(8)));

        assert_eq!(parts(slash(), eight()), want(&|_| "/", &|_| 8));

        let per_row: Int64Array = (0..texts.len()).map(|i| Some((i % 10) as i64)).collect();
        assert_eq!(
            parts(slash(), ColumnarValue::Array(Arc::new(per_row))),
            want(&|_| "/", &|i| i % 10)
        );

        let by = |i: usize| if i.is_multiple_of(2) { "/" } else { "-" };
        let per_row: StringArray = (0..texts.len()).map(|i| Some(by(i))).collect();
        assert_eq!(
            parts(ColumnarValue::Array(Arc::new(per_row)), eight()),
            want(&by, &|_| 8)
        );
    }

    #[test]
    fn a_split_part_with_non_null_text_for_a_missing_part_is_not_nullable() {
        use datafusion::arrow::datatypes::Field;
        use datafusion::logical_expr::ReturnFieldArgs;

        // The nullability of the fourth argument's field, if there is one.
        let nullable = |fallback: Option<bool>| {
            let mut fields = vec![
                Arc::new(Field::new("s", DataType::Utf8, true)),
                Arc::new(Field::new("d", DataType::Utf8, false)),
                Arc::new(Field::new("i", DataType::Int64, false)),
            ];
            fields.extend(fallback.map(|n| Arc::new(Field::new("m", DataType::Utf8, n))));
            let scalars = vec![None; fields.len()];
            split_part_udf()
                .return_field_from_args(ReturnFieldArgs {
                    arg_fields: &fields,
                    scalar_arguments: &scalars,
                })
                .expect("return field")
                .is_nullable()
        };
        assert!(nullable(None), "a missing part is null");
        assert!(nullable(Some(true)), "a nullable fallback can be null");
        assert!(
            !nullable(Some(false)),
            "a non-null fallback stands for a missing part"
        );
    }

    #[test]
    fn split_by_gives_the_parts_str_split_gives() {
        let texts = [
            "", "/", "//", "a", "/a//b/", "é/è/", "x→y→", "a::b:::c", "aaa",
        ];
        for d in ["/", ":", "→", "::", "aa"] {
            for t in texts {
                let expected: Vec<&str> = t.split(d).collect();
                assert_eq!(
                    split_by(t, d).collect::<Vec<_>>(),
                    expected,
                    "{t:?} by {d:?}"
                );
            }
        }
    }
}
