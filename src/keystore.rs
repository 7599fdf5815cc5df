//! Signing keys at rest: envelope encryption of the institutions' and the trust registry's
//! secret keys in the store (docs/KEYS.md).
//!
//! A key-encryption key (KEK, 32 bytes) comes from a file or is derived from a passphrase with
//! Argon2id (the salt lies in the store's custody record). Every stored secret key gets a data
//! key of its own (random, 32 bytes) that the KEK wraps; the secret key is sealed with the data
//! key. Both seals are XChaCha20-Poly1305 with the institution id and the verification method
//! as associated data, so a sealed key moved to another institution or method does not open.
//! Changing the KEK ([`rekey`]) re-wraps the data keys and leaves the sealed keys as they are.
//!
//! The store keeps what this module hands it as opaque text: `sealed:v1:` and base64url of
//! `wrap nonce (24) | wrapped data key (48) | seal nonce (24) | sealed multibase secret`.
//! Stores written before encryption hold plaintext multibase (`z…`); [`Keystore::open`]
//! seals those in place, in one atomic write, when a KEK is first given.
//!
//! Key access goes through [`KeyCustody`], so a custody that keeps keys elsewhere can be added.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::keys::SecretKey;
use crate::signing::pkcs11::{self, KeyReference, Pkcs11Error};
use crate::signing::Signer;
use crate::store::{Institution, KeySlot, Store, StoreError};

/// Prefix of a sealed key as the store holds it.
pub const SEALED_PREFIX: &str = "sealed:v1:";
const NONCE: usize = 24;
const TAG: usize = 16;
const KEY: usize = 32;
/// Associated-data domain of the KEK check in the custody record.
const CHECK_AD: &[u8] = b"skillpass kek check v1";
/// Argon2id cost (OWASP's minimum recommendation, m = 19 MiB, t = 2, p = 1).
const ARGON_M_KIB: u32 = 19 * 1024;
const ARGON_T: u32 = 2;
const ARGON_P: u32 = 1;

/// Errors of key custody. Messages never contain key material.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the data folder holds encrypted signing keys but no master key was given: set SKILLPASS_MASTER_KEY_FILE (or master_key_file in the configuration file) to the master key file, or SKILLPASS_MASTER_PASSPHRASE to the passphrase the keys were encrypted with")]
    NoMasterKey,
    #[error("the master key does not open this data folder's signing keys (wrong master key file or passphrase)")]
    WrongMasterKey,
    #[error("the data folder's keys were encrypted with a {expected}, but a {given} was given")]
    WrongKind {
        expected: &'static str,
        given: &'static str,
    },
    #[error("master key file {path}: {message}")]
    MasterKeyFile { path: PathBuf, message: String },
    #[error("stored key for {0} is damaged or was moved from another institution or method")]
    Damaged(String),
    #[error("stored key for {0} is not a valid secret key")]
    BadKey(String),
    #[error("cannot derive the master key from the passphrase: {0}")]
    Kdf(String),
    /// A key kept in a PKCS#11 token could not be used (docs/KEYS.md, "Keys in an HSM").
    #[error("{method}: {source}")]
    Hsm { method: String, source: Pkcs11Error },
    #[error("{0}")]
    HsmRegistration(String),
}

/// Where the key-encryption key comes from. No `Debug`: it may hold a passphrase.
pub enum MasterKeySource {
    /// A file holding 32 random bytes as 64 hexadecimal digits.
    File(PathBuf),
    /// A passphrase, stretched with Argon2id and the store's salt.
    Passphrase(Zeroizing<String>),
}

impl MasterKeySource {
    fn kind(&self) -> &'static str {
        match self {
            MasterKeySource::File(_) => "master key file",
            MasterKeySource::Passphrase(_) => "passphrase",
        }
    }
}

/// The key-encryption key. No `Debug`, zeroized on drop.
struct Kek(Zeroizing<[u8; KEY]>);

/// What the store keeps about the KEK: how it is obtained and a check that tells a wrong
/// one at start-up. Contains no secret.
#[derive(Serialize, Deserialize)]
struct CustodyRecord {
    version: u32,
    /// `file` or `argon2id`.
    kdf: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    argon2: Option<[u32; 3]>,
    /// A random value sealed with the KEK (base64url of nonce | ciphertext).
    check: String,
}

