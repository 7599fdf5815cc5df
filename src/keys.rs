//! Ed25519 keys, their Multikey encodings and key files.
//!
//! Encodings follow the W3C Controlled Identifiers "Multikey" format: a key is
//! `'z'` (multibase base58btc) followed by the base58 of a multicodec varint header and the raw
//! key bytes — `0xed 0x01` (`ed25519-pub`) for public keys, giving `"z6Mk…"`, and `0x80 0x26`
//! (`ed25519-priv`, the 32-byte seed) for secret keys.
//!
//! Secret material never leaves this module except through [`SecretKey::to_multibase`] (a
//! [`Zeroizing`] string) and key files; error messages never include key material or the text
//! a key was parsed from.

use std::borrow::Cow;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// Multicodec varint header of an Ed25519 public key (`ed25519-pub`, code 0xed).
const ED25519_PUB_HEADER: [u8; 2] = [0xed, 0x01];
/// Multicodec varint header of an Ed25519 secret seed (`ed25519-priv`, code 0x1300).
const ED25519_PRIV_HEADER: [u8; 2] = [0x80, 0x26];

/// Public key of `keys-example/issuer.example.json` (seed bytes `0x00..=0x1f`).
pub const EXAMPLE_ISSUER_PUBLIC: &str = "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";
/// Public key of `keys-example/learner.example.json` (seed bytes `0x20..=0x3f`).
pub const EXAMPLE_LEARNER_PUBLIC: &str = "z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2";
/// Top-level `"warning"` value carried by the example key files.
pub const EXAMPLE_KEY_WARNING: &str = "EXAMPLE KEY — PUBLIC — NEVER DEPLOY";

/// Key files are tiny; anything bigger is not a key file and is not read into memory.
const MAX_KEY_FILE_LEN: u64 = 64 * 1024;

