//! The KQL planner: binds a parsed [`Script`](kql_parser::ast::Script) to tables and KQL types,
//! and lowers each statement into a DataFusion [`LogicalPlan`](datafusion::logical_expr::LogicalPlan)
//! with KQL's semantics (null rules of `==`, integer division, result-column naming, sort
//! defaults, `innerunique` joins, …).
//!
//! Every plan it builds outputs unqualified columns named exactly as KQL names them, with the
//! canonical Arrow type of their KQL type, and carries those KQL types alongside
//! ([`Tabular`]); so each operator is a small function from one `Tabular` to the next (one module
//! per operator under `operator/`), and results keep their KQL types for output formats.

// Every planning step returns `Result<_, Diagnostic>`; a diagnostic is built once, on the error
// path, so its size does not matter and boxing it would only add noise.
#![allow(clippy::result_large_err)]

mod catalog;
mod error;
mod expr;
mod naming;
mod operator;
mod planner;
mod scope;
mod shredded;
mod source;
mod tabular;
mod tuple;

pub use catalog::{Catalog, ShreddedMember, TableEntry};
pub use error::codes;
pub use planner::{PlannedQuery, Planner};
pub use tabular::{KqlColumn, Tabular};
