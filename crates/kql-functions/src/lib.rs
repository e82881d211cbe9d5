//! The KQL function registry.
//!
//! One entry per KQL function: its name, its signatures in KQL types, its result type, a doc line,
//! and how it lowers to a DataFusion expression: a DataFusion built-in where the semantics match,
//! else one of the UDFs/UDAFs in this crate. Arity and type errors come from this one place
//! ([`Registry::resolve_scalar`], [`Registry::resolve_aggregate`]), so every function reports them
//! the same way; the planner adds the spans.
//!
//! Values travel as [`TypedExpr`]: a DataFusion [`Expr`](datafusion::logical_expr::Expr) with its
//! KQL type. A member access into a `dynamic` value keeps its JSON path unevaluated
//! ([`DynamicPath`]) so that `tostring(d.x)`, `toint(d.x)` and `d.x == "s"` read the member with
//! the right typed accessor in one pass.

pub mod aggregate;
mod error;
pub mod member_equals;
mod registry;
pub mod scalar;
mod signature;
mod typed;
mod types;
pub mod udf;
pub mod window;

pub use error::FunctionError;
pub use registry::{
    AggregateFunction, AggregateLowering, Lowered, Registry, ResolvedAggregate, ResolvedScalar,
    ScalarFunction, ScalarLowering,
};
pub use signature::{Param, Returns, Signature};
pub use typed::{DynamicPath, LowerContext, TypedExpr};
pub use types::{EXTENSION_KEY, JSON_EXTENSION, KqlType};

#[cfg(test)]
pub(crate) mod testing;
