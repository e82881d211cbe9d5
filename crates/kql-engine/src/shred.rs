//! Shredding `dynamic` columns at load: the top-level members most rows have are extracted once
//! into string child columns ([`ShreddedMember`]), so that the planner reads `d.key == "x"` and
//! `tostring(d.key)` as a column scan instead of parsing every row's JSON at every query. A
//! member whose sampled values mostly repeat is stored as a dictionary.
//!
//! A child column holds exactly what `json_as_text(d, "key")` gives (see [`ShreddedMember`]);
//! the extraction below follows that function's reading of the JSON step by step (first
//! occurrence of a key wins, strings unescaped, other values as their JSON text, a JSON error
//! ends the search), and a test checks the two against each other.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, RecordBatch, StringArray, StringBuilder, StringDictionaryBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};
use jiter::{Jiter, Peek};
use kql_functions::KqlType;
use kql_planner::{KqlColumn, ShreddedMember};

use crate::error::EngineError;

/// About how many rows, in blocks spread evenly over the table, decide which keys to shred.
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
    let mut plan: Vec<(usize, Vec<MemberPlan>)> = Vec::new();
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
            taken.insert(ShreddedMember::new(columns[*i].name.as_str(), k.key.as_str()).field)
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
                .map(|k| ShreddedMember::new(columns[*i].name.as_str(), k.key.as_str()))
        })
        .collect();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let types = plan
        .iter()
        .flat_map(|(_, keys)| keys.iter().map(MemberPlan::data_type));
    fields.extend(
        members
            .iter()
            .zip(types)
            .map(|(m, ty)| Field::new(m.field.as_str(), ty, true)),
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

/// How one member is shredded.
struct MemberPlan {
    key: String,
    /// Whether its child column is a dictionary: when, judged from the sample, a dictionary
    /// takes at most [`MAX_DICTIONARY_SHARE`] of the memory of plain text. Member values repeat
    /// a lot in logs (a level, a step name, a run's URL on each of its lines), and a dictionary
    /// stores each once per batch, for four bytes a row.
    dictionary: bool,
}

/// See [`MemberPlan::dictionary`].
const MAX_DICTIONARY_SHARE: f64 = 0.75;

impl MemberPlan {
    fn data_type(&self) -> DataType {
        if self.dictionary {
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
        } else {
            DataType::Utf8
        }
    }
}

/// How often a key occurred in the sample.
#[derive(Default)]
struct KeyCount {
    rows: usize,
    /// The last row counted, so that a duplicate key counts once.
    last: Option<usize>,
    /// Hashes of the values' JSON text in the current block.
    values: HashSet<u64>,
    /// The sum over finished blocks of their distinct values.
    distinct: usize,
    /// The length of the values' JSON text, summed.
    bytes: usize,
}

impl KeyCount {
    /// Whether a dictionary would take at most [`MAX_DICTIONARY_SHARE`] of the memory of
    /// plain text: each row costs a 4-byte offset and its bytes as text, a 4-byte key as a
    /// dictionary, whose entries (distinct values of a block) cost as text.
    fn dictionary_pays(&self) -> bool {
        let rows = self.rows.max(1) as f64;
        let per_value = self.bytes as f64 / rows + 4.0;
        let text = rows * per_value;
        let dictionary = rows * 4.0 + self.distinct as f64 * per_value;
        dictionary <= MAX_DICTIONARY_SHARE * text
    }
}

/// Rows per sampled block. Blocks of consecutive rows, because a dictionary is per batch and so
/// pays off when values repeat within a stretch of rows (the lines of one run), which rows
/// sampled far apart would not show.
const SAMPLE_BLOCK: usize = 500;

/// The sample: blocks of up to [`SAMPLE_BLOCK`] consecutive rows (array, rows), about
/// [`SAMPLE_ROWS`] rows spread evenly over the table, or every row of a small table.
fn sample_blocks(arrays: &[&StringArray]) -> Vec<(usize, std::ops::Range<usize>)> {
    let total: usize = arrays.iter().map(|a| a.len()).sum();
    let mut blocks = Vec::new();
    if total <= SAMPLE_ROWS {
        for (a, array) in arrays.iter().enumerate() {
            for start in (0..array.len()).step_by(SAMPLE_BLOCK) {
                blocks.push((a, start..(start + SAMPLE_BLOCK).min(array.len())));
            }
        }
        return blocks;
    }
    let count = SAMPLE_ROWS / SAMPLE_BLOCK;
    let (mut a, mut first_row) = (0, 0);
    for b in 0..count {
        let at = b * total / count;
        while first_row + arrays[a].len() <= at {
            first_row += arrays[a].len();
            a += 1;
        }
        let start = at - first_row;
        blocks.push((a, start..(start + SAMPLE_BLOCK).min(arrays[a].len())));
    }
    blocks
}

/// The keys that occur in at least [`MIN_SHARE`] of the sampled object rows, most frequent
/// first, at most [`MAX_MEMBERS`]. Keys that spell an integer are left out: on an array row,
/// `json_as_text(d, "0")` is the array's first element, which the extraction does not do.
fn frequent_keys(arrays: &[&StringArray]) -> Vec<MemberPlan> {
    let mut counts: HashMap<String, KeyCount> = HashMap::new();
    let mut objects = 0usize;
    let mut row = 0usize;
    for (a, rows) in sample_blocks(arrays) {
        for i in rows {
            if arrays[a].is_valid(i) && count_keys(arrays[a].value(i), row, &mut counts) {
                objects += 1;
            }
            row += 1;
        }
        for c in counts.values_mut() {
            c.distinct += c.values.len();
            c.values.clear();
        }
    }
    if objects == 0 {
        return Vec::new();
    }
    let mut keys: Vec<(String, KeyCount)> = counts
        .into_iter()
        .filter(|(k, c)| c.rows as f64 >= MIN_SHARE * objects as f64 && k.parse::<isize>().is_err())
        .collect();
    keys.sort_by(|a, b| b.1.rows.cmp(&a.1.rows).then_with(|| a.0.cmp(&b.0)));
    keys.truncate(MAX_MEMBERS);
    keys.into_iter()
        .map(|(key, c)| MemberPlan {
            key,
            dictionary: c.dictionary_pays(),
        })
        .collect()
}

/// Counts the top-level keys of one row (each once) and their values into `counts`. Returns
/// whether the row holds an object.
fn count_keys(json: &str, row: usize, counts: &mut HashMap<String, KeyCount>) -> bool {
    let mut jiter = Jiter::new(json.as_bytes());
    if !matches!(jiter.peek(), Ok(Peek::Object)) {
        return false;
    }
    let mut key = jiter.known_object();
    while let Ok(Some(k)) = key {
        let count = match counts.get_mut(k) {
            Some(c) => c,
            None => counts.entry(k.to_owned()).or_default(),
        };
        let first = count.last != Some(row);
        let start = jiter.current_index();
        if jiter.next_skip().is_err() {
            break;
        }
        if first {
            count.rows += 1;
            count.last = Some(row);
            let value = json.get(start..jiter.current_index()).unwrap_or_default();
            count.bytes += value.len();
            let mut hasher = DefaultHasher::new();
            value.hash(&mut hasher);
            count.values.insert(hasher.finish());
        }
        key = jiter.next_key();
    }
    true
}

/// A child column being built: text, or a dictionary of text.
enum MemberBuilder {
    Text(StringBuilder),
    Dictionary(StringDictionaryBuilder<Int32Type>),
}

impl MemberBuilder {
    fn new(plan: &MemberPlan, rows: usize) -> Self {
        if plan.dictionary {
            Self::Dictionary(StringDictionaryBuilder::with_capacity(rows, 256, 256 * 16))
        } else {
            Self::Text(StringBuilder::with_capacity(rows, rows * 8))
        }
    }

    fn append_value(&mut self, value: &str) {
        match self {
            Self::Text(b) => b.append_value(value),
            Self::Dictionary(b) => b.append_value(value),
        }
    }

    fn append_null(&mut self) {
        match self {
            Self::Text(b) => b.append_null(),
            Self::Dictionary(b) => b.append_null(),
        }
    }

    fn finish(self) -> ArrayRef {
        // Builders grow by doubling; the slack would live as long as the table.
        match self {
            Self::Text(mut b) => {
                let mut array = b.finish();
                array.shrink_to_fit();
                Arc::new(array)
            }
            Self::Dictionary(mut b) => {
                let mut array = b.finish();
                array.shrink_to_fit();
                Arc::new(array)
            }
        }
    }
}

/// One array per key: row by row, `json_as_text(json, key)`, in one pass over each row.
fn extract_members(json: &StringArray, keys: &[MemberPlan]) -> Vec<ArrayRef> {
    let mut builders: Vec<MemberBuilder> = keys
        .iter()
        .map(|k| MemberBuilder::new(k, json.len()))
        .collect();
    let mut found = vec![false; keys.len()];
    let mut hints = Vec::new();
    for row in 0..json.len() {
        found.fill(false);
        if json.is_valid(row) {
            extract_row(json.value(row), keys, &mut builders, &mut found, &mut hints);
        }
        for (b, f) in builders.iter_mut().zip(&found) {
            if !f {
                b.append_null();
            }
        }
    }
    builders.into_iter().map(MemberBuilder::finish).collect()
}

/// Appends the members of one row found among `keys` to their builders, marking them found.
/// `hints[j]` is the slot of the `j`-th key of the row before: rows of a log mostly list their
/// keys in the same order, so one comparison usually finds a key's slot, not a search of all.
fn extract_row(
    json: &str,
    keys: &[MemberPlan],
    builders: &mut [MemberBuilder],
    found: &mut [bool],
    hints: &mut Vec<usize>,
) {
    let mut jiter = Jiter::new(json.as_bytes());
    if !matches!(jiter.peek(), Ok(Peek::Object)) {
        return;
    }
    let mut key = jiter.known_object();
    let mut j = 0;
    while let Ok(Some(k)) = key {
        let slot = match hints.get(j) {
            Some(&h) if keys.get(h).is_some_and(|x| x.key == k) => Some(h),
            _ => keys.iter().position(|x| x.key == k),
        };
        // A key that is not a member leaves no hint (`usize::MAX` names no slot).
        let hint = slot.unwrap_or(usize::MAX);
        match hints.get_mut(j) {
            Some(h) => *h = hint,
            None => hints.push(hint),
        }
        j += 1;
        let slot = slot.filter(|s| !found[*s]);
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
