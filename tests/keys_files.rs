//! Key files: creation mode, refusal to overwrite, permission checks, consistency checks,
//! error messages, the W3C test-vector key pair and the committed example keys.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use skillpass::keys::{
    self, KeyError, PublicKey, SecretKey, EXAMPLE_ISSUER_PUBLIC, EXAMPLE_KEY_WARNING,
    EXAMPLE_LEARNER_PUBLIC,
};

const P256_PUBLIC: &str = "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seq_seed(start: u8) -> [u8; 32] {
    std::array::from_fn(|i| start + i as u8)
}

/// A key nobody else uses, so a leak of its multibase in a message is easy to spot.
fn test_key() -> SecretKey {
    SecretKey::from_seed(&[0x5a; 32])
}

/// Asserts that neither the secret multibase nor its base58 body shows up in the error.
fn assert_no_secret(err: &KeyError, key: &SecretKey) {
    let secret = key.to_multibase();
    let shown = format!("{err} / {err:?}");
    assert!(
        !shown.contains(&secret[1..]),
        "error reveals the secret key: {shown}"
    );
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Writes a key file with `fields`, mode 0600 (so permission checks do not get in the way).
fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    #[cfg(unix)]
    chmod(&path, 0o600);
    path
}

/// The JSON a correct secret key file for `key` holds.
fn key_file_json(key: &SecretKey) -> Map<String, Value> {
    let public = key.public_key();
    let mut m = Map::new();
    m.insert("type".into(), json!("Multikey"));
    m.insert("id".into(), json!(public.verification_method_id()));
    m.insert("controller".into(), json!(public.did_key()));
    m.insert("publicKeyMultibase".into(), json!(public.to_multibase()));
    m.insert(
        "secretKeyMultibase".into(),
        json!(key.to_multibase().as_str()),
    );
    m
}

fn field_error_source<'a>(err: &'a KeyError, expected_field: &str) -> &'a KeyError {
    match err {
        KeyError::InvalidKeyField { field, source, .. } if *field == expected_field => source,
        other => panic!("expected InvalidKeyField({expected_field}), got {other:?}"),
    }
}

#[test]
fn w3c_key_pair_vector() {
    let text = fs::read_to_string(manifest_dir().join("tests/vectors/keyPair.json")).unwrap();
    let pair: Value = serde_json::from_str(&text).unwrap();
    let secret_mb = pair["privateKeyMultibase"].as_str().unwrap();
    let public_mb = pair["publicKeyMultibase"].as_str().unwrap();

    let secret = SecretKey::from_multibase(secret_mb).unwrap();
    let public = PublicKey::from_multibase(public_mb).unwrap();
    assert_eq!(secret.to_multibase().as_str(), secret_mb);
    assert_eq!(public.to_multibase(), public_mb);
    assert_eq!(secret.public_key(), public);
    assert_eq!(
        public.did_key(),
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    );
    // The seed the vectors' README gives is the secret's payload.
    let seed: [u8; 32] = (0..32)
        .map(|i| {
            u8::from_str_radix(
                &"c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"
                    [2 * i..2 * i + 2],
                16,
            )
            .unwrap()
        })
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    assert_eq!(
        SecretKey::from_seed(&seed).to_multibase().as_str(),
        secret_mb
    );
}

#[test]
fn secret_key_file_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("issuer.json");
    let key = SecretKey::generate(&mut rand_core::OsRng);
    keys::write_secret_key_file(&path, &key).unwrap();

    #[cfg(unix)]
    assert_eq!(
        mode_of(&path),
        0o600,
        "secret key files must be created 0600"
    );

    let on_disk: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk, Value::Object(key_file_json(&key)));

    let back = keys::read_secret_key_file(&path).unwrap();
    assert_eq!(back.public_key(), key.public_key());
    assert_eq!(back.to_multibase().as_str(), key.to_multibase().as_str());
    let sig = back.sign(b"msg");
    assert!(key.public_key().verify(b"msg", &sig));
    assert_eq!(keys::read_public_key_file(&path).unwrap(), key.public_key());
}

