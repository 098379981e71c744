//! The two HMAC-SHA256 signing schemes: DingTalk's documented URL signature
//! and Dealdesk's own webhook signature.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// DingTalk's robot signature: standard base64 of HMAC-SHA256 keyed with the
/// robot secret over `"{timestamp_ms}\n{secret}"`, as DingTalk documents it.
///
/// Returned unencoded so tests can compare it with an independent vector; the
/// channel URL-encodes it into the `sign` query parameter.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let digest = hmac_sha256(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    );
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// The `X-Dealdesk-Signature` value: `sha256=` and the lowercase hex
/// HMAC-SHA256 keyed with the webhook secret over `"{timestamp}.{body}"`.
///
/// Covering the timestamp lets receivers reject a replayed request whose
/// `X-Dealdesk-Timestamp` is old, since it cannot be changed without breaking
/// the signature.
pub fn webhook_signature(secret: &str, timestamp: i64, body: &str) -> String {
    let digest = hmac_sha256(secret.as_bytes(), format!("{timestamp}.{body}").as_bytes());
    format!("sha256={}", to_hex(&digest))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail; an empty digest
    // would only make the receiver refuse the request.
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed once outside Rust:
    /// `python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"SEC000", b"1700000000000\nSEC000", hashlib.sha256).digest()).decode())'`
    const DINGTALK_VECTOR: &str = "ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA=";

    /// Computed once outside Rust:
    /// `python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000.{\"id\":\"x\"}", hashlib.sha256).hexdigest())'`
    const WEBHOOK_VECTOR: &str = "80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3";

    #[test]
    fn dingtalk_signature_matches_an_independent_vector() {
        assert_eq!(dingtalk_sign("SEC000", 1_700_000_000_000), DINGTALK_VECTOR);
    }

    #[test]
    fn dingtalk_signature_matches_a_hand_built_hmac() {
        let mut mac = HmacSha256::new_from_slice(b"SEC000").expect("hmac takes any key");
        mac.update(b"1700000000000\nSEC000");
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(dingtalk_sign("SEC000", 1_700_000_000_000), expected);
        assert_ne!(
            dingtalk_sign("SEC000", 1_700_000_000_001),
            expected,
            "the timestamp is signed"
        );
        assert_ne!(
            dingtalk_sign("SEC001", 1_700_000_000_000),
            expected,
            "the secret is the key"
        );
    }

    #[test]
    fn webhook_signature_matches_an_independent_vector() {
        let body = r#"{"id":"x"}"#;
        assert_eq!(
            webhook_signature("whsec_test", 1_700_000_000, body),
            format!("sha256={WEBHOOK_VECTOR}")
        );

        let mut mac = HmacSha256::new_from_slice(b"whsec_test").expect("hmac takes any key");
        mac.update(b"1700000000.");
        mac.update(body.as_bytes());
        let by_hand: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            webhook_signature("whsec_test", 1_700_000_000, body),
            format!("sha256={by_hand}")
        );
        assert_ne!(
            webhook_signature("whsec_test", 1_700_000_001, body),
            format!("sha256={by_hand}")
        );
    }
}
