//! Ed25519 keys in a PKCS#11 token (an HSM, or SoftHSM2 in tests): the private key is made in
//! the token, marked sensitive and not extractable, and never enters this process; signing is
//! `C_Sign` with `CKM_EDDSA` (PKCS#11 3.0, `CKK_EC_EDWARDS` keys on edwards25519).
//!
//! An institution's key slot in the store holds a [`KeyReference`] (`pkcs11:v1:` + JSON: the
//! module, the token label, the key label and where the PIN is read from — never the PIN)
//! instead of a sealed key. The service loads only the one module it is configured with
//! (`pkcs11_module`), so someone who can write the store cannot make it load a library of
//! their choosing. docs/KEYS.md, "Keys in an HSM".

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::eddsa::{EddsaParams, EddsaSignatureScheme};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{SignError, Signer};
use crate::keys::PublicKey;

/// Prefix of a key reference as an institution's key slot holds it.
pub const STORED_PREFIX: &str = "pkcs11:v1:";

/// DER of the edwards25519 curve's object identifier (1.3.101.112), the `CKA_EC_PARAMS` of an
/// Ed25519 key.
const ED25519_OID_DER: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];

/// Where the token's user PIN is read from each time a session is opened. The PIN itself is
/// never stored, logged or put in an error message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PinSource {
    /// An environment variable of the service's process.
    Env(String),
    /// A file (owner-only) holding the PIN; surrounding whitespace is ignored.
    File(PathBuf),
}

/// Which key in which token. Holds no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyReference {
    /// The PKCS#11 module (shared library), e.g. `/usr/lib/softhsm/libsofthsm2.so`.
    pub module: PathBuf,
    /// The token's label.
    pub token: String,
    /// The key's `CKA_LABEL` (private and public key objects share it).
    pub label: String,
    /// Where the user PIN comes from.
    pub pin: PinSource,
}

impl KeyReference {
    /// The form an institution's key slot holds.
    pub fn to_stored(&self) -> String {
        format!(
            "{STORED_PREFIX}{}",
            serde_json::to_string(self).expect("a key reference serializes")
        )
    }

    /// The reference in a key slot's value, or `None` when the value is not a reference.
    pub fn from_stored(stored: &str) -> Option<Result<Self, Pkcs11Error>> {
        let json = stored.strip_prefix(STORED_PREFIX)?;
        Some(serde_json::from_str(json).map_err(|e| Pkcs11Error::BadReference(e.to_string())))
    }
}

/// What went wrong with a token. Never contains a PIN.
#[derive(Debug, thiserror::Error)]
pub enum Pkcs11Error {
    #[error("the key is in PKCS#11 module {module}, but the service may load only {allowed}: set SKILLPASS_PKCS11_MODULE (or pkcs11_module in the configuration file) to that module", allowed = allowed.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "none (no module is configured)".into()))]
    ModuleNotAllowed {
        module: PathBuf,
        allowed: Option<PathBuf>,
    },
    #[error("cannot load the PKCS#11 module {module}: {message}")]
    Module { module: PathBuf, message: String },
    #[error("no PKCS#11 token labelled {token:?} in {module} (initialise it first, e.g. `softhsm2-util --init-token --free --label {token}`)")]
    NoToken { module: PathBuf, token: String },
    #[error("cannot read the PIN of token {token:?} from {source_name}: {message}")]
    Pin {
        token: String,
        source_name: String,
        message: String,
    },
    #[error("the PIN of token {token:?} (from {source_name}) is wrong: login refused (CKR_PIN_INCORRECT)")]
    WrongPin { token: String, source_name: String },
    #[error("no Ed25519 private key labelled {label:?} on token {token:?}")]
    NoKey { token: String, label: String },
    #[error(
        "{count} private keys are labelled {label:?} on token {token:?}: labels must be unique"
    )]
    TwoKeys {
        token: String,
        label: String,
        count: usize,
    },
    #[error("a key labelled {label:?} exists on token {token:?} already: choose another label")]
    LabelTaken { token: String, label: String },
    #[error("the key labelled {label:?} on token {token:?} is not an Ed25519 key: {reason}")]
    NotEd25519 {
        token: String,
        label: String,
        reason: String,
    },
    #[error("a test signature by the key labelled {label:?} on token {token:?} does not verify under its public key")]
    Mismatch { token: String, label: String },
    #[error("the stored PKCS#11 key reference is damaged: {0}")]
    BadReference(String),
    #[error("PKCS#11 token {token:?}: {message}")]
    Device { token: String, message: String },
}

