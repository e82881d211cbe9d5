//! The interactive shell: `kql` on a terminal with no query.
//!
//! A query may span lines and ends at a blank line or at a `;` at the end of a line (but not the
//! `;` that ends a `let`, `set` or `declare`, which more statements follow). Commands start with
//! a dot: `.tables`, `.schema T`, `.load PATH [as Name]`, `.output FORMAT`, `.timing`, `.help`,
//! `.quit`. History is kept between runs in `$KQL_HISTORY`, else
//! `$XDG_DATA_HOME/kql/history`, else `~/.kql_history`. Ctrl-C cancels a running query;
//! Ctrl-D leaves.

mod complete;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use console::style;
use kql_engine::Engine;
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::{FileHistory, History};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use crate::args::{Cli, Format};
use crate::data::{DataSpec, LoadSettings, load_spec};
use crate::error::Failure;
use crate::output::{ResultWriter, Settings};
use crate::timing;

const HELP: &str = "\
Type a query and end it with a blank line, or with ';' at the end of a line.
  AmlComputeJobEvent | where EventType == \"JobFailed\" | take 5
Tab completes table, column, operator and function names.

Commands:
  .tables                 list the tables
  .schema T               the columns of table T (as T | getschema)
  .load PATH [as Name]    load a file or folder, as --data does
  .output FORMAT          table, csv, json or jsonl
  .timing                 turn timing on or off
  .help                   this text
  .quit                   leave (or Ctrl-D)";

/// Runs the shell until `.quit` or end of input.
pub(crate) async fn run(engine: Arc<Engine>, cli: &Cli, load: LoadSettings) -> Result<(), Failure> {
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .max_history_size(5000)
        .map_err(|e| Failure::Other(format!("cannot start the shell: {e}")))?
        .build();
    let mut editor: Editor<KqlHelper, FileHistory> = Editor::with_config(config)
        .map_err(|e| Failure::Other(format!("cannot start the shell: {e}")))?;
    editor.set_helper(Some(KqlHelper {
        completer: complete::KqlCompleter::new(Arc::clone(&engine)),
    }));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    let mut settings = Settings::from_cli(cli);
    if settings.format == Format::Parquet {
        settings.format = Format::Table;
    }
    let mut timing_on = cli.timing;
    let mut interrupts = Interrupts::new();

    banner(&engine, cli.data.is_empty());
    loop {
        let line = match editor.readline("kql> ") {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(Failure::Other(format!("reading input: {e}"))),
        };
        let input = line.trim();
        if input.is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(input);
        if let Some(path) = &history {
            let _ = editor.history_mut().save(path);
        }
        if let Some(command) = input.strip_prefix('.') {
            let state = State {
                settings: &mut settings,
                timing_on: &mut timing_on,
                interrupts: &mut interrupts,
            };
            match run_command(command, &engine, state, &load).await {
                Ok(true) => continue,
                Ok(false) => break,
                Err(failure) => {
                    eprint!("{}", failure.render(true));
                    continue;
                }
            }
        }
        if let Err(failure) = run_query(&engine, input, &settings, timing_on, &mut interrupts).await
        {
            eprint!("{}", failure.render(true));
        }
    }
    Ok(())
}

/// Ctrl-C while a query runs. The handler is installed once, when the shell starts, so that
/// SIGINT never ends the shell (at the prompt the line editor reads Ctrl-C as a key).
struct Interrupts {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    fn new() -> Self {
        Self {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok(),
        }
    }

    /// Forgets Ctrl-C pressed before now (while results were printed).
    async fn clear(&mut self) {
        #[cfg(unix)]
        if let Some(s) = &mut self.signal {
            while let Ok(Some(())) = tokio::time::timeout(std::time::Duration::ZERO, s.recv()).await
            {
            }
        }
    }

    /// Waits for Ctrl-C.
    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some(s) = &mut self.signal {
            s.recv().await;
            return;
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_ok() {
            return;
        }
        std::future::pending::<()>().await;
    }
}

