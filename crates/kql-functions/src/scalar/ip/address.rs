//! IP addresses in KQL's text forms: IPv4 and IPv6 with an optional `/prefix` (CIDR), and IPv4
//! addresses found inside free text (for `has_ipv4`).

use std::net::{Ipv4Addr, Ipv6Addr};

/// An IPv4 address with its prefix length (32 when the text has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct V4 {
    pub(crate) addr: u32,
    pub(crate) prefix: u8,
}

/// An IPv6 address (IPv4 ones mapped to `::ffff:a.b.c.d`) with its prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct V6 {
    pub(crate) addr: u128,
    pub(crate) prefix: u8,
}

/// The netmask of an IPv4 prefix length (0–32).
pub(crate) fn mask4(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

/// The netmask of an IPv6 prefix length (0–128).
pub(crate) fn mask6(prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix.min(128)))
    }
}

/// Splits `text` into the address and the prefix after `/`, which must be at most `max`.
fn split_prefix(text: &str, max: u8) -> Option<(&str, Option<u8>)> {
    let text = text.trim();
    match text.split_once('/') {
        None => Some((text, None)),
        Some((addr, p)) => {
            let p = p.trim();
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let p: u8 = p.parse().ok()?;
            (p <= max).then_some((addr.trim(), Some(p)))
        }
    }
}

/// `a.b.c.d` or `a.b.c.d/n`.
pub(crate) fn parse_v4(text: &str) -> Option<V4> {
    let (addr, prefix) = split_prefix(text, 32)?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    Some(V4 {
        addr: u32::from(addr),
        prefix: prefix.unwrap_or(32),
    })
}

/// An IPv6 address, or an IPv4 one (its prefix counted from bit 96), each with optional `/n`.
pub(crate) fn parse_v6(text: &str) -> Option<V6> {
    let (addr, prefix) = split_prefix(text, 128)?;
    // `::a.b.c.d` and `::ffff:a.b.c.d` are IPv4 addresses written in IPv6 notation: KQL maps
    // them (and counts their prefix) as it does a bare IPv4 address.
    let mapped = addr
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("::ffff:"))
        .and_then(|_| addr.get(7..));
    let v4_text = mapped
        .or_else(|| addr.strip_prefix("::"))
        .filter(|rest| rest.contains('.'))
        .unwrap_or(addr);
    if let Ok(v4) = v4_text.parse::<Ipv4Addr>() {
        let prefix = match prefix {
            Some(p) if p > 32 => return None,
            Some(p) => p + 96,
            None => 128,
        };
        return Some(V6 {
            addr: u128::from(v4.to_ipv6_mapped()),
            prefix,
        });
    }
    let addr: Ipv6Addr = addr.parse().ok()?;
    Some(V6 {
        addr: u128::from(addr),
        prefix: prefix.unwrap_or(128),
    })
}

/// The full form KQL's `parse_ipv6` gives: eight groups of four hex digits.
pub(crate) fn format_v6(addr: u128) -> String {
    let groups: Vec<String> = (0..8)
        .rev()
        .map(|i| format!("{:04x}", (addr >> (i * 16)) & 0xffff))
        .collect();
    groups.join(":")
}

/// Dotted-quad text of an IPv4 address.
pub(crate) fn format_v4(addr: u32) -> String {
    Ipv4Addr::from(addr).to_string()
}

/// Every IPv4 address that stands on its own in `text`: four dot-separated decimal numbers of
/// 0–255, not preceded or followed by a letter, digit or dot (so `1.2.3.4.5`, `x1.2.3.4` and
/// `05:04:54127.0.0.1`'s run of digits do not count), though a full stop may follow. Yields each
/// address's text.
pub(crate) fn ipv4_terms(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'_';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() || (i > 0 && is_word(bytes[i - 1])) {
                i += 1;
                continue;
            }
            // The longest run of digits and dots from here.
            let start = i;
            let mut end = i;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            i = end;
            // A sentence's full stop after an address is not part of it.
            let candidate = text[start..end].trim_end_matches('.');
            let followed_by_word = end < bytes.len() && is_word(bytes[end]);
            if !followed_by_word && candidate.parse::<Ipv4Addr>().is_ok() {
                return Some(candidate);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_and_without_prefixes() {
        assert_eq!(
            parse_v4("192.168.1.1/24"),
            Some(V4 {
                addr: 0xc0a8_0101,
                prefix: 24
            })
        );
        assert_eq!(parse_v4("192.168.1.1").map(|v| v.prefix), Some(32));
        for bad in [
            "192.168.1.256",
            "192.168.1.1/33",
            "1.2.3",
            "1.2.3.4/",
            "",
            "a.b.c.d",
        ] {
            assert_eq!(parse_v4(bad), None, "{bad}");
        }
        let v6 = parse_v6("192.168.255.255/24").unwrap();
        assert_eq!(v6.prefix, 120);
        assert_eq!(
            format_v6(v6.addr),
            "0000:0000:0000:0000:0000:ffff:c0a8:ffff"
        );
        assert_eq!(
            parse_v6("fe80::85d:e82c:9446:7994/120").map(|v| v.prefix),
            Some(120)
        );
        assert_eq!(mask4(24), 0xffff_ff00);
        assert_eq!(mask4(0), 0);
        assert_eq!(mask6(128), u128::MAX);
    }

    #[test]
    fn addresses_in_text_are_whole_terms() {
        let found: Vec<&str> =
            ipv4_terms("05:04:54 127.0.0.1 GET 10.0.0.256 x1.2.3.4 8.8.8.8.").collect();
        assert_eq!(found, vec!["127.0.0.1", "8.8.8.8"]);
        assert_eq!(ipv4_terms("05:04:54127.0.0.1 GET").count(), 0);
        assert_eq!(ipv4_terms("(1.2.3.4)").collect::<Vec<_>>(), vec!["1.2.3.4"]);
    }
}
