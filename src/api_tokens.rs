//! API tokens at rest: the store keeps `HMAC-SHA-256(token secret, SHA-256(token))`, never the
//! token, and never a plain hash of it (issue 16 item 3; docs/CONFIGURATION.md, "Token secret").
//!
//! The token secret (32 random bytes, 64 hex digits in a file) lives outside the store, so a
//! copy of the store alone cannot be used to check guessed tokens. Hashing the SHA-256 of the
//! token (rather than the token) lets a store written before this change, which holds
//! `SHA-256(token)`, be migrated without the tokens: [`open`] replaces each stored hash `h` by
//! `HMAC(secret, h)` in one atomic write and records that it did, so the old form is no longer
//! accepted afterwards. The record also carries a check value that tells a wrong secret at
//! start-up instead of as "every token is wrong".

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::store::{Store, StoreError, TokenRehash};

/// The scheme the record names.
const SCHEME: &str = "hmac-sha256(sha256(token))";
/// The message whose MAC is the check value.
const CHECK_MESSAGE: &[u8] = b"skillpass token secret check v1";

/// Errors of the token secret. Messages never contain the secret or a token.
#[derive(Debug, thiserror::Error)]
pub enum TokenSecretError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("token secret file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("the token secret does not match the one this data folder's API tokens were stored with (wrong SKILLPASS_TOKEN_SECRET_FILE / token_secret_file); with another secret no institution could authenticate")]
    WrongSecret,
    #[error("the data folder's token record is damaged or of an unknown scheme")]
    BadRecord,
}

/// Hashes API tokens for storage and lookup. No `Debug`; the secret is zeroized on drop.
///
/// ```compile_fail
/// let h = skillpass::api_tokens::TokenHasher::unkeyed();
/// let _ = format!("{:?}", h); // no Debug: it holds the token secret
/// ```
pub struct TokenHasher {
    key: Option<Zeroizing<[u8; 32]>>,
}

impl TokenHasher {
    /// `SHA-256(token)`: the layout before issue 16, kept for services built without a
    /// secret (tests, [`crate::service::Service::new`]). `skillpass serve` always has a secret.
    pub fn unkeyed() -> Self {
        TokenHasher { key: None }
    }

    /// `HMAC-SHA-256(secret, SHA-256(token))`.
    pub fn keyed(secret: Zeroizing<[u8; 32]>) -> Self {
        TokenHasher { key: Some(secret) }
    }

    /// Whether a secret is used.
    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// The stored form of `token`.
    pub fn hash(&self, token: &str) -> [u8; 32] {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        match &self.key {
            None => digest,
            Some(key) => mac(key, &digest),
        }
    }
}

fn mac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// What the store keeps about the token secret: the scheme and a check value. No secret.
#[derive(Serialize, Deserialize)]
struct TokenRecord {
    version: u32,
    scheme: String,
    /// base64url of `HMAC(secret, CHECK_MESSAGE)`.
    check: String,
}

/// What [`open`] did, for the start-up log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenOpening {
    /// The store's tokens were already stored under this secret.
    Keyed,
    /// Tokens stored as plain SHA-256 (before issue 16) were re-hashed now (how many).
    Migrated(usize),
}

