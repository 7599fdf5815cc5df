//! Signing behind a trait: [`Signer`] is what the issuing path (Data Integrity proofs, status
//! lists, the trust registry's document) signs with, so a key may live in this process (an
//! Ed25519 [`SecretKey`], opened from the store by [`crate::keystore`]) or in a hardware
//! security module that never lets it out ([`pkcs11`], docs/KEYS.md "Keys in an HSM").
//!
//! A signer knows its public key (to check that a proof's verification method names it, and to
//! publish it in DID documents) and signs a message with Ed25519 (RFC 8032, pure, no prehash).

use crate::keys::{PublicKey, SecretKey};

pub mod pkcs11;

/// Why a signature could not be made. Messages never contain key material or PINs.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The device holding the key failed or refused (session lost, token removed, …).
    #[error("the signing device failed: {0}")]
    Device(String),
    /// The device answered with something that is not a valid signature by this key.
    #[error("the signing device returned an invalid signature: {0}")]
    BadSignature(&'static str),
}

/// Something that makes Ed25519 signatures with one key.
///
/// No implementation may expose its secret: there is deliberately no method that returns it.
pub trait Signer: Send + Sync {
    /// The key's public half.
    fn public_key(&self) -> PublicKey;

    /// An Ed25519 signature over `message` (the 64-byte Data Integrity signing input, a JWT's
    /// signing input, …).
    fn sign(&self, message: &[u8]) -> Result<[u8; 64], SignError>;
}

/// The in-process implementation: the key is in memory (zeroized on drop). Infallible.
impl Signer for SecretKey {
    fn public_key(&self) -> PublicKey {
        SecretKey::public_key(self)
    }

    fn sign(&self, message: &[u8]) -> Result<[u8; 64], SignError> {
        Ok(SecretKey::sign(self, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_signs_through_the_trait() {
        let key = SecretKey::from_seed(&[9u8; 32]);
        let signer: &dyn Signer = &key;
        let sig = signer.sign(b"m").unwrap();
        assert_eq!(sig, key.sign(b"m"));
        assert!(signer.public_key().verify(b"m", &sig));
        assert!(!signer.public_key().verify(b"n", &sig));
    }
}
