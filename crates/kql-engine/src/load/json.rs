//! JSON in every shape Azure writes logs in, from one or many files read as one table:
//!
//! * JSON lines of rows keyed by column name (Log Analytics data export, `am-<Table>/…`);
//! * JSON lines of diagnostic-settings records (`time`, `resourceId`, `category`, `properties`;
//!   `insights-logs-<category>/…/PT1H.json`), mapped to the table's columns by
//!   [`super::azure::map_record`];
//! * a line (or a whole file, possibly pretty-printed) `{"records": [...]}`: the older blob format
//!   and Event Hubs events;
//! * a whole-file JSON array of row objects.
//!
//! Files are gzip-decompressed when they start with gzip's magic bytes. The columns are the given
//! schema plus any further keys found in the first `infer_rows` rows (typed from their values),
//! or all inferred when there is no schema. Lines are parsed on every core: one thread reads
//! chunks of lines, the others turn chunks into record batches; errors name the file and line.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use kql_functions::KqlType;
use kql_planner::KqlColumn;
use serde_json::value::RawValue;

use super::azure::{is_diagnostic_record, map_record, record_category};
use super::jsonl::{Cell, REPORTED_ERRORS, build_flat_batch, cell, kind_of, merge};
use super::object::Object;
use super::{LoadOptions, LoadReport, LoadedTable, Progress};
use crate::EngineError;
use crate::coerce::canonical_schema;

/// Lines per unit of parallel work.
const CHUNK_LINES: usize = 8192;

/// Where JSON text comes from.
#[derive(Clone, Debug)]
pub enum JsonSource {
    /// A file; gzip is detected by its magic bytes.
    File(PathBuf),
    /// Text in memory (e.g. data embedded in a program), with the name errors show.
    Text {
        /// The name shown in errors.
        name: String,
        /// The JSON text.
        text: Cow<'static, str>,
    },
}

impl JsonSource {
    /// The name errors show.
    pub fn display(&self) -> String {
        match self {
            JsonSource::File(p) => p.display().to_string(),
            JsonSource::Text { name, .. } => name.clone(),
        }
    }

    pub(super) fn open(
        &self,
        counter: Option<Arc<AtomicU64>>,
    ) -> Result<Box<dyn BufRead + Send>, EngineError> {
        match self {
            JsonSource::File(path) => {
                let err = |e: std::io::Error| EngineError::Load {
                    path: path.display().to_string(),
                    line: None,
                    message: e.to_string(),
                };
                let mut file = std::fs::File::open(path).map_err(err)?;
                let mut magic = [0u8; 2];
                let gz = file
                    .read(&mut magic)
                    .map(|n| n == 2 && magic == [0x1f, 0x8b])
                    .unwrap_or(false);
                let file = std::fs::File::open(path).map_err(err)?;
                let counted = Counting {
                    inner: file,
                    counter,
                };
                Ok(if gz {
                    Box::new(BufReader::with_capacity(
                        1 << 20,
                        flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
                            1 << 16,
                            counted,
                        )),
                    ))
                } else {
                    Box::new(BufReader::with_capacity(1 << 20, counted))
                })
            }
            JsonSource::Text { text, .. } => {
                if let Some(c) = counter {
                    c.fetch_add(text.len() as u64, Ordering::Relaxed);
                }
                let bytes: Cow<'static, [u8]> = match text {
                    Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                    Cow::Owned(s) => Cow::Owned(s.clone().into_bytes()),
                };
                Ok(Box::new(std::io::Cursor::new(bytes)))
            }
        }
    }
}