/// Errors from parsing keys and reading or writing key files.
///
/// Messages are one line, say what to do, name the file when there is one and never contain
/// key material (not even the rejected input).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The text does not start with the base58btc multibase prefix `z`.
    #[error("key is not multibase base58btc: it must start with 'z'")]
    NotBase58btc,
    /// The text after `z` is not valid base58 (the message gives the position, not the text).
    #[error("invalid base58btc key encoding: {0}")]
    InvalidBase58(String),
    /// A well-formed multikey of another type (e.g. P-256, or a secret where a public key was expected).
    #[error("unsupported key type {found}: expected {expected}")]
    UnsupportedKeyType {
        /// The multicodec name found, e.g. `p256-pub`, or `multicodec 0x…` when unknown.
        found: String,
        /// What was expected, e.g. `ed25519-pub (z6Mk…)`.
        expected: &'static str,
    },
    /// Right type, wrong number of bytes.
    #[error("{what} must be {expected} bytes, found {found}")]
    InvalidLength {
        /// What was measured.
        what: &'static str,
        /// Required length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
    /// A secret key encoding that is internally inconsistent.
    #[error("invalid Ed25519 secret key: {0}")]
    InvalidSecretKey(&'static str),
    /// 32 bytes that are not a usable Ed25519 public key.
    #[error("invalid Ed25519 public key: {0}")]
    InvalidPublicKey(&'static str),
    /// Reading, creating or writing a key file failed.
    #[error("cannot {action} key file {path}: {source}")]
    Io {
        /// `read`, `create` or `write`.
        action: &'static str,
        /// The key file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// Key files are never overwritten: replacing a signing key by accident cannot be undone.
    #[error("refusing to overwrite existing file {path}: choose another path or remove the old file first")]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },
    /// A secret key file that group or other users may access.
    #[error("key file {path} is accessible by group/other users (mode {mode:03o}); run `chmod 600 {quoted}` and retry", quoted = shell_quote(path))]
    InsecurePermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file is not a Multikey key file (bad JSON, wrong shape, inconsistent `id`/`controller`).
    #[error("invalid key file {path}: {reason}")]
    InvalidKeyFile {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// One of the key fields of a key file did not parse.
    #[error("invalid key file {path}: {field}: {source}")]
    InvalidKeyField {
        /// The key file.
        path: PathBuf,
        /// `publicKeyMultibase` or `secretKeyMultibase`.
        field: &'static str,
        /// Why it did not parse.
        source: Box<KeyError>,
    },
    /// A public-only key file was given where a signing key is needed.
    #[error("key file {path} has no secretKeyMultibase, so it cannot sign; create a signing key with `skillpass keygen --out FILE`")]
    MissingSecret {
        /// The key file.
        path: PathBuf,
    },
    /// `publicKeyMultibase` is not the public half of `secretKeyMultibase`.
    #[error("key file {path}: publicKeyMultibase does not match secretKeyMultibase; the file is corrupt or was edited")]
    KeyMismatch {
        /// The key file.
        path: PathBuf,
    },
}

/// An Ed25519 secret key.
///
/// Deliberately has no `Debug`, `Display`, `Clone` or `Serialize`, so it cannot end up in logs
/// or copies by accident; it is zeroized on drop.
///
/// ```compile_fail
/// let key = skillpass::keys::SecretKey::from_seed(&[7u8; 32]);
/// let _ = format!("{:?}", key); // SecretKey has no Debug
/// ```
///
/// ```compile_fail
/// let key = skillpass::keys::SecretKey::from_seed(&[7u8; 32]);
/// let _ = format!("{}", key); // no Display
/// ```
///
/// ```compile_fail
/// let key = skillpass::keys::SecretKey::from_seed(&[7u8; 32]);
/// let _ = serde_json::to_string(&key); // no Serialize
/// ```
///
/// ```compile_fail
/// let key = skillpass::keys::SecretKey::from_seed(&[7u8; 32]);
/// let _copy = key.clone(); // no Clone
/// ```
pub struct SecretKey(SigningKey);

impl SecretKey {
    /// A fresh key from a cryptographic RNG (use `rand_core::OsRng` in production).
    pub fn generate<R: rand_core::CryptoRngCore + ?Sized>(rng: &mut R) -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut seed[..]);
        Self::from_seed(&seed)
    }

    /// The key whose RFC 8032 secret seed is `seed`.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SecretKey(SigningKey::from_bytes(seed))
    }

    /// Parses a Multikey `secretKeyMultibase`: `z` + base58btc(`0x80 0x26` ‖ 32-byte seed).
    ///
    /// Also accepts the 64-byte `seed ‖ public key` payload that Digital Bazaar's
    /// `@digitalbazaar/ed25519-multikey` exports, provided its public half matches the seed.
    pub fn from_multibase(s: &str) -> Result<Self, KeyError> {
        // Decode into a fixed, zeroized buffer: no heap copy of the seed is ever made.
        let mut buf = Zeroizing::new([0u8; 96]);
        let len = decode_multibase(s, &mut buf[..])?;
        let bytes = &buf[..len];
        if !bytes.starts_with(&ED25519_PRIV_HEADER) {
            return Err(KeyError::UnsupportedKeyType {
                found: multicodec_name(bytes),
                expected: "ed25519-priv (a Multikey Ed25519 secret key)",
            });
        }
        let payload = &bytes[2..];
        let seed: &[u8; 32] = match payload.len() {
            32 | 64 => payload[..32].try_into().expect("length checked"),
            found => {
                return Err(KeyError::InvalidLength {
                    what: "Ed25519 secret key",
                    expected: 32,
                    found,
                })
            }
        };
        let key = Self::from_seed(seed);
        if payload.len() == 64 && payload[32..] != key.0.verifying_key().as_bytes()[..] {
            return Err(KeyError::InvalidSecretKey(
                "the 64-byte form's second half is not the public key of its seed",
            ));
        }
        Ok(key)
    }

    /// The Multikey `secretKeyMultibase` form; zeroized when dropped.
    pub fn to_multibase(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new([0u8; 34]);
        raw[..2].copy_from_slice(&ED25519_PRIV_HEADER);
        raw[2..].copy_from_slice(self.0.as_bytes());
        encode_multibase(&raw[..])
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// A deterministic Ed25519 (RFC 8032) signature over `msg`.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.0.sign(msg).to_bytes()
    }
}

/// An Ed25519 public key (never a weak, small-order key).
///
/// `Debug` prints the multibase form, which is public.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(VerifyingKey);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PublicKey")
            .field(&self.to_multibase())
            .finish()
    }
}

