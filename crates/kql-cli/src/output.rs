//! Choosing where and how results are written: the format (`--output`, default `table`), the
//! destination (`--out FILE` or stdout), and for the table format the terminal's width and a
//! row limit. The formats themselves are in `kql_engine::output`, shared with a future server.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use console::style;
use kql_engine::ResultTable;
use kql_engine::output::{
    JsonResultWriter, TableOptions, render_table, write_csv, write_jsonl, write_parquet,
};

use crate::args::{Cli, Format};
use crate::error::Failure;

mod staged;

use staged::Staged;

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

/// Writes a query's result tables in the chosen format, one at a time as the statements of a
/// batch finish: standard output sees each table as soon as its statement is done. `--out`
/// files appear only when the whole query has succeeded (see [`Staged`]).
pub(crate) struct ResultWriter {
    settings: Settings,
    /// How many tables the query returns (its tabular statements).
    tables: usize,
    written: usize,
    to_terminal: bool,
    sink: Option<Sink>,
    staged: Staged,
    /// Parquet files beyond the first, by table name, told on stderr once written.
    further_files: Vec<(String, PathBuf)>,
}

/// Where text and JSON go; Parquet opens a file per table and keeps nothing open.
enum Sink {
    Text(Box<dyn Write>),
    Json(JsonResultWriter<Box<dyn Write>>),
}

impl ResultWriter {
    /// A writer for a query of `tables` result tables. Fails at once for what cannot be
    /// written, so that nothing runs for nothing: several tables of Parquet on stdout, or
    /// Parquet to a terminal.
    pub(crate) fn new(settings: &Settings, tables: usize) -> Result<Self, Failure> {
        if settings.format == Format::Parquet && settings.out.is_none() {
            if std::io::stdout().is_terminal() {
                return Err(Failure::Usage(
                    "Parquet is binary: give --out FILE, or redirect standard output".into(),
                ));
            }
            if tables > 1 {
                return Err(Failure::Usage(format!(
                    "the query returns {tables} tables, and Parquet on standard output holds \
                     one: give --out FILE (further tables go to FILE_1, FILE_2, …)"
                )));
            }
        }
        Ok(Self {
            settings: settings.clone(),
            tables,
            written: 0,
            to_terminal: settings.out.is_none() && std::io::stdout().is_terminal(),
            sink: None,
            staged: Staged::default(),
            further_files: Vec::new(),
        })
    }

    /// Writes the next table.
    pub(crate) fn write(&mut self, table: &ResultTable) -> Result<(), Failure> {
        let engine_error = |e| Failure::engine(e, "");
        let i = self.written;
        self.written += 1;
        if self.settings.format == Format::Parquet {
            return self.write_parquet(i, table);
        }
        let sink = open(&mut self.sink, &self.settings, &mut self.staged)?;
        let w = match sink {
            Sink::Json(json) => {
                json.table(table).map_err(engine_error)?;
                return json.flush().map_err(engine_error);
            }
            Sink::Text(w) => w,
        };
        match self.settings.format {
            Format::Jsonl => write_jsonl(table, w).map_err(engine_error)?,
            Format::Csv => {
                if i > 0 {
                    w.write_all(b"\r\n")?;
                }
                write_csv(table, w).map_err(engine_error)?;
            }
            Format::Table | Format::Json | Format::Parquet => {
                let options = TableOptions {
                    width: if self.to_terminal {
                        console::Term::stdout().size_checked().map(|(_, w)| w)
                    } else {
                        None
                    },
                    max_rows: match self.settings.max_rows {
                        Some(0) => None,
                        Some(n) => Some(n),
                        None if self.to_terminal => Some(TERMINAL_ROWS),
                        None => None,
                    },
                };
                if self.tables > 1 {
                    if i > 0 {
                        w.write_all(b"\n")?;
                    }
                    let title = if self.to_terminal {
                        style(&table.name).bold().to_string()
                    } else {
                        table.name.clone()
                    };
                    writeln!(w, "{title}")?;
                }
                let text = render_table(table, &options).map_err(engine_error)?;
                w.write_all(text.as_bytes())?;
                if self.to_terminal {
                    let n = table.row_count();
                    let note = format!("{n} row{}", if n == 1 { "" } else { "s" });
                    writeln!(w, "{}", style(note).dim())?;
                }
            }
        }
        // A terminal or a pipe sees each table when its statement is done, not at the end.
        w.flush()?;
        Ok(())
    }

    /// Ends the output: closes the JSON document, flushes, and gives `--out` files their names.
    pub(crate) fn finish(self) -> Result<(), Failure> {
        match self.sink {
            Some(Sink::Json(json)) => json.finish().map_err(|e| Failure::engine(e, ""))?.flush()?,
            Some(Sink::Text(mut w)) => w.flush()?,
            None => {}
        }
        self.staged.commit()?;
        for (name, path) in &self.further_files {
            eprintln!("{name}: wrote {}", path.display());
        }
        Ok(())
    }

    /// Parquet holds one table per file: the first table goes to `--out FILE` (or stdout), each
    /// further one to `FILE_1`, `FILE_2`, … beside it.
    fn write_parquet(&mut self, i: usize, table: &ResultTable) -> Result<(), Failure> {
        let engine_error = |e| Failure::engine(e, "");
        let Some(out) = &self.settings.out else {
            let mut buffer = Vec::new();
            write_parquet(table, &mut buffer).map_err(engine_error)?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&buffer)?;
            stdout.flush()?;
            return Ok(());
        };
        let path = if i == 0 {
            out.clone()
        } else {
            numbered(out, i)
        };
        let file = BufWriter::new(self.staged.create(&path)?);
        write_parquet(table, file).map_err(engine_error)?;
        if i > 0 {
            self.further_files.push((table.name.clone(), path));
        }
        Ok(())
    }
}

/// The destination of text and JSON, opened at its first use.
fn open<'s>(
    sink: &'s mut Option<Sink>,
    settings: &Settings,
    staged: &mut Staged,
) -> Result<&'s mut Sink, Failure> {
    let opened = match sink.take() {
        Some(opened) => opened,
        None => {
            let w: Box<dyn Write> = match &settings.out {
                Some(path) => Box::new(BufWriter::new(staged.create(path)?)),
                None => Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout())),
            };
            if settings.format == Format::Json {
                Sink::Json(JsonResultWriter::new(w).map_err(|e| Failure::engine(e, ""))?)
            } else {
                Sink::Text(w)
            }
        }
    };
    Ok(sink.insert(opened))
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