/// The shell's settings that commands change.
struct State<'a> {
    settings: &'a mut Settings,
    timing_on: &'a mut bool,
    interrupts: &'a mut Interrupts,
}

/// Runs one query on a task of its own, so that Ctrl-C cancels it at once even while it
/// computes. Each statement's table is written as soon as the task has it.
async fn run_query(
    engine: &Arc<Engine>,
    query: &str,
    settings: &Settings,
    timing_on: bool,
    interrupts: &mut Interrupts,
) -> Result<(), Failure> {
    let (planned, timings) = timing::plan(engine, query)?;
    let mut writer = ResultWriter::new(settings, planned.len())?;
    interrupts.clear().await;
    let (sender, mut tables) = tokio::sync::mpsc::unbounded_channel();
    let mut task = {
        let engine = Arc::clone(engine);
        let query = query.to_string();
        tokio::spawn(async move {
            let mut timings = timings;
            timing::execute(&engine, &query, planned, &mut timings, |table| {
                sender
                    .send(table)
                    .map_err(|_| Failure::Other("the shell stopped reading results".into()))
            })
            .await
            .map(|()| timings)
        })
    };
    let abort = task.abort_handle();
    let finished = loop {
        tokio::select! {
            biased;
            () = interrupts.next() => {
                abort.abort();
                eprintln!("{}", style("cancelled").yellow());
                return Ok(());
            }
            Some(table) = tables.recv() => {
                if let Err(failure) = writer.write(&table) {
                    abort.abort();
                    return Err(failure);
                }
            }
            finished = &mut task => break finished,
        }
    };
    // The tables the task sent just before it ended.
    while let Ok(table) = tables.try_recv() {
        writer.write(&table)?;
    }
    let timings = finished.map_err(|e| Failure::Other(format!("the query stopped: {e}")))??;
    writer.finish()?;
    if timing_on {
        timing::report(&timings, None);
    }
    Ok(())
}

/// Runs a dot command; `Ok(false)` means leave.
async fn run_command(
    command: &str,
    engine: &Arc<Engine>,
    state: State<'_>,
    load: &LoadSettings,
) -> Result<bool, Failure> {
    let State {
        settings,
        timing_on,
        interrupts,
    } = state;
    let (name, rest) = command
        .split_once(char::is_whitespace)
        .map_or((command, ""), |(n, r)| (n, r.trim()));
    match name {
        "quit" | "exit" | "q" => return Ok(false),
        "help" | "h" | "?" => println!("{HELP}"),
        "tables" => tables(engine).await?,
        "schema" => {
            if rest.is_empty() {
                return Err(Failure::Usage(".schema needs a table name".into()));
            }
            let query = format!("{} | getschema", quoted(rest));
            run_query(engine, &query, settings, false, interrupts).await?;
        }
        "load" => {
            if rest.is_empty() {
                return Err(Failure::Usage(
                    ".load needs a path: .load PATH [as Name]".into(),
                ));
            }
            let (path, name) = match rest.rsplit_once(" as ") {
                Some((p, n)) => (p.trim(), Some(n.trim().to_string())),
                None => (rest, None),
            };
            let spec = DataSpec {
                name,
                path: PathBuf::from(unquote(path)),
            };
            for (table, rows) in load_spec(engine, &spec, load).await? {
                match rows {
                    Some(n) => println!("loaded {table}: {n} rows"),
                    None => println!("loaded {table} (Parquet, read at each query)"),
                }
            }
        }
        "output" => {
            settings.format = match rest {
                "table" => Format::Table,
                "csv" => Format::Csv,
                "json" => Format::Json,
                "jsonl" => Format::Jsonl,
                "" => {
                    println!("output: {:?}", settings.format);
                    return Ok(true);
                }
                other => {
                    return Err(Failure::Usage(format!(
                        "unknown output format '{other}' (table, csv, json, jsonl)"
                    )));
                }
            };
        }
        "timing" => {
            *timing_on = match rest {
                "on" => true,
                "off" => false,
                _ => !*timing_on,
            };
            println!("timing {}", if *timing_on { "on" } else { "off" });
        }
        other => {
            return Err(Failure::Usage(format!(
                "unknown command '.{other}' (.help lists them)"
            )));
        }
    }
    Ok(true)
}

