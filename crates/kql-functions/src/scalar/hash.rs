//! Hash functions whose KQL results DataFusion's digests give exactly: lower-case hex strings.

use datafusion::functions::crypto::{md5, sha256};
use datafusion::functions::encoding::expr_fn::encode;
use datafusion::prelude::lit;

use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the hash functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "hash_md5",
        doc: "The MD5 hash of the value's text, as 32 lower-case hex digits.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, mut args| Ok(md5().call(vec![args.remove(0).to_text()])),
    });
    r.add_scalar(ScalarFunction {
        name: "hash_sha256",
        doc: "The SHA-256 hash of the value's text, as 64 lower-case hex digits.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, mut args| {
            Ok(encode(
                sha256().call(vec![args.remove(0).to_text()]),
                lit("hex"),
            ))
        },
    });
}
