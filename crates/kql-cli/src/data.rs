//! What `--data` loads: each path becomes one or more tables.
//!
//! * A file is one table named by its stem (`logs/traces.jsonl.gz` → `traces`), except an Azure
//!   blob (`PT1H.json`, `PT05M.json`), which is named by its container or its records' category.
//! * A directory is an Azure export tree when it (or a folder in it) is a storage container:
//!   `insights-logs-<category>` (diagnostic settings: one table named by the category, with the
//!   documented spelling, e.g. `AmlComputeJobEvent`) or `am-<Table>` (Log Analytics data export).
//! * Otherwise the files directly in it with different stems are one table each
//!   (`logs/AmlComputeJobEvent.parquet`, `logs/traces.jsonl`), and each sub-folder is loaded the
//!   same way; files that are parts of one table (`part-0000.parquet`, `part-0001.parquet`, or
//!   files only in sub-folders, as partitioned Parquet has them) are one table named by the
//!   folder.
//!
//! Formats are told by extension: `.json`, `.jsonl`, `.ndjson` (JSON lines, Azure records, or a
//! saved query-API response, told apart by content), `.csv`, `.parquet`; `.gz` after any but
//! Parquet. Tables of TABLES.md get their documented schema (`kql_engine::load::azure_schema`).

mod sample;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use kql_engine::Engine;
use kql_engine::load::{
    JsonShape, JsonSource, LoadOptions, LoadReport, LoadedTable, Progress, azure_schema,
    azure_table_name, read_api_response, read_csv, read_json, sniff_json,
};

pub(crate) use sample::load_sample;

use crate::error::Failure;

/// Inputs larger than this show a progress bar (when stderr is a terminal).
const PROGRESS_BYTES: u64 = 32 << 20;

/// How data is loaded.
#[derive(Clone, Debug)]
pub(crate) struct LoadSettings {
    /// Skip bad rows (and report them) instead of failing.
    pub(crate) skip_bad_rows: bool,
    /// Show a progress bar for large inputs.
    pub(crate) progress: bool,
    /// The fixed `now()`, if any (the sample is moved relative to it).
    pub(crate) now_nanos: Option<i64>,
}

/// One `--data [NAME=]PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DataSpec {
    pub(crate) name: Option<String>,
    pub(crate) path: PathBuf,
}

impl DataSpec {
    /// `NAME=PATH` when the text before the first `=` is a name (letters, digits, `_`) and the
    /// whole text is not an existing path (partition folders are named `y=2024`).
    pub(crate) fn parse(text: &str) -> Self {
        if let Some((name, path)) = text.split_once('=')
            && !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !Path::new(text).exists()
        {
            return Self {
                name: Some(name.to_string()),
                path: PathBuf::from(path),
            };
        }
        Self {
            name: None,
            path: PathBuf::from(text),
        }
    }
}

/// The format of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Parquet,
    Json,
    Csv,
}

/// One table to load.
#[derive(Debug)]
struct Plan {
    name: String,
    kind: Kind,
    files: Vec<PathBuf>,
    /// The file or folder it comes from, for messages.
    origin: String,
}

/// A loaded table: its name and row count (`None` for Parquet read lazily).
pub(crate) type Loaded = (String, Option<usize>);

