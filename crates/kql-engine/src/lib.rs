//! The embeddable KQL engine: register Arrow, Parquet, JSON lines or CSV data under KQL table
//! names, run KQL, get Arrow record batches with the KQL type of every column.
//!
//! ```
//! use std::sync::Arc;
//! use datafusion::arrow::array::{Int64Array, StringArray};
//! use datafusion::arrow::datatypes::{DataType, Field, Schema};
//! use datafusion::arrow::record_batch::RecordBatch;
//! use kql_engine::Engine;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), kql_engine::EngineError> {
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("Cluster", DataType::Utf8, false),
//!     Field::new("Failures", DataType::Int64, false),
//! ]));
//! let batch = RecordBatch::try_new(
//!     schema,
//!     vec![
//!         Arc::new(StringArray::from(vec!["gpu-cluster", "cpu-cluster", "gpu-cluster"])),
//!         Arc::new(Int64Array::from(vec![3, 1, 2])),
//!     ],
//! )?;
//! let engine = Engine::new();
//! engine.register_batches("Jobs", vec![batch])?;
//!
//! let result = engine
//!     .query("Jobs | summarize Total = sum(Failures) by Cluster | sort by Total desc")
//!     .await?;
//! let table = &result.tables[0];
//! assert_eq!(table.column_names(), ["Cluster", "Total"]);
//! assert_eq!(table.row_count(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! Errors in the query come back as a [`kql_parser::Diagnostic`] with a span, which
//! [`EngineError::render`] shows with a caret under the query text.

mod catalog;
mod coerce;
mod engine;
mod error;
mod identifier_lookup_pushdown;
mod interleave_row_groups;
pub mod load;
mod member_equals_filter;
pub mod output;
mod parquet_nulls;
mod parquet_scans;
mod result;
mod shred;

pub use engine::{Engine, EngineOptions};
pub use error::EngineError;
pub use kql_functions::KqlType;
pub use kql_planner::{KqlColumn, PlannedQuery};
pub use result::{QueryResult, ResultTable};