#[test]
fn refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.json");
    fs::write(&path, "precious").unwrap();
    let err = keys::write_secret_key_file(&path, &test_key()).unwrap_err();
    assert!(
        matches!(&err, KeyError::AlreadyExists { path: p } if p == &path),
        "{err:?}"
    );
    assert!(err.to_string().contains(&*path.to_string_lossy()), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "precious");

    let err = keys::write_public_key_file(&path, &test_key().public_key()).unwrap_err();
    assert!(matches!(err, KeyError::AlreadyExists { .. }));
    assert_eq!(fs::read_to_string(&path).unwrap(), "precious");

    // A second write of a fresh key to the same new path also fails.
    let fresh = dir.path().join("fresh.json");
    keys::write_secret_key_file(&fresh, &test_key()).unwrap();
    assert!(matches!(
        keys::write_secret_key_file(&fresh, &SecretKey::from_seed(&[1; 32])),
        Err(KeyError::AlreadyExists { .. })
    ));
    assert_eq!(
        keys::read_secret_key_file(&fresh).unwrap().public_key(),
        test_key().public_key()
    );
}

#[test]
fn write_into_missing_directory_is_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/key.json");
    let err = keys::write_secret_key_file(&path, &test_key()).unwrap_err();
    assert!(
        matches!(
            &err,
            KeyError::Io {
                action: "create",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("key.json"), "{err}");
}

#[cfg(unix)]
#[test]
fn group_or_world_accessible_secret_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let path = dir.path().join("key.json");
    keys::write_secret_key_file(&path, &key).unwrap();
    for mode in [0o644, 0o640, 0o604, 0o660, 0o620] {
        chmod(&path, mode);
        let err = keys::read_secret_key_file(&path).err().unwrap();
        assert!(
            matches!(&err, KeyError::InsecurePermissions { mode: m, .. } if *m == mode),
            "{mode:o}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains("chmod 600"), "{msg}");
        assert!(msg.contains(&*path.to_string_lossy()), "{msg}");
        assert_no_secret(&err, &key);
        // Public keys are not confidential: the public half is still readable.
        assert_eq!(keys::read_public_key_file(&path).unwrap(), key.public_key());
    }
    chmod(&path, 0o400);
    assert!(keys::read_secret_key_file(&path).is_ok(), "0400 is fine");
    chmod(&path, 0o600);
    assert!(keys::read_secret_key_file(&path).is_ok());
}

#[cfg(unix)]
#[test]
fn chmod_hint_is_shell_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my key.json");
    keys::write_secret_key_file(&path, &test_key()).unwrap();
    chmod(&path, 0o644);
    let msg = keys::read_secret_key_file(&path).err().unwrap().to_string();
    assert!(
        msg.contains(&format!("chmod 600 '{}'", path.display())),
        "{msg}"
    );
}

#[test]
fn mismatched_public_half_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let mut m = key_file_json(&key);
    let other = SecretKey::from_seed(&[9; 32]).public_key();
    m.insert("publicKeyMultibase".into(), json!(other.to_multibase()));
    m.insert("id".into(), json!(other.verification_method_id()));
    m.insert("controller".into(), json!(other.did_key()));
    let path = write_json(dir.path(), "mismatch.json", &Value::Object(m));

    let err = keys::read_secret_key_file(&path).err().unwrap();
    assert!(matches!(err, KeyError::KeyMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("mismatch.json"));
    assert_no_secret(&err, &key);
    // Reading only the public half of an inconsistent file is refused too.
    let err = keys::read_public_key_file(&path).unwrap_err();
    assert!(matches!(err, KeyError::KeyMismatch { .. }), "{err:?}");
}

