//! W3C Bitstring Status List v1.0: revocation and suspension of issued credentials.
//!
//! Each credential gets an index into a large bitstring published in a
//! `BitstringStatusListCredential`; a set bit means revoked (or suspended). Lists have a minimum
//! size so that fetching one reveals little about which credential a verifier is checking
//! (group privacy, spec §"Privacy Considerations").
//!
//! Bit `i` is bit `7 - i % 8` of byte `i / 8`: index 0 is the most significant bit of byte 0.
//! The published form (`encodedList`) is multibase base64url (prefix `u`, no padding) of the
//! GZIP-compressed bytes.
//!
//! Signing and signature verification of list credentials are not done here: the caller signs
//! [`status_list_credential`]'s output like any other credential, and verifies a fetched list
//! before handing it to [`check_entry`].

use std::fmt;
use std::io::{Read, Write};
use std::str::FromStr;

use crate::data_model::has_type;
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};

/// Minimum number of entries (bits) in a list, from the spec: 16 KB of bits.
pub const MIN_LIST_LENGTH: usize = 131_072;

/// Largest list we build or accept, in bytes (16 MiB, i.e. 134,217,728 entries).
///
/// `encodedList` comes from the network and GZIP compresses zeros about 1000:1, so decoding is
/// capped to keep a few kilobytes of input from allocating gigabytes.
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

const MIN_LIST_BYTES: usize = MIN_LIST_LENGTH / 8;

/// The `@context` of status list credentials (VC Data Model 2.0 defines all the terms).
const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
const LIST_CREDENTIAL_TYPE: &str = "BitstringStatusListCredential";
const LIST_TYPE: &str = "BitstringStatusList";
const ENTRY_TYPE: &str = "BitstringStatusListEntry";

/// Decoding that also accepts `=` padding: multibase `u` forbids it, but some encoders emit it
/// and it carries no ambiguity, so refusing it would only hurt interoperability.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Errors from building, decoding and checking status lists. Messages are one line and say what
/// to fix.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error(
        "invalid status list length {len_bits} bits: it must be a multiple of 8, at least \
         {MIN_LIST_LENGTH} (16 KB) and at most {} bits",
        MAX_LIST_BYTES * 8
    )]
    InvalidLength { len_bits: usize },
    #[error("status list index {index} is out of range: the list has {len} entries (0..{len})")]
    IndexOutOfRange { index: u64, len: usize },
    #[error("encodedList must start with the multibase prefix 'u' (base64url without padding)")]
    MissingMultibasePrefix,
    #[error("encodedList is not valid base64url after the 'u' prefix: {0}")]
    InvalidBase64(#[from] base64::DecodeError),
    #[error("encodedList does not hold a valid GZIP stream: {0}")]
    InvalidGzip(std::io::Error),
    #[error(
        "decoded status list is {len_bytes} bytes; the spec requires at least {MIN_LIST_BYTES} \
         bytes ({MIN_LIST_LENGTH} entries)"
    )]
    ListTooShort { len_bytes: usize },
    #[error(
        "decoded status list exceeds {MAX_LIST_BYTES} bytes; refused as a possible decompression \
         bomb"
    )]
    ListTooLarge,
    #[error("unsupported statusPurpose {0:?}: expected \"revocation\" or \"suspension\"")]
    UnknownPurpose(String),
    #[error("credentialStatus entry {position}: {reason}")]
    InvalidEntry { position: usize, reason: String },
    #[error("not a valid BitstringStatusListCredential: {0}")]
    InvalidListCredential(String),
    #[error(
        "status list credential has id {found:?} but the entry points to {expected:?}; refusing \
         a list served under another URL"
    )]
    ListUrlMismatch { expected: String, found: String },
    #[error("status list credential is issued by {found:?}, expected {expected:?}")]
    IssuerMismatch { expected: String, found: String },
    #[error(
        "status list credential has statusPurpose {found}, but the entry's statusPurpose is \
         \"{expected}\""
    )]
    PurposeMismatch {
        expected: StatusPurpose,
        found: String,
    },
}