/// Loads the tables of one `--data` argument.
pub(crate) async fn load_spec(
    engine: &Engine,
    spec: &DataSpec,
    settings: &LoadSettings,
) -> Result<Vec<Loaded>, Failure> {
    // Standard input and pipes (`--data T=<(zcat x.gz)`) are read once, into memory, as JSON
    // lines: reading infers the columns first, which needs a second pass.
    let pipe = std::fs::metadata(&spec.path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if spec.path.as_os_str() == "-" || pipe {
        let shown = if pipe {
            spec.path.display().to_string()
        } else {
            "<stdin>".to_string()
        };
        let mut text = String::new();
        let read = if pipe {
            std::fs::File::open(&spec.path).and_then(|mut f| f.read_to_string(&mut text))
        } else {
            std::io::stdin().read_to_string(&mut text)
        };
        read.map_err(|e| Failure::Other(format!("cannot read data from {shown}: {e}")))?;
        let name = spec.name.clone().unwrap_or_else(|| "stdin".into());
        let source = JsonSource::Text {
            name: shown.clone(),
            text: text.into(),
        };
        let table = read_json(&[source], &options(&name, settings, None)).map_err(Failure::data)?;
        return register(engine, &name, table, &shown);
    }
    let plans = plan(spec)?;
    if let Some(name) = &spec.name
        && plans.len() > 1
    {
        let names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
        return Err(Failure::Usage(format!(
            "--data {name}={}: names one table, but the folder holds {} ({}); leave out \
             the name or point at one of them",
            spec.path.display(),
            plans.len(),
            names.join(", ")
        )));
    }
    let mut loaded = Vec::new();
    for plan in plans {
        loaded.extend(load_plan(engine, plan, settings).await?);
    }
    Ok(loaded)
}

fn options(name: &str, settings: &LoadSettings, progress: Option<Progress>) -> LoadOptions {
    LoadOptions {
        schema: azure_schema(name),
        skip_bad_rows: settings.skip_bad_rows,
        progress,
        ..LoadOptions::default()
    }
}

async fn load_plan(
    engine: &Engine,
    plan: Plan,
    settings: &LoadSettings,
) -> Result<Vec<Loaded>, Failure> {
    if plan.kind == Kind::Parquet {
        engine
            .register_parquet_files(&plan.name, &plan.files, azure_schema(&plan.name))
            .await
            .map_err(Failure::data)?;
        return Ok(vec![(plan.name, None)]);
    }
    let bar = progress_bar(&plan, settings);
    let progress = bar.as_ref().map(|b| {
        let b = b.clone();
        Progress::new(move |n| b.inc(n))
    });
    let options = options(&plan.name, settings, progress);
    let result = match plan.kind {
        Kind::Csv => read_csv(&plan.files, &options).map(|t| vec![(plan.name.clone(), t)]),
        _ => {
            let sources: Vec<JsonSource> =
                plan.files.iter().cloned().map(JsonSource::File).collect();
            match sources.as_slice() {
                [one] if sniff_json(one).map_err(Failure::data)? == JsonShape::ApiResponse => {
                    read_api_response(&plan.files[0], &options).map(|tables| {
                        tables
                            .into_iter()
                            .enumerate()
                            .map(|(i, (_, t))| {
                                let name = if i == 0 {
                                    plan.name.clone()
                                } else {
                                    format!("{}_{i}", plan.name)
                                };
                                (name, t)
                            })
                            .collect()
                    })
                }
                _ => read_json(&sources, &options).map(|t| vec![(plan.name.clone(), t)]),
            }
        }
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut loaded = Vec::new();
    for (name, table) in result.map_err(Failure::data)? {
        loaded.extend(register(engine, &name, table, &plan.origin)?);
    }
    Ok(loaded)
}

fn register(
    engine: &Engine,
    name: &str,
    table: LoadedTable,
    origin: &str,
) -> Result<Vec<Loaded>, Failure> {
    report(&table.report, origin);
    let rows = table.report.rows;
    engine.register_loaded(name, table).map_err(Failure::data)?;
    Ok(vec![(name.to_string(), Some(rows))])
}

/// Says on stderr what a load skipped or ignored: rows are never dropped silently.
fn report(report: &LoadReport, origin: &str) {
    if report.skipped > 0 {
        let first = report
            .first_errors
            .first()
            .map(|(line, message)| {
                if *line == 0 {
                    format!(" ({message})")
                } else {
                    format!(" (line {line}: {message})")
                }
            })
            .unwrap_or_default();
        eprintln!(
            "{} bad row{} skipped in {origin}{first}",
            report.skipped,
            if report.skipped == 1 { "" } else { "s" }
        );
    }
    if !report.ignored_fields.is_empty() {
        eprintln!(
            "note: {origin}: fields that are not columns of the table were ignored (the columns \
             come from the first rows): {}",
            report.ignored_fields.join(", ")
        );
    }
}

fn progress_bar(plan: &Plan, settings: &LoadSettings) -> Option<ProgressBar> {
    if !settings.progress {
        return None;
    }
    let total: u64 = plan
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if total < PROGRESS_BYTES {
        return None;
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta}",
    ) {
        bar.set_style(style);
    }
    bar.set_message(format!("loading {}", plan.name));
    Some(bar)
}

/// The tables a `--data` path holds.
fn plan(spec: &DataSpec) -> Result<Vec<Plan>, Failure> {
    let path = &spec.path;
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Other(format!("--data {}: {e}", path.display())))?;
    if meta.is_file() {
        let kind = kind_of(path).ok_or_else(|| {
            Failure::Other(format!(
                "--data {}: unknown file type (expected .json, .jsonl, .ndjson, .csv or \
                 .parquet, optionally gzipped .gz)",
                path.display()
            ))
        })?;
        let name = match &spec.name {
            Some(n) => n.clone(),
            None => file_table_name(path, kind),
        };
        return Ok(vec![Plan {
            name,
            kind,
            files: vec![path.clone()],
            origin: path.display().to_string(),
        }]);
    }
    let mut plans = dir_plans(path)?;
    if plans.is_empty() {
        return Err(Failure::Other(format!(
            "--data {}: no data files in it (.json, .jsonl, .ndjson, .csv, .parquet, optionally \
             .gz)",
            path.display()
        )));
    }
    if let (Some(name), [one]) = (&spec.name, plans.as_mut_slice()) {
        one.name = name.clone();
    }
    Ok(plans)
}

