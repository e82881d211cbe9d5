//! Choosing where and how results are written: the format (`--output`, default `table`), the
//! destination (`--out FILE` or stdout), and for the table format the terminal's width and a
//! row limit. The formats themselves are in `kql_engine::output`, shared with a future server.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use console::style;
use kql_engine::QueryResult;
use kql_engine::output::{
    TableOptions, render_table, write_csv, write_json, write_jsonl, write_parquet,
};

use crate::args::{Cli, Format};
use crate::error::Failure;

/// The rows a table shows on a terminal unless `--max-rows` says otherwise.
const TERMINAL_ROWS: usize = 1000;

/// Where and how to write results.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) format: Format,
    pub(crate) out: Option<PathBuf>,
    pub(crate) max_rows: Option<usize>,
}

impl Settings {
    pub(crate) fn from_cli(cli: &Cli) -> Self {
        Self {
            format: cli.output.unwrap_or(Format::Table),
            out: cli.out.clone(),
            max_rows: cli.max_rows,
        }
    }
}

/// Prints text (plans, messages for stdout) as it is.
pub(crate) fn print_text(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        stdout.write_all(b"\n")?;
    }
    stdout.flush()?;
    Ok(())
}

/// Writes every result table in the chosen format.
pub(crate) fn write_results(result: &QueryResult, settings: &Settings) -> Result<(), Failure> {
    let engine_error = |e| Failure::engine(e, "");
    if settings.format == Format::Parquet {
        return write_parquet_files(result, settings);
    }
    let to_terminal = settings.out.is_none() && std::io::stdout().is_terminal();
    let mut w: Box<dyn Write> = match &settings.out {
        Some(path) => Box::new(BufWriter::new(create(path)?)),
        None => Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
    };
    match settings.format {
        Format::Json => write_json(result, &mut w).map_err(engine_error)?,
        Format::Jsonl => {
            for table in &result.tables {
                write_jsonl(table, &mut w).map_err(engine_error)?;
            }
        }
        Format::Csv => {
            for (i, table) in result.tables.iter().enumerate() {
                if i > 0 {
                    w.write_all(b"\r\n")?;
                }
                write_csv(table, &mut w).map_err(engine_error)?;
            }
        }
        Format::Table | Format::Parquet => {
            let options = TableOptions {
                width: if to_terminal {
                    console::Term::stdout().size_checked().map(|(_, w)| w)
                } else {
                    None
                },
                max_rows: match settings.max_rows {
                    Some(0) => None,
                    Some(n) => Some(n),
                    None if to_terminal => Some(TERMINAL_ROWS),
                    None => None,
                },
            };
            let several = result.tables.len() > 1;
            for (i, table) in result.tables.iter().enumerate() {
                if several {
                    if i > 0 {
                        w.write_all(b"\n")?;
                    }
                    let title = if to_terminal {
                        style(&table.name).bold().to_string()
                    } else {
                        table.name.clone()
                    };
                    writeln!(w, "{title}")?;
                }
                let text = render_table(table, &options).map_err(engine_error)?;
                w.write_all(text.as_bytes())?;
                if to_terminal {
                    let n = table.row_count();
                    let note = format!("{n} row{}", if n == 1 { "" } else { "s" });
                    writeln!(w, "{}", style(note).dim())?;
                }
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn create(path: &Path) -> Result<File, Failure> {
    File::create(path).map_err(|e| Failure::Other(format!("cannot create {}: {e}", path.display())))
}

/// Parquet holds one table per file: the first table goes to `--out FILE` (or stdout), each
/// further one to `FILE_1`, `FILE_2`, … beside it.
fn write_parquet_files(result: &QueryResult, settings: &Settings) -> Result<(), Failure> {
    let engine_error = |e| Failure::engine(e, "");
    let Some(out) = &settings.out else {
        if std::io::stdout().is_terminal() {
            return Err(Failure::Usage(
                "Parquet is binary: give --out FILE, or redirect standard output".into(),
            ));
        }
        if result.tables.len() > 1 {
            return Err(Failure::Usage(format!(
                "the query returns {} tables, and Parquet on standard output holds one: give \
                 --out FILE (further tables go to FILE_1, FILE_2, …)",
                result.tables.len()
            )));
        }
        let mut buffer = Vec::new();
        if let Some(table) = result.tables.first() {
            write_parquet(table, &mut buffer).map_err(engine_error)?;
        }
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&buffer)?;
        stdout.flush()?;
        return Ok(());
    };
    for (i, table) in result.tables.iter().enumerate() {
        let path = if i == 0 {
            out.clone()
        } else {
            numbered(out, i)
        };
        let file = BufWriter::new(create(&path)?);
        write_parquet(table, file).map_err(engine_error)?;
        if i > 0 {
            eprintln!("{}: wrote {}", table.name, path.display());
        }
    }
    Ok(())
}

/// `out.parquet` → `out_1.parquet`.
fn numbered(path: &Path, i: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}_{i}.{}", ext.to_string_lossy()),
        None => format!("{stem}_{i}"),
    };
    path.with_file_name(name)
}
