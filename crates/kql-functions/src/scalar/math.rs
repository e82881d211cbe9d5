//! Math functions: `abs`, `round`, `floor`, `bin`, …

use datafusion::functions::expr_fn as df;

use crate::{Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the math functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "abs",
        doc: "The absolute value.",
        signatures: vec![Signature::new([Param::Numeric], Returns::SameAs(0))],
        lower: |_, _, mut args| Ok(df::abs(args.remove(0).expr)),
    });
}