/// The format of a file by its extension.
fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let gz = name.ends_with(".gz");
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = Path::new(name).extension()?.to_string_lossy().to_string();
    match ext.as_str() {
        "json" | "jsonl" | "ndjson" => Some(Kind::Json),
        "csv" => Some(Kind::Csv),
        "parquet" | "parq" if !gz => Some(Kind::Parquet),
        _ => None,
    }
}

/// A file's name without `.gz` and its extension.
fn stem_of(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".GZ"))
        .unwrap_or(&name);
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name.to_string(),
    }
}

/// Whether a stem names a part of a table rather than a table: Azure blobs (`PT1H`,
/// `PT05M_1`), Spark and DataFusion parts (`part-00000-…`), numbers and ids.
fn is_part_stem(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    let b = lower.as_bytes();
    lower.starts_with("part-")
        || lower.starts_with("part_")
        || lower.starts_with("part.")
        || (b.len() > 2 && b.starts_with(b"pt") && b[2].is_ascii_digit())
        || (lower.bytes().any(|c| c.is_ascii_digit())
            && lower
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == '-' || c == '_' || c == '.'))
}

/// The table a single file is: its stem, or for an Azure blob its container's table or its
/// records' category.
fn file_table_name(path: &Path, kind: Kind) -> String {
    let stem = stem_of(path);
    if !is_part_stem(&stem) {
        return stem;
    }
    if let Some(name) = path.ancestors().skip(1).find_map(container_table) {
        return name;
    }
    if kind == Kind::Json
        && let Some(category) = category_of(path)
    {
        return category;
    }
    stem
}

/// The category of the first diagnostic record of a JSON file, in the documented spelling when
/// the table is known.
fn category_of(path: &Path) -> Option<String> {
    match sniff_json(&JsonSource::File(path.to_path_buf())) {
        Ok(JsonShape::Rows {
            category: Some(c), ..
        }) => Some(azure_table_name(&c).map_or(c, str::to_string)),
        _ => None,
    }
}