impl PublicKey {
    /// The key with compressed Edwards encoding `bytes`; rejects non-points and small-order
    /// points (signatures under those prove nothing).
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        let key = VerifyingKey::from_bytes(bytes)
            .map_err(|_| KeyError::InvalidPublicKey("not a point on the Ed25519 curve"))?;
        if key.is_weak() {
            return Err(KeyError::InvalidPublicKey("weak (small-order) key"));
        }
        Ok(PublicKey(key))
    }

    /// Parses a Multikey `publicKeyMultibase`: `z` + base58btc(`0xed 0x01` ‖ 32 bytes), i.e.
    /// `"z6Mk…"`. Other key types are reported by their multicodec name.
    pub fn from_multibase(s: &str) -> Result<Self, KeyError> {
        // 64 bytes is plenty for a 34-byte key and also lets us name longer foreign keys (P-256
        // is 35 bytes); longer input fails as too long.
        let mut buf = [0u8; 64];
        let len = decode_multibase(s, &mut buf)?;
        let bytes = &buf[..len];
        if !bytes.starts_with(&ED25519_PUB_HEADER) {
            return Err(KeyError::UnsupportedKeyType {
                found: multicodec_name(bytes),
                expected: "ed25519-pub (z6Mk…)",
            });
        }
        let raw: &[u8; 32] = bytes[2..].try_into().map_err(|_| KeyError::InvalidLength {
            what: "Ed25519 public key",
            expected: 32,
            found: len - 2,
        })?;
        Self::from_bytes(raw)
    }

    /// The Multikey `publicKeyMultibase` form, `"z6Mk…"`.
    pub fn to_multibase(&self) -> String {
        let mut raw = [0u8; 34];
        raw[..2].copy_from_slice(&ED25519_PUB_HEADER);
        raw[2..].copy_from_slice(self.0.as_bytes());
        let s = encode_multibase(&raw);
        String::clone(&s)
    }

    /// The 32 raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// The key's `did:key` identifier, `"did:key:z6Mk…"`.
    pub fn did_key(&self) -> String {
        format!("did:key:{}", self.to_multibase())
    }

    /// The `did:key` verification-method URL, `"did:key:z6Mk…#z6Mk…"`.
    pub fn verification_method_id(&self) -> String {
        let mb = self.to_multibase();
        format!("did:key:{mb}#{mb}")
    }

    /// Strict RFC 8032 verification (canonical `S`, no small-order `R`); any signature that is
    /// not exactly 64 bytes is simply invalid.
    pub fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        match ed25519_dalek::Signature::from_slice(signature) {
            Ok(sig) => self.0.verify_strict(msg, &sig).is_ok(),
            Err(_) => false,
        }
    }
}

/// Whether `key` is one of the two published example keys in `keys-example/`; the CLI uses it
/// to warn, and verifiers may flag credentials signed with them.
pub fn is_example_key(key: &PublicKey) -> bool {
    let mb = key.to_multibase();
    mb == EXAMPLE_ISSUER_PUBLIC || mb == EXAMPLE_LEARNER_PUBLIC
}

/// Decodes `z` + base58 into `out`, returning the length; errors never echo the input.
fn decode_multibase(s: &str, out: &mut [u8]) -> Result<usize, KeyError> {
    let body = s.strip_prefix('z').ok_or(KeyError::NotBase58btc)?;
    if body.is_empty() {
        return Err(KeyError::InvalidBase58(
            "nothing after the 'z' prefix".into(),
        ));
    }
    bs58::decode(body).onto(out).map_err(|e| {
        KeyError::InvalidBase58(match e {
            bs58::decode::Error::BufferTooSmall => "too long to be a key".into(),
            // +1: positions count the 'z' prefix, as the user sees the string.
            bs58::decode::Error::InvalidCharacter { index, .. }
            | bs58::decode::Error::NonAsciiCharacter { index } => {
                format!("character {} is not in the base58 alphabet", index + 2)
            }
            _ => "malformed base58".into(),
        })
    })
}

/// `z` + base58 of `raw`, built in place so secret encodings leave no unzeroized heap copies.
fn encode_multibase(raw: &[u8]) -> Zeroizing<String> {
    let mut buf = Zeroizing::new([0u8; 96]);
    let len = bs58::encode(raw)
        .onto(&mut buf[..])
        .expect("96 bytes hold the base58 of any key");
    let mut s = Zeroizing::new(String::with_capacity(len + 1));
    s.push('z');
    s.push_str(std::str::from_utf8(&buf[..len]).expect("base58 is ASCII"));
    s
}