/// A status list: one bit per issued credential, packed most significant bit first.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl Bitstring {
    /// An all-zero list of `len_bits` entries (a multiple of 8, from [`MIN_LIST_LENGTH`] up to
    /// `MAX_LIST_BYTES * 8`, so whatever we publish also decodes here).
    pub fn new(len_bits: usize) -> Result<Self, StatusError> {
        if !len_bits.is_multiple_of(8)
            || !(MIN_LIST_LENGTH..=MAX_LIST_BYTES * 8).contains(&len_bits)
        {
            return Err(StatusError::InvalidLength { len_bits });
        }
        Ok(Bitstring {
            bytes: vec![0; len_bits / 8],
        })
    }

    /// Wraps raw list bytes (e.g. from storage), with the same size limits as [`Bitstring::new`].
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, StatusError> {
        if !(MIN_LIST_BYTES..=MAX_LIST_BYTES).contains(&bytes.len()) {
            return Err(StatusError::InvalidLength {
                len_bits: bytes.len().saturating_mul(8),
            });
        }
        Ok(Bitstring { bytes })
    }

    /// Number of entries (bits).
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Always false (a list has at least [`MIN_LIST_LENGTH`] entries); present for API hygiene.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The packed bytes, index 0 in the most significant bit of byte 0.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bit at `index`.
    pub fn get(&self, index: u64) -> Result<bool, StatusError> {
        let (byte, mask) = self.position(index)?;
        Ok(self.bytes[byte] & mask != 0)
    }

    /// Sets or clears the bit at `index`.
    pub fn set(&mut self, index: u64, value: bool) -> Result<(), StatusError> {
        let (byte, mask) = self.position(index)?;
        if value {
            self.bytes[byte] |= mask;
        } else {
            self.bytes[byte] &= !mask;
        }
        Ok(())
    }

    /// Number of set bits (e.g. revoked credentials), for metrics and tests.
    pub fn count_set(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    fn position(&self, index: u64) -> Result<(usize, u8), StatusError> {
        let out_of_range = || StatusError::IndexOutOfRange {
            index,
            len: self.len(),
        };
        let i = usize::try_from(index).map_err(|_| out_of_range())?;
        if i >= self.len() {
            return Err(out_of_range());
        }
        Ok((i / 8, 0x80 >> (i % 8)))
    }
}

impl fmt::Debug for Bitstring {
    // Printing 16 KB of bytes helps nobody; the size and the number of set bits do.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bitstring")
            .field("len", &self.len())
            .field("set", &self.count_set())
            .finish()
    }
}

/// The `encodedList` value: `"u"` + base64url (no padding) of the GZIP-compressed bytes.
pub fn encode_list(bits: &Bitstring) -> String {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&bits.bytes)
        .and_then(|()| gz.finish())
        .map(|compressed| format!("u{}", URL_SAFE_NO_PAD.encode(compressed)))
        // Writing to a Vec cannot fail.
        .expect("gzip into memory")
}

/// Parses an `encodedList`, refusing a missing `u` prefix, bad base64url, bad GZIP, a list
/// shorter than 16 KB and anything that inflates past [`MAX_LIST_BYTES`].
pub fn decode_list(encoded: &str) -> Result<Bitstring, StatusError> {
    let b64 = encoded
        .strip_prefix('u')
        .ok_or(StatusError::MissingMultibasePrefix)?;
    let compressed = URL_SAFE_LENIENT.decode(b64)?;
    // Inflate chunk by chunk and stop at the cap; `read_to_end` would double the buffer past it.
    let mut gz = MultiGzDecoder::new(compressed.as_slice());
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match gz.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(StatusError::InvalidGzip(e)),
        };
        if bytes.len() + n > MAX_LIST_BYTES {
            return Err(StatusError::ListTooLarge);
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    if bytes.len() < MIN_LIST_BYTES {
        return Err(StatusError::ListTooShort {
            len_bytes: bytes.len(),
        });
    }
    Ok(Bitstring { bytes })
}

