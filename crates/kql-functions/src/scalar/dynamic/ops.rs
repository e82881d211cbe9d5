//! The dynamic functions on parsed values, one row at a time; `None` is a null result.

use std::cmp::Ordering;
use std::collections::HashSet;

use kql_parser::temporal;

use super::json::{Json, compare_numbers};

/// `array_length`: the element count of an array.
pub(crate) fn array_length(v: &Json) -> Option<i64> {
    match v {
        Json::Array(items) => i64::try_from(items.len()).ok(),
        _ => None,
    }
}

/// `bag_keys`: the keys of a bag in written order.
pub(crate) fn bag_keys(v: &Json) -> Option<Json> {
    match v {
        Json::Object(entries) => {
            let mut seen = HashSet::new();
            Some(Json::Array(
                entries
                    .iter()
                    .filter(|(k, _)| seen.insert(k.as_str()))
                    .map(|(k, _)| Json::String(k.clone()))
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// `bag_pack`: a bag from keys and values; a repeated key keeps its first value.
pub(crate) fn bag_pack(pairs: impl IntoIterator<Item = (String, Json)>) -> Json {
    let mut entries: Vec<(String, Json)> = Vec::new();
    for (key, value) in pairs {
        if !entries.iter().any(|(k, _)| *k == key) {
            entries.push((key, value));
        }
    }
    Json::Object(entries)
}

/// `gettype` of a dynamic value. Integers are `int` when they fit 32 bits, as the KQL docs show
/// `gettype(parse_json('1'))` as `int`, else `long`.
pub(crate) fn type_name(v: Option<&Json>) -> &'static str {
    match v {
        None | Some(Json::Null) => "null",
        Some(Json::Bool(_)) => "bool",
        Some(Json::Number(n)) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => "int",
            Some(_) => "long",
            None if n.is_u64() => "long",
            None => "real",
        },
        Some(Json::String(_)) => "string",
        Some(Json::Array(_)) => "array",
        Some(Json::Object(_)) => "dictionary",
    }
}

/// The elements of every argument, or `None` when one is not an array.
fn arrays(values: &[Option<Json>]) -> Option<Vec<&Vec<Json>>> {
    values
        .iter()
        .map(|v| match v {
            Some(Json::Array(items)) => Some(items),
            _ => None,
        })
        .collect()
}

/// `array_concat`: the arrays one after the other; null when an argument is not an array.
pub(crate) fn array_concat(values: &[Option<Json>]) -> Option<Json> {
    let arrays = arrays(values)?;
    Some(Json::Array(
        arrays.into_iter().flat_map(|a| a.iter().cloned()).collect(),
    ))
}

/// `array_slice`: elements `start..=end`; negative indexes count from the end, out-of-range ends
/// are clamped.
pub(crate) fn array_slice(v: &Json, start: i64, end: i64) -> Option<Json> {
    let Json::Array(items) = v else {
        return None;
    };
    let n = i64::try_from(items.len()).ok()?;
    let start = if start < 0 { n + start } else { start }.max(0);
    let end = if end < 0 { n + end } else { end }.min(n - 1);
    if start > end {
        return Some(Json::Array(Vec::new()));
    }
    let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    Some(Json::Array(items[start..=end].to_vec()))
}

/// `array_index_of(arr, value, start, length, occurrence)`: the index of the `occurrence`-th
/// match among `length` elements from `start` (negative: from the end; `length` -1: to the end);
/// -1 when absent, null for `occurrence` < 0 or `length` < -1.
pub(crate) fn array_index_of(
    v: &Json,
    value: &Json,
    start: i64,
    length: i64,
    occurrence: i64,
) -> Option<i64> {
    let Json::Array(items) = v else {
        return None;
    };
    if occurrence < 0 || length < -1 {
        return None;
    }
    let n = i64::try_from(items.len()).ok()?;
    let start = if start < 0 { (n + start).max(0) } else { start };
    let end = if length == -1 {
        n
    } else {
        start.saturating_add(length).min(n)
    };
    let mut seen = 0;
    for i in start..end {
        let item = usize::try_from(i).ok().and_then(|i| items.get(i))?;
        if item.same(value) {
            seen += 1;
            if seen == occurrence {
                return Some(i);
            }
        }
    }
    Some(-1)
}

/// `array_sum`: the sum of a numeric array as a real; null if an element is not a number.
pub(crate) fn array_sum(v: &Json) -> Option<f64> {
    let Json::Array(items) = v else {
        return None;
    };
    items.iter().map(Json::as_f64).sum()
}

/// `array_reverse`.
pub(crate) fn array_reverse(v: &Json) -> Option<Json> {
    match v {
        Json::Array(items) => Some(Json::Array(items.iter().rev().cloned().collect())),
        _ => None,
    }
}

/// Datetimes inside dynamic values are ISO 8601 strings; they order as times, before other
/// strings, as the KQL docs order "numeric, datetime and timespan" elements first.
fn datetime_of(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let looks_iso =
        b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-';
    if looks_iso {
        temporal::parse_datetime(s)
    } else {
        None
    }
}

/// Where a value sorts among the kinds: numbers, datetimes, strings, everything else.
fn kind_rank(v: &Json) -> u8 {
    match v {
        Json::Number(_) => 0,
        Json::String(s) if datetime_of(s).is_some() => 1,
        Json::String(_) => 2,
        _ => 3,
    }
}

fn compare_elements(a: &Json, b: &Json) -> Ordering {
    kind_rank(a).cmp(&kind_rank(b)).then_with(|| match (a, b) {
        (Json::Number(x), Json::Number(y)) => compare_numbers(x, y),
        (Json::String(x), Json::String(y)) => match (datetime_of(x), datetime_of(y)) {
            (Some(p), Some(q)) => p.cmp(&q),
            _ => x.cmp(y),
        },
        _ => Ordering::Equal,
    })
}

/// `array_sort_asc` / `array_sort_desc` of one array: numbers, then datetimes, then strings,
/// then the rest (reversed for descending); nulls last unless `nulls_last` is false.
pub(crate) fn array_sort(v: &Json, descending: bool, nulls_last: bool) -> Option<Json> {
    let Json::Array(items) = v else {
        return None;
    };
    let (nulls, mut values): (Vec<Json>, Vec<Json>) =
        items.iter().cloned().partition(|x| *x == Json::Null);
    if descending {
        values.sort_by(|a, b| compare_elements(b, a));
    } else {
        values.sort_by(compare_elements);
    }
    Some(Json::Array(if nulls_last {
        values.into_iter().chain(nulls).collect()
    } else {
        nulls.into_iter().chain(values).collect()
    }))
}

/// `array_sort_asc(a1, a2, …)` / `array_sort_desc`: the first array sorted as [`array_sort`]
/// sorts it, and each other array put in the same order, as one array of the results; an array
/// whose length differs from the first's (or that is not an array) gives null (KQL docs). Null
/// when the first is not an array.
pub(crate) fn array_sort_together(
    arrays: &[Option<Json>],
    descending: bool,
    nulls_last: bool,
) -> Option<Json> {
    let Some(Some(Json::Array(first))) = arrays.first() else {
        return None;
    };
    let (mut nulls, mut values): (Vec<usize>, Vec<usize>) =
        (0..first.len()).partition(|&i| first[i] == Json::Null);
    if descending {
        values.sort_by(|&a, &b| compare_elements(&first[b], &first[a]));
    } else {
        values.sort_by(|&a, &b| compare_elements(&first[a], &first[b]));
    }
    let order: Vec<usize> = if nulls_last {
        values.append(&mut nulls);
        values
    } else {
        nulls.append(&mut values);
        nulls
    };
    Some(Json::Array(
        arrays
            .iter()
            .map(|a| match a {
                Some(Json::Array(items)) if items.len() == first.len() => {
                    Json::Array(order.iter().map(|&i| items[i].clone()).collect())
                }
                _ => Json::Null,
            })
            .collect(),
    ))
}

/// The steps of a `bag_has_key` / `bag_remove_keys` key: a plain key is one step; a JSONPath
/// (`$.a.b`, `$['a']["b"]`) is split into its member names. Array indexing is not supported
/// (KQL docs), so a path with one reads as a plain key.
pub(crate) fn key_path(key: &str) -> Vec<String> {
    let Some(mut rest) = key.strip_prefix('$') else {
        return vec![key.to_string()];
    };
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return vec![key.to_string()];
            }
            steps.push(r[..end].to_string());
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("['").or_else(|| rest.strip_prefix("[\"")) {
            let quote = if rest.as_bytes()[1] == b'\'' {
                "']"
            } else {
                "\"]"
            };
            let Some(end) = r.find(quote) else {
                return vec![key.to_string()];
            };
            steps.push(r[..end].to_string());
            rest = &r[end + 2..];
        } else {
            return vec![key.to_string()];
        }
    }
    if steps.is_empty() {
        vec![key.to_string()]
    } else {
        steps
    }
}

/// `bag_has_key`: whether the bag has the key (or JSONPath).
pub(crate) fn bag_has_key(v: &Json, key: &str) -> bool {
    let mut at = v;
    for step in key_path(key) {
        match at.get(&step) {
            Some(next) => at = next,
            None => return false,
        }
    }
    true
}

/// `bag_merge`: the keys of every bag; the leftmost bag wins a repeated key. Arguments that are
/// not bags are skipped; null when none is a bag.
pub(crate) fn bag_merge(values: &[Option<Json>]) -> Option<Json> {
    let mut merged: Vec<(String, Json)> = Vec::new();
    let mut any = false;
    for v in values {
        if let Some(Json::Object(entries)) = v {
            any = true;
            for (k, value) in entries {
                if !merged.iter().any(|(m, _)| m == k) {
                    merged.push((k.clone(), value.clone()));
                }
            }
        }
    }
    any.then_some(Json::Object(merged))
}

fn remove_path(v: &mut Json, steps: &[String]) {
    let Json::Object(entries) = v else {
        return;
    };
    match steps {
        [] => {}
        [last] => entries.retain(|(k, _)| k != last),
        [first, rest @ ..] => {
            for (k, child) in entries.iter_mut() {
                if k == first {
                    remove_path(child, rest);
                }
            }
        }
    }
}

/// `bag_remove_keys`: the bag without the listed keys (or JSONPaths).
pub(crate) fn bag_remove_keys(v: &Json, keys: Option<&Json>) -> Option<Json> {
    if !matches!(v, Json::Object(_)) {
        return None;
    }
    let mut out = v.clone();
    if let Some(Json::Array(keys)) = keys {
        for key in keys {
            if let Json::String(key) = key {
                remove_path(&mut out, &key_path(key));
            }
        }
    }
    Some(out)
}

/// Distinct values in first-seen order, compared by their JSON text.
fn distinct<'a>(values: impl IntoIterator<Item = &'a Json>) -> Vec<Json> {
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.text()))
        .cloned()
        .collect()
}

