//! Punycode (RFC 3492) of labels and domain names: `punycode_from_string`,
//! `punycode_to_string`, `punycode_domain_from_string`, `punycode_domain_to_string`.
//!
//! KQL's naming reads from the domain's point of view: `punycode_from_string` *encodes* text to
//! Punycode, `punycode_domain_from_string` *decodes* an encoded domain.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;

use super::kernel::{StrArg, string_udf};

/// The label separators a domain may use: `.` and its ideographic and full-width forms.
const DOTS: [char; 4] = ['.', '\u{3002}', '\u{ff0e}', '\u{ff61}'];

/// Each label with non-ASCII characters as `xn--` + its Punycode, joined with `.`.
fn encode_domain(domain: &str) -> Option<String> {
    let labels = domain
        .split(DOTS)
        .map(|label| {
            if label.is_ascii() {
                Some(label.to_string())
            } else {
                idna::punycode::encode_str(label).map(|p| format!("xn--{p}"))
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(labels.join("."))
}

/// Each `xn--` label decoded from Punycode (case kept), joined with `.`.
fn decode_domain(domain: &str) -> Option<String> {
    let labels = domain
        .split('.')
        .map(|label| match label.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("xn--") => {
                idna::punycode::decode_to_string(&label[4..])
            }
            _ => Some(label.to_string()),
        })
        .collect::<Option<Vec<_>>>()?;
    Some(labels.join("."))
}

/// One text argument in, `f` of it out; `""` where `f` gives nothing (KQL strings are never
/// null).
fn map(
    args: &[ColumnarValue],
    rows: usize,
    udf: &str,
    f: fn(&str) -> Option<String>,
) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, udf)?;
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    for i in 0..rows {
        out.append_value(f(text.text(i)).unwrap_or_default());
    }
    Ok(Arc::new(out.finish()))
}

string_udf!(
    /// Text encoded as Punycode.
    punycode_from_string_udf = "kql_punycode_from_string",
    DataType::Utf8,
    |args, rows| map(args, rows, "punycode_from_string", idna::punycode::encode_str)
);
string_udf!(
    /// Punycode decoded to text.
    punycode_to_string_udf = "kql_punycode_to_string",
    DataType::Utf8,
    |args, rows| map(args, rows, "punycode_to_string", idna::punycode::decode_to_string)
);
string_udf!(
    /// A domain with its non-ASCII labels encoded (`xn--…`).
    punycode_domain_to_string_udf = "kql_punycode_domain_to_string",
    DataType::Utf8,
    |args, rows| map(args, rows, "punycode_domain_to_string", encode_domain)
);
string_udf!(
    /// A domain with its `xn--…` labels decoded.
    punycode_domain_from_string_udf = "kql_punycode_domain_from_string",
    DataType::Utf8,
    |args, rows| map(args, rows, "punycode_domain_from_string", decode_domain)
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_domains() {
        assert_eq!(
            idna::punycode::encode_str("艺术").as_deref(),
            Some("cqv902d")
        );
        assert_eq!(
            decode_domain("xn--Ge-mia.Bulg.edu").as_deref(),
            Some("Gáe.Bulg.edu")
        );
        assert_eq!(
            encode_domain("Lê Lợi。Thuận Thiên。com").as_deref(),
            Some("xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com")
        );
        assert_eq!(decode_domain("xn--!!!.com"), None);
    }
}
