//! Shredding `dynamic` columns at load: the top-level members most rows have are extracted once
//! into string child columns ([`ShreddedMember`]), so that the planner reads `d.key == "x"` and
//! `tostring(d.key)` as a column scan instead of parsing every row's JSON at every query.
//!
//! A child column holds exactly what `json_as_text(d, "key")` gives (see [`ShreddedMember`]);
//! the extraction below follows that function's reading of the JSON step by step (first
//! occurrence of a key wins, strings unescaped, other values as their JSON text, a JSON error
//! ends the search), and a test checks the two against each other.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use jiter::{Jiter, Peek};
use kql_functions::KqlType;
use kql_planner::{KqlColumn, ShreddedMember};

use crate::error::EngineError;

/// How many rows, spread evenly over the table, decide which keys to shred.
const SAMPLE_ROWS: usize = 10_000;

/// The share of sampled rows (of those holding an object) a key must occur in to be shredded.
/// Below a half on purpose: a key spelled two ways (`Level` and `level`) splits the rows between
/// two keys that are both queried.
const MIN_SHARE: f64 = 0.3;

/// At most this many members per `dynamic` column: each costs memory for every row.
const MAX_MEMBERS: usize = 32;

/// A table's batches with the child columns of its shredded members after its columns.
pub(crate) struct ShreddedBatches {
    pub(crate) schema: SchemaRef,
    pub(crate) batches: Vec<RecordBatch>,
    pub(crate) members: Vec<ShreddedMember>,
}

/// Shreds the `dynamic` columns of `batches` (whose schema is `schema`, with `columns` as its
/// KQL columns), using up to `threads` threads.
pub(crate) fn shred(
    columns: &[KqlColumn],
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    threads: usize,
) -> Result<ShreddedBatches, EngineError> {
    let mut plan: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if c.ty != KqlType::Dynamic || schema.field(i).data_type() != &DataType::Utf8 {
            continue;
        }
        let arrays: Vec<&StringArray> = batches
            .iter()
            .filter_map(|b| b.column(i).as_any().downcast_ref::<StringArray>())
            .collect();
        let keys = frequent_keys(&arrays);
        if !keys.is_empty() {
            plan.push((i, keys));
        }
    }
    // A child column's name must not be taken (a column named like one, or two columns and
    // keys that spell the same name: `['d:a']`.`b` and `d`.`a:b`): such keys are not shredded.
    let mut taken: std::collections::HashSet<String> =
        schema.fields().iter().map(|f| f.name().clone()).collect();
    for (i, keys) in &mut plan {
        keys.retain(|k| {
            taken.insert(ShreddedMember::new(columns[*i].name.as_str(), k.as_str()).field)
        });
    }
    plan.retain(|(_, keys)| !keys.is_empty());
    if plan.is_empty() {
        return Ok(ShreddedBatches {
            schema,
            batches,
            members: Vec::new(),
        });
    }
    let members: Vec<ShreddedMember> = plan
        .iter()
        .flat_map(|(i, keys)| {
            keys.iter()
                .map(|k| ShreddedMember::new(columns[*i].name.as_str(), k.as_str()))
        })
        .collect();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.extend(
        members
            .iter()
            .map(|m| Field::new(m.field.as_str(), DataType::Utf8, true)),
    );
    let shredded_schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let batches = map_parallel(batches, threads, |b| {
        let mut arrays = b.columns().to_vec();
        for (i, keys) in &plan {
            if let Some(json) = b.column(*i).as_any().downcast_ref::<StringArray>() {
                arrays.extend(extract_members(json, keys));
            }
        }
        RecordBatch::try_new(Arc::clone(&shredded_schema), arrays)
    })?;
    Ok(ShreddedBatches {
        schema: shredded_schema,
        batches,
        members,
    })
}