/// `.tables`: each table with its row and column counts.
async fn tables(engine: &Engine) -> Result<(), Failure> {
    let names = engine.table_names();
    if names.is_empty() {
        println!("no tables (.load PATH loads some)");
    }
    for name in names {
        let columns = engine.table_columns(&name).map_or(0, |c| c.len());
        let query = format!("{} | count", quoted(&name));
        let rows = match engine.query(&query).await {
            Ok(r) => r
                .tables
                .first()
                .and_then(|t| t.batches.first())
                .and_then(|b| {
                    use datafusion::arrow::array::AsArray;
                    use datafusion::arrow::datatypes::Int64Type;
                    b.columns()
                        .first()
                        .and_then(|c| c.as_primitive_opt::<Int64Type>())
                        .map(|a| a.value(0).to_string())
                })
                .unwrap_or_else(|| "?".into()),
            Err(_) => "?".into(),
        };
        println!("{name}  ({rows} rows, {columns} columns)");
    }
    Ok(())
}

/// A table name as a query spells it: bare when it is an identifier, else `['…']`.
fn quoted(name: &str) -> String {
    let name = name.trim();
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn unquote(text: &str) -> &str {
    let t = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    t
}

fn banner(engine: &Engine, sample: bool) {
    let names = engine.table_names();
    println!(
        "{} {} — KQL over log files. {}",
        style("kql").bold(),
        env!("CARGO_PKG_VERSION"),
        style(".help for help, .quit to leave").dim()
    );
    if sample {
        println!(
            "Tables: {} {}",
            names.join(", "),
            style("(bundled sample; newest events five minutes old)").dim()
        );
    } else {
        println!("Tables: {}", names.join(", "));
    }
    println!(
        "{}",
        style("End a query with a blank line, or with ';' at the end of a line.").dim()
    );
}

/// Where history is kept.
fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KQL_HISTORY") {
        return Some(PathBuf::from(p));
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(d).join("kql");
        if std::fs::create_dir_all(&dir).is_ok() {
            return Some(dir.join("history"));
        }
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".kql_history"))
}

/// Whether the input is a whole query (see the module documentation).
fn is_complete(input: &str) -> bool {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.starts_with('.') {
        return true;
    }
    // Enter on an empty line.
    if input.ends_with('\n') {
        return true;
    }
    let Some(body) = trimmed.strip_suffix(';') else {
        return false;
    };
    // The statement this ';' ends: a `let`, `set` or `declare` wants more statements.
    let last = body.rsplit(';').next().unwrap_or(body).trim_start();
    let word = last
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    !matches!(word, "let" | "set" | "declare" | "alias")
}

/// The editor's helper: completion and multi-line input.
struct KqlHelper {
    completer: complete::KqlCompleter,
}

impl Completer for KqlHelper {
    type Candidate = rustyline::completion::Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Self::Candidate>)> {
        self.completer.complete(line, pos, ctx)
    }
}

impl Validator for KqlHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Hinter for KqlHelper {
    type Hint = String;
}

impl Highlighter for KqlHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        default: bool,
    ) -> Cow<'b, str> {
        if default {
            Cow::Owned(style(prompt).cyan().bold().to_string())
        } else {
            Cow::Borrowed(prompt)
        }
    }
}

impl Helper for KqlHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_of_queries() {
        assert!(!is_complete("T | take 5"));
        assert!(is_complete("T | take 5\n"));
        assert!(is_complete("T | take 5;"));
        assert!(!is_complete("let x = 5;"));
        assert!(!is_complete("let x = 5;\nset notruncation;"));
        assert!(is_complete("let x = 5;\nprint x;"));
        assert!(is_complete(".tables"));
        assert!(is_complete(""));
    }

    #[test]
    fn quotes_names() {
        assert_eq!(quoted("traces"), "traces");
        assert_eq!(quoted("my-logs"), "['my-logs']");
    }
}