/// Creates a master key file (mode 0600) holding 32 random bytes as hex. Refuses to
/// overwrite an existing file.
pub fn create_master_key_file(path: &Path) -> Result<(), KeystoreError> {
    let err = |message: String| KeystoreError::MasterKeyFile {
        path: path.to_owned(),
        message,
    };
    let mut bytes = Zeroizing::new([0u8; KEY]);
    OsRng.fill_bytes(&mut bytes[..]);
    let text = Zeroizing::new(hex(&bytes[..]) + "\n");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| err(e.to_string()))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| err(e.to_string()))?;
    file.sync_all().map_err(|e| err(e.to_string()))?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_master_key_file(path: &Path) -> Result<Kek, KeystoreError> {
    let err = |message: String| KeystoreError::MasterKeyFile {
        path: path.to_owned(),
        message,
    };
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?);
    let digits = text.trim();
    if digits.len() != 2 * KEY || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err(
            "expected 64 hexadecimal digits (make one with `openssl rand -hex 32`)".into(),
        ));
    }
    let mut key = Zeroizing::new([0u8; KEY]);
    for (i, out) in key.iter_mut().enumerate() {
        *out = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).expect("checked hex");
    }
    Ok(Kek(key))
}

/// A 32-byte key from `secret` with Argon2id (`params`: m KiB, t, p).
pub(crate) fn argon2id(
    secret: &str,
    salt: &[u8],
    params: [u32; 3],
) -> Result<Zeroizing<[u8; KEY]>, KeystoreError> {
    derive(secret, salt, params).map(|kek| kek.0)
}

/// The Argon2id parameters the keystore uses (m = 19 MiB, t = 2, p = 1).
pub(crate) const ARGON2ID_PARAMS: [u32; 3] = [ARGON_M_KIB, ARGON_T, ARGON_P];

fn derive(passphrase: &str, salt: &[u8], params: [u32; 3]) -> Result<Kek, KeystoreError> {
    let params = argon2::Params::new(params[0], params[1], params[2], Some(KEY))
        .map_err(|e| KeystoreError::Kdf(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; KEY]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut key[..])
        .map_err(|e| KeystoreError::Kdf(e.to_string()))?;
    Ok(Kek(key))
}

/// XChaCha20-Poly1305 under `key` with `ad`: a fresh random nonce, then the ciphertext and tag.
/// (Also the learner passport's primitive, [`crate::passport`].)
pub(crate) fn seal(key: &[u8; KEY], plaintext: &[u8], ad: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE];
    OsRng.fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(key.into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: ad,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any length used here");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    out
}

/// Opens what [`seal`] made; `None` when the key, `ad` or the bytes are not the sealed ones.
pub(crate) fn open(key: &[u8; KEY], sealed: &[u8], ad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE + TAG {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: ad })
        .ok()
        .map(Zeroizing::new)
}

/// Associated data binding a sealed key to its slot.
fn slot_ad(purpose: &str, slot: &KeySlot<'_>) -> Vec<u8> {
    let mut ad = format!("skillpass {purpose} v1\0").into_bytes();
    match slot {
        KeySlot::Institution {
            institution,
            verification_method,
        } => {
            ad.extend_from_slice(b"institution\0");
            ad.extend_from_slice(institution.as_bytes());
            ad.push(0);
            ad.extend_from_slice(verification_method.as_bytes());
        }
        KeySlot::Registry => ad.extend_from_slice(b"registry"),
    }
    ad
}

fn slot_name(slot: &KeySlot<'_>) -> String {
    match slot {
        KeySlot::Institution {
            verification_method,
            ..
        } => (*verification_method).to_owned(),
        KeySlot::Registry => "the trust registry".into(),
    }
}