/// Counts the bytes read from a file (before decompression), for progress.
struct Counting<R> {
    inner: R,
    counter: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(c) = &self.counter {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The place of a row: a line of a file, or a record of a whole-file document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Pos {
    Line(usize),
    Record(usize),
}

/// Lines (or records) of one source, in one buffer. The bytes are read straight into it and
/// checked for UTF-8 by the worker that parses them, so the single reader thread only splits
/// lines.
struct Chunk {
    seq: usize,
    source: usize,
    text: Vec<u8>,
    rows: Vec<(Pos, Range<usize>)>,
}

/// What a worker made of a chunk.
struct Parsed {
    seq: usize,
    batch: Option<RecordBatch>,
    rows: usize,
    bad: Vec<(usize, Pos, String)>,
    skipped: usize,
    unknown: Vec<(String, usize, Pos)>,
}

/// How a row's fields find their columns.
struct Columns {
    columns: Vec<KqlColumn>,
    schema: SchemaRef,
    exact: HashMap<String, usize>,
    /// Lower-cased names, for keys whose casing differs from the documented column
    /// (`eventType` under `properties` for `EventType`).
    folded: Option<HashMap<String, usize>>,
}

impl Columns {
    fn new(columns: Vec<KqlColumn>, fold_case: bool) -> Self {
        let exact = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        let folded = fold_case.then(|| {
            let mut m = HashMap::new();
            for (i, c) in columns.iter().enumerate() {
                m.entry(c.name.to_lowercase()).or_insert(i);
            }
            m
        });
        let schema = canonical_schema(&columns);
        Self {
            columns,
            schema,
            exact,
            folded,
        }
    }

    fn find(&self, key: &str, hint: Option<usize>) -> Option<usize> {
        if let Some(h) = hint
            && self.columns.get(h).is_some_and(|c| c.name == key)
        {
            return Some(h);
        }
        self.exact.get(key).copied().or_else(|| {
            self.folded
                .as_ref()
                .and_then(|f| f.get(&key.to_lowercase()).copied())
        })
    }
}

/// A row object's fields, with diagnostic records mapped to columns in the Azure dialect.
fn fields_of(object: Object<'_>, dialect: Dialect) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    if dialect == Dialect::Azure && is_diagnostic_record(&object) {
        map_record(&object)
    } else {
        object
            .into_fields()
            .into_iter()
            .map(|(k, v)| (k, Cow::Borrowed(v)))
            .collect()
    }
}

/// Calls `each` with the fields of every row in `text`: for Azure exports one line is a row
/// object, a diagnostic record, or a `{"records": [...]}` wrapper of several; for plain JSON
/// lines it is a row object, whatever its keys.
fn rows_of<'a>(
    text: &'a str,
    dialect: Dialect,
    mut each: impl FnMut(Vec<(Cow<'a, str>, Cow<'a, str>)>) -> Result<(), String>,
) -> Result<(), String> {
    let object = Object::parse(text)?;
    let records = match dialect {
        Dialect::Azure => object.records(),
        Dialect::Plain => None,
    };
    if let Some(records) = records {
        for (i, record) in records?.into_iter().enumerate() {
            let record = Object::parse(record).map_err(|m| format!("record {}: {m}", i + 1))?;
            each(fields_of(record, dialect)).map_err(|m| format!("record {}: {m}", i + 1))?;
        }
        Ok(())
    } else {
        each(fields_of(object, dialect))
    }
}

/// How the JSON is laid out, and what a given schema means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dialect {
    /// Everything Azure writes (see the module's doc). A given schema is the documented
    /// columns: keys match them exactly or else ignoring case, and other keys become further
    /// columns.
    Azure,
    /// One row object per line, nothing else: keys are column names even when they spell
    /// `records` or a diagnostic record's fields. A given schema is the whole table: keys match
    /// exactly, and other keys are left out and reported.
    Plain,
}

/// Reads `sources` as one table.
pub fn read_json(
    sources: &[JsonSource],
    options: &LoadOptions,
) -> Result<LoadedTable, EngineError> {
    read_json_as(sources, options, Dialect::Azure)
}

