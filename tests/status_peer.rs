//! Interoperability of `skillpass::status` with Digital Bazaar's
//! `@digitalbazaar/vc-bitstring-status-list` (the peer in `tests/peers`): lists encoded
//! by either side decode to the same bits on the other, and the peer's verifier honours the
//! status list credentials and entries we build.

mod common;

use std::path::Path;

use chrono::{TimeZone, Utc};
use common::peer;
use serde_json::{json, Value};
use skillpass::status::{
    check_entry, decode_list, encode_list, parse_entries, status_entry, status_list_credential,
    Bitstring, StatusError, StatusPurpose, MIN_LIST_LENGTH,
};

/// The W3C vc-di-eddsa test key seed; any fixed seed makes the peer's output reproducible.
const SEED: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const CREATED: &str = "2025-07-01T00:00:00Z";
const LIST_URL: &str = "https://college.example/status/1";

/// Decodes an `encodedList` (stdin) with the peer's library and prints its length and set bits.
const PEER_DECODE: &str = r#"
import('@digitalbazaar/vc-bitstring-status-list').then(async ({decodeList}) => {
  const encodedList = require('fs').readFileSync(0, 'utf8');
  const list = await decodeList({encodedList});
  const set = [];
  for (let i = 0; i < list.length; i++) if (list.getStatus(i)) set.push(i);
  console.log(JSON.stringify({length: list.length, set}));
}).catch(e => { console.error(e.message); process.exit(1); });
"#;

fn peer_decode(encoded: &str) -> Value {
    let out = peer::run("-e", &[PEER_DECODE], Some(encoded.as_bytes()));
    assert_eq!(out.code, 0, "peer decode failed: {}", out.stderr);
    out.json()
}

fn set_bits(list: &Bitstring) -> Vec<u64> {
    (0..list.len() as u64)
        .filter(|&i| list.get(i).unwrap())
        .collect()
}

#[test]
fn peer_encoded_list_decodes_to_the_same_bits() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/status/peer-js-bits-0-7-42-131071.txt");
    let encoded = std::fs::read_to_string(path).unwrap();
    let list = decode_list(encoded.trim()).unwrap();
    assert_eq!(list.len(), MIN_LIST_LENGTH);
    assert_eq!(set_bits(&list), [0, 7, 42, 131_071]);
    assert_eq!(list.as_bytes()[0], 0x81);
}

#[test]
fn our_encoded_lists_decode_identically_in_the_peer() {
    for (len, bits) in [
        (MIN_LIST_LENGTH, vec![0, 7, 42, 9_999, 131_071]),
        (MIN_LIST_LENGTH * 2, vec![1, 131_072, 262_143]),
        (MIN_LIST_LENGTH, vec![]),
    ] {
        let mut list = Bitstring::new(len).unwrap();
        for &i in &bits {
            list.set(i, true).unwrap();
        }
        let got = peer_decode(&encode_list(&list));
        assert_eq!(got, json!({ "length": len, "set": bits }));
    }
}

#[test]
fn peer_refuses_what_we_refuse_for_a_missing_prefix() {
    let encoded = encode_list(&Bitstring::new(MIN_LIST_LENGTH).unwrap());
    assert!(matches!(
        decode_list(&encoded[1..]),
        Err(StatusError::MissingMultibasePrefix)
    ));
    let out = peer::run("-e", &[PEER_DECODE], Some(&encoded.as_bytes()[1..]));
    assert_ne!(out.code, 0, "peer accepted an encodedList without 'u'");
    assert!(out.stderr.contains("\"u\""), "{}", out.stderr);
}

/// Signs `doc` with the peer (eddsa-rdfc-2022, fixed seed and date).
fn peer_sign(doc: &Value) -> Value {
    let out = peer::issue(doc, SEED, &["--created", CREATED]);
    assert_eq!(out.code, 0, "peer issue failed: {}", out.stderr);
    out.json()
}

/// A credential carrying our `credentialStatus` entry, signed by the peer; returns it and the
/// issuer's did:key.
fn signed_credential(index: u64, purpose: StatusPurpose) -> (Value, String) {
    let vc = peer_sign(&json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:9c1b5a0e-6f47-4d8e-9b0b-1f2e3d4c5b6a",
        "type": ["VerifiableCredential"],
        "validFrom": CREATED,
        "credentialSubject": { "id": "did:example:learner" },
        "credentialStatus": status_entry(LIST_URL, index, purpose),
    }));
    let issuer = vc["issuer"].as_str().expect("peer sets issuer").to_owned();
    (vc, issuer)
}

/// Our status list credential with `bits` set, signed by the peer with the issuer's key.
fn signed_list(issuer: &str, purpose: StatusPurpose, bits: &[u64]) -> Value {
    let mut list = Bitstring::new(MIN_LIST_LENGTH).unwrap();
    for &i in bits {
        list.set(i, true).unwrap();
    }
    let valid_from = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
    peer_sign(&status_list_credential(
        LIST_URL, issuer, purpose, &list, valid_from,
    ))
}

/// The peer's report on `vc` with `list` served under its id: `{verified, errors, status, …}`.
fn peer_verify(vc: &Value, list: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.json");
    std::fs::write(&file, list.to_string()).unwrap();
    let out = peer::verify(vc, &["--status-list", file.to_str().unwrap()]);
    assert!(out.code == 0 || out.code == 1, "peer error: {}", out.stderr);
    out.json()
}

#[test]
fn peer_verifier_reads_our_status_entries_and_lists() {
    for purpose in [StatusPurpose::Revocation, StatusPurpose::Suspension] {
        let (vc, issuer) = signed_credential(42, purpose);
        let entries = parse_entries(&vc).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].index, 42);

        // The bit is clear: the peer verifies and we read `false`.
        let clear = signed_list(&issuer, purpose, &[41, 43]);
        let report = peer_verify(&vc, &clear);
        assert_eq!(report["verified"], json!(true), "{purpose}: {report}");
        assert_eq!(report["status"][0]["bit"], json!(false), "{report}");
        assert!(!check_entry(&clear, &entries[0], &issuer).unwrap());

        // The bit is set: the peer refuses and we read `true`.
        let set = signed_list(&issuer, purpose, &[42]);
        let report = peer_verify(&vc, &set);
        assert_eq!(report["verified"], json!(false), "{purpose}: {report}");
        assert_eq!(
            report["status"][0],
            json!({
                "statusPurpose": purpose.as_str(),
                "statusListCredential": LIST_URL,
                "statusListIndex": "42",
                "bit": true,
            })
        );
        assert!(check_entry(&set, &entries[0], &issuer).unwrap());
    }
}

#[test]
fn peer_and_we_both_refuse_a_list_with_another_purpose() {
    let (vc, issuer) = signed_credential(42, StatusPurpose::Revocation);
    let entry = &parse_entries(&vc).unwrap()[0];
    let list = signed_list(&issuer, StatusPurpose::Suspension, &[]);
    let report = peer_verify(&vc, &list);
    assert_eq!(report["verified"], json!(false), "{report}");
    assert!(
        report["errors"].to_string().contains("status purpose"),
        "{report}"
    );
    assert!(matches!(
        check_entry(&list, entry, &issuer),
        Err(StatusError::PurposeMismatch { .. })
    ));
}
