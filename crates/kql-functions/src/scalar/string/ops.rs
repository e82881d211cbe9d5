//! KQL's string operators (`has`, `contains`, `startswith`, `=~`, `in~`, `matches regex`, …) as
//! Boolean expressions for the planner.
//!
//! Every operator reads a null operand as `""` (KQL strings have no null) and never returns null
//! for a valid pattern, so the planner's `NOT` gives the negated operators (`!has`, `!contains`,
//! …) their KQL results: `"" !has "x"` is true.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray};
use datafusion::arrow::buffer::BooleanBuffer;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, Expr};
use regex::Regex;

use super::kernel::{
    PatternArg, StrArg, cached_regex, eq_ci, literal_str, lower_into, lowered, string_udf,
};
use crate::FunctionError;

const HAS: u8 = 0;
const HAS_PREFIX: u8 = 1;
const HAS_SUFFIX: u8 = 2;
const CONTAINS: u8 = 3;
const STARTS_WITH: u8 = 4;
const ENDS_WITH: u8 = 5;
const EQUALS: u8 = 6;

/// `left has right`: `right` is a whole term of `left`. A term is a maximal run of (Unicode)
/// letters and digits; a needle that itself holds other characters (`"North America"`,
/// `"resourcegroups/test.rg000001"`) matches where each of its ends that is a letter or digit
/// falls on a term boundary. An empty needle matches every string.
pub fn has(left: Expr, right: Expr, case_sensitive: bool) -> Expr {
    let udf = if case_sensitive {
        has_cs_udf()
    } else {
        has_ci_udf()
    };
    udf.call(vec![left, right])
}

/// `left hasprefix right`: `right` starts a term of `left`.
pub fn hasprefix(left: Expr, right: Expr, case_sensitive: bool) -> Expr {
    let udf = if case_sensitive {
        hasprefix_cs_udf()
    } else {
        hasprefix_ci_udf()
    };
    udf.call(vec![left, right])
}

/// `left hassuffix right`: `right` ends a term of `left`.
pub fn hassuffix(left: Expr, right: Expr, case_sensitive: bool) -> Expr {
    let udf = if case_sensitive {
        hassuffix_cs_udf()
    } else {
        hassuffix_ci_udf()
    };
    udf.call(vec![left, right])
}

/// `left contains right`: `right` is a substring of `left`.
pub fn contains(left: Expr, right: Expr, case_sensitive: bool) -> Expr {
    let udf = if case_sensitive {
        contains_cs_udf()
    } else {
        contains_ci_udf()
    };
    udf.call(vec![left, right])
}

/// `left startswith right`.
pub fn startswith(left: Expr, right: Expr, case_sensitive: bool) -> Expr {
    let udf = if case_sensitive {
        startswith_cs_udf()
    } else {
        startswith_ci_udf()
    };
    udf.call(vec![left, right])
}

/// `left endswith right`.
pub fn endswith(left: Expr, right: Expr, case_sensitive: bool) -> Expr {
    let udf = if case_sensitive {
        endswith_cs_udf()
    } else {
        endswith_ci_udf()
    };
    udf.call(vec![left, right])
}

/// `left =~ right`: equal after Unicode lower-casing.
pub fn equals_ci(left: Expr, right: Expr) -> Expr {
    equals_ci_udf().call(vec![left, right])
}

/// `left matches regex right`: the regex matches somewhere in `left`. A literal pattern that does
/// not compile is an error here; a computed one that does not compile gives null for the row.
pub fn matches_regex(left: Expr, right: Expr) -> Result<Expr, FunctionError> {
    if let Some(Some(pattern)) = literal_str(&right)
        && let Err(e) = Regex::new(pattern)
    {
        return Err(FunctionError::Invalid {
            name: "matches regex".into(),
            message: format!("invalid regular expression: {e}"),
        });
    }
    Ok(matches_regex_udf().call(vec![left, right]))
}

/// `left has_any (t1, t2, …)`: `left has` at least one of the terms (case-insensitive).
pub fn has_any(left: Expr, terms: Vec<Expr>) -> Expr {
    let mut args = Vec::with_capacity(terms.len() + 1);
    args.push(left);
    args.extend(terms);
    has_any_udf().call(args)
}