impl Kek {
    /// Seals a multibase secret with a fresh data key wrapped by this KEK.
    fn seal_secret(&self, slot: &KeySlot<'_>, multibase: &str) -> Zeroizing<String> {
        let mut data_key = Zeroizing::new([0u8; KEY]);
        OsRng.fill_bytes(&mut data_key[..]);
        let mut blob = seal(&self.0, &data_key[..], &slot_ad("data key", slot));
        blob.extend(seal(
            &data_key,
            multibase.as_bytes(),
            &slot_ad("signing key", slot),
        ));
        Zeroizing::new(format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(&blob)))
    }

    /// Splits a sealed value into its unwrapped data key and the sealed secret.
    fn unwrap<'a>(
        &self,
        slot: &KeySlot<'_>,
        blob: &'a [u8],
    ) -> Result<(Zeroizing<[u8; KEY]>, &'a [u8]), KeystoreError> {
        let wrapped_len = NONCE + KEY + TAG;
        let damaged = || KeystoreError::Damaged(slot_name(slot));
        if blob.len() < wrapped_len + NONCE + TAG {
            return Err(damaged());
        }
        let (wrapped, sealed) = blob.split_at(wrapped_len);
        let opened = open(&self.0, wrapped, &slot_ad("data key", slot)).ok_or_else(damaged)?;
        let mut data_key = Zeroizing::new([0u8; KEY]);
        data_key.copy_from_slice(&opened);
        Ok((data_key, sealed))
    }

    /// The multibase secret of a stored value (sealed, or plaintext from before encryption).
    fn open_secret(
        &self,
        slot: &KeySlot<'_>,
        stored: &str,
    ) -> Result<Zeroizing<String>, KeystoreError> {
        let Some(encoded) = stored.strip_prefix(SEALED_PREFIX) else {
            return Ok(Zeroizing::new(stored.to_owned()));
        };
        let blob = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(encoded)
                .map_err(|_| KeystoreError::Damaged(slot_name(slot)))?,
        );
        let (data_key, sealed) = self.unwrap(slot, &blob)?;
        let secret = open(&data_key, sealed, &slot_ad("signing key", slot))
            .ok_or_else(|| KeystoreError::Damaged(slot_name(slot)))?;
        let text = String::from_utf8(secret.to_vec())
            .map_err(|_| KeystoreError::BadKey(slot_name(slot)))?;
        Ok(Zeroizing::new(text))
    }

    /// The stored value re-wrapped for `to`: the data key is re-wrapped, the sealed secret
    /// is kept byte for byte. A plaintext value is sealed.
    fn rewrap(
        &self,
        to: &Kek,
        slot: &KeySlot<'_>,
        stored: &str,
    ) -> Result<Zeroizing<String>, KeystoreError> {
        let Some(encoded) = stored.strip_prefix(SEALED_PREFIX) else {
            return Ok(to.seal_secret(slot, stored));
        };
        let blob = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| KeystoreError::Damaged(slot_name(slot)))?;
        let (data_key, sealed) = self.unwrap(slot, &blob)?;
        let mut out = seal(&to.0, &data_key[..], &slot_ad("data key", slot));
        out.extend_from_slice(sealed);
        Ok(Zeroizing::new(format!(
            "{SEALED_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(&out)
        )))
    }

    fn check(&self) -> String {
        let mut value = Zeroizing::new([0u8; KEY]);
        OsRng.fill_bytes(&mut value[..]);
        URL_SAFE_NO_PAD.encode(seal(&self.0, &value[..], CHECK_AD))
    }
}

/// Obtains the KEK from `source` for a store with the custody `record` (if any); a new record
/// (fresh salt) when there is none or `fresh` is set.
fn obtain(
    source: &MasterKeySource,
    record: Option<&CustodyRecord>,
    fresh: bool,
) -> Result<(Kek, CustodyRecord), KeystoreError> {
    let record = if fresh { None } else { record };
    if let Some(r) = record {
        let expected = if r.kdf == "argon2id" {
            "passphrase"
        } else {
            "master key file"
        };
        if expected != source.kind() {
            return Err(KeystoreError::WrongKind {
                expected,
                given: source.kind(),
            });
        }
    }
    let (kek, kdf, salt, argon) = match source {
        MasterKeySource::File(path) => (read_master_key_file(path)?, "file", None, None),
        MasterKeySource::Passphrase(passphrase) => {
            let (salt, params) = match record {
                Some(r) => (
                    URL_SAFE_NO_PAD
                        .decode(r.salt.as_deref().unwrap_or_default())
                        .map_err(|_| KeystoreError::Kdf("stored salt is not base64url".into()))?,
                    r.argon2.unwrap_or([ARGON_M_KIB, ARGON_T, ARGON_P]),
                ),
                None => {
                    let mut salt = vec![0u8; 16];
                    OsRng.fill_bytes(&mut salt);
                    (salt, [ARGON_M_KIB, ARGON_T, ARGON_P])
                }
            };
            let kek = derive(passphrase, &salt, params)?;
            (
                kek,
                "argon2id",
                Some(URL_SAFE_NO_PAD.encode(&salt)),
                Some(params),
            )
        }
    };
    match record {
        Some(r) => {
            let sealed = URL_SAFE_NO_PAD
                .decode(&r.check)
                .map_err(|_| KeystoreError::WrongMasterKey)?;
            open(&kek.0, &sealed, CHECK_AD).ok_or(KeystoreError::WrongMasterKey)?;
            let same = CustodyRecord {
                version: r.version,
                kdf: r.kdf.clone(),
                salt: r.salt.clone(),
                argon2: r.argon2,
                check: r.check.clone(),
            };
            Ok((kek, same))
        }
        None => {
            let check = kek.check();
            Ok((
                kek,
                CustodyRecord {
                    version: 1,
                    kdf: kdf.into(),
                    salt,
                    argon2: argon,
                    check,
                },
            ))
        }
    }
}