/// The hasher for `store` under `secret`: checks the secret against the store's record, or,
/// for a store without one (written before issue 16, or new), re-hashes every stored token
/// hash under the secret and writes the record, in one atomic write that happens once even
/// when several processes start at once ([`Store::rehash_tokens_once`]).
pub fn open(
    store: &dyn Store,
    secret: Zeroizing<[u8; 32]>,
) -> Result<(TokenHasher, TokenOpening), TokenSecretError> {
    let check = mac(&secret, CHECK_MESSAGE);
    if let Some(bytes) = store.token_scheme()? {
        check_record(&bytes, &check)?;
        return Ok((TokenHasher::keyed(secret), TokenOpening::Keyed));
    }
    let record = serde_json::to_vec(&TokenRecord {
        version: 1,
        scheme: SCHEME.into(),
        check: URL_SAFE_NO_PAD.encode(check),
    })
    .expect("token record serializes");
    // The store decides again, atomically with the write: another process starting at the
    // same time may have re-hashed the tokens since the read above.
    match store.rehash_tokens_once(&record, &mut |old| mac(&secret, old))? {
        TokenRehash::Rehashed(n) => {
            store.flush()?;
            Ok((TokenHasher::keyed(secret), TokenOpening::Migrated(n)))
        }
        TokenRehash::Present(bytes) => {
            check_record(&bytes, &check)?;
            Ok((TokenHasher::keyed(secret), TokenOpening::Keyed))
        }
    }
}

/// Checks a stored token record against the check value of the secret at hand.
fn check_record(bytes: &[u8], check: &[u8; 32]) -> Result<(), TokenSecretError> {
    let record: TokenRecord =
        serde_json::from_slice(bytes).map_err(|_| TokenSecretError::BadRecord)?;
    if record.version != 1 || record.scheme != SCHEME {
        return Err(TokenSecretError::BadRecord);
    }
    let stored = URL_SAFE_NO_PAD
        .decode(&record.check)
        .map_err(|_| TokenSecretError::BadRecord)?;
    if !bool::from(stored.as_slice().ct_eq(&check[..])) {
        return Err(TokenSecretError::WrongSecret);
    }
    Ok(())
}

/// Reads a token secret file: 32 bytes as 64 hexadecimal digits (`openssl rand -hex 32`).
/// Refuses a file that group or other users may read.
pub fn read_secret_file(path: &Path) -> Result<Zeroizing<[u8; 32]>, TokenSecretError> {
    let err = |message: String| TokenSecretError::File {
        path: path.to_owned(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| err(e.to_string()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(err(format!(
                "readable by group/other users (mode {:03o}); run `chmod 600` on it",
                mode & 0o777
            )));
        }
    }
    let mut text = Zeroizing::new(String::new());
    std::io::Read::read_to_string(&mut std::io::Read::take(file, 1024), &mut text)
        .map_err(|e| err(e.to_string()))?;
    let digits = text.trim();
    if digits.len() != 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err(
            "expected 64 hexadecimal digits (make one with `openssl rand -hex 32`)".into(),
        ));
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (i, out) in key.iter_mut().enumerate() {
        *out = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).expect("checked hex");
    }
    Ok(key)
}

/// Creates a token secret file (mode 0600, 64 random hex digits); refuses to overwrite one.
pub fn create_secret_file(path: &Path) -> Result<(), TokenSecretError> {
    crate::keystore::create_master_key_file(path).map_err(|e| TokenSecretError::File {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[test]
    fn keyed_hash_is_hmac_of_the_sha256() {
        let token = "0123456789abcdef0123456789abcdef";
        let plain: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        assert_eq!(TokenHasher::unkeyed().hash(token), plain);
        let a = TokenHasher::keyed(Zeroizing::new([1; 32]));
        let b = TokenHasher::keyed(Zeroizing::new([2; 32]));
        assert_ne!(a.hash(token), plain);
        assert_ne!(a.hash(token), b.hash(token));
        assert_eq!(a.hash(token), mac(&[1; 32], &plain));
    }

    #[test]
    fn open_migrates_once_and_refuses_another_secret() {
        let store = MemoryStore::new();
        let (_, opening) = open(&store, Zeroizing::new([3; 32])).unwrap();
        assert_eq!(opening, TokenOpening::Migrated(0));
        let (_, opening) = open(&store, Zeroizing::new([3; 32])).unwrap();
        assert_eq!(opening, TokenOpening::Keyed);
        assert!(matches!(
            open(&store, Zeroizing::new([4; 32])),
            Err(TokenSecretError::WrongSecret)
        ));
    }
}
