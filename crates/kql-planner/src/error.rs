//! The planner's diagnostics: stable codes, and conversions from function and DataFusion
//! errors, each pinned to the span it is about.

use datafusion::error::DataFusionError;
use kql_functions::FunctionError;
use kql_parser::{Code, Diagnostic, Span};

/// Codes of the errors the planner reports.
pub mod codes {
    use kql_parser::Code;

    /// A table name that no table, `let` or `as` binds.
    pub const UNKNOWN_TABLE: Code = Code("KQL0101");
    /// A function name that is neither built in nor bound by `let`.
    pub const UNKNOWN_FUNCTION: Code = Code("KQL0102");
    /// A call with the wrong number or types of arguments.
    pub const BAD_ARGUMENTS: Code = Code("KQL0103");
    /// A column name the input does not have.
    pub const UNKNOWN_COLUMN: Code = Code("KQL0104");
    /// Operands or values of types that do not fit together.
    pub const TYPE_MISMATCH: Code = Code("KQL0105");
    /// A KQL feature this engine does not implement (yet).
    pub const UNSUPPORTED: Code = Code("KQL0008");
    /// A value that must be a constant, or is out of range.
    pub const INVALID_VALUE: Code = Code("KQL0107");
    /// A statement that does not fit where it stands (two results bound to one name, …).
    pub const INVALID_QUERY: Code = Code("KQL0108");
    /// A failure inside the engine: a bug, not the user's mistake.
    pub const INTERNAL: Code = Code("KQL0900");
}

/// A result whose error is a diagnostic.
pub(crate) type PResult<T> = Result<T, Diagnostic>;

/// A diagnostic with a code, a message and a span.
pub(crate) fn error(code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::new(code, message, span)
}

/// A function error at the call (or at the argument it is about, when `arg_spans` has it).
pub(crate) fn function_error(e: FunctionError, call_span: Span, arg_spans: &[Span]) -> Diagnostic {
    let span = e
        .argument_index()
        .and_then(|i| arg_spans.get(i).copied())
        .unwrap_or(call_span);
    let code = match &e {
        FunctionError::Unknown { .. } => codes::UNKNOWN_FUNCTION,
        FunctionError::Unsupported { .. } => codes::UNSUPPORTED,
        FunctionError::NotConstant { .. } => codes::INVALID_VALUE,
        _ => codes::BAD_ARGUMENTS,
    };
    let mut d = Diagnostic::new(code, e.to_string(), span);
    if let FunctionError::Unknown {
        suggestion: Some(s),
        ..
    } = &e
    {
        d = d.with_span_label(format!("did you mean '{s}'?"));
    }
    d
}

/// A DataFusion error while building a plan: never the user's fault once the planner checked the
/// query, so it is reported as internal, at the construct being planned.
pub(crate) fn internal(e: DataFusionError, span: Span) -> Diagnostic {
    Diagnostic::new(
        codes::INTERNAL,
        format!("internal error while planning: {e}"),
        span,
    )
    .with_help("this is a bug in the engine; please report it with the query")
}

/// Maps a DataFusion result to a diagnostic at `span`.
pub(crate) trait OrInternal<T> {
    fn or_internal(self, span: Span) -> PResult<T>;
}

impl<T> OrInternal<T> for Result<T, DataFusionError> {
    fn or_internal(self, span: Span) -> PResult<T> {
        self.map_err(|e| internal(e, span))
    }
}
