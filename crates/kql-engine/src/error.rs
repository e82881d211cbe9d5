//! The engine's errors: the user's query, the user's data, or execution.

use std::fmt;

use kql_parser::Diagnostic;

/// What went wrong.
#[derive(Debug)]
pub enum EngineError {
    /// The query is wrong: a syntax error, an unknown name, a type mismatch, an unsupported
    /// feature. Carries a span into the query text (boxed: the error path is cold, and it keeps
    /// every `Result` of the engine small).
    Query(Box<Diagnostic>),
    /// Data could not be loaded: which file, which line (1-based, when known), and why.
    Load {
        /// The file.
        path: String,
        /// The line, for line-oriented formats.
        line: Option<usize>,
        /// What was wrong.
        message: String,
    },
    /// A table could not be registered (a name clash, an unsupported column type).
    Register(String),
    /// A setting does not exist or its value does not parse.
    Setting(String),
    /// Running the query failed.
    Execution(String),
    /// Writing results failed (a closed pipe, a full disk).
    Output(std::io::Error),
}

impl EngineError {
    /// The error as text; a query error shows the query line with a caret under the span.
    pub fn render(&self, query: &str) -> String {
        match self {
            EngineError::Query(d) => d.render(query),
            other => other.to_string(),
        }
    }

    /// The diagnostic, for query errors.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            EngineError::Query(d) => Some(d.as_ref()),
            _ => None,
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Query(d) => write!(f, "{d}"),
            EngineError::Load {
                path,
                line: Some(line),
                message,
            } => write!(f, "{path}:{line}: {message}"),
            EngineError::Load {
                path,
                line: None,
                message,
            } => write!(f, "{path}: {message}"),
            EngineError::Register(m) => write!(f, "cannot register table: {m}"),
            EngineError::Setting(m) => write!(f, "invalid setting: {m}"),
            EngineError::Execution(m) => write!(f, "query failed: {m}"),
            EngineError::Output(e) => write!(f, "cannot write the results: {e}"),
        }
    }
}

impl std::error::Error for EngineError {}

impl From<Diagnostic> for EngineError {
    fn from(d: Diagnostic) -> Self {
        EngineError::Query(Box::new(d))
    }
}

impl From<datafusion::error::DataFusionError> for EngineError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        EngineError::Execution(e.to_string())
    }
}

impl From<datafusion::arrow::error::ArrowError> for EngineError {
    fn from(e: datafusion::arrow::error::ArrowError) -> Self {
        EngineError::Execution(e.to_string())
    }
}