/// `set_union`: the distinct values of every array.
pub(crate) fn set_union(values: &[Option<Json>]) -> Option<Json> {
    let arrays = arrays(values)?;
    Some(Json::Array(distinct(arrays.into_iter().flatten())))
}

/// `set_intersect`: the distinct values of the first array that are in every other one.
pub(crate) fn set_intersect(values: &[Option<Json>]) -> Option<Json> {
    let arrays = arrays(values)?;
    let (first, rest) = arrays.split_first()?;
    let others: Vec<HashSet<String>> = rest
        .iter()
        .map(|a| a.iter().map(Json::text).collect())
        .collect();
    Some(Json::Array(distinct(
        first
            .iter()
            .filter(|v| others.iter().all(|o| o.contains(&v.text()))),
    )))
}

/// `set_difference`: the distinct values of the first array that are in no other one.
pub(crate) fn set_difference(values: &[Option<Json>]) -> Option<Json> {
    let arrays = arrays(values)?;
    let (first, rest) = arrays.split_first()?;
    let others: HashSet<String> = rest.iter().flat_map(|a| a.iter().map(Json::text)).collect();
    Some(Json::Array(distinct(
        first.iter().filter(|v| !others.contains(&v.text())),
    )))
}

/// `zip`: arrays of the elements at each index, as long as the longest array; missing elements
/// are null.
pub(crate) fn zip(values: &[Option<Json>]) -> Option<Json> {
    let arrays = arrays(values)?;
    let len = arrays.iter().map(|a| a.len()).max().unwrap_or(0);
    Some(Json::Array(
        (0..len)
            .map(|i| {
                Json::Array(
                    arrays
                        .iter()
                        .map(|a| a.get(i).cloned().unwrap_or(Json::Null))
                        .collect(),
                )
            })
            .collect(),
    ))
}

/// `treepath`: the paths of a value's members, `['key']` for a bag member and `[0]` for the
/// elements of an array (all elements share one path), in the order met.
pub(crate) fn treepath(v: &Json) -> Option<Json> {
    fn walk(v: &Json, prefix: &str, out: &mut Vec<String>) {
        match v {
            Json::Object(entries) => {
                for (k, child) in entries {
                    let path = format!("{prefix}['{k}']");
                    out.push(path.clone());
                    walk(child, &path, out);
                }
            }
            Json::Array(items) if !items.is_empty() => {
                let path = format!("{prefix}[0]");
                out.push(path.clone());
                for item in items {
                    walk(item, &path, out);
                }
            }
            _ => {}
        }
    }
    if !matches!(v, Json::Object(_) | Json::Array(_)) {
        return None;
    }
    let mut paths = Vec::new();
    walk(v, "", &mut paths);
    let mut seen = HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    Some(Json::Array(paths.into_iter().map(Json::String).collect()))
}

/// A text that is not JSON as the dynamic string holding it, as `parse_json` reads it.
pub(crate) fn value_of(text: &str) -> Json {
    Json::parse(text).unwrap_or_else(|| Json::String(text.to_string()))
}