/// [`read_json`] of the given dialect.
pub(super) fn read_json_as(
    sources: &[JsonSource],
    options: &LoadOptions,
    dialect: Dialect,
) -> Result<LoadedTable, EngineError> {
    let columns = match (&options.schema, dialect) {
        (Some(schema), Dialect::Plain) => schema.clone(),
        _ => columns_of(sources, options, dialect)?,
    };
    let fold_case = options.schema.is_some() && dialect == Dialect::Azure;
    let columns = Arc::new(Columns::new(columns, fold_case));
    let counter = options
        .progress
        .as_ref()
        .map(|_| Arc::new(AtomicU64::new(0)));
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Chunk>(workers * 2);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let (parsed_tx, parsed_rx) = mpsc::channel::<Parsed>();
    let skip = options.skip_bad_rows;
    // Set by a worker that found a bad row when bad rows fail the load: reading stops there
    // instead of parsing the rest of the file for an error that is already known. The rows
    // before it are all in chunks already sent, so the first bad row is still found.
    let failed = AtomicBool::new(false);

    let read_result = std::thread::scope(|scope| {
        for _ in 0..workers {
            let rx = Arc::clone(&chunk_rx);
            let tx = parsed_tx.clone();
            let columns = Arc::clone(&columns);
            let failed = &failed;
            scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok(chunk) = next else { return };
                    let parsed = parse_chunk(&chunk, &columns, skip, dialect);
                    if !skip && !parsed.bad.is_empty() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    if tx.send(parsed).is_err() {
                        return;
                    }
                }
            });
        }
        drop(parsed_tx);
        let result = read_chunks(
            sources,
            dialect,
            &chunk_tx,
            &failed,
            counter.as_ref(),
            options.progress.as_ref(),
        );
        drop(chunk_tx);
        result
    });
    let mut parsed: Vec<Parsed> = parsed_rx.into_iter().collect();
    parsed.sort_by_key(|p| p.seq);

    // The first bad row (in file order) fails the load unless bad rows are skipped; a read error
    // after it still reports the bad row, which comes first in the file.
    let mut report = LoadReport::default();
    let mut batches = Vec::with_capacity(parsed.len());
    let mut unknown: Vec<(String, usize, Pos)> = Vec::new();
    let several = sources.len() > 1;
    for p in parsed {
        if let Some((source, pos, message)) = p.bad.first().filter(|_| !skip) {
            return Err(row_error(&sources[*source], *pos, message.clone()));
        }
        report.rows += p.rows;
        report.skipped += p.skipped;
        for (source, pos, message) in p.bad {
            if report.first_errors.len() < REPORTED_ERRORS {
                let (line, message) = match pos {
                    Pos::Line(l) => (l, message),
                    Pos::Record(r) => (0, format!("record {r}: {message}")),
                };
                let message = if several {
                    format!("in {}: {message}", sources[source].display())
                } else {
                    message
                };
                report.first_errors.push((line, message));
            }
        }
        for u in p.unknown {
            if !unknown.iter().any(|(k, _, _)| *k == u.0) {
                unknown.push(u);
            }
        }
        batches.extend(p.batch);
    }
    read_result?;
    report.ignored_fields = unknown
        .into_iter()
        .map(|(key, source, pos)| {
            let at = match pos {
                Pos::Line(l) => format!("{}:{l}", sources[source].display()),
                Pos::Record(r) => format!("{} record {r}", sources[source].display()),
            };
            format!("'{key}' (first at {at})")
        })
        .collect();
    let columns = Arc::try_unwrap(columns)
        .map(|c| c.columns)
        .unwrap_or_else(|c| c.columns.clone());
    if batches.is_empty() {
        batches.push(RecordBatch::new_empty(canonical_schema(&columns)));
    }
    Ok(LoadedTable {
        columns,
        batches,
        report,
    })
}

fn row_error(source: &JsonSource, pos: Pos, message: String) -> EngineError {
    match pos {
        Pos::Line(line) => EngineError::Load {
            path: source.display(),
            line: Some(line),
            message,
        },
        Pos::Record(r) => EngineError::Load {
            path: source.display(),
            line: None,
            message: format!("record {r}: {message}"),
        },
    }
}