#[test]
fn id_controller_and_type_must_belong_to_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let other = SecretKey::from_seed(&[9; 32]).public_key();
    let cases: [(&str, Value); 4] = [
        ("id", json!(other.verification_method_id())),
        ("controller", json!(other.did_key())),
        ("type", json!("Ed25519VerificationKey2020")),
        ("type", Value::Null),
    ];
    for (field, value) in cases {
        let mut m = key_file_json(&key);
        if value.is_null() {
            m.remove(field);
        } else {
            m.insert(field.into(), value);
        }
        let path = write_json(dir.path(), "k.json", &Value::Object(m));
        let err = keys::read_secret_key_file(&path).err().unwrap();
        assert!(
            matches!(&err, KeyError::InvalidKeyFile { reason, .. } if reason.contains(field)),
            "{field}: {err:?}"
        );
        assert_no_secret(&err, &key);
        fs::remove_file(&path).unwrap();
    }
    // id and controller are optional; type and publicKeyMultibase are not.
    let mut m = key_file_json(&key);
    m.remove("id");
    m.remove("controller");
    let path = write_json(dir.path(), "minimal.json", &Value::Object(m.clone()));
    assert!(keys::read_secret_key_file(&path).is_ok());
    m.remove("publicKeyMultibase");
    let path = write_json(dir.path(), "nopublic.json", &Value::Object(m));
    assert!(matches!(
        keys::read_secret_key_file(&path),
        Err(KeyError::InvalidKeyFile { reason, .. }) if reason.contains("publicKeyMultibase")
    ));
}

#[test]
fn malformed_json_is_invalid_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let secret = key.to_multibase();
    let bodies = [
        "".to_string(),
        "{".to_string(),
        format!("{{\"secretKeyMultibase\": \"{}\"", &*secret),
        // Just the secret, as a JSON string: serde would quote it in "invalid type" errors.
        format!("\"{}\"", &*secret),
        format!("[\"{}\"]", &*secret),
        format!(
            "{{\"type\":\"Multikey\",\"secretKeyMultibase\": [\"{}\"]}}",
            &*secret
        ),
        "{\"type\": 1}".to_string(),
        secret.to_string(),
    ];
    for body in bodies {
        let path = dir.path().join("bad.json");
        fs::write(&path, &body).unwrap();
        #[cfg(unix)]
        chmod(&path, 0o600);
        for err in [
            keys::read_secret_key_file(&path).err().unwrap(),
            keys::read_public_key_file(&path).unwrap_err(),
        ] {
            assert!(
                matches!(&err, KeyError::InvalidKeyFile { path: p, .. } if p == &path),
                "{body:?}: {err:?}"
            );
            assert!(err.to_string().contains("bad.json"));
            assert_no_secret(&err, &key);
        }
        fs::remove_file(&path).unwrap();
    }
}

#[test]
fn wrong_multicodec_is_unsupported_key_type() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();

    // A public key pasted where the secret belongs.
    let mut m = key_file_json(&key);
    m.insert(
        "secretKeyMultibase".into(),
        json!(key.public_key().to_multibase()),
    );
    let path = write_json(dir.path(), "k1.json", &Value::Object(m));
    let err = keys::read_secret_key_file(&path).err().unwrap();
    let source = field_error_source(&err, "secretKeyMultibase");
    assert!(
        matches!(source, KeyError::UnsupportedKeyType { found, .. } if found == "ed25519-pub"),
        "{err}"
    );

    // A P-256 public key.
    let mut m = key_file_json(&key);
    m.insert("publicKeyMultibase".into(), json!(P256_PUBLIC));
    m.remove("id");
    m.remove("controller");
    let path = write_json(dir.path(), "k2.json", &Value::Object(m));
    for err in [
        keys::read_secret_key_file(&path).err().unwrap(),
        keys::read_public_key_file(&path).unwrap_err(),
    ] {
        let source = field_error_source(&err, "publicKeyMultibase");
        assert!(
            matches!(source, KeyError::UnsupportedKeyType { found, .. } if found.contains("p256")),
            "{err}"
        );
        assert!(err.to_string().contains("k2.json"), "{err}");
        assert_no_secret(&err, &key);
    }
}