/// `left has_all (t1, t2, …)`: `left has` every one of the terms (case-insensitive).
pub fn has_all(left: Expr, terms: Vec<Expr>) -> Expr {
    let mut args = Vec::with_capacity(terms.len() + 1);
    args.push(left);
    args.extend(terms);
    has_all_udf().call(args)
}

/// `left in~ (i1, i2, …)`: `left =~` one of the items.
pub fn in_ci(left: Expr, items: Vec<Expr>) -> Expr {
    let mut args = Vec::with_capacity(items.len() + 1);
    args.push(left);
    args.extend(items);
    in_ci_udf().call(args)
}

string_udf!(
    has_ci_udf = "kql_has",
    DataType::Boolean,
    predicate::<HAS, false>
);
string_udf!(
    has_cs_udf = "kql_has_cs",
    DataType::Boolean,
    predicate::<HAS, true>
);
string_udf!(
    hasprefix_ci_udf = "kql_hasprefix",
    DataType::Boolean,
    predicate::<HAS_PREFIX, false>
);
string_udf!(
    hasprefix_cs_udf = "kql_hasprefix_cs",
    DataType::Boolean,
    predicate::<HAS_PREFIX, true>
);
string_udf!(
    hassuffix_ci_udf = "kql_hassuffix",
    DataType::Boolean,
    predicate::<HAS_SUFFIX, false>
);
string_udf!(
    hassuffix_cs_udf = "kql_hassuffix_cs",
    DataType::Boolean,
    predicate::<HAS_SUFFIX, true>
);
string_udf!(
    contains_ci_udf = "kql_contains",
    DataType::Boolean,
    predicate::<CONTAINS, false>
);
string_udf!(
    contains_cs_udf = "kql_contains_cs",
    DataType::Boolean,
    predicate::<CONTAINS, true>
);
string_udf!(
    startswith_ci_udf = "kql_startswith",
    DataType::Boolean,
    predicate::<STARTS_WITH, false>
);
string_udf!(
    startswith_cs_udf = "kql_startswith_cs",
    DataType::Boolean,
    predicate::<STARTS_WITH, true>
);
string_udf!(
    endswith_ci_udf = "kql_endswith",
    DataType::Boolean,
    predicate::<ENDS_WITH, false>
);
string_udf!(
    endswith_cs_udf = "kql_endswith_cs",
    DataType::Boolean,
    predicate::<ENDS_WITH, true>
);
string_udf!(
    equals_ci_udf = "kql_equals_ci",
    DataType::Boolean,
    predicate::<EQUALS, false>
);
string_udf!(
    matches_regex_udf = "kql_matches_regex",
    DataType::Boolean,
    matches_regex_kernel
);
string_udf!(
    has_any_udf = "kql_has_any",
    DataType::Boolean,
    term_set_kernel::<false>
);
string_udf!(
    has_all_udf = "kql_has_all",
    DataType::Boolean,
    term_set_kernel::<true>
);
string_udf!(in_ci_udf = "kql_in_ci", DataType::Boolean, in_ci_kernel);

/// `hay has term`, case-insensitive, for the functions built on it (`has_any_index`).
pub(crate) fn has_term(hay: &str, term: &str) -> bool {
    let folded = super::kernel::lowered(term);
    let needle = Needle::new(&folded);
    let mut buf = String::new();
    eval(HAS, false, hay, &needle, &mut buf)
}

/// A needle with what the term operators need to know about its ends.
struct Needle<'a> {
    text: &'a str,
    /// Starts with a letter or digit: a match must start a term.
    first_alnum: bool,
    /// Ends with a letter or digit: a match must end a term.
    last_alnum: bool,
    /// ASCII without letters: ASCII text needs no lower-casing to be compared with it.
    caseless_ascii: bool,
}

impl<'a> Needle<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            first_alnum: text.chars().next().is_some_and(char::is_alphanumeric),
            last_alnum: text.chars().next_back().is_some_and(char::is_alphanumeric),
            caseless_ascii: text
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_alphabetic()),
        }
    }
}