/// Names the multicodec at the start of `bytes`, for "unsupported key type" messages.
fn multicodec_name(bytes: &[u8]) -> String {
    // Unsigned varint, at most 9 bytes (multiformats/unsigned-varint).
    let mut code: u64 = 0;
    let mut complete = false;
    for (i, b) in bytes.iter().take(9).enumerate() {
        code |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            complete = true;
            break;
        }
    }
    if !complete {
        return "with a malformed multicodec header".into();
    }
    let name = match code {
        0xe7 => "secp256k1-pub",
        0xea => "bls12_381-g1-pub",
        0xeb => "bls12_381-g2-pub",
        0xec => "x25519-pub",
        0xed => "ed25519-pub",
        0xee => "bls12_381-g1g2-pub",
        0xeb51 => "jwk_jcs-pub",
        0x1200 => "p256-pub (P-256)",
        0x1201 => "p384-pub (P-384)",
        0x1202 => "p521-pub (P-521)",
        0x1203 => "ed448-pub",
        0x1204 => "x448-pub",
        0x1205 => "rsa-pub",
        0x1300 => "ed25519-priv (a secret key)",
        0x1301 => "secp256k1-priv (a secret key)",
        0x1302 => "x25519-priv (a secret key)",
        0x1305 => "rsa-priv (a secret key)",
        0x1306 => "p256-priv (a secret key)",
        0x1307 => "p384-priv (a secret key)",
        0x1308 => "p521-priv (a secret key)",
        _ => return format!("multicodec 0x{code:x}"),
    };
    name.into()
}

/// Quotes a path for the `chmod` hint when it contains shell metacharacters.
fn shell_quote(path: &Path) -> String {
    let s = path.display().to_string();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

// ---------------------------------------------------------------------------------------------
// Key files
// ---------------------------------------------------------------------------------------------

/// What a key file holds. Fields are borrowed from the (zeroized) file buffer when possible, so
/// the secret is normally never copied; unknown fields such as `"warning"` are ignored except
/// that the example-key marker is read.
#[derive(Deserialize)]
struct KeyFileIn<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    controller: Option<Cow<'a, str>>,
    #[serde(rename = "publicKeyMultibase", borrow)]
    public: Option<Cow<'a, str>>,
    #[serde(rename = "secretKeyMultibase", borrow)]
    secret: Option<Cow<'a, str>>,
    #[serde(borrow)]
    warning: Option<Cow<'a, str>>,
}

impl Drop for KeyFileIn<'_> {
    fn drop(&mut self) {
        // Only an escaped string is owned; borrowed ones live in the zeroized file buffer.
        if let Some(Cow::Owned(s)) = &mut self.secret {
            s.zeroize();
        }
    }
}

#[derive(Serialize)]
struct KeyFileOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
    controller: &'a str,
    #[serde(rename = "publicKeyMultibase")]
    public: &'a str,
    #[serde(rename = "secretKeyMultibase", skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
}

/// Writes a new secret key file: a JSON Multikey
/// `{"type":"Multikey","id":…,"controller":…,"publicKeyMultibase":…,"secretKeyMultibase":…}`.
///
/// The file is created with `create_new` and (on unix) mode 0600 in the same call, so it is
/// never readable by others, not even briefly, and an existing file (which may be the only copy
/// of another key) is never replaced. The data is fsynced before returning.
pub fn write_secret_key_file(path: &Path, key: &SecretKey) -> Result<(), KeyError> {
    let public = key.public_key();
    let secret = key.to_multibase();
    write_key_file(path, &public, Some(&secret), 0o600)
}

/// Writes a new public-only key file (same format without `secretKeyMultibase`, mode 0644),
/// e.g. to hand an issuer's key to a verifier. Never overwrites.
pub fn write_public_key_file(path: &Path, key: &PublicKey) -> Result<(), KeyError> {
    write_key_file(path, key, None, 0o644)
}

