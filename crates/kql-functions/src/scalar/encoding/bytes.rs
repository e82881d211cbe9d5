//! base64 of raw bytes: GUIDs (`base64_encode_fromguid`, `base64_decode_toguid`), arrays of
//! byte values (`base64_encode_fromarray`, `base64_decode_toarray`) and gzip-compressed text
//! (`gzip_compress_to_base64_string`, `gzip_decompress_from_base64_string`).

use std::io::{Read as _, Write as _};

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::map_text;
use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// The 16 bytes of a GUID as .NET's `Guid.ToByteArray` gives them (the first three groups
/// little-endian), which is what KQL encodes.
fn guid_bytes(text: &str) -> Option<[u8; 16]> {
    let hex: String = text.trim().trim_matches(['{', '}']).replace('-', "");
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut raw = [0u8; 16];
    for (i, b) in raw.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    raw[0..4].reverse();
    raw[4..6].reverse();
    raw[6..8].reverse();
    Some(raw)
}

fn guid_text(mut raw: [u8; 16]) -> String {
    raw[0..4].reverse();
    raw[4..6].reverse();
    raw[6..8].reverse();
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

macro_rules! bytes_udf {
    ($name:ident, $udf:literal, $f:expr) => {
        fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| {
                KernelUdf::new($udf, vec![DataType::Utf8], DataType::Utf8, |a| {
                    map_text(&a[0], $f)
                })
                .into_udf()
            }))
        }
    };
}

bytes_udf!(encode_guid_udf, "kql_base64_encode_fromguid", |s| {
    guid_bytes(s).map(|b| STANDARD.encode(b))
});
bytes_udf!(decode_guid_udf, "kql_base64_decode_toguid", |s| {
    let bytes: [u8; 16] = STANDARD.decode(s.trim()).ok()?.try_into().ok()?;
    Some(guid_text(bytes))
});
bytes_udf!(decode_array_udf, "kql_base64_decode_toarray", |s| {
    let bytes = STANDARD.decode(s.trim()).ok()?;
    let items: Vec<String> = bytes.iter().map(u8::to_string).collect();
    Some(format!("[{}]", items.join(",")))
});
bytes_udf!(encode_array_udf, "kql_base64_encode_fromarray", |s| {
    let items: Vec<serde_json::Value> = serde_json::from_str(s).ok()?;
    let bytes = items
        .iter()
        .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
        .collect::<Option<Vec<u8>>>()?;
    Some(STANDARD.encode(bytes))
});

/// The most bytes one `gzip_decompress_from_base64_string` value may decompress to: a few
/// bytes of input could otherwise expand to gigabytes.
const MAX_DECOMPRESSED: u64 = 64 << 20;

bytes_udf!(gzip_compress_udf, "kql_gzip_compress_to_base64", |s| {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(s.as_bytes()).ok()?;
    Some(STANDARD.encode(encoder.finish().ok()?))
});
bytes_udf!(
    gzip_decompress_udf,
    "kql_gzip_decompress_from_base64",
    |s| {
        let compressed = STANDARD.decode(s.trim()).ok()?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .take(MAX_DECOMPRESSED + 1)
            .read_to_string(&mut text)
            .ok()?;
        (text.len() as u64 <= MAX_DECOMPRESSED).then_some(text)
    }
);

/// Registers the base64 functions over raw bytes.
pub(super) fn register(r: &mut Registry) {
    let sig = |p: KqlType, ret: KqlType| vec![Signature::new([Param::Of(p)], Returns::Type(ret))];
    r.add_scalar(ScalarFunction {
        name: "base64_encode_fromguid",
        doc: "The 16 bytes of a GUID (in .NET's order) in base64.",
        signatures: sig(KqlType::Guid, KqlType::String),
        lower: |_, _, mut a| Ok(encode_guid_udf().call(vec![a.remove(0).to_text()])),
    });
    r.add_scalar(ScalarFunction {
        name: "base64_decode_toguid",
        doc: "The GUID whose 16 bytes (in .NET's order) a base64 string encodes; null if it \
              does not encode 16 bytes.",
        signatures: sig(KqlType::String, KqlType::Guid),
        lower: |_, _, mut a| Ok(decode_guid_udf().call(vec![a.remove(0).expr])),
    });
    r.add_scalar(ScalarFunction {
        name: "base64_decode_toarray",
        doc: "The bytes a base64 string encodes, as an array of numbers; null if it is not \
              base64.",
        signatures: sig(KqlType::String, KqlType::Dynamic),
        lower: |_, _, mut a| Ok(decode_array_udf().call(vec![a.remove(0).expr])),
    });
    r.add_scalar(ScalarFunction {
        name: "gzip_compress_to_base64_string",
        doc: "The UTF-8 bytes of the text gzip-compressed, in base64.",
        signatures: sig(KqlType::String, KqlType::String),
        lower: |_, _, mut a| Ok(gzip_compress_udf().call(vec![a.remove(0).expr])),
    });
    r.add_scalar(ScalarFunction {
        name: "gzip_decompress_from_base64_string",
        doc: "The text of base64 gzip-compressed UTF-8 bytes; null when it is not that.",
        signatures: sig(KqlType::String, KqlType::String),
        lower: |_, _, mut a| Ok(gzip_decompress_udf().call(vec![a.remove(0).expr])),
    });
    r.add_scalar(ScalarFunction {
        name: "base64_encode_fromarray",
        doc: "An array of byte values (0–255) in base64; null if an element is not a byte.",
        signatures: sig(KqlType::Dynamic, KqlType::String),
        lower: |_, _, mut a| Ok(encode_array_udf().call(vec![a.remove(0).expr])),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_round_trip_in_dotnet_byte_order() {
        let raw = guid_bytes("ae3133f2-6e22-49ae-b06a-16e6a9b212eb").unwrap();
        assert_eq!(STANDARD.encode(raw), "8jMxriJurkmwahbmqbIS6w==");
        assert_eq!(guid_text(raw), "ae3133f2-6e22-49ae-b06a-16e6a9b212eb");
        assert_eq!(guid_bytes("not a guid"), None);
    }
}