/// Whether `needle` occurs in `hay` with a term boundary before it (when `at_start` and the
/// needle starts with a letter or digit) and after it (likewise for `at_end`).
fn term_match(hay: &str, needle: &Needle<'_>, at_start: bool, at_end: bool) -> bool {
    if needle.text.is_empty() {
        return true;
    }
    let check_start = at_start && needle.first_alnum;
    let check_end = at_end && needle.last_alnum;
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle.text) {
        let start = from + pos;
        let end = start + needle.text.len();
        let start_ok = !check_start
            || hay[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
        let end_ok = !check_end
            || hay[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if start_ok && end_ok {
            return true;
        }
        // Try again one character further: matches may overlap.
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The operator on text already folded the same way as the needle.
#[inline]
fn matches_folded(op: u8, hay: &str, needle: &Needle<'_>) -> bool {
    match op {
        HAS => term_match(hay, needle, true, true),
        HAS_PREFIX => term_match(hay, needle, true, false),
        HAS_SUFFIX => term_match(hay, needle, false, true),
        CONTAINS => hay.contains(needle.text),
        STARTS_WITH => hay.starts_with(needle.text),
        ENDS_WITH => hay.ends_with(needle.text),
        _ => hay == needle.text,
    }
}

/// The operator on one row; for a case-insensitive operator the needle is already lower-cased
/// and `buf` is scratch space for the lower-cased haystack.
#[inline]
fn eval(op: u8, case_sensitive: bool, hay: &str, needle: &Needle<'_>, buf: &mut String) -> bool {
    if case_sensitive {
        return matches_folded(op, hay, needle);
    }
    if hay.is_ascii() {
        // Lower-cased ASCII stays ASCII, so a needle with other characters cannot match it
        // (the byte comparisons below see to that).
        let (h, n) = (hay.as_bytes(), needle.text.as_bytes());
        match op {
            STARTS_WITH => return h.len() >= n.len() && h[..n.len()].eq_ignore_ascii_case(n),
            ENDS_WITH => {
                return h.len() >= n.len() && h[h.len() - n.len()..].eq_ignore_ascii_case(n);
            }
            EQUALS => return h.eq_ignore_ascii_case(n),
            _ if needle.caseless_ascii => return matches_folded(op, hay, needle),
            _ => {}
        }
    }
    lower_into(hay, buf);
    matches_folded(op, buf, needle)
}

/// `left <op> right` for every row; a constant needle is prepared once.
fn predicate<const OP: u8, const CS: bool>(
    args: &[ColumnarValue],
    rows: usize,
) -> Result<ArrayRef> {
    let hay = StrArg::arg(args, 0, "kql string operator")?;
    let needle = StrArg::arg(args, 1, "kql string operator")?;
    let mut buf = String::new();
    let bits = match needle.constant() {
        Some(n) => {
            let n = n.unwrap_or("");
            let folded = if CS { String::new() } else { lowered(n) };
            let needle = Needle::new(if CS { n } else { &folded });
            BooleanBuffer::collect_bool(rows, |i| eval(OP, CS, hay.text(i), &needle, &mut buf))
        }
        None => {
            let mut needle_buf = String::new();
            BooleanBuffer::collect_bool(rows, |i| {
                let n = if CS {
                    needle.text(i)
                } else {
                    lower_into(needle.text(i), &mut needle_buf);
                    &needle_buf
                };
                eval(OP, CS, hay.text(i), &Needle::new(n), &mut buf)
            })
        }
    };
    Ok(Arc::new(BooleanArray::new(bits, None)))
}

fn matches_regex_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let hay = StrArg::arg(args, 0, "kql_matches_regex")?;
    let mut pattern = PatternArg::new(args, 1, "kql_matches_regex", cached_regex)?;
    let out: BooleanArray = (0..rows)
        .map(|i| pattern.get(i).map(|re| re.is_match(hay.text(i))))
        .collect();
    Ok(Arc::new(out))
}

/// Constant `has_any` / `has_all` terms, lower-cased and de-duplicated: the ones made only of
/// letters and digits are looked up by the haystack's terms; the others are searched for.
struct TermSet {
    simple: HashMap<String, usize>,
    complex: Vec<String>,
}

impl TermSet {
    fn new<'a>(terms: impl Iterator<Item = &'a str>) -> Self {
        let mut simple = HashMap::new();
        let mut complex = Vec::new();
        let mut seen = HashSet::new();
        for term in terms {
            let term = lowered(term);
            if !seen.insert(term.clone()) {
                continue;
            }
            if !term.is_empty() && term.chars().all(char::is_alphanumeric) {
                let index = simple.len();
                simple.insert(term, index);
            } else {
                complex.push(term);
            }
        }
        Self { simple, complex }
    }

    /// Whether the lower-cased `hay` has any (or, with `ALL`, every) term.
    fn test<const ALL: bool>(&self, hay: &str, found: &mut Vec<bool>) -> bool {
        let mut words = hay
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        if ALL {
            found.clear();
            found.resize(self.simple.len(), false);
            let mut missing = self.simple.len();
            if missing > 0 {
                for word in words {
                    if let Some(&k) = self.simple.get(word)
                        && !found[k]
                    {
                        found[k] = true;
                        missing -= 1;
                        if missing == 0 {
                            break;
                        }
                    }
                }
            }
            missing == 0
                && self
                    .complex
                    .iter()
                    .all(|t| term_match(hay, &Needle::new(t), true, true))
        } else {
            (!self.simple.is_empty() && words.any(|w| self.simple.contains_key(w)))
                || self
                    .complex
                    .iter()
                    .any(|t| term_match(hay, &Needle::new(t), true, true))
        }
    }
}

fn term_set_kernel<const ALL: bool>(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let hay = StrArg::arg(args, 0, "kql_has_any")?;
    let terms = args[1..]
        .iter()
        .map(StrArg::new)
        .collect::<Result<Vec<_>>>()?;
    let mut buf = String::new();
    let constant: Option<Vec<&str>> = terms
        .iter()
        .map(|t| t.constant().map(|v| v.unwrap_or("")))
        .collect();
    let bits = match constant {
        Some(constant) => {
            let set = TermSet::new(constant.into_iter());
            let mut found = Vec::new();
            BooleanBuffer::collect_bool(rows, |i| {
                lower_into(hay.text(i), &mut buf);
                set.test::<ALL>(&buf, &mut found)
            })
        }
        None => {
            let mut term_buf = String::new();
            BooleanBuffer::collect_bool(rows, |i| {
                lower_into(hay.text(i), &mut buf);
                let mut hit = |t: &StrArg| {
                    lower_into(t.text(i), &mut term_buf);
                    term_match(&buf, &Needle::new(&term_buf), true, true)
                };
                if ALL {
                    terms.iter().all(&mut hit)
                } else {
                    terms.iter().any(&mut hit)
                }
            })
        }
    };
    Ok(Arc::new(BooleanArray::new(bits, None)))
}

fn in_ci_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let hay = StrArg::arg(args, 0, "kql_in_ci")?;
    let items = args[1..]
        .iter()
        .map(StrArg::new)
        .collect::<Result<Vec<_>>>()?;
    let constant: Option<HashSet<String>> = items
        .iter()
        .map(|t| t.constant().map(|v| lowered(v.unwrap_or(""))))
        .collect();
    let bits = match constant {
        Some(set) => {
            let mut buf = String::new();
            BooleanBuffer::collect_bool(rows, |i| {
                lower_into(hay.text(i), &mut buf);
                set.contains(buf.as_str())
            })
        }
        None => BooleanBuffer::collect_bool(rows, |i| {
            items.iter().any(|item| eq_ci(hay.text(i), item.text(i)))
        }),
    };
    Ok(Arc::new(BooleanArray::new(bits, None)))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, AsArray, StringArray, StringViewArray};
    use datafusion::common::ScalarValue;
    use datafusion::prelude::lit;

    use super::*;
    use crate::testing::eval;

    fn t(e: Expr) -> bool {
        match eval(e) {
            ScalarValue::Boolean(Some(b)) => b,
            other => panic!("expected a bool, got {other:?}"),
        }
    }

    fn null() -> Expr {
        lit(ScalarValue::Utf8(None))
    }

    #[test]
    fn operator_table_examples() {
        // datatypes-string-operators.md: every example yields true.
        assert!(t(equals_ci(lit("abc"), lit("ABC"))));
        assert!(!t(equals_ci(lit("aBc"), lit("xyz"))));
        assert!(t(contains(lit("FabriKam"), lit("BRik"), false)));
        assert!(!t(contains(lit("Fabrikam"), lit("xyz"), false)));
        assert!(t(contains(lit("FabriKam"), lit("Kam"), true)));
        assert!(!t(contains(lit("Fabrikam"), lit("Kam"), true)));
        assert!(t(endswith(lit("Fabrikam"), lit("Kam"), false)));
        assert!(!t(endswith(lit("Fabrikam"), lit("brik"), false)));
        assert!(t(endswith(lit("Fabrikam"), lit("kam"), true)));
        assert!(!t(endswith(lit("Fabrikam"), lit("brik"), true)));
        assert!(t(has(lit("North America"), lit("america"), false)));
        assert!(!t(has(lit("North America"), lit("amer"), false)));
        assert!(t(has_all(
            lit("North and South America"),
            vec![lit("south"), lit("north")]
        )));
        assert!(t(has_any(
            lit("North America"),
            vec![lit("south"), lit("north")]
        )));
        assert!(t(has(lit("North America"), lit("America"), true)));
        assert!(!t(has(lit("North America"), lit("amer"), true)));
        assert!(t(hasprefix(lit("North America"), lit("ame"), false)));
        assert!(!t(hasprefix(lit("North America"), lit("mer"), false)));
        assert!(t(hasprefix(lit("North America"), lit("Ame"), true)));
        assert!(!t(hasprefix(lit("North America"), lit("CA"), true)));
        assert!(t(hassuffix(lit("North America"), lit("ica"), false)));
        assert!(!t(hassuffix(lit("North America"), lit("americ"), false)));
        assert!(t(hassuffix(lit("North America"), lit("ica"), true)));
        assert!(!t(hassuffix(lit("North America"), lit("icA"), true)));
        assert!(t(in_ci(
            lit("Abc"),
            vec![lit("123"), lit("345"), lit("abc")]
        )));
        assert!(!t(in_ci(
            lit("bCa"),
            vec![lit("123"), lit("345"), lit("ABC")]
        )));
        assert!(t(startswith(lit("Fabrikam"), lit("fab"), false)));
        assert!(!t(startswith(lit("Fabrikam"), lit("kam"), false)));
        assert!(t(startswith(lit("Fabrikam"), lit("Fab"), true)));
        assert!(!t(startswith(lit("Fabrikam"), lit("fab"), true)));
        assert!(t(
            matches_regex(lit("Fabrikam"), lit("b.*k")).expect("valid regex")
        ));
    }

    #[test]
    fn has_matches_terms_not_substrings() {
        // datatypes-string-operators.md, "What is a term?".
        assert!(!t(has(
            lit("KustoExplorerQueryRun"),
            lit("Explorer"),
            false
        )));
        assert!(t(contains(
            lit("KustoExplorerQueryRun"),
            lit("Explorer"),
            false
        )));
        let text = "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun";
        for term in [
            "Kusto",
            "KustoExplorerQueryRun",
            "ad67d136",
            "c1db",
            "4f9f",
            "d94f3b6b0b5a",
        ] {
            assert!(t(has(lit(text), lit(term), true)), "{term}");
        }
        assert!(!t(has(lit(text), lit("ad67"), true)));
        assert!(!t(has(lit(text), lit("Query"), false)));
    }

    #[test]
    fn has_with_a_needle_of_several_terms() {
        // dataexplorer-docs issue #1005 reports these three as true.
        let url = "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/test.rg000001?api-version=2021-04-01";
        assert!(t(has(lit(url), lit("resourcegroups/test.rg000001"), false)));
        assert!(t(has(
            lit(url),
            lit("/resourcegroups/test.rg000001?"),
            false
        )));
        assert!(t(has(lit("North America"), lit("North America"), false)));
        // A needle end that is a letter or digit must end a term.
        assert!(!t(has(lit(url), lit("resourcegroups/test.rg00000"), false)));
        assert!(!t(has(lit(url), lit("esourcegroups/test"), false)));
        // A needle end that is not a letter or digit needs no boundary.
        assert!(t(has(lit("a.b.c"), lit("b.c"), false)));
        assert!(t(has(lit("x--y"), lit("-"), false)));
    }

    #[test]
    fn has_retries_after_a_rejected_overlapping_match() {
        assert!(t(has(lit("aab ab"), lit("ab"), true)));
        assert!(t(has(lit("xaa aa"), lit("aa"), true)));
        assert!(t(hasprefix(lit("xab abc"), lit("ab"), true)));
        assert!(t(hassuffix(lit("abx cab"), lit("ab"), true)));
        assert!(!t(hassuffix(lit("abx cabd"), lit("ab"), true)));
    }

    #[test]
    fn terms_are_unicode_letters_and_digits() {
        assert!(t(has(lit("Grüße aus Köln"), lit("KÖLN"), false)));
        assert!(!t(has(lit("Grüße aus Köln"), lit("öln"), false)));
        assert!(t(has(lit("naïve_user"), lit("naïve"), false)));
        assert!(t(has(lit("ΣΟΦΙΑ σοφια"), lit("σοφια"), false)));
        assert!(t(hasprefix(lit("привет мир"), lit("МИ"), false)));
    }

    #[test]
    fn case_insensitive_is_unicode_aware() {
        assert!(t(equals_ci(lit("ÉCOLE"), lit("école"))));
        assert!(t(contains(lit("Die STRASSE"), lit("strasse"), false)));
        assert!(t(startswith(lit("ÄRGER"), lit("är"), false)));
        assert!(t(endswith(lit("façADE"), lit("ÇADE"), false)));
        assert!(!t(contains(lit("ÄRGER"), lit("är"), true)));
        assert!(!t(equals_ci(lit("abc"), lit("abcd"))));
        assert!(!t(startswith(lit("ab"), lit("abc"), false)));
        assert!(!t(endswith(lit("bc"), lit("abc"), false)));
        assert!(t(contains(lit("ID-42-X"), lit("-42-"), false)));
    }

    #[test]
    fn null_reads_as_empty_and_results_are_never_null() {
        assert!(!t(has(null(), lit("x"), false)));
        assert!(!t(contains(null(), lit("x"), true)));
        assert!(!t(startswith(null(), lit("x"), false)));
        assert!(t(equals_ci(null(), lit(""))));
        assert!(!t(equals_ci(null(), lit("x"))));
        assert!(t(contains(null(), null(), false)));
        assert!(!t(has_any(null(), vec![lit("x")])));
        assert!(!t(in_ci(null(), vec![lit("x")])));
        assert!(t(in_ci(null(), vec![lit("")])));
        assert!(t(matches_regex(null(), lit("^$")).expect("valid regex")));
        // So NOT gives the negated operators their KQL results: "" !has "x".
        assert!(t(datafusion::prelude::not(has(null(), lit("x"), false))));
    }

    #[test]
    fn empty_needles_match() {
        assert!(t(has(lit("abc"), lit(""), false)));
        assert!(t(contains(lit(""), lit(""), true)));
        assert!(t(startswith(lit("abc"), lit(""), false)));
        assert!(t(endswith(lit("abc"), lit(""), true)));
    }

    #[test]
    fn has_any_and_has_all() {
        let text = lit("The quick brown-fox, jumps");
        assert!(t(has_any(text.clone(), vec![lit("FOX"), lit("cat")])));
        assert!(!t(has_any(text.clone(), vec![lit("fo"), lit("cat")])));
        assert!(t(has_any(text.clone(), vec![lit("cat"), lit("brown-fox")])));
        assert!(t(has_all(
            text.clone(),
            vec![lit("QUICK"), lit("fox"), lit("the")]
        )));
        assert!(t(has_all(
            text.clone(),
            vec![lit("fox"), lit("fox"), lit("Fox")]
        )));
        assert!(!t(has_all(text.clone(), vec![lit("quick"), lit("cat")])));
        assert!(t(has_all(
            text.clone(),
            vec![lit("quick"), lit("fox, jumps")]
        )));
        assert!(!t(has_all(text.clone(), vec![lit("quick"), lit("fox, j")])));
        assert!(!t(has_all(text, vec![lit("quick"), lit("ox, jumps")])));
    }

    #[test]
    fn matches_regex_rejects_a_bad_literal_pattern() {
        let err = matches_regex(lit("x"), lit("a(")).expect_err("invalid");
        assert!(matches!(err, FunctionError::Invalid { .. }), "{err}");
        // The planner passes operands through `tostring`.
        let pattern = crate::TypedExpr::new(lit("a("), crate::KqlType::String).to_text();
        assert!(matches_regex(lit("x"), pattern).is_err());
        assert!(!t(matches_regex(lit("Fabrikam"), lit("^b")).expect("valid")));
    }

    fn run(
        kernel: fn(&[ColumnarValue], usize) -> Result<ArrayRef>,
        args: Vec<ColumnarValue>,
    ) -> Vec<Option<bool>> {
        let rows = args
            .iter()
            .find_map(|a| match a {
                ColumnarValue::Array(a) => Some(a.len()),
                ColumnarValue::Scalar(_) => None,
            })
            .unwrap_or(1);
        let out = kernel(&args, rows).expect("kernel");
        out.as_boolean().iter().collect()
    }

    fn column(values: &[Option<&str>]) -> ColumnarValue {
        ColumnarValue::Array(Arc::new(values.iter().copied().collect::<StringArray>()))
    }

    fn view(values: &[Option<&str>]) -> ColumnarValue {
        ColumnarValue::Array(Arc::new(
            values.iter().copied().collect::<StringViewArray>(),
        ))
    }

    fn scalar(v: &str) -> ColumnarValue {
        ColumnarValue::Scalar(ScalarValue::Utf8(Some(v.into())))
    }

    #[test]
    fn columns_of_haystacks_and_needles() {
        let hay = &[
            Some("North America"),
            None,
            Some("SOUTH america"),
            Some("Americano"),
        ];
        let expected = vec![Some(true), Some(false), Some(true), Some(false)];
        assert_eq!(
            run(
                predicate::<HAS, false>,
                vec![column(hay), scalar("AMERICA")]
            ),
            expected
        );
        assert_eq!(
            run(predicate::<HAS, false>, vec![view(hay), scalar("america")]),
            expected
        );
        let needles = &[Some("north"), Some(""), Some("South"), Some("cano")];
        assert_eq!(
            run(
                predicate::<HAS_SUFFIX, false>,
                vec![view(hay), column(needles)]
            ),
            vec![Some(true), Some(true), Some(true), Some(true)]
        );
        assert_eq!(
            run(
                predicate::<HAS_SUFFIX, true>,
                vec![column(hay), view(needles)]
            ),
            vec![Some(false), Some(true), Some(false), Some(true)]
        );
        assert_eq!(
            run(
                in_ci_kernel,
                vec![view(hay), scalar("americano"), scalar("north america")]
            ),
            vec![Some(true), Some(false), Some(false), Some(true)]
        );
        assert_eq!(
            run(in_ci_kernel, vec![column(hay), column(needles)]),
            vec![Some(false), Some(true), Some(false), Some(false)]
        );
        assert_eq!(
            run(term_set_kernel::<false>, vec![column(hay), column(needles)]),
            vec![Some(true), Some(true), Some(true), Some(false)]
        );
        assert_eq!(
            run(
                term_set_kernel::<true>,
                vec![view(hay), scalar("america"), scalar("south")]
            ),
            vec![Some(false), Some(false), Some(true), Some(false)]
        );
    }

    #[test]
    fn regex_patterns_per_row() {
        let hay = &[Some("abc"), Some("abc"), None, Some("xyz")];
        let patterns = &[Some("^a"), Some("("), Some("^$"), Some("^a")];
        assert_eq!(
            run(matches_regex_kernel, vec![column(hay), column(patterns)]),
            vec![Some(true), None, Some(true), Some(false)]
        );
        assert_eq!(
            run(matches_regex_kernel, vec![view(hay), scalar("(")]),
            vec![None, None, None, None]
        );
    }
}