/// Reads every source into chunks for the workers, until `stop` is set.
fn read_chunks(
    sources: &[JsonSource],
    dialect: Dialect,
    tx: &mpsc::SyncSender<Chunk>,
    stop: &AtomicBool,
    counter: Option<&Arc<AtomicU64>>,
    progress: Option<&Progress>,
) -> Result<(), EngineError> {
    let mut seq = 0;
    let mut reported = 0u64;
    let mut report_progress = || {
        if let (Some(c), Some(p)) = (counter, progress) {
            let now = c.load(Ordering::Relaxed);
            p.add(now.saturating_sub(reported));
            reported = now;
        }
    };
    // Sends the chunk when full (or `force`d and not empty); false when the workers are gone
    // or reading is to stop.
    let mut flush = |chunk: &mut Chunk, seq: &mut usize, force: bool| -> bool {
        let due = chunk.rows.len() >= CHUNK_LINES || (force && !chunk.rows.is_empty());
        if !due {
            return true;
        }
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let source = chunk.source;
        let full = std::mem::replace(chunk, new_chunk(*seq + 1, source));
        *seq += 1;
        let sent = tx.send(full).is_ok();
        report_progress();
        sent
    };
    for (index, source) in sources.iter().enumerate() {
        let mut reader = source.open(counter.cloned())?;
        let read_error = |line: usize, e: std::io::Error| EngineError::Load {
            path: source.display(),
            line: Some(line),
            message: e.to_string(),
        };
        let mut chunk = new_chunk(seq, index);
        let mut line_no = 0usize;
        // Only Azure exports may be a whole-file document.
        let mut first_row = dialect == Dialect::Azure;
        loop {
            let start = chunk.text.len();
            let n =
                read_line(&mut reader, &mut chunk.text).map_err(|e| read_error(line_no + 1, e))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            while chunk.text.len() > start && matches!(chunk.text.last(), Some(b'\n' | b'\r')) {
                chunk.text.pop();
            }
            if chunk.text[start..].iter().all(u8::is_ascii_whitespace) {
                chunk.text.truncate(start);
                continue;
            }
            if first_row {
                first_row = false;
                let first = std::str::from_utf8(&chunk.text[start..]).ok();
                if let Some(text) = first.filter(|t| is_document_start(t)) {
                    // Not one object per line (a pretty-printed `{"records": …}`, an array of
                    // rows): read whole.
                    let text = text.to_string();
                    chunk.text.truncate(start);
                    let mut rest = String::new();
                    reader
                        .read_to_string(&mut rest)
                        .map_err(|e| read_error(line_no + 1, e))?;
                    let records = document_records(&format!("{text}\n{rest}"), source)?;
                    for (i, r) in records.iter().enumerate() {
                        let start = chunk.text.len();
                        chunk.text.extend_from_slice(r.as_bytes());
                        chunk
                            .rows
                            .push((Pos::Record(i + 1), start..chunk.text.len()));
                        if !flush(&mut chunk, &mut seq, false) {
                            return Ok(());
                        }
                    }
                    break;
                }
            }
            // A line that is not UTF-8 becomes a row that the worker reports (or skips).
            chunk
                .rows
                .push((Pos::Line(line_no), start..chunk.text.len()));
            if !flush(&mut chunk, &mut seq, false) {
                return Ok(());
            }
        }
        if !flush(&mut chunk, &mut seq, true) {
            return Ok(());
        }
    }
    Ok(())
}

/// Appends the next line of `reader` (with its `\n`, if any) to `buf` and returns its length,
/// as `BufRead::read_until` does, but with the `memchr` crate's vectorized search: the standard
/// library's word-at-a-time one took a fifth of the reader thread's time on `traces`.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (line_ends, used) = match memchr::memchr(b'\n', available) {
            Some(at) => (true, at + 1),
            None => (available.is_empty(), available.len()),
        };
        buf.extend_from_slice(&available[..used]);
        reader.consume(used);
        read += used;
        if line_ends {
            return Ok(read);
        }
    }
}

fn new_chunk(seq: usize, source: usize) -> Chunk {
    Chunk {
        seq,
        source,
        text: Vec::with_capacity(1 << 20),
        rows: Vec::with_capacity(CHUNK_LINES),
    }
}

/// Whether the first line of a file starts a document that spans lines or holds several rows:
/// `[` (an array of rows), or an object that does not close on its line (pretty-printed). A row
/// of JSON lines always ends with `}`, so a damaged first row is reported as a bad line, not
/// read as a document.
fn is_document_start(first_line: &str) -> bool {
    let t = first_line.trim();
    t.starts_with('[') || (t.starts_with('{') && !t.ends_with('}'))
}