fn write_key_file(
    path: &Path,
    public: &PublicKey,
    secret: Option<&str>,
    mode: u32,
) -> Result<(), KeyError> {
    let public_mb = public.to_multibase();
    let did = public.did_key();
    let id = public.verification_method_id();
    let file = KeyFileOut {
        kind: "Multikey",
        id: &id,
        controller: &did,
        public: &public_mb,
        secret,
    };
    // Pre-sized so serialization never reallocates (which would leave copies of the secret).
    let mut json = Zeroizing::new(Vec::with_capacity(1024));
    serde_json::to_writer_pretty(&mut *json, &file).expect("serializing strings cannot fail");
    json.push(b'\n');

    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            KeyError::AlreadyExists {
                path: path.to_owned(),
            }
        } else {
            KeyError::Io {
                action: "create",
                path: path.to_owned(),
                source: e,
            }
        }
    })?;
    if let Err(e) = f.write_all(&json).and_then(|()| f.sync_all()) {
        drop(f);
        // We created it a moment ago: remove the partial file rather than leave a broken key.
        let _ = std::fs::remove_file(path);
        return Err(KeyError::Io {
            action: "write",
            path: path.to_owned(),
            source: e,
        });
    }
    sync_parent_dir(path);
    Ok(())
}

/// Makes the new directory entry durable; best effort (not every platform or filesystem allows
/// opening a directory).
fn sync_parent_dir(path: &Path) {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Ok(dir) = File::open(parent) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Reads a secret key file written by [`write_secret_key_file`].
///
/// Refuses, on unix, a file that group or other users can access (the fix, `chmod 600 FILE`, is
/// in the message) — with one exception: the two published example keys in `keys-example/`
/// (a file carrying `"warning": EXAMPLE_KEY_WARNING` *and* whose key is
/// [`EXAMPLE_ISSUER_PUBLIC`] or [`EXAMPLE_LEARNER_PUBLIC`]), because git checks files out 0644
/// and those keys are public anyway. Requiring both conditions means the marker cannot be used
/// to wave through a real key.
///
/// Also refuses a `publicKeyMultibase` that is not the secret's public half, and `id` or
/// `controller` values that do not belong to the key. Unknown fields are ignored.
pub fn read_secret_key_file(path: &Path) -> Result<SecretKey, KeyError> {
    let (contents, insecure_mode) = read_key_file_bytes(path)?;
    let parsed = parse_secret_key_file(path, &contents);
    if let Some(mode) = insecure_mode {
        let exempt = matches!(&parsed, Ok((_, public, true)) if is_example_key(public));
        if !exempt {
            return Err(KeyError::InsecurePermissions {
                path: path.to_owned(),
                mode,
            });
        }
    }
    parsed.map(|(secret, _, _)| secret)
}

/// Reads the public key from a key file (public-only or with a secret; when a secret is
/// present it must match). No permission check: public keys are not confidential.
pub fn read_public_key_file(path: &Path) -> Result<PublicKey, KeyError> {
    let (contents, _) = read_key_file_bytes(path)?;
    let file = parse_key_file_json(path, &contents)?;
    let public = checked_public(path, &file)?;
    if let Some(secret) = &file.secret {
        let secret = SecretKey::from_multibase(secret)
            .map_err(|e| field_error(path, "secretKeyMultibase", e))?;
        if secret.public_key() != public {
            return Err(KeyError::KeyMismatch {
                path: path.to_owned(),
            });
        }
    }
    Ok(public)
}

/// The secret, its public key, and whether the file carries the example-key marker.
fn parse_secret_key_file(
    path: &Path,
    contents: &[u8],
) -> Result<(SecretKey, PublicKey, bool), KeyError> {
    let file = parse_key_file_json(path, contents)?;
    let public = checked_public(path, &file)?;
    let secret_mb = file
        .secret
        .as_deref()
        .ok_or_else(|| KeyError::MissingSecret {
            path: path.to_owned(),
        })?;
    let secret = SecretKey::from_multibase(secret_mb)
        .map_err(|e| field_error(path, "secretKeyMultibase", e))?;
    if secret.public_key() != public {
        return Err(KeyError::KeyMismatch {
            path: path.to_owned(),
        });
    }
    let marked = file.warning.as_deref() == Some(EXAMPLE_KEY_WARNING);
    Ok((secret, public, marked))
}

/// Reads the whole file into a zeroized buffer; also returns the permission bits when group or
/// other users have any access (unix only). The mode is taken from the open handle, so it is
/// the mode of the file actually read.
fn read_key_file_bytes(path: &Path) -> Result<(Zeroizing<Vec<u8>>, Option<u32>), KeyError> {
    let io_err = |source| KeyError::Io {
        action: "read",
        path: path.to_owned(),
        source,
    };
    let f = File::open(path).map_err(io_err)?;
    let meta = f.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(KeyError::InvalidKeyFile {
            path: path.to_owned(),
            reason: "not a regular file".into(),
        });
    }
    if meta.len() > MAX_KEY_FILE_LEN {
        return Err(KeyError::InvalidKeyFile {
            path: path.to_owned(),
            reason: format!(
                "larger than {} KiB, so not a key file",
                MAX_KEY_FILE_LEN / 1024
            ),
        });
    }
    #[cfg(unix)]
    let insecure = {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        (mode & 0o077 != 0).then_some(mode)
    };
    #[cfg(not(unix))]
    let insecure = None;

    // Capacity for the whole file up front so reading never reallocates (no stray copies).
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN as usize + 1));
    f.take(MAX_KEY_FILE_LEN + 1)
        .read_to_end(&mut buf)
        .map_err(io_err)?;
    if buf.len() as u64 > MAX_KEY_FILE_LEN {
        return Err(KeyError::InvalidKeyFile {
            path: path.to_owned(),
            reason: format!(
                "larger than {} KiB, so not a key file",
                MAX_KEY_FILE_LEN / 1024
            ),
        });
    }
    Ok((buf, insecure))
}

