//! The passport's keys: a random data key per passport, wrapped by keys the learner's secrets
//! derive (Argon2id of the passphrase, of the recovery code) and by a random per-session key
//! that lives only in the learner's cookie; everything else is sealed under the data key.
//! Primitives are the keystore's ([`crate::keystore`]): XChaCha20-Poly1305 with associated
//! data naming the passport and the purpose, so nothing sealed for one place opens in another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::keystore::{self, ARGON2ID_PARAMS};
use crate::store::WrappedKey;

use super::PassportError;

/// A 32-byte key. No Debug, zeroized on drop.
pub struct Key(pub(crate) Zeroizing<[u8; 32]>);

impl Key {
    /// A fresh random key.
    pub fn random() -> Key {
        let mut key = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(&mut key[..]);
        Key(key)
    }

    /// The key from its base64url text (a session key from the cookie).
    pub fn from_text(text: &str) -> Option<Key> {
        let bytes = Zeroizing::new(URL_SAFE_NO_PAD.decode(text).ok()?);
        let mut key = Zeroizing::new([0u8; 32]);
        if bytes.len() != 32 {
            return None;
        }
        key.copy_from_slice(&bytes);
        Some(Key(key))
    }

    /// base64url of the key (for the learner's cookie only).
    pub fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(URL_SAFE_NO_PAD.encode(&self.0[..]))
    }

    /// A key derived from a link secret for one purpose (SHA-256 of purpose and secret).
    pub fn from_secret(purpose: &str, secret: &str) -> Key {
        let mut hash = Sha256::new();
        hash.update(b"skillpass passport ");
        hash.update(purpose.as_bytes());
        hash.update([0]);
        hash.update(secret.as_bytes());
        Key(Zeroizing::new(hash.finalize().into()))
    }

    /// Seals `plaintext` under this key for `purpose` in `passport` (base64url).
    pub fn seal(&self, passport: &str, purpose: &str, plaintext: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(keystore::seal(&self.0, plaintext, &ad(passport, purpose)))
    }

    /// Opens what [`Key::seal`] sealed; `Damaged` when it does not open.
    pub fn open(
        &self,
        passport: &str,
        purpose: &str,
        sealed: &str,
    ) -> Result<Zeroizing<Vec<u8>>, PassportError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| PassportError::Damaged(purpose.to_owned()))?;
        keystore::open(&self.0, &bytes, &ad(passport, purpose))
            .ok_or_else(|| PassportError::Damaged(purpose.to_owned()))
    }

    /// Wraps the data key `data` under this key.
    pub fn wrap(&self, passport: &str, purpose: &str, data: &Key) -> String {
        self.seal(passport, purpose, &data.0[..])
    }

    /// Unwraps a data key; `None` when this key does not open it.
    pub fn unwrap(&self, passport: &str, purpose: &str, wrapped: &str) -> Option<Key> {
        let opened = self.open(passport, purpose, wrapped).ok()?;
        if opened.len() != 32 {
            return None;
        }
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&opened);
        Some(Key(key))
    }
}

fn ad(passport: &str, purpose: &str) -> Vec<u8> {
    format!("skillpass passport v1\0{passport}\0{purpose}").into_bytes()
}

/// Wraps `data` under the Argon2id key of `secret` (a passphrase or a recovery code).
pub fn wrap_with_secret(
    passport: &str,
    purpose: &str,
    secret: &str,
    data: &Key,
) -> Result<WrappedKey, PassportError> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let kek = Key(keystore::argon2id(secret, &salt, ARGON2ID_PARAMS)
        .map_err(|e| PassportError::Internal(e.to_string()))?);
    Ok(WrappedKey {
        salt: URL_SAFE_NO_PAD.encode(salt),
        params: ARGON2ID_PARAMS,
        wrapped: kek.wrap(passport, purpose, data),
    })
}

/// The data key, when `secret` is the one `wrapped` was made with.
pub fn unwrap_with_secret(
    passport: &str,
    purpose: &str,
    secret: &str,
    wrapped: &WrappedKey,
) -> Result<Option<Key>, PassportError> {
    let salt = URL_SAFE_NO_PAD
        .decode(&wrapped.salt)
        .map_err(|_| PassportError::Damaged("salt".into()))?;
    let kek = Key(keystore::argon2id(secret, &salt, wrapped.params)
        .map_err(|e| PassportError::Internal(e.to_string()))?);
    Ok(kek.unwrap(passport, purpose, &wrapped.wrapped))
}

/// Hex SHA-256 of `domain`, a zero byte and `text`.
pub fn hash_hex(domain: &str, text: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(domain.as_bytes());
    hash.update([0]);
    hash.update(text.as_bytes());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A recovery code: 20 characters from an alphabet without look-alikes, in groups of four
/// (about 100 bits).
pub fn recovery_code() -> Zeroizing<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    let mut out = Zeroizing::new(String::with_capacity(24));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[(*b as usize) % ALPHABET.len()] as char);
    }
    out
}

/// A recovery code as the learner may type it: upper case, no spaces or dashes, then grouped.
pub fn normalise_recovery_code(code: &str) -> String {
    let plain: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    plain
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_passport_and_purpose() {
        let key = Key::random();
        let sealed = key.seal("p1", "credential", b"hello");
        assert_eq!(
            &key.open("p1", "credential", &sealed).unwrap()[..],
            b"hello"
        );
        assert!(key.open("p2", "credential", &sealed).is_err());
        assert!(key.open("p1", "holder key", &sealed).is_err());
        assert!(Key::random().open("p1", "credential", &sealed).is_err());
    }

    #[test]
    fn the_data_key_unwraps_with_the_right_secret_only() {
        let data = Key::random();
        let wrapped = wrap_with_secret("p1", "passphrase", "correct horse", &data).unwrap();
        let back = unwrap_with_secret("p1", "passphrase", "correct horse", &wrapped)
            .unwrap()
            .unwrap();
        assert_eq!(back.0[..], data.0[..]);
        assert!(unwrap_with_secret("p1", "passphrase", "wrong", &wrapped)
            .unwrap()
            .is_none());
    }

    #[test]
    fn recovery_codes_read_as_typed() {
        let code = recovery_code();
        assert_eq!(code.len(), 24);
        assert_eq!(
            normalise_recovery_code(&code.to_lowercase().replace('-', " ")),
            *code
        );
    }
}