fn read_record(store: &dyn Store) -> Result<Option<CustodyRecord>, KeystoreError> {
    store
        .key_custody()?
        .as_deref()
        .map(parse_record)
        .transpose()
}

fn parse_record(bytes: &[u8]) -> Result<CustodyRecord, KeystoreError> {
    serde_json::from_slice(bytes).map_err(|_| {
        KeystoreError::Store(StoreError::Backend(
            "the key custody record is not valid JSON".into(),
        ))
    })
}

/// Sets up key custody in a store that has none: a new record (a fresh salt for a
/// passphrase) is stored unless another process stored one meanwhile
/// ([`Store::init_key_custody`], insert-if-absent then read back); then the KEK of the record
/// that is stored — ours or theirs — is used, so processes starting for the first time at
/// once all end up with one custody and open each other's keys.
fn set_up_custody(
    store: &dyn Store,
    source: &MasterKeySource,
) -> Result<(Kek, CustodyRecord), KeystoreError> {
    let (kek, record) = obtain(source, None, true)?;
    let ours = serde_json::to_vec(&record).expect("custody record serializes");
    let stored = store.init_key_custody(&ours)?;
    if stored == ours {
        return Ok((kek, record));
    }
    // Another process set it up first: derive the KEK with its salt (and check it).
    drop(kek);
    obtain(source, Some(&parse_record(&stored)?), false)
}

/// Re-seals every stored key in one atomic write: opened with `from` (plaintext when
/// `None`), wrapped for `to`, and stores `record`. Returns how many keys were re-sealed.
fn reseal_all(
    store: &dyn Store,
    from: Option<&Kek>,
    to: &Kek,
    record: &CustodyRecord,
) -> Result<usize, KeystoreError> {
    let record = serde_json::to_vec(record).expect("custody record serializes");
    let mut failure = None;
    let result = store.reseal_keys(&record, &mut |slot, stored| {
        if stored.starts_with(pkcs11::STORED_PREFIX) {
            // A reference to a key in a token: no secret, kept as it is.
            return Ok(Zeroizing::new(stored.to_owned()));
        }
        let outcome = match from {
            Some(from) => from.rewrap(to, &slot, stored),
            None if stored.starts_with(SEALED_PREFIX) => Err(KeystoreError::NoMasterKey),
            None => Ok(to.seal_secret(&slot, stored)),
        };
        outcome.map_err(|e| {
            let message = e.to_string();
            failure = Some(e);
            StoreError::Invalid(message)
        })
    });
    match (result, failure) {
        (Ok(n), _) => Ok(n),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
    }
}

/// Access to signing keys: the one path by which the service stores and obtains them.
///
/// [`Keystore`] keeps them sealed in the store. A custody that keeps keys in an HSM or KMS
/// implements this trait (docs/KEYS.md, "An HSM or KMS").
pub trait KeyCustody: Send + Sync {
    /// Stores a new institution with the secret key of its first verification method, in
    /// one atomic write ([`Store::insert_institution_with_key`]).
    fn register(
        &self,
        institution: &Institution,
        verification_method: &str,
        key: &SecretKey,
    ) -> Result<(), KeystoreError>;