/// What a set bit means. The spec also defines `refresh` and `message`; we issue and check only
/// these two, which are the ones that make a credential invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusPurpose {
    Revocation,
    Suspension,
}

impl StatusPurpose {
    /// The spec's `statusPurpose` string.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusPurpose::Revocation => "revocation",
            StatusPurpose::Suspension => "suspension",
        }
    }
}

impl fmt::Display for StatusPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StatusPurpose {
    type Err = StatusError;

    fn from_str(s: &str) -> Result<Self, StatusError> {
        match s {
            "revocation" => Ok(StatusPurpose::Revocation),
            "suspension" => Ok(StatusPurpose::Suspension),
            other => Err(StatusError::UnknownPurpose(other.to_owned())),
        }
    }
}

/// The unsigned `BitstringStatusListCredential` (VC Data Model 2.0) publishing `bits` at
/// `list_url`. Sign it before serving it.
pub fn status_list_credential(
    list_url: &str,
    issuer: &str,
    purpose: StatusPurpose,
    bits: &Bitstring,
    valid_from: DateTime<Utc>,
) -> Value {
    json!({
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": valid_from.to_rfc3339_opts(SecondsFormat::Secs, true),
        "credentialSubject": {
            "id": format!("{list_url}#list"),
            "type": LIST_TYPE,
            "statusPurpose": purpose.as_str(),
            "encodedList": encode_list(bits),
        },
    })
}

/// A `credentialStatus` entry pointing at bit `index` of the list at `list_url`.
/// `statusListIndex` is a string, as the spec requires.
pub fn status_entry(list_url: &str, index: u64, purpose: StatusPurpose) -> Value {
    json!({
        "id": format!("{list_url}#{index}"),
        "type": ENTRY_TYPE,
        "statusPurpose": purpose.as_str(),
        "statusListIndex": index.to_string(),
        "statusListCredential": list_url,
    })
}

/// A `BitstringStatusListEntry` read back from a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub list_url: String,
    pub index: u64,
    pub purpose: StatusPurpose,
}

/// Reads the `BitstringStatusListEntry` items of `credential.credentialStatus` (an object or an
/// array of objects). No `credentialStatus` gives an empty list.
///
/// Any other status type, or purpose other than revocation/suspension, is an error rather than
/// skipped: a verifier that silently ignores a status it cannot check would accept a revoked
/// credential.
pub fn parse_entries(credential: &Value) -> Result<Vec<StatusEntry>, StatusError> {
    let items: Vec<&Value> = match credential.get("credentialStatus") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(position, item)| {
            parse_entry(item).map_err(|reason| StatusError::InvalidEntry { position, reason })
        })
        .collect()
}

fn parse_entry(item: &Value) -> Result<StatusEntry, String> {
    let obj = item
        .as_object()
        .ok_or("credentialStatus must be an object or an array of objects")?;
    if !has_type(item, ENTRY_TYPE) {
        return Err(format!(
            "unsupported type {}; only \"{ENTRY_TYPE}\" can be checked",
            obj.get("type").unwrap_or(&Value::Null)
        ));
    }
    let purpose = match obj.get("statusPurpose") {
        Some(Value::String(s)) => s.parse::<StatusPurpose>().map_err(|e| e.to_string())?,
        _ => return Err("statusPurpose must be a string".into()),
    };
    let index = match obj.get("statusListIndex") {
        // The spec requires a string; a JSON number is refused so we never issue or accept the
        // form other implementations may reject.
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse::<u64>()
            .map_err(|_| format!("statusListIndex {s:?} is too large"))?,
        Some(other) => {
            return Err(format!(
                "statusListIndex must be a string of decimal digits, got {other}"
            ))
        }
        None => return Err("statusListIndex is missing".into()),
    };
    let list_url = match obj.get("statusListCredential") {
        Some(Value::String(s)) => {
            oxiri::Iri::parse(s.as_str())
                .map_err(|e| format!("statusListCredential {s:?} is not an absolute URL: {e}"))?;
            s.clone()
        }
        _ => return Err("statusListCredential must be a URL string".into()),
    };
    // statusSize > 1 means multi-bit statuses, which revocation/suspension never use.
    if let Some(size) = obj.get("statusSize") {
        if size.as_u64() != Some(1) {
            return Err(format!(
                "statusSize {size} is not supported for statusPurpose \"{purpose}\" (must be 1)"
            ));
        }
    }
    Ok(StatusEntry {
        list_url,
        index,
        purpose,
    })
}

