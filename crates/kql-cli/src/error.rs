//! What can go wrong, how it is shown, and the exit status it gives: 1 for errors in the query
//! or the data, 2 for usage errors (as clap's own), 0 when the reader of our output went away
//! (`kql … | head`).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use console::style;
use kql_engine::EngineError;

/// A failure of the command.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An engine error; a query error is shown against the query text.
    Engine {
        /// The error.
        error: EngineError,
        /// The query it is about.
        query: String,
    },
    /// The command line asks for something impossible.
    Usage(String),
    /// Anything else, as a message.
    Other(String),
    /// Standard output was closed by its reader: stop quietly.
    BrokenPipe,
}

impl Failure {
    /// An engine error about `query`.
    pub(crate) fn engine(error: EngineError, query: &str) -> Self {
        match error {
            EngineError::Output(e) => Self::from(e),
            error => Self::Engine {
                error,
                query: query.to_string(),
            },
        }
    }

    /// An engine error that is not about a query (loading data).
    pub(crate) fn data(error: EngineError) -> Self {
        Self::engine(error, "")
    }

    /// The message as stderr shows it (styled when `styled`), ending in a newline.
    pub(crate) fn render(&self, styled: bool) -> String {
        let prefix = |text: &str| {
            if styled {
                format!("{}: {text}\n", style("error").red().bold())
            } else {
                format!("error: {text}\n")
            }
        };
        match self {
            Failure::Engine {
                error: EngineError::Query(d),
                query,
            } => {
                let mut text = if styled {
                    d.render_styled(query)
                } else {
                    d.render(query)
                };
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text
            }
            Failure::Engine { error, .. } => prefix(&error.to_string()),
            Failure::Usage(m) | Failure::Other(m) => prefix(m),
            Failure::BrokenPipe => String::new(),
        }
    }

    /// Shows the failure on stderr and gives the exit status.
    pub(crate) fn report(&self) -> ExitCode {
        let mut stderr = std::io::stderr();
        let _ = stderr.write_all(self.render(stderr.is_terminal()).as_bytes());
        match self {
            Failure::BrokenPipe => ExitCode::SUCCESS,
            Failure::Usage(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Other(format!("cannot write the results: {e}"))
        }
    }
}