    /// A key rotation: keeps the new secret key of an institution's verification method and
    /// applies `change` to the institution (its new public key, the old one retired), in one
    /// atomic write ([`Store::update_institution_with_key`]). `Conflict` (from the store) if
    /// that method has a key already.
    fn rotate(
        &self,
        institution: &str,
        verification_method: &str,
        key: &SecretKey,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, KeystoreError>;

    /// The signing key of an institution's verification method, if one is kept.
    fn signing_key(
        &self,
        institution: &str,
        verification_method: &str,
    ) -> Result<Option<Arc<dyn Signer>>, KeystoreError>;

    /// The trust registry's signing key, created (once, also across concurrent callers) by
    /// `create` when there is none.
    fn registry_key(
        &self,
        create: &mut dyn FnMut() -> SecretKey,
    ) -> Result<(Arc<dyn Signer>, bool), KeystoreError>;
}

/// Signing keys sealed in the store (envelope encryption), or plaintext when no KEK was given
/// to a store that has no encrypted keys (a warning at start-up says so).
pub struct Keystore {
    store: Arc<dyn Store>,
    kek: Option<Kek>,
    /// Opened keys by verification method (`""` for the registry), so a key is unsealed once.
    opened: Mutex<HashMap<String, Arc<dyn Signer>>>,
    /// The one PKCS#11 module keys kept in a token may be opened with.
    pkcs11_module: Option<PathBuf>,
}

/// What [`Keystore::open`] did, for the start-up log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Keys are sealed; the KEK opened the custody record.
    Sealed,
    /// Plaintext keys from before encryption were sealed now (how many).
    Migrated(usize),
    /// No KEK and no encrypted keys: keys are kept in plaintext.
    Plaintext,
}

impl Keystore {
    /// Opens the keys of `store`. A store with encrypted keys needs `source`
    /// ([`KeystoreError::NoMasterKey`]) and the right one ([`KeystoreError::WrongMasterKey`],
    /// checked now, not at the first signature). With `source`, plaintext keys are sealed in
    /// place, in one atomic write.
    pub fn open(
        store: Arc<dyn Store>,
        source: Option<&MasterKeySource>,
    ) -> Result<(Keystore, Opening), KeystoreError> {
        let record = read_record(store.as_ref())?;
        let (kek, opening) = match (source, record) {
            (None, Some(_)) => return Err(KeystoreError::NoMasterKey),
            (None, None) => (None, Opening::Plaintext),
            (Some(source), Some(record)) => {
                let (kek, record) = obtain(source, Some(&record), false)?;
                // Keys written in plaintext meanwhile (by a start without the KEK cannot
                // happen: it is refused) or left by an interrupted write are sealed too.
                let n = reseal_plaintext(store.as_ref(), &kek, &record)?;
                let opening = if n > 0 {
                    Opening::Migrated(n)
                } else {
                    Opening::Sealed
                };
                (Some(kek), opening)
            }
            (Some(source), None) => {
                let (kek, record) = set_up_custody(store.as_ref(), source)?;
                // Keys stored before custody existed are plaintext; another process starting
                // now may seal them too, under the same KEK, so sealed ones are left as they are.
                let n = reseal_plaintext(store.as_ref(), &kek, &record)?;
                store.flush()?;
                (Some(kek), Opening::Migrated(n))
            }
        };
        Ok((
            Keystore {
                store,
                kek,
                opened: Mutex::new(HashMap::new()),
                pkcs11_module: None,
            },
            opening,
        ))
    }

    /// Keys kept in plaintext in `store` (tests, and stores without a KEK); a sealed key
    /// does not open ([`KeystoreError::NoMasterKey`]).
    pub fn plaintext(store: Arc<dyn Store>) -> Keystore {
        Keystore {
            store,
            kek: None,
            opened: Mutex::new(HashMap::new()),
            pkcs11_module: None,
        }
    }

    /// Keys kept in a PKCS#11 token ([`pkcs11::KeyReference`] in their slot) are opened with
    /// `module`, and only with it: a reference naming another module is refused.
    pub fn with_pkcs11_module(mut self, module: Option<PathBuf>) -> Self {
        self.pkcs11_module = module;
        self
    }

