//! Parser for the Kusto Query Language (KQL).
//!
//! Turns a query text into a [`Script`](ast::Script): an AST in which every statement, operator
//! and expression carries the byte [`Span`] it came from, or into a [`Diagnostic`] that says what
//! was expected where. It depends on neither Arrow nor DataFusion, so it builds and tests in
//! seconds; the planner crate gives the AST its meaning.
//!
//! ```
//! use kql_parser::{parse, ast::StatementKind};
//!
//! let script = parse("AmlComputeJobEvent | where EventType == 'JobFailed' | take 5").unwrap();
//! let StatementKind::Query(query) = &script.statements[0].kind else { unreachable!() };
//! assert_eq!(query.operators.len(), 2);
//! // The canonical printer gives back KQL that parses to the same tree.
//! assert_eq!(
//!     script.to_string(),
//!     "AmlComputeJobEvent\n| where EventType == \"JobFailed\"\n| take 5"
//! );
//!
//! let err = parse("T | where x +").unwrap_err();
//! assert_eq!(err.message, "expected an expression after '+', found end of query");
//! ```
//!
//! The grammar the parser implements is `grammar/kql.ebnf` at the root of the repository; each
//! parser function's doc comment names its production.

#[allow(
    clippy::large_enum_variant,
    reason = "AST nodes are built once per query; boxing would only add noise"
)]
pub mod ast;
mod diagnostic;
mod parser;
mod printer;
mod span;
pub mod suggest;
pub mod temporal;

pub use diagnostic::{Code, Diagnostic, Label};
pub use parser::{operator_names, parse, parse_expression};
pub use span::Span;