/// The row objects of a whole-file document: `{"records": [...]}`, an array of objects, or one
/// object. A syntax error names the line serde found it on.
fn document_records(text: &str, source: &JsonSource) -> Result<Vec<String>, EngineError> {
    let value: &RawValue = serde_json::from_str(text).map_err(|e| EngineError::Load {
        path: source.display(),
        line: Some(e.line()),
        message: format!("invalid JSON: {e}"),
    })?;
    let raw = value.get().trim_start();
    if raw.starts_with('[') {
        let rows: Vec<&RawValue> = serde_json::from_str(raw).map_err(|e| EngineError::Load {
            path: source.display(),
            line: Some(e.line()),
            message: format!("invalid JSON: {e}"),
        })?;
        return Ok(rows.into_iter().map(|r| r.get().to_string()).collect());
    }
    let object = Object::parse(raw).map_err(|message| EngineError::Load {
        path: source.display(),
        line: None,
        message,
    })?;
    if object.get("tables").is_some() {
        return Err(EngineError::Load {
            path: source.display(),
            line: None,
            message: "this is a Log Analytics query API response ({\"tables\": …}); load it as a \
                      file of its own"
                .into(),
        });
    }
    match object.records() {
        Some(records) => records
            .map(|r| r.into_iter().map(str::to_string).collect())
            .map_err(|message| EngineError::Load {
                path: source.display(),
                line: None,
                message,
            }),
        None => Ok(vec![raw.to_string()]),
    }
}

fn parse_chunk(chunk: &Chunk, columns: &Columns, skip: bool, dialect: Dialect) -> Parsed {
    let n = columns.columns.len();
    // Row after row, `n` cells each: one allocation per chunk, not one per row.
    let mut cells: Vec<Cell<'_>> = Vec::with_capacity(chunk.rows.len() * n);
    let mut count = 0usize;
    let mut bad = Vec::new();
    let mut unknown: Vec<(String, usize, Pos)> = Vec::new();
    // The keys in `unknown`, looked up for every ignored key of every row.
    let mut unknown_keys: HashSet<String> = HashSet::new();
    let mut hints: Vec<usize> = Vec::new();
    for (pos, range) in &chunk.rows {
        let text = match std::str::from_utf8(&chunk.text[range.clone()]) {
            Ok(text) => text,
            Err(e) => {
                bad.push((chunk.source, *pos, format!("invalid UTF-8: {e}")));
                if !skip {
                    break;
                }
                continue;
            }
        };
        let before = (count, cells.len());
        let result = rows_of(text, dialect, |fields| {
            let row = cells.len();
            cells.extend((0..n).map(|_| Cell::Null));
            for (j, (key, raw)) in fields.into_iter().enumerate() {
                let Some(i) = columns.find(&key, hints.get(j).copied()) else {
                    if !unknown_keys.contains(key.as_ref()) {
                        unknown_keys.insert(key.to_string());
                        unknown.push((key.to_string(), chunk.source, *pos));
                    }
                    continue;
                };
                if j < hints.len() {
                    hints[j] = i;
                } else {
                    hints.push(i);
                }
                let column = &columns.columns[i];
                // A value from the line stays borrowed; a mapped one is owned.
                let parsed = match raw {
                    Cow::Borrowed(r) => cell(r, column.ty),
                    Cow::Owned(r) => cell(&r, column.ty).map(Cell::into_owned),
                };
                cells[row + i] = parsed.map_err(|m| format!("column '{}': {m}", column.name))?;
            }
            count += 1;
            Ok(())
        });
        if let Err(message) = result {
            // A `records` line is all or nothing.
            (count, _) = before;
            cells.truncate(before.1);
            bad.push((chunk.source, *pos, message));
            if !skip {
                break;
            }
        }
    }
    let batch = if count == 0 {
        None
    } else {
        match build_flat_batch(&columns.columns, &columns.schema, &cells, count) {
            Ok(b) => Some(b),
            Err(e) => {
                bad.push((chunk.source, chunk.rows[0].0, e.to_string()));
                None
            }
        }
    };
    Parsed {
        seq: chunk.seq,
        batch,
        rows: count,
        skipped: if skip { bad.len() } else { 0 },
        bad,
        unknown,
    }
}

