//! `kql-datagen`: writes the generated Azure ML log tables to a directory.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Utc};
use kql_datagen::{Formats, GenConfig, GenError, Table, write_table};

const USAGE: &str = "\
Usage: kql-datagen --out DIR [--rows N] [--seed S] [--now RFC3339] [--format jsonl|parquet|both]
                   [--tables T1,T2,...]

Writes DIR/<Table>.jsonl and/or DIR/<Table>.parquet for the tables AmlComputeJobEvent,
AmlComputeClusterEvent, AmlComputeClusterNodeEvent and traces.

  --rows N       rows of traces and AmlComputeJobEvent; the cluster and node tables get N/10
                 (default 100000)
  --seed S       random seed (default 42)
  --now T        the reference time, e.g. 2026-01-01T00:00:00Z; data covers the 10 days before
                 it (default: the current time, so pass it for reproducible output)
  --format F     jsonl, parquet or both (default both)
  --tables LIST  comma-separated subset of tables (default all)
";

struct Args {
    config: GenConfig,
    formats: Formats,
    out: PathBuf,
    tables: Vec<Table>,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
    let mut rows = 100_000_usize;
    let mut seed = 42_u64;
    let mut now: Option<DateTime<Utc>> = None;
    let mut formats = Formats {
        jsonl: true,
        parquet: true,
    };
    let mut out = None;
    let mut tables = Table::ALL.to_vec();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--rows" => {
                let v = value()?;
                rows = v
                    .replace('_', "")
                    .parse()
                    .map_err(|_| format!("--rows: '{v}' is not a non-negative integer"))?;
            }
            "--seed" => {
                let v = value()?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: '{v}' is not a non-negative integer"))?;
            }
            "--now" => {
                let v = value()?;
                now = Some(
                    DateTime::parse_from_rfc3339(&v)
                        .map_err(|e| format!("--now: '{v}' is not an RFC 3339 time ({e})"))?
                        .with_timezone(&Utc),
                );
            }
            "--format" => {
                let v = value()?;
                formats = match v.as_str() {
                    "jsonl" => Formats {
                        jsonl: true,
                        parquet: false,
                    },
                    "parquet" => Formats {
                        jsonl: false,
                        parquet: true,
                    },
                    "both" => Formats {
                        jsonl: true,
                        parquet: true,
                    },
                    _ => {
                        return Err(format!(
                            "--format: expected jsonl, parquet or both, got '{v}'"
                        ));
                    }
                };
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--tables" => {
                let v = value()?;
                tables = v
                    .split(',')
                    .map(|name| {
                        Table::from_name(name.trim()).ok_or_else(|| {
                            format!("--tables: unknown table '{name}' (known: AmlComputeJobEvent, AmlComputeClusterEvent, AmlComputeClusterNodeEvent, traces)")
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    let config = GenConfig::new(rows, seed, now.unwrap_or_else(Utc::now));
    Ok(Some(Args {
        config,
        formats,
        out,
        tables,
    }))
}

fn run(args: &Args) -> Result<(), GenError> {
    std::fs::create_dir_all(&args.out).map_err(|e| GenError::Io {
        path: args.out.clone(),
        source: e,
    })?;
    let started = Instant::now();
    // One thread per table: generation is CPU-bound and the tables are independent.
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = args
            .tables
            .iter()
            .map(|&table| {
                scope.spawn(move || {
                    let t0 = Instant::now();
                    write_table(&args.config, table, &args.out, args.formats)
                        .map(|(paths, rows)| (table, paths, rows, t0.elapsed()))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(GenError::Internal("a generator thread panicked".into()))
                })
            })
            .collect::<Vec<_>>()
    });
    let mut stdout = std::io::stdout().lock();
    for result in results {
        let (table, paths, rows, elapsed) = result?;
        for path in paths {
            let _ = writeln!(
                stdout,
                "{:<28} {rows:>10} rows  {:>7.2}s  {}",
                table.name(),
                elapsed.as_secs_f64(),
                path.display()
            );
        }
    }
    let _ = writeln!(stdout, "done in {:.2}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn main() -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            let _ = write!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            ExitCode::FAILURE
        }
    }
}