/// Initialised modules by path: `C_Initialize` once per module and process.
fn context(module: &Path) -> Result<Pkcs11, Pkcs11Error> {
    static CONTEXTS: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let mut contexts = CONTEXTS
        .get_or_init(Default::default)
        .lock()
        .expect("PKCS#11 contexts");
    if let Some(found) = contexts.get(module) {
        return Ok(found.clone());
    }
    let failed = |e: CkError| Pkcs11Error::Module {
        module: module.to_owned(),
        message: e.to_string(),
    };
    let pkcs11 = Pkcs11::new(module).map_err(failed)?;
    match pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(failed(e)),
    }
    contexts.insert(module.to_owned(), pkcs11.clone());
    Ok(pkcs11)
}

fn pin_source_name(source: &PinSource) -> String {
    match source {
        PinSource::Env(name) => format!("environment variable {name}"),
        PinSource::File(path) => format!("file {}", path.display()),
    }
}

fn read_pin(reference: &KeyReference) -> Result<AuthPin, Pkcs11Error> {
    let failed = |message: String| Pkcs11Error::Pin {
        token: reference.token.clone(),
        source_name: pin_source_name(&reference.pin),
        message,
    };
    let text = match &reference.pin {
        PinSource::Env(name) => {
            Zeroizing::new(std::env::var(name).map_err(|_| failed("not set or not UTF-8".into()))?)
        }
        PinSource::File(path) => {
            Zeroizing::new(std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?)
        }
    };
    let pin = text.trim();
    if pin.is_empty() {
        return Err(failed("empty".into()));
    }
    Ok(AuthPin::from(pin.to_owned()))
}

fn device(reference: &KeyReference, e: CkError) -> Pkcs11Error {
    Pkcs11Error::Device {
        token: reference.token.clone(),
        message: e.to_string(),
    }
}

/// A read-write session on the reference's token, logged in as the user.
fn session(reference: &KeyReference) -> Result<Session, Pkcs11Error> {
    let pkcs11 = context(&reference.module)?;
    let slots = pkcs11
        .get_slots_with_token()
        .map_err(|e| device(reference, e))?;
    let mut found = None;
    for slot in slots {
        let info = pkcs11
            .get_token_info(slot)
            .map_err(|e| device(reference, e))?;
        if info.label().trim_end() == reference.token {
            found = Some(slot);
            break;
        }
    }
    let slot = found.ok_or_else(|| Pkcs11Error::NoToken {
        module: reference.module.clone(),
        token: reference.token.clone(),
    })?;
    let session = pkcs11
        .open_rw_session(slot)
        .map_err(|e| device(reference, e))?;
    let pin = read_pin(reference)?;
    match session.login(UserType::User, Some(&pin)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(session),
        Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => Err(Pkcs11Error::WrongPin {
            token: reference.token.clone(),
            source_name: pin_source_name(&reference.pin),
        }),
        Err(e) => Err(device(reference, e)),
    }
}

fn find(
    session: &Session,
    reference: &KeyReference,
    class: ObjectClass,
) -> Result<Vec<ObjectHandle>, Pkcs11Error> {
    session
        .find_objects(&[
            Attribute::Class(class),
            Attribute::Label(reference.label.as_bytes().to_vec()),
        ])
        .map_err(|e| device(reference, e))
}

/// The Ed25519 public key of the public key object labelled as the reference says.
fn public_key(session: &Session, reference: &KeyReference) -> Result<PublicKey, Pkcs11Error> {
    let not_ed25519 = |reason: &str| Pkcs11Error::NotEd25519 {
        token: reference.token.clone(),
        label: reference.label.clone(),
        reason: reason.into(),
    };
    let handle = match find(session, reference, ObjectClass::PUBLIC_KEY)?.as_slice() {
        [one] => *one,
        [] => return Err(not_ed25519("its public key object is missing")),
        _ => {
            return Err(Pkcs11Error::TwoKeys {
                token: reference.token.clone(),
                label: reference.label.clone(),
                count: 2,
            })
        }
    };
    let attributes = session
        .get_attributes(handle, &[AttributeType::EcParams, AttributeType::EcPoint])
        .map_err(|e| device(reference, e))?;
    let mut point = None;
    for attribute in attributes {
        match attribute {
            Attribute::EcParams(params) if params != ED25519_OID_DER => {
                return Err(not_ed25519("its curve is not edwards25519"))
            }
            Attribute::EcPoint(p) => point = Some(p),
            _ => {}
        }
    }
    let point = point.ok_or_else(|| not_ed25519("it has no CKA_EC_POINT"))?;
    // CKA_EC_POINT is the 32-byte point, or (SoftHSM2, older tokens) a DER OCTET STRING of it.
    let raw: &[u8] = match point.as_slice() {
        [0x04, 32, rest @ ..] if rest.len() == 32 => rest,
        raw if raw.len() == 32 => raw,
        _ => return Err(not_ed25519("CKA_EC_POINT is not a 32-byte point")),
    };
    let raw: &[u8; 32] = raw.try_into().expect("32 bytes");
    PublicKey::from_bytes(raw).map_err(|e| not_ed25519(&e.to_string()))
}