/// The keys that occur in at least [`MIN_SHARE`] of the sampled object rows, most frequent
/// first, at most [`MAX_MEMBERS`]. Keys that spell an integer are left out: on an array row,
/// `json_as_text(d, "0")` is the array's first element, which the extraction does not do.
fn frequent_keys(arrays: &[&StringArray]) -> Vec<String> {
    let total: usize = arrays.iter().map(|a| a.len()).sum();
    let step = (total / SAMPLE_ROWS).max(1);
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut objects = 0usize;
    let mut row = 0usize;
    for a in arrays {
        let mut i = (step - row % step) % step;
        while i < a.len() {
            if a.is_valid(i) && count_keys(a.value(i), row + i, &mut counts) {
                objects += 1;
            }
            i += step;
        }
        row += a.len();
    }
    if objects == 0 {
        return Vec::new();
    }
    let mut keys: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(k, (n, _))| {
            *n as f64 >= MIN_SHARE * objects as f64 && k.parse::<isize>().is_err()
        })
        .map(|(k, (n, _))| (k, n))
        .collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    keys.truncate(MAX_MEMBERS);
    keys.into_iter().map(|(k, _)| k).collect()
}

/// Counts the top-level keys of one row (each once) into `counts`, whose values are the count
/// and the last row counted. Returns whether the row holds an object.
fn count_keys(json: &str, row: usize, counts: &mut HashMap<String, (usize, usize)>) -> bool {
    let mut jiter = Jiter::new(json.as_bytes());
    if !matches!(jiter.peek(), Ok(Peek::Object)) {
        return false;
    }
    let mut key = jiter.known_object();
    while let Ok(Some(k)) = key {
        match counts.get_mut(k) {
            Some((n, last)) if *last != row => {
                *n += 1;
                *last = row;
            }
            Some(_) => {}
            None => {
                counts.insert(k.to_owned(), (1, row));
            }
        }
        if jiter.next_skip().is_err() {
            break;
        }
        key = jiter.next_key();
    }
    true
}

/// One string array per key: row by row, `json_as_text(json, key)`, in one pass over each row.
fn extract_members(json: &StringArray, keys: &[String]) -> Vec<ArrayRef> {
    let mut builders: Vec<StringBuilder> = keys
        .iter()
        .map(|_| StringBuilder::with_capacity(json.len(), json.len() * 8))
        .collect();
    let mut found = vec![false; keys.len()];
    for row in 0..json.len() {
        found.fill(false);
        if json.is_valid(row) {
            extract_row(json.value(row), keys, &mut builders, &mut found);
        }
        for (b, f) in builders.iter_mut().zip(&found) {
            if !f {
                b.append_null();
            }
        }
    }
    builders
        .into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef)
        .collect()
}

/// Appends the members of one row found among `keys` to their builders, marking them found.
fn extract_row(json: &str, keys: &[String], builders: &mut [StringBuilder], found: &mut [bool]) {
    let mut jiter = Jiter::new(json.as_bytes());
    if !matches!(jiter.peek(), Ok(Peek::Object)) {
        return;
    }
    let mut key = jiter.known_object();
    while let Ok(Some(k)) = key {
        let slot = keys.iter().position(|x| x == k).filter(|s| !found[*s]);
        let Some(slot) = slot else {
            if jiter.next_skip().is_err() {
                return;
            }
            key = jiter.next_key();
            continue;
        };
        let Ok(peek) = jiter.peek() else { return };
        found[slot] = true;
        match peek {
            Peek::Null => {
                builders[slot].append_null();
                if jiter.known_skip(peek).is_err() {
                    return;
                }
            }
            Peek::String => match jiter.known_str() {
                Ok(s) => builders[slot].append_value(s),
                Err(_) => {
                    builders[slot].append_null();
                    return;
                }
            },
            _ => {
                let start = jiter.current_index();
                match jiter.known_skip(peek) {
                    Ok(()) => match json.get(start..jiter.current_index()) {
                        Some(text) => builders[slot].append_value(text),
                        None => builders[slot].append_null(),
                    },
                    Err(_) => {
                        builders[slot].append_null();
                        return;
                    }
                }
            }
        }
        key = jiter.next_key();
    }
}

/// `f` over `items` on up to `threads` scoped threads, results in order.
fn map_parallel<T, U, E>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(&T) -> Result<U, E> + Sync,
) -> Result<Vec<U>, EngineError>
where
    T: Sync,
    U: Send,
    E: Into<EngineError> + Send,
{
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    let results: Vec<Result<Vec<U>, E>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Result<Vec<U>, E>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for r in results {
        out.extend(r.map_err(Into::into)?);
    }
    Ok(out)
}
