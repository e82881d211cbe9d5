//! User-facing errors: a stable code, a message, the span it is about, and optional help.
//!
//! The parser, the planner and the engine all report through this one type so that the CLI and
//! the library render every error the same way, with a caret under the query text.

use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::Span;

/// A stable error code such as `KQL0001`. Codes never change meaning once published, so tools
/// and users can search for them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Code(pub &'static str);

impl Code {
    /// Syntax error: something other than what the grammar allows at this place.
    pub const SYNTAX: Code = Code("KQL0001");
    /// A string literal without its closing quote.
    pub const UNTERMINATED_STRING: Code = Code("KQL0002");
    /// A literal whose text is not a valid value of its type (datetime, timespan, number, guid).
    pub const INVALID_LITERAL: Code = Code("KQL0003");
    /// Text left over after a complete query.
    pub const TRAILING_INPUT: Code = Code("KQL0004");
    /// Nesting deeper than the parser accepts.
    pub const TOO_DEEP: Code = Code("KQL0005");
    /// A name after `|` that is not a tabular operator.
    pub const UNKNOWN_OPERATOR: Code = Code("KQL0006");
    /// A query text with no statement in it.
    pub const EMPTY_QUERY: Code = Code("KQL0007");
    /// A known KQL feature that this engine does not support.
    pub const UNSUPPORTED: Code = Code("KQL0008");

    /// The code as text, e.g. `KQL0001`.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A secondary place in the query that explains the primary error ("first defined here").
#[derive(Clone, PartialEq, Debug)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it has to do with the error.
    pub message: String,
}

/// One user-facing error.
#[derive(Clone, PartialEq, Debug)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// One line saying what is wrong.
    pub message: String,
    /// The place the error is about; the caret goes here.
    pub span: Span,
    /// Text shown beside the caret (e.g. "did you mean 'EventType'?").
    pub span_label: Option<String>,
    /// Other places that explain the error.
    pub labels: Vec<Label>,
    /// A hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a code, message and primary span.
    pub fn new(code: Code, message: impl Into<String>, span: Span) -> Self {
        Self {
            code,
            message: message.into(),
            span,
            span_label: None,
            labels: Vec::new(),
            help: None,
        }
    }

    /// Text beside the caret.
    pub fn with_span_label(mut self, label: impl Into<String>) -> Self {
        self.span_label = Some(label.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic against the query text it came from, rustc style, without colour:
    ///
    /// ```text
    /// error[KQL0104]: unknown column 'EvntType'
    ///   |
    /// 2 | | where EvntType == "JobFailed"
    ///   |         ^^^^^^^^ did you mean 'EventType'?
    /// ```
    pub fn render(&self, source: &str) -> String {
        self.render_with(source, &Renderer::plain())
    }

    /// Like [`Diagnostic::render`], with ANSI colours for a terminal.
    pub fn render_styled(&self, source: &str) -> String {
        self.render_with(source, &Renderer::styled())
    }

    fn render_with(&self, source: &str, renderer: &Renderer) -> String {
        let clamp = |span: Span| {
            let start = floor_char_boundary(source, span.start.min(source.len()));
            let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
            start..end
        };
        let mut primary = AnnotationKind::Primary.span(clamp(self.span));
        if let Some(label) = &self.span_label {
            primary = primary.label(label.as_str());
        }
        let mut snippet = Snippet::source(source).line_start(1).annotation(primary);
        for label in &self.labels {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(clamp(label.span))
                    .label(label.message.as_str()),
            );
        }
        let mut report = vec![
            Level::ERROR
                .primary_title(self.message.as_str())
                .id(self.code.as_str())
                .element(snippet),
        ];
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&report)
    }
}

fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while index > 0 && !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)
    }
}

impl std::error::Error for Diagnostic {}