    /// Opens every institution's current key that is kept in a PKCS#11 token (token, PIN,
    /// key, a test signature), so a wrong setting stops the start-up with its reason instead
    /// of failing the first credential. Returns how many were opened.
    pub fn open_hsm_keys(&self) -> Result<usize, KeystoreError> {
        let mut count = 0;
        for institution in self.store.list_institutions()? {
            for key in institution.keys.iter().filter(|k| k.retired.is_none()) {
                let Some(stored) = self
                    .store
                    .secret_key(&institution.id, &key.verification_method)?
                else {
                    continue;
                };
                if stored.starts_with(pkcs11::STORED_PREFIX) {
                    self.signing_key(&institution.id, &key.verification_method)?;
                    count += 1;
                }
            }
        }
        Ok(count)
    }

    /// The signer of a stored value that is a PKCS#11 key reference.
    fn open_hsm(
        &self,
        verification_method: &str,
        stored: &str,
    ) -> Option<Result<Arc<dyn Signer>, KeystoreError>> {
        let hsm = |source| KeystoreError::Hsm {
            method: verification_method.to_owned(),
            source,
        };
        let reference = KeyReference::from_stored(stored)?;
        Some(
            reference
                .and_then(|r| pkcs11::open(&r, self.pkcs11_module.as_deref()))
                .map(|signer| Arc::new(signer) as Arc<dyn Signer>)
                .map_err(hsm),
        )
    }

    /// Whether keys are sealed (a KEK was given).
    pub fn is_sealed(&self) -> bool {
        self.kek.is_some()
    }

    fn seal(&self, slot: &KeySlot<'_>, key: &SecretKey) -> Zeroizing<String> {
        let multibase = key.to_multibase();
        match &self.kek {
            Some(kek) => kek.seal_secret(slot, &multibase),
            None => multibase,
        }
    }

    fn unseal(&self, slot: &KeySlot<'_>, stored: &str) -> Result<SecretKey, KeystoreError> {
        let multibase = match &self.kek {
            Some(kek) => kek.open_secret(slot, stored)?,
            None if stored.starts_with(SEALED_PREFIX) => return Err(KeystoreError::NoMasterKey),
            None => Zeroizing::new(stored.to_owned()),
        };
        SecretKey::from_multibase(&multibase).map_err(|_| KeystoreError::BadKey(slot_name(slot)))
    }
}