#[test]
fn bad_base58_is_reported_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let secret = key.to_multibase();
    // '0', 'O', 'I' and 'l' are not in the base58 alphabet.
    let broken = format!("{}0{}", &secret[..10], &secret[11..]);
    let mut m = key_file_json(&key);
    m.insert("secretKeyMultibase".into(), json!(broken));
    let path = write_json(dir.path(), "k.json", &Value::Object(m));
    let err = keys::read_secret_key_file(&path).err().unwrap();
    let source = field_error_source(&err, "secretKeyMultibase");
    assert!(matches!(source, KeyError::InvalidBase58(_)), "{err}");
    assert!(err.to_string().contains("character 11"), "{err}");
    assert!(!err.to_string().contains(&broken[1..]), "{err}");
    assert_no_secret(&err, &key);

    // Not base58btc multibase at all (base64url 'u' prefix).
    let mut m = key_file_json(&key);
    m.insert(
        "secretKeyMultibase".into(),
        json!(format!("u{}", &secret[1..])),
    );
    let path = write_json(dir.path(), "k2.json", &Value::Object(m));
    let err = keys::read_secret_key_file(&path).err().unwrap();
    assert!(matches!(
        field_error_source(&err, "secretKeyMultibase"),
        KeyError::NotBase58btc
    ));
    assert_no_secret(&err, &key);
}

#[test]
fn escaped_json_strings_are_decoded() {
    // "\u007a" is 'z': valid JSON for the same key, exercising the owned (unescaped) path.
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let secret = key.to_multibase();
    let public = key.public_key().to_multibase();
    let body = format!(
        "{{\"type\":\"Multikey\",\"publicKeyMultibase\":\"{public}\",\
         \"secretKeyMultibase\":\"\\u007a{}\"}}",
        &secret[1..]
    );
    let path = dir.path().join("k.json");
    fs::write(&path, body).unwrap();
    #[cfg(unix)]
    chmod(&path, 0o600);
    assert_eq!(
        keys::read_secret_key_file(&path).unwrap().public_key(),
        key.public_key()
    );
}

#[test]
fn public_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    let path = dir.path().join("issuer.pub.json");
    keys::write_public_key_file(&path, &key.public_key()).unwrap();
    let on_disk: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let mut expected = key_file_json(&key);
    expected.remove("secretKeyMultibase");
    assert_eq!(on_disk, Value::Object(expected));
    assert_eq!(keys::read_public_key_file(&path).unwrap(), key.public_key());

    // Mode bits of a public file do not matter, and it cannot be used to sign.
    #[cfg(unix)]
    chmod(&path, 0o644);
    assert_eq!(keys::read_public_key_file(&path).unwrap(), key.public_key());
    #[cfg(unix)]
    chmod(&path, 0o600);
    let err = keys::read_secret_key_file(&path).err().unwrap();
    assert!(matches!(err, KeyError::MissingSecret { .. }), "{err:?}");
    assert!(err.to_string().contains("skillpass keygen --out"), "{err}");
}

#[test]
fn missing_file_and_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.json");
    let err = keys::read_secret_key_file(&path).err().unwrap();
    assert!(
        matches!(&err, KeyError::Io { action: "read", .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("absent.json"), "{err}");
    assert!(matches!(
        keys::read_public_key_file(&path),
        Err(KeyError::Io { .. })
    ));
    assert!(matches!(
        keys::read_public_key_file(dir.path()),
        Err(KeyError::InvalidKeyFile { .. }) | Err(KeyError::Io { .. })
    ));
}

#[test]
fn oversized_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    fs::write(&path, " ".repeat(70 * 1024)).unwrap();
    #[cfg(unix)]
    chmod(&path, 0o600);
    assert!(matches!(
        keys::read_secret_key_file(&path),
        Err(KeyError::InvalidKeyFile { reason, .. }) if reason.contains("KiB")
    ));
}

// ---------------------------------------------------------------------------------------------
// Example keys
// ---------------------------------------------------------------------------------------------

/// The exact text of an example key file: a normal key file with the warning field first.
fn example_file_text(seed_start: u8) -> String {
    let key = SecretKey::from_seed(&seq_seed(seed_start));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.json");
    keys::write_secret_key_file(&path, &key).unwrap();
    let written: Map<String, Value> = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let mut out = Map::new();
    out.insert("warning".into(), json!(EXAMPLE_KEY_WARNING));
    out.extend(written);
    serde_json::to_string_pretty(&Value::Object(out)).unwrap() + "\n"
}

