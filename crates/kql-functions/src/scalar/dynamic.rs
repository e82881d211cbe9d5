//! Functions over `dynamic` values: `parse_json`, `array_length`, `bag_keys`, `pack`, …

use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the dynamic functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "parse_json",
        doc: "Text read as JSON; text that is not JSON becomes a dynamic string.",
        signatures: vec![Signature::new(
            [Param::Any],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, mut args| Ok(args.remove(0).convert_to(KqlType::Dynamic)),
    });
    r.add_scalar_alias("todynamic", "parse_json");
    r.add_scalar_alias("toobject", "parse_json");
}