/// Looks up `entry` in `list_credential`, whose signature the caller has already verified.
///
/// Checks that the list is a `BitstringStatusListCredential` whose `id` is `entry.list_url`,
/// issued by `expected_issuer` (normally the issuer of the credential being checked, so that
/// nobody else can revoke it), with the entry's purpose; then returns whether the bit is set
/// (`true` = revoked / suspended). Validity dates of the list are the caller's to check.
pub fn check_entry(
    list_credential: &Value,
    entry: &StatusEntry,
    expected_issuer: &str,
) -> Result<bool, StatusError> {
    let invalid = |msg: &str| StatusError::InvalidListCredential(msg.to_owned());
    if !has_type(list_credential, LIST_CREDENTIAL_TYPE) {
        return Err(invalid(
            "type must include \"BitstringStatusListCredential\"",
        ));
    }
    let id = list_credential
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("id must be a URL string"))?;
    if id != entry.list_url {
        return Err(StatusError::ListUrlMismatch {
            expected: entry.list_url.clone(),
            found: id.to_owned(),
        });
    }
    let issuer = match list_credential.get("issuer") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Object(o)) => o
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("issuer object has no string id"))?,
        _ => return Err(invalid("issuer is missing")),
    };
    if issuer != expected_issuer {
        return Err(StatusError::IssuerMismatch {
            expected: expected_issuer.to_owned(),
            found: issuer.to_owned(),
        });
    }
    let subject = list_credential
        .get("credentialSubject")
        .filter(|s| s.is_object())
        .ok_or_else(|| invalid("credentialSubject must be an object"))?;
    if !has_type(subject, LIST_TYPE) {
        return Err(invalid(
            "credentialSubject.type must be \"BitstringStatusList\"",
        ));
    }
    // The spec lets a list declare one purpose or several.
    let purpose = subject.get("statusPurpose").unwrap_or(&Value::Null);
    let matches = match purpose {
        Value::String(s) => s == entry.purpose.as_str(),
        Value::Array(all) => all
            .iter()
            .any(|p| p.as_str() == Some(entry.purpose.as_str())),
        _ => false,
    };
    if !matches {
        return Err(StatusError::PurposeMismatch {
            expected: entry.purpose,
            found: purpose.to_string(),
        });
    }
    let encoded = subject
        .get("encodedList")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("credentialSubject.encodedList must be a string"))?;
    decode_list(encoded)?.get(entry.index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const URL: &str = "https://college.example/status/1";
    const ISSUER: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    fn encode_raw(data: &[u8]) -> String {
        format!("u{}", URL_SAFE_NO_PAD.encode(gzip(data)))
    }

    fn list_with(bits: &[u64]) -> Bitstring {
        let mut list = Bitstring::new(MIN_LIST_LENGTH).unwrap();
        for &i in bits {
            list.set(i, true).unwrap();
        }
        list
    }

    fn list_credential(purpose: StatusPurpose, bits: &[u64]) -> Value {
        let valid_from = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
        status_list_credential(URL, ISSUER, purpose, &list_with(bits), valid_from)
    }

    fn entry(index: u64, purpose: StatusPurpose) -> StatusEntry {
        StatusEntry {
            list_url: URL.into(),
            index,
            purpose,
        }
    }

    #[test]
    fn bit_order_is_most_significant_first() {
        let mut list = Bitstring::new(MIN_LIST_LENGTH).unwrap();
        list.set(0, true).unwrap();
        assert_eq!(list.as_bytes()[0], 0x80);
        list.set(9, true).unwrap();
        assert_eq!(list.as_bytes()[1], 0x40);
        list.set(7, true).unwrap();
        assert_eq!(list.as_bytes()[0], 0x81);
        assert!(list.get(0).unwrap() && list.get(7).unwrap() && list.get(9).unwrap());
        assert!(!list.get(1).unwrap() && !list.get(8).unwrap());
        list.set(0, false).unwrap();
        assert_eq!(list.as_bytes()[0], 0x01);
        assert_eq!(list.count_set(), 2);
    }

    #[test]
    fn from_bytes_reads_the_same_order() {
        let mut bytes = vec![0; MIN_LIST_BYTES];
        bytes[2] = 0b0010_0000;
        let list = Bitstring::from_bytes(bytes).unwrap();
        assert!(list.get(18).unwrap());
        assert_eq!(list.count_set(), 1);
    }

    #[test]
    fn lengths_are_validated() {
        assert_eq!(
            Bitstring::new(MIN_LIST_LENGTH).unwrap().len(),
            MIN_LIST_LENGTH
        );
        assert_eq!(Bitstring::new(MIN_LIST_LENGTH * 2).unwrap().len(), 262_144);
        for bad in [
            0,
            8,
            MIN_LIST_LENGTH - 8,
            MIN_LIST_LENGTH + 1,
            MAX_LIST_BYTES * 8 + 8,
        ] {
            assert!(
                matches!(Bitstring::new(bad), Err(StatusError::InvalidLength { len_bits }) if len_bits == bad),
                "{bad}"
            );
        }
        assert!(matches!(
            Bitstring::from_bytes(vec![0; MIN_LIST_BYTES - 1]),
            Err(StatusError::InvalidLength { .. })
        ));
    }

    #[test]
    fn out_of_range_indexes_are_errors_not_panics() {
        let mut list = Bitstring::new(MIN_LIST_LENGTH).unwrap();
        assert!(list.get(MIN_LIST_LENGTH as u64 - 1).is_ok());
        for index in [MIN_LIST_LENGTH as u64, u64::MAX] {
            let err = list.get(index).unwrap_err();
            assert!(matches!(
                err,
                StatusError::IndexOutOfRange {
                    len: MIN_LIST_LENGTH,
                    ..
                }
            ));
            assert!(list.set(index, true).is_err());
        }
        assert_eq!(list.count_set(), 0);
    }

    #[test]
    fn round_trip_keeps_exactly_the_set_bits() {
        let set = [0, 7, 42, 65_535, 131_071];
        let list = list_with(&set);
        let encoded = encode_list(&list);
        assert!(encoded.starts_with('u'));
        assert!(
            !encoded.contains(['=', '+', '/']),
            "base64url without padding"
        );
        let decoded = decode_list(&encoded).unwrap();
        assert_eq!(decoded, list);
        assert_eq!(decoded.count_set(), set.len());
        for i in set {
            assert!(decoded.get(i).unwrap());
        }
    }

    #[test]
    fn empty_minimum_list_is_short() {
        let encoded = encode_list(&Bitstring::new(MIN_LIST_LENGTH).unwrap());
        assert!(encoded.len() < 200, "{} chars", encoded.len());
    }

    #[test]
    fn decodes_the_spec_example() {
        // encodedList of the BitstringStatusListCredential example in the W3C spec: no bit set.
        let list =
            decode_list("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA")
                .unwrap();
        assert_eq!(list.len(), MIN_LIST_LENGTH);
        assert_eq!(list.count_set(), 0);
    }

    #[test]
    fn padded_base64_is_tolerated() {
        let mut encoded = encode_list(&list_with(&[3]));
        while !(encoded.len() - 1).is_multiple_of(4) {
            encoded.push('=');
        }
        assert!(decode_list(&encoded).unwrap().get(3).unwrap());
    }

    #[test]
    fn refuses_missing_prefix() {
        let encoded = encode_list(&list_with(&[1]));
        assert!(matches!(
            decode_list(&encoded[1..]),
            Err(StatusError::MissingMultibasePrefix)
        ));
        // 'z' is multibase base58btc, which the spec does not allow here.
        assert!(matches!(
            decode_list(&format!("z{}", &encoded[1..])),
            Err(StatusError::MissingMultibasePrefix)
        ));
        assert!(matches!(
            decode_list(""),
            Err(StatusError::MissingMultibasePrefix)
        ));
    }

    #[test]
    fn refuses_invalid_base64url() {
        // '+' and '/' belong to standard base64, not base64url.
        for bad in ["uH4sI+AAAA", "uH4sI/AAAA", "u!!!!", "uA"] {
            assert!(
                matches!(decode_list(bad), Err(StatusError::InvalidBase64(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_non_gzip() {
        let raw = format!("u{}", URL_SAFE_NO_PAD.encode(vec![0u8; MIN_LIST_BYTES]));
        assert!(matches!(
            decode_list(&raw),
            Err(StatusError::InvalidGzip(_))
        ));
        // zlib (not gzip) framing of the same bytes
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), Compression::fast());
        z.write_all(&[0u8; MIN_LIST_BYTES]).unwrap();
        let zlib = format!("u{}", URL_SAFE_NO_PAD.encode(z.finish().unwrap()));
        assert!(matches!(
            decode_list(&zlib),
            Err(StatusError::InvalidGzip(_))
        ));
        // truncated gzip
        let gz = gzip(&[0u8; MIN_LIST_BYTES]);
        let cut = format!("u{}", URL_SAFE_NO_PAD.encode(&gz[..gz.len() - 6]));
        assert!(matches!(
            decode_list(&cut),
            Err(StatusError::InvalidGzip(_))
        ));
        // trailing garbage after the gzip member
        let mut tail = gz.clone();
        tail.extend_from_slice(b"garbage!!!");
        let tail = format!("u{}", URL_SAFE_NO_PAD.encode(tail));
        assert!(matches!(
            decode_list(&tail),
            Err(StatusError::InvalidGzip(_))
        ));
    }

    #[test]
    fn refuses_lists_under_16_kb() {
        for len in [0, 1, MIN_LIST_BYTES - 1] {
            let err = decode_list(&encode_raw(&vec![0u8; len])).unwrap_err();
            assert!(
                matches!(err, StatusError::ListTooShort { len_bytes } if len_bytes == len),
                "{len}: {err}"
            );
        }
        assert!(decode_list(&encode_raw(&vec![0u8; MIN_LIST_BYTES])).is_ok());
    }

    #[test]
    fn accepts_exactly_the_cap_and_refuses_one_byte_more() {
        let at_cap = decode_list(&encode_raw(&vec![0u8; MAX_LIST_BYTES])).unwrap();
        assert_eq!(at_cap.len(), MAX_LIST_BYTES * 8);
        assert!(matches!(
            decode_list(&encode_raw(&vec![0u8; MAX_LIST_BYTES + 1])),
            Err(StatusError::ListTooLarge)
        ));
    }

    #[test]
    fn purposes_parse_and_print() {
        for p in [StatusPurpose::Revocation, StatusPurpose::Suspension] {
            assert_eq!(p.to_string().parse::<StatusPurpose>().unwrap(), p);
        }
        assert_eq!(StatusPurpose::Revocation.to_string(), "revocation");
        for bad in ["Revocation", "message", "refresh", ""] {
            assert!(matches!(
                bad.parse::<StatusPurpose>(),
                Err(StatusError::UnknownPurpose(s)) if s == bad
            ));
        }
    }

    #[test]
    fn list_credential_has_the_spec_shape() {
        let vc = list_credential(StatusPurpose::Suspension, &[5]);
        let expected_list = encode_list(&list_with(&[5]));
        assert_eq!(
            vc,
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": URL,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": ISSUER,
                "validFrom": "2025-07-01T00:00:00Z",
                "credentialSubject": {
                    "id": format!("{URL}#list"),
                    "type": "BitstringStatusList",
                    "statusPurpose": "suspension",
                    "encodedList": expected_list,
                },
            })
        );
    }

    #[test]
    fn entry_has_the_spec_shape_and_parses_back() {
        let e = status_entry(URL, 94_567, StatusPurpose::Revocation);
        assert_eq!(
            e,
            json!({
                "id": format!("{URL}#94567"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "94567",
                "statusListCredential": URL,
            })
        );
        let one = json!({ "credentialStatus": e });
        assert_eq!(
            parse_entries(&one).unwrap(),
            vec![entry(94_567, StatusPurpose::Revocation)]
        );
        let two = json!({ "credentialStatus": [
            status_entry(URL, 1, StatusPurpose::Revocation),
            status_entry(URL, 2, StatusPurpose::Suspension),
        ]});
        assert_eq!(
            parse_entries(&two).unwrap(),
            vec![
                entry(1, StatusPurpose::Revocation),
                entry(2, StatusPurpose::Suspension)
            ]
        );
        assert!(parse_entries(&json!({ "id": "urn:x" })).unwrap().is_empty());
    }

    #[test]
    fn malformed_entries_are_refused_with_their_position() {
        let good = status_entry(URL, 1, StatusPurpose::Revocation);
        let with = |key: &str, value: Value| {
            let mut e = good.clone();
            e[key] = value;
            e
        };
        let without = |key: &str| {
            let mut e = good.clone();
            e.as_object_mut().unwrap().remove(key);
            e
        };
        let cases = [
            (json!("https://x.example/1"), "object"),
            (
                with("type", json!("StatusList2021Entry")),
                "unsupported type",
            ),
            (without("type"), "unsupported type"),
            (with("statusPurpose", json!("message")), "message"),
            (without("statusPurpose"), "statusPurpose"),
            (with("statusListIndex", json!(1)), "decimal digits"),
            (with("statusListIndex", json!("-1")), "decimal digits"),
            (with("statusListIndex", json!("1e3")), "decimal digits"),
            (with("statusListIndex", json!("")), "decimal digits"),
            (
                with("statusListIndex", json!("99999999999999999999999")),
                "too large",
            ),
            (without("statusListIndex"), "missing"),
            (
                with("statusListCredential", json!("status/1")),
                "absolute URL",
            ),
            (with("statusListCredential", json!(7)), "URL string"),
            (with("statusSize", json!(2)), "statusSize"),
        ];
        for (bad, needle) in cases {
            let vc = json!({ "credentialStatus": [good.clone(), bad.clone()] });
            let err = parse_entries(&vc).unwrap_err();
            let msg = err.to_string();
            assert!(
                matches!(err, StatusError::InvalidEntry { position: 1, .. }),
                "{bad}: {msg}"
            );
            assert!(msg.contains(needle), "{bad}: {msg}");
        }
        assert!(
            parse_entries(&json!({ "credentialStatus": with("statusSize", json!(1)) })).is_ok()
        );
    }

    #[test]
    fn check_entry_reads_the_bit() {
        let vc = list_credential(StatusPurpose::Revocation, &[42]);
        assert!(check_entry(&vc, &entry(42, StatusPurpose::Revocation), ISSUER).unwrap());
        assert!(!check_entry(&vc, &entry(43, StatusPurpose::Revocation), ISSUER).unwrap());
        let mut with_object_issuer = vc.clone();
        with_object_issuer["issuer"] = json!({ "id": ISSUER, "name": "College" });
        assert!(check_entry(
            &with_object_issuer,
            &entry(42, StatusPurpose::Revocation),
            ISSUER
        )
        .unwrap());
    }

    #[test]
    fn check_entry_refuses_another_issuer() {
        let vc = list_credential(StatusPurpose::Revocation, &[42]);
        let err = check_entry(
            &vc,
            &entry(42, StatusPurpose::Revocation),
            "did:web:evil.example",
        )
        .unwrap_err();
        assert!(
            matches!(&err, StatusError::IssuerMismatch { expected, found }
                if expected == "did:web:evil.example" && found == ISSUER),
            "{err}"
        );
    }

    #[test]
    fn check_entry_refuses_another_purpose() {
        let vc = list_credential(StatusPurpose::Suspension, &[42]);
        let err = check_entry(&vc, &entry(42, StatusPurpose::Revocation), ISSUER).unwrap_err();
        assert!(
            matches!(&err, StatusError::PurposeMismatch { expected: StatusPurpose::Revocation, found }
                if found == "\"suspension\""),
            "{err}"
        );
        // A list may declare several purposes.
        let mut multi = vc.clone();
        multi["credentialSubject"]["statusPurpose"] = json!(["revocation", "suspension"]);
        assert!(check_entry(&multi, &entry(42, StatusPurpose::Revocation), ISSUER).unwrap());
    }

    #[test]
    fn check_entry_refuses_an_index_out_of_range() {
        let vc = list_credential(StatusPurpose::Revocation, &[]);
        let err = check_entry(
            &vc,
            &entry(MIN_LIST_LENGTH as u64, StatusPurpose::Revocation),
            ISSUER,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            StatusError::IndexOutOfRange {
                index: 131_072,
                len: MIN_LIST_LENGTH
            }
        ));
    }

    #[test]
    fn check_entry_refuses_malformed_lists() {
        let good = list_credential(StatusPurpose::Revocation, &[1]);
        let e = entry(1, StatusPurpose::Revocation);

        let mut other_url = good.clone();
        other_url["id"] = json!("https://college.example/status/2");
        assert!(matches!(
            check_entry(&other_url, &e, ISSUER),
            Err(StatusError::ListUrlMismatch { .. })
        ));

        let mut not_a_list = good.clone();
        not_a_list["type"] = json!(["VerifiableCredential"]);
        let mut wrong_subject_type = good.clone();
        wrong_subject_type["credentialSubject"]["type"] = json!("StatusList2021");
        let mut no_issuer = good.clone();
        no_issuer.as_object_mut().unwrap().remove("issuer");
        let mut no_list = good.clone();
        no_list["credentialSubject"]
            .as_object_mut()
            .unwrap()
            .remove("encodedList");
        for bad in [not_a_list, wrong_subject_type, no_issuer, no_list] {
            assert!(
                matches!(
                    check_entry(&bad, &e, ISSUER),
                    Err(StatusError::InvalidListCredential(_))
                ),
                "{bad}"
            );
        }

        let mut bad_encoding = good.clone();
        bad_encoding["credentialSubject"]["encodedList"] = json!("H4sIAAAA");
        assert!(matches!(
            check_entry(&bad_encoding, &e, ISSUER),
            Err(StatusError::MissingMultibasePrefix)
        ));
    }

    #[test]
    fn messages_are_one_line() {
        let errors = [
            StatusError::InvalidLength { len_bits: 8 },
            StatusError::ListTooLarge,
            StatusError::ListTooShort { len_bytes: 3 },
            StatusError::UnknownPurpose("x".into()),
            StatusError::PurposeMismatch {
                expected: StatusPurpose::Revocation,
                found: "\"suspension\"".into(),
            },
        ];
        for e in errors {
            let msg = e.to_string();
            assert!(!msg.contains('\n') && !msg.contains("  "), "{msg}");
        }
    }
}