/// Seals the keys still in plaintext (none, normally) under the KEK already in use.
fn reseal_plaintext(
    store: &dyn Store,
    kek: &Kek,
    record: &CustodyRecord,
) -> Result<usize, KeystoreError> {
    let record_bytes = serde_json::to_vec(record).expect("custody record serializes");
    let mut count = 0;
    let mut failure = None;
    let result = store.reseal_keys(&record_bytes, &mut |slot, stored| {
        if stored.starts_with(SEALED_PREFIX) || stored.starts_with(pkcs11::STORED_PREFIX) {
            return Ok(Zeroizing::new(stored.to_owned()));
        }
        count += 1;
        // Checks that it is a key at all before sealing it.
        match SecretKey::from_multibase(stored) {
            Ok(_) => Ok(kek.seal_secret(&slot, stored)),
            Err(_) => {
                failure = Some(KeystoreError::BadKey(slot_name(&slot)));
                Err(StoreError::Invalid("not a key".into()))
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    result?;
    if count > 0 {
        store.flush()?;
    }
    Ok(count)
}

impl KeyCustody for Keystore {
    fn register(
        &self,
        institution: &Institution,
        verification_method: &str,
        key: &SecretKey,
    ) -> Result<(), KeystoreError> {
        let slot = KeySlot::Institution {
            institution: &institution.id,
            verification_method,
        };
        let stored = self.seal(&slot, key);
        self.store
            .insert_institution_with_key(institution, verification_method, &stored)?;
        Ok(())
    }

    fn rotate(
        &self,
        institution: &str,
        verification_method: &str,
        key: &SecretKey,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, KeystoreError> {
        let slot = KeySlot::Institution {
            institution,
            verification_method,
        };
        let stored = self.seal(&slot, key);
        Ok(self.store.update_institution_with_key(
            institution,
            verification_method,
            &stored,
            change,
        )?)
    }

    fn signing_key(
        &self,
        institution: &str,
        verification_method: &str,
    ) -> Result<Option<Arc<dyn Signer>>, KeystoreError> {
        if let Some(found) = self
            .opened
            .lock()
            .expect("key cache")
            .get(verification_method)
        {
            return Ok(Some(found.clone()));
        }
        let Some(stored) = self.store.secret_key(institution, verification_method)? else {
            return Ok(None);
        };
        let slot = KeySlot::Institution {
            institution,
            verification_method,
        };
        let key: Arc<dyn Signer> = match self.open_hsm(verification_method, &stored) {
            Some(hsm) => hsm?,
            None => Arc::new(self.unseal(&slot, &stored)?),
        };
        self.opened
            .lock()
            .expect("key cache")
            .insert(verification_method.to_owned(), key.clone());
        Ok(Some(key))
    }

    fn registry_key(
        &self,
        create: &mut dyn FnMut() -> SecretKey,
    ) -> Result<(Arc<dyn Signer>, bool), KeystoreError> {
        if let Some(found) = self.opened.lock().expect("key cache").get("") {
            return Ok((found.clone(), false));
        }
        let (stored, created) = match self.store.registry_key()? {
            Some(stored) => (stored, false),
            None => {
                let fresh = create();
                let sealed = self.seal(&KeySlot::Registry, &fresh);
                (self.store.init_registry_key(&sealed)?, true)
            }
        };
        let key: Arc<dyn Signer> = Arc::new(self.unseal(&KeySlot::Registry, &stored)?);
        self.opened
            .lock()
            .expect("key cache")
            .insert(String::new(), key.clone());
        Ok((key, created))
    }
}

/// Makes a new Ed25519 key in the PKCS#11 token `reference` names and makes it the signing key
/// of the did:web institution `institution`: a new verification method
/// (`{did}#{publicKeyMultibase}`) in its DID document, the previous key retired but kept (so
/// credentials signed before still verify), and the reference in the method's key slot — in
/// one atomic write. A did:key institution cannot change its key (its DID is its key).
pub fn register_hsm_key(
    store: &dyn Store,
    institution: &str,
    reference: &KeyReference,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Institution, KeystoreError> {
    let current = store.get_institution(institution)?.ok_or_else(|| {
        KeystoreError::HsmRegistration(format!("no institution {institution:?} in this store"))
    })?;
    if !current.did.starts_with("did:web:") {
        return Err(KeystoreError::HsmRegistration(format!(
            "{institution} has a did:key DID, which is its key and cannot change: register it with didMethod did-web to keep its key in an HSM"
        )));
    }
    let public = pkcs11::generate(reference).map_err(|source| KeystoreError::Hsm {
        method: format!("{}#(new key)", current.did),
        source,
    })?;
    let method = format!("{}#{}", current.did, public.to_multibase());
    let updated = store.update_institution_with_key(
        institution,
        &method,
        &reference.to_stored(),
        &mut |i| {
            for k in i.keys.iter_mut().filter(|k| k.retired.is_none()) {
                k.retired = Some(now);
            }
            i.keys.push(crate::store::InstitutionKey {
                verification_method: method.clone(),
                public_key_multibase: public.to_multibase(),
                created: now,
                retired: None,
            });
            Ok(())
        },
    )?;
    store.flush()?;
    Ok(updated)
}

/// Changes the KEK of `store` to `to`: every data key is re-wrapped in one atomic write; the
/// sealed signing keys are not touched. Plaintext keys are sealed. Returns how many keys were
/// re-wrapped. With `from` `None` the store must have no encrypted keys.
pub fn rekey(
    store: &dyn Store,
    from: Option<&MasterKeySource>,
    to: &MasterKeySource,
) -> Result<usize, KeystoreError> {
    let record = read_record(store)?;
    let old = match (from, &record) {
        (Some(from), Some(record)) => Some(obtain(from, Some(record), false)?.0),
        (None, Some(_)) => return Err(KeystoreError::NoMasterKey),
        (_, None) => None,
    };
    let (new, new_record) = obtain(to, None, true)?;
    let n = reseal_all(store, old.as_ref(), &new, &new_record)?;
    store.flush()?;
    Ok(n)
}

impl Drop for Keystore {
    fn drop(&mut self) {
        // Kek zeroizes itself; the cached keys zeroize on drop (ed25519-dalek's zeroize).
        self.opened.lock().map(|mut m| m.clear()).ok();
    }
}