fn parse_key_file_json<'a>(path: &Path, contents: &'a [u8]) -> Result<KeyFileIn<'a>, KeyError> {
    serde_json::from_slice(contents).map_err(|e| {
        // serde's "invalid type" messages quote the offending value, which could be a secret
        // (e.g. a file holding only a JSON string); report only the position for those.
        let reason = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("not valid JSON: {e}")
            }
            _ => format!(
                "expected a JSON object of string fields (type, id, controller, publicKeyMultibase, \
                 secretKeyMultibase); unexpected value at line {} column {}",
                e.line(),
                e.column()
            ),
        };
        KeyError::InvalidKeyFile {
            path: path.to_owned(),
            reason,
        }
    })
}

/// Checks `type`, parses `publicKeyMultibase` and checks `id`/`controller` when present.
fn checked_public(path: &Path, file: &KeyFileIn<'_>) -> Result<PublicKey, KeyError> {
    let invalid = |reason: &str| KeyError::InvalidKeyFile {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    match file.kind.as_deref() {
        Some("Multikey") => {}
        Some(_) => return Err(invalid("\"type\" must be \"Multikey\"")),
        None => return Err(invalid("missing \"type\": \"Multikey\"")),
    }
    let public_mb = file
        .public
        .as_deref()
        .ok_or_else(|| invalid("missing publicKeyMultibase"))?;
    let public = PublicKey::from_multibase(public_mb)
        .map_err(|e| field_error(path, "publicKeyMultibase", e))?;
    if file
        .controller
        .as_deref()
        .is_some_and(|c| c != public.did_key())
    {
        return Err(invalid(
            "\"controller\" is not the did:key of publicKeyMultibase",
        ));
    }
    if file
        .id
        .as_deref()
        .is_some_and(|id| id != public.verification_method_id())
    {
        return Err(invalid(
            "\"id\" is not the did:key verification method of publicKeyMultibase",
        ));
    }
    Ok(public)
}

fn field_error(path: &Path, field: &'static str, source: KeyError) -> KeyError {
    KeyError::InvalidKeyField {
        path: path.to_owned(),
        field,
        source: Box::new(source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// W3C vc-di-eddsa test vector key pair (TestVectors/keyPair.json).
    const W3C_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const W3C_SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
    const W3C_SEED: &str = "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6";
    const P256_KEY: &str = "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    fn seq_seed(start: u8) -> [u8; 32] {
        std::array::from_fn(|i| start + i as u8)
    }

    #[test]
    fn w3c_vector_round_trips() {
        let secret = SecretKey::from_multibase(W3C_SECRET).unwrap();
        assert_eq!(secret.to_multibase().as_str(), W3C_SECRET);
        assert_eq!(secret.public_key().to_multibase(), W3C_PUBLIC);
        let seeded = SecretKey::from_seed(&hex32(W3C_SEED));
        assert_eq!(seeded.to_multibase().as_str(), W3C_SECRET);

        let public = PublicKey::from_multibase(W3C_PUBLIC).unwrap();
        assert_eq!(public, secret.public_key());
        assert_eq!(public.to_multibase(), W3C_PUBLIC);
        assert_eq!(public.did_key(), format!("did:key:{W3C_PUBLIC}"));
        assert_eq!(
            public.verification_method_id(),
            format!("did:key:{W3C_PUBLIC}#{W3C_PUBLIC}")
        );
        assert_eq!(PublicKey::from_bytes(public.as_bytes()).unwrap(), public);
        assert_eq!(format!("{public:?}"), format!("PublicKey({W3C_PUBLIC:?})"));
    }

    #[test]
    fn example_constants_match_their_seeds() {
        assert_eq!(
            SecretKey::from_seed(&seq_seed(0x00))
                .public_key()
                .to_multibase(),
            EXAMPLE_ISSUER_PUBLIC
        );
        assert_eq!(
            SecretKey::from_seed(&seq_seed(0x20))
                .public_key()
                .to_multibase(),
            EXAMPLE_LEARNER_PUBLIC
        );
        assert!(is_example_key(
            &PublicKey::from_multibase(EXAMPLE_ISSUER_PUBLIC).unwrap()
        ));
        assert!(!is_example_key(
            &PublicKey::from_multibase(W3C_PUBLIC).unwrap()
        ));
    }

    #[test]
    fn accepts_digital_bazaar_64_byte_secret() {
        // @digitalbazaar/ed25519-multikey export of the issuer example seed (seed ‖ public).
        const DB_SECRET: &str = "zruzduHAdRqBudqdsJLcYGEMGL4CFFXkvHUZ4dCMzwkJ7vbFTf3YJa1K9ciXKf5az8osaZgA7GPMrQCvfFFdaBfmNJj";
        let key = SecretKey::from_multibase(DB_SECRET).unwrap();
        assert_eq!(key.public_key().to_multibase(), EXAMPLE_ISSUER_PUBLIC);
        // We always write the 32-byte form.
        let ours = key.to_multibase();
        assert_eq!(
            ours.as_str(),
            SecretKey::from_seed(&seq_seed(0)).to_multibase().as_str()
        );

        // 64-byte form whose public half is some other key.
        let mut raw = ED25519_PRIV_HEADER.to_vec();
        raw.extend(seq_seed(0));
        raw.extend(PublicKey::from_multibase(W3C_PUBLIC).unwrap().as_bytes());
        let forged = format!("z{}", bs58::encode(raw).into_string());
        let err = SecretKey::from_multibase(&forged).err().unwrap();
        assert!(matches!(err, KeyError::InvalidSecretKey(_)), "{err}");
    }

    #[test]
    fn generate_gives_distinct_working_keys() {
        let a = SecretKey::generate(&mut rand_core::OsRng);
        let b = SecretKey::generate(&mut rand_core::OsRng);
        assert_ne!(a.public_key(), b.public_key());
        let again = SecretKey::from_multibase(&a.to_multibase()).unwrap();
        assert_eq!(again.public_key(), a.public_key());
    }

    #[test]
    fn sign_verify_round_trip_and_tampering() {
        let key = SecretKey::from_multibase(W3C_SECRET).unwrap();
        let public = key.public_key();
        let msg = b"Certificate III in Carpentry";
        let sig = key.sign(msg);
        assert_eq!(sig, key.sign(msg), "Ed25519 signatures are deterministic");
        assert!(public.verify(msg, &sig));

        assert!(!public.verify(b"Certificate III in Plumbing", &sig));
        let mut bad = sig;
        bad[10] ^= 0x01;
        assert!(!public.verify(msg, &bad));
        assert!(!public.verify(msg, &sig[..63]));
        let mut long = sig.to_vec();
        long.push(0);
        assert!(!public.verify(msg, &long));
        assert!(!public.verify(msg, &[]));

        let other = SecretKey::from_seed(&seq_seed(0)).public_key();
        assert!(!other.verify(msg, &sig));
    }

    #[test]
    fn verify_rejects_non_canonical_s() {
        // S + L (group order) verifies under lax rules; strict verification must refuse it.
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let key = SecretKey::from_seed(&seq_seed(0));
        let mut sig = key.sign(b"m");
        let mut carry = 0u16;
        for i in 0..32 {
            let v = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
            sig[32 + i] = v as u8;
            carry = v >> 8;
        }
        assert!(!key.public_key().verify(b"m", &sig));
    }

    #[test]
    fn public_multibase_errors() {
        assert!(matches!(
            PublicKey::from_multibase(P256_KEY),
            Err(KeyError::UnsupportedKeyType { found, .. }) if found.starts_with("p256-pub")
        ));
        // A secret key where a public key belongs.
        let err = PublicKey::from_multibase(W3C_SECRET).unwrap_err();
        assert!(
            matches!(&err, KeyError::UnsupportedKeyType { found, .. } if found.starts_with("ed25519-priv"))
        );
        assert!(!err.to_string().contains(W3C_SECRET));

        assert!(matches!(
            PublicKey::from_multibase(&W3C_PUBLIC[1..]),
            Err(KeyError::NotBase58btc)
        ));
        assert!(matches!(
            PublicKey::from_multibase(""),
            Err(KeyError::NotBase58btc)
        ));
        assert!(matches!(
            PublicKey::from_multibase("z"),
            Err(KeyError::InvalidBase58(_))
        ));
        let with_zero = W3C_PUBLIC.replacen('J', "0", 1);
        let err = PublicKey::from_multibase(&with_zero).unwrap_err();
        assert!(
            matches!(&err, KeyError::InvalidBase58(m) if m.contains("character 6")),
            "{err}"
        );
        assert!(matches!(
            PublicKey::from_multibase(&"z6Mk".repeat(40)),
            Err(KeyError::InvalidBase58(m)) if m.contains("too long")
        ));

        // Right header, wrong length.
        let mut short = ED25519_PUB_HEADER.to_vec();
        short.extend([1u8; 31]);
        let short = format!("z{}", bs58::encode(short).into_string());
        assert!(matches!(
            PublicKey::from_multibase(&short),
            Err(KeyError::InvalidLength {
                expected: 32,
                found: 31,
                ..
            })
        ));
        // Unknown multicodec is named by number.
        let odd = format!("z{}", bs58::encode([0x99, 0x01, 1, 2, 3]).into_string());
        assert!(matches!(
            PublicKey::from_multibase(&odd),
            Err(KeyError::UnsupportedKeyType { found, .. }) if found == "multicodec 0x99"
        ));
    }

    #[test]
    fn public_key_bytes_are_validated() {
        // y = 2 has no x on the curve.
        let mut not_a_point = [0u8; 32];
        not_a_point[0] = 2;
        assert!(matches!(
            PublicKey::from_bytes(&not_a_point),
            Err(KeyError::InvalidPublicKey(_))
        ));
        // The identity point (y = 1) is small-order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(matches!(
            PublicKey::from_bytes(&identity),
            Err(KeyError::InvalidPublicKey(m)) if m.contains("weak")
        ));
    }

    #[test]
    fn secret_multibase_errors_never_echo_input() {
        // A public key where a secret belongs.
        assert!(matches!(
            SecretKey::from_multibase(W3C_PUBLIC),
            Err(KeyError::UnsupportedKeyType { found, .. }) if found == "ed25519-pub"
        ));
        let typo = W3C_SECRET.replacen('L', "l", 1);
        let err = SecretKey::from_multibase(&typo).err().unwrap();
        assert!(matches!(err, KeyError::InvalidBase58(_)));
        let msg = err.to_string();
        assert!(!msg.contains(&typo[1..]), "{msg}");
        let mut long = ED25519_PRIV_HEADER.to_vec();
        long.extend([7u8; 33]);
        let long = format!("z{}", bs58::encode(long).into_string());
        assert!(matches!(
            SecretKey::from_multibase(&long),
            Err(KeyError::InvalidLength {
                expected: 32,
                found: 33,
                ..
            })
        ));
        assert!(matches!(
            SecretKey::from_multibase("x"),
            Err(KeyError::NotBase58btc)
        ));
    }

    /// The secret is zeroized when a `SecretKey` is dropped: its only field is ed25519-dalek's
    /// `SigningKey`, which is `ZeroizeOnDrop` with the `zeroize` feature this crate turns on.
    /// A compile-time check: the test does not build if that ever stops holding.
    #[test]
    fn secret_key_zeroizes_on_drop() {
        fn zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroize_on_drop::<SigningKey>();
        zeroize_on_drop::<Zeroizing<String>>();
        zeroize_on_drop::<Zeroizing<[u8; 32]>>();
    }

    #[test]
    fn chmod_hint_quotes_odd_paths() {
        assert_eq!(shell_quote(Path::new("/tmp/a_b-1.json")), "/tmp/a_b-1.json");
        assert_eq!(shell_quote(Path::new("my key.json")), "'my key.json'");
        assert_eq!(shell_quote(Path::new("it's.json")), r"'it'\''s.json'");
    }
}