/// Makes a new Ed25519 key pair in the token (private key sensitive, never extractable, on
/// the token) labelled as the reference says; refuses a label that is taken. Returns its
/// public key.
pub fn generate(reference: &KeyReference) -> Result<PublicKey, Pkcs11Error> {
    let session = session(reference)?;
    if !find(&session, reference, ObjectClass::PRIVATE_KEY)?.is_empty()
        || !find(&session, reference, ObjectClass::PUBLIC_KEY)?.is_empty()
    {
        return Err(Pkcs11Error::LabelTaken {
            token: reference.token.clone(),
            label: reference.label.clone(),
        });
    }
    let label = reference.label.as_bytes().to_vec();
    let public_template = [
        Attribute::Token(true),
        Attribute::Private(false),
        Attribute::Verify(true),
        Attribute::KeyType(KeyType::EC_EDWARDS),
        Attribute::EcParams(ED25519_OID_DER.to_vec()),
        Attribute::Label(label.clone()),
    ];
    let private_template = [
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Sign(true),
        Attribute::KeyType(KeyType::EC_EDWARDS),
        Attribute::Label(label),
    ];
    session
        .generate_key_pair(
            &Mechanism::EccEdwardsKeyPairGen,
            &public_template,
            &private_template,
        )
        .map_err(|e| device(reference, e))?;
    public_key(&session, reference)
}

/// A signer over a token's key. One session, used by one signature at a time. It holds no key
/// material (the key stays in the token), only a handle.
pub struct Pkcs11Signer {
    session: Mutex<Session>,
    key: ObjectHandle,
    public: PublicKey,
    token: String,
}

/// Opens the referenced key for signing: the module must be `allowed` (the configured one);
/// the token, the PIN, the private key and its public key are all checked now, and one test
/// signature must verify, so a wrong setting fails at start-up rather than at the first
/// credential.
pub fn open(reference: &KeyReference, allowed: Option<&Path>) -> Result<Pkcs11Signer, Pkcs11Error> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if !allowed.is_some_and(|allowed| same(allowed, &reference.module)) {
        return Err(Pkcs11Error::ModuleNotAllowed {
            module: reference.module.clone(),
            allowed: allowed.map(Path::to_owned),
        });
    }
    let session = session(reference)?;
    let key = match find(&session, reference, ObjectClass::PRIVATE_KEY)?.as_slice() {
        [one] => *one,
        [] => {
            return Err(Pkcs11Error::NoKey {
                token: reference.token.clone(),
                label: reference.label.clone(),
            })
        }
        many => {
            return Err(Pkcs11Error::TwoKeys {
                token: reference.token.clone(),
                label: reference.label.clone(),
                count: many.len(),
            })
        }
    };
    let public = public_key(&session, reference)?;
    let signer = Pkcs11Signer {
        session: Mutex::new(session),
        key,
        public,
        token: reference.token.clone(),
    };
    let probe = b"skillpass PKCS#11 key check";
    let signature = signer.sign(probe).map_err(|e| Pkcs11Error::Device {
        token: reference.token.clone(),
        message: e.to_string(),
    })?;
    if !public.verify(probe, &signature) {
        return Err(Pkcs11Error::Mismatch {
            token: reference.token.clone(),
            label: reference.label.clone(),
        });
    }
    Ok(signer)
}

impl Signer for Pkcs11Signer {
    fn public_key(&self) -> PublicKey {
        self.public
    }

    fn sign(&self, message: &[u8]) -> Result<[u8; 64], SignError> {
        let mechanism = Mechanism::Eddsa(EddsaParams::new(EddsaSignatureScheme::Pure));
        let signature = self
            .session
            .lock()
            .map_err(|_| {
                SignError::Device(format!("token {:?}: session lock poisoned", self.token))
            })?
            .sign(&mechanism, self.key, message)
            .map_err(|e| SignError::Device(format!("token {:?}: {e}", self.token)))?;
        signature
            .as_slice()
            .try_into()
            .map_err(|_| SignError::BadSignature("not 64 bytes"))
    }
}