/// The table of an Azure storage container folder: `insights-logs-<category>` (diagnostic
/// settings; the category in its documented spelling, or as its records spell it) or
/// `am-<Table>` (Log Analytics data export).
fn container_table(dir: &Path) -> Option<String> {
    let name = dir.file_name()?.to_string_lossy().to_string();
    if let Some(category) = name
        .strip_prefix("insights-logs-")
        .filter(|c| !c.is_empty())
    {
        if let Some(known) = azure_table_name(category) {
            return Some(known.to_string());
        }
        let recorded = walk(dir)
            .ok()?
            .into_iter()
            .filter(|f| kind_of(f) == Some(Kind::Json))
            .find_map(|f| category_of(&f));
        return Some(match recorded {
            Some(c) if c.eq_ignore_ascii_case(category) => c,
            _ => category.to_string(),
        });
    }
    name.strip_prefix("am-")
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Every data file under `dir`, sorted; hidden files and folders are passed over.
fn walk(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| Failure::Other(format!("--data {}: {e}", d.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| Failure::Other(format!("{}: {e}", d.display())))?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if kind_of(&path).is_some() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The folder's name as a table name (`.` and `..` resolved).
fn folder_name(dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    dir.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "data".into())
}

/// The tables of a folder (see the module documentation).
fn dir_plans(dir: &Path) -> Result<Vec<Plan>, Failure> {
    let origin = |p: &Path| p.display().to_string();
    if let Some(name) = container_table(dir) {
        let files = walk(dir)?;
        return Ok(one_table(name, files, &origin(dir))?.into_iter().collect());
    }
    let mut top: Vec<PathBuf> = Vec::new();
    let mut subdirs: Vec<PathBuf> = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::Other(format!("--data {}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| Failure::Other(format!("{}: {e}", dir.display())))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            subdirs.push(path);
        } else if kind_of(&path).is_some() {
            top.push(path);
        }
    }
    top.sort();
    subdirs.sort();
    // Folders of partitioned data (`y=2024`, `resourceId=…`) hold parts of this folder's table.
    let (partitions, subdirs): (Vec<PathBuf>, Vec<PathBuf>) = subdirs.into_iter().partition(|d| {
        d.file_name()
            .is_some_and(|n| n.to_string_lossy().contains('='))
    });
    let stems: Vec<String> = top.iter().map(|f| stem_of(f)).collect();
    let parts_here =
        stems.iter().any(|s| is_part_stem(s)) || (top.is_empty() && !partitions.is_empty());
    if parts_here {
        let mut files = top;
        for p in &partitions {
            files.extend(walk(p)?);
        }
        let first_json = files.iter().find(|f| kind_of(f) == Some(Kind::Json));
        let name = first_json
            .and_then(|f| category_of(f))
            .unwrap_or_else(|| folder_name(dir));
        let mut plans: Vec<Plan> = one_table(name, files, &origin(dir))?.into_iter().collect();
        for sub in subdirs {
            plans.extend(dir_plans(&sub)?);
        }
        return Ok(plans);
    }
    let mut plans = Vec::new();
    let mut by_stem: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (file, stem) in top.into_iter().zip(stems) {
        by_stem.entry(stem).or_default().push(file);
    }
    for (stem, files) in by_stem {
        plans.extend(one_table(stem, files, &origin(dir))?);
    }
    for sub in subdirs.into_iter().chain(partitions) {
        plans.extend(dir_plans(&sub)?);
    }
    Ok(plans)
}

/// One table from files of one format; where a table comes in several formats (`traces.jsonl`
/// and `traces.parquet` side by side, as the generator writes them), Parquet, then JSON, is
/// read, and stderr says so.
fn one_table(name: String, files: Vec<PathBuf>, origin: &str) -> Result<Option<Plan>, Failure> {
    let mut kinds: Vec<Kind> = files.iter().filter_map(|f| kind_of(f)).collect();
    kinds.sort();
    kinds.dedup();
    let Some(&kind) = kinds.first() else {
        return Ok(None);
    };
    let (chosen, other): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|f| kind_of(f) == Some(kind));
    if !other.is_empty() {
        eprintln!(
            "note: {name}: reading {} and not {} (the same table in another format)",
            shown_files(&chosen),
            shown_files(&other)
        );
    }
    let origin = if chosen.len() == 1 {
        chosen[0].display().to_string()
    } else {
        origin.to_string()
    };
    Ok(Some(Plan {
        name,
        kind,
        files: chosen,
        origin,
    }))
}

fn shown_files(files: &[PathBuf]) -> String {
    match files {
        [one] => one.display().to_string(),
        many => format!("{} files", many.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(
            DataSpec::parse("Jobs=x/y.jsonl"),
            DataSpec {
                name: Some("Jobs".into()),
                path: "x/y.jsonl".into()
            }
        );
        assert_eq!(DataSpec::parse("logs/y=2024").name, None);
        assert_eq!(DataSpec::parse("a.jsonl").name, None);
    }

    #[test]
    fn kinds_and_stems() {
        assert_eq!(kind_of(Path::new("a/b.jsonl.gz")), Some(Kind::Json));
        assert_eq!(kind_of(Path::new("PT1H.json")), Some(Kind::Json));
        assert_eq!(kind_of(Path::new("x.CSV")), Some(Kind::Csv));
        assert_eq!(kind_of(Path::new("x.parquet")), Some(Kind::Parquet));
        assert_eq!(kind_of(Path::new("x.txt")), None);
        assert_eq!(stem_of(Path::new("a/traces.jsonl.gz")), "traces");
        assert_eq!(stem_of(Path::new("part-0.snappy.parquet")), "part-0.snappy");
        assert!(is_part_stem("PT1H"));
        assert!(is_part_stem("PT05M_1"));
        assert!(is_part_stem("part-00000-3f2a"));
        assert!(is_part_stem("0001"));
        assert!(!is_part_stem("traces"));
        assert!(!is_part_stem("bad"));
        assert!(!is_part_stem("AmlComputeJobEvent"));
    }
}