const EXAMPLES: [(&str, u8, &str); 2] = [
    ("issuer.example.json", 0x00, EXAMPLE_ISSUER_PUBLIC),
    ("learner.example.json", 0x20, EXAMPLE_LEARNER_PUBLIC),
];

/// The committed example files are exactly what the documented seeds give.
/// Regenerate with `SKILLPASS_WRITE_EXAMPLE_KEYS=1 cargo test --test keys_files example`.
#[test]
fn example_key_files_match_their_seeds() {
    for (name, seed_start, public) in EXAMPLES {
        let path = manifest_dir().join("keys-example").join(name);
        let expected = example_file_text(seed_start);
        if std::env::var_os("SKILLPASS_WRITE_EXAMPLE_KEYS").is_some() {
            fs::write(&path, &expected).unwrap();
        }
        let actual =
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(actual, expected, "{name} differs from its seed");
        assert!(actual.contains(public));
    }
}

#[cfg(unix)]
#[test]
fn example_keys_are_readable_when_checked_out_0644() {
    let dir = tempfile::tempdir().unwrap();
    for (name, seed_start, public) in EXAMPLES {
        let path = dir.path().join(name);
        fs::copy(manifest_dir().join("keys-example").join(name), &path).unwrap();
        chmod(&path, 0o644);
        let key = keys::read_secret_key_file(&path).unwrap();
        assert_eq!(key.public_key().to_multibase(), public);
        assert_eq!(
            key.to_multibase().as_str(),
            SecretKey::from_seed(&seq_seed(seed_start))
                .to_multibase()
                .as_str()
        );
        assert!(keys::is_example_key(&key.public_key()));
        assert_eq!(keys::read_public_key_file(&path).unwrap(), key.public_key());
    }
}

#[cfg(unix)]
#[test]
fn example_exemption_needs_marker_and_example_key() {
    let dir = tempfile::tempdir().unwrap();

    // The example marker on a real key does not excuse loose permissions.
    let real = test_key();
    let mut m = key_file_json(&real);
    m.insert("warning".into(), json!(EXAMPLE_KEY_WARNING));
    let path = write_json(dir.path(), "marked.json", &Value::Object(m));
    assert!(keys::read_secret_key_file(&path).is_ok(), "fine at 0600");
    chmod(&path, 0o644);
    let err = keys::read_secret_key_file(&path).err().unwrap();
    assert!(
        matches!(err, KeyError::InsecurePermissions { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("chmod 600"));

    // An example key without the marker (e.g. copied into a real config) is refused at 0644.
    let example = SecretKey::from_seed(&seq_seed(0));
    let path = write_json(
        dir.path(),
        "unmarked.json",
        &Value::Object(key_file_json(&example)),
    );
    chmod(&path, 0o644);
    assert!(matches!(
        keys::read_secret_key_file(&path),
        Err(KeyError::InsecurePermissions { .. })
    ));

    // A different marker text is not the marker.
    let mut m = key_file_json(&example);
    m.insert("warning".into(), json!("example key"));
    let path = write_json(dir.path(), "othermarker.json", &Value::Object(m));
    chmod(&path, 0o644);
    assert!(matches!(
        keys::read_secret_key_file(&path),
        Err(KeyError::InsecurePermissions { .. })
    ));

    // Claiming the example public key over a different secret is refused too.
    let mut m = key_file_json(&real);
    m.insert("warning".into(), json!(EXAMPLE_KEY_WARNING));
    m.insert("publicKeyMultibase".into(), json!(EXAMPLE_ISSUER_PUBLIC));
    m.remove("id");
    m.remove("controller");
    let path = write_json(dir.path(), "forged.json", &Value::Object(m));
    chmod(&path, 0o644);
    let err = keys::read_secret_key_file(&path).err().unwrap();
    assert!(
        matches!(err, KeyError::InsecurePermissions { .. }),
        "{err:?}"
    );
    assert_no_secret(&err, &real);
    chmod(&path, 0o600);
    assert!(matches!(
        keys::read_secret_key_file(&path),
        Err(KeyError::KeyMismatch { .. })
    ));
}