/// The table's columns: the schema (if given) plus keys beyond it, typed from the first
/// `infer_rows` rows. Rows that do not parse are passed over here; the load reports them.
fn columns_of(
    sources: &[JsonSource],
    options: &LoadOptions,
    dialect: Dialect,
) -> Result<Vec<KqlColumn>, EngineError> {
    let known = options.schema.clone().unwrap_or_default();
    let known_names: Vec<String> = known.iter().map(|c| c.name.to_lowercase()).collect();
    let fold = options.schema.is_some();
    let mut order: Vec<String> = Vec::new();
    let mut types: HashMap<String, Option<KqlType>> = HashMap::new();
    let mut seen = 0usize;
    'sources: for source in sources {
        let mut reader = source.open(None)?;
        let mut first = true;
        let mut bytes = Vec::new();
        loop {
            if seen >= options.infer_rows {
                break 'sources;
            }
            bytes.clear();
            match reader.read_until(b'\n', &mut bytes) {
                Ok(0) => break,
                Ok(_) => {}
                // A read error is reported by the load itself.
                Err(_) => break,
            }
            // Nor does a line that is not UTF-8 end the inference: the load reports it (or
            // skips it), and the lines after it still name columns.
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Ok(line) = std::str::from_utf8(&bytes) else {
                first = false;
                continue;
            };
            let mut texts: Vec<String> = Vec::new();
            if first && dialect == Dialect::Azure && is_document_start(line) {
                let mut rest = String::new();
                if reader.read_to_string(&mut rest).is_ok()
                    && let Ok(records) = document_records(&format!("{line}\n{rest}"), source)
                {
                    texts = records;
                }
            } else {
                texts.push(line.trim_end().to_string());
            }
            first = false;
            for text in &texts {
                let _ = rows_of(text, dialect, |fields| {
                    for (key, raw) in &fields {
                        if fold && known_names.contains(&key.to_lowercase()) {
                            continue;
                        }
                        let kind = kind_of(raw);
                        let entry = types.entry(key.to_string()).or_insert_with(|| {
                            order.push(key.to_string());
                            None
                        });
                        *entry = merge(*entry, kind);
                    }
                    seen += 1;
                    Ok(())
                });
                if seen >= options.infer_rows {
                    break 'sources;
                }
            }
        }
    }
    let mut columns = known;
    columns.extend(order.into_iter().map(|k| {
        let ty = types.get(&k).copied().flatten().unwrap_or(KqlType::String);
        KqlColumn::new(k, ty)
    }));
    Ok(columns)
}

/// What a JSON file holds, judged from its start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonShape {
    /// Rows (or diagnostic records) to read with [`read_json`]; `category` is the `category`
    /// (or Application Insights `Type`) of the first diagnostic record, if it is one.
    Rows {
        /// The table a diagnostic record names.
        category: Option<String>,
    },
    /// A Log Analytics query API response: read with [`super::read_api_response`].
    ApiResponse,
}

/// Looks at the start of a JSON file: a query API response, or rows.
pub fn sniff_json(source: &JsonSource) -> Result<JsonShape, EngineError> {
    let rows = |category| Ok(JsonShape::Rows { category });
    let mut reader = source.open(None)?;
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return rows(None),
            Ok(_) if line.trim().is_empty() => continue,
            Ok(_) => break,
        }
    }
    let whole;
    let text = if is_document_start(&line) {
        let mut rest = String::new();
        if reader.read_to_string(&mut rest).is_err() {
            return rows(None);
        }
        whole = format!("{line}\n{rest}");
        whole.trim()
    } else {
        line.trim()
    };
    let first_row = if text.starts_with('[') {
        match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) => match items.first() {
                Some(first) => first.get(),
                None => return rows(None),
            },
            Err(_) => return rows(None),
        }
    } else {
        text
    };
    let Ok(object) = Object::parse(first_row) else {
        return rows(None);
    };
    if object.get("tables").is_some() || object.get("Tables").is_some() {
        return Ok(JsonShape::ApiResponse);
    }
    let first = match object.records() {
        Some(Ok(records)) => records.first().and_then(|r| Object::parse(r).ok()),
        Some(Err(_)) => None,
        None => Some(object),
    };
    rows(
        first
            .filter(is_diagnostic_record)
            .and_then(|r| record_category(&r)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines longer than the reader's buffer, `\r\n`, empty lines and a last line without `\n`
    /// come out as `read_until` gives them.
    #[test]
    fn read_line_gives_the_lines_read_until_gives() {
        let text = b"{\"a\":1}\r\n\nlonger than the buffer\nlast";
        let mut reader = std::io::BufReader::with_capacity(4, &text[..]);
        let mut expected = std::io::BufReader::with_capacity(4, &text[..]);
        loop {
            let (mut got, mut want) = (b"x".to_vec(), b"x".to_vec());
            let n = read_line(&mut reader, &mut got).unwrap_or_else(|e| panic!("{e}"));
            let m = expected
                .read_until(b'\n', &mut want)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((n, got), (m, want));
            if n == 0 {
                break;
            }
        }
    }
}
