//! Short-lived protocol secrets tied to an offer: each is a random value handed to a wallet and
//! kept in the store only as the hash of its kind and value ([`Store::put_ticket`]), with an
//! expiry. Taking a ticket removes it, which makes codes and nonces single use.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::store::{Store, StoreError, Ticket};

/// What a ticket is for; a secret of one kind never opens another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketKind {
    /// A VC-API exchange (its id is the secret).
    Exchange,
    /// An OpenID4VCI pre-authorized code.
    PreAuthorizedCode,
    /// An OpenID4VCI access token.
    AccessToken,
    /// An OpenID4VCI nonce (`c_nonce`).
    Nonce,
    /// A verifier's presentation request, by the secret in its page's URL
    /// ([`crate::verifier::request`]).
    PresentationRequest,
    /// The OpenID4VP `state` of a presentation request.
    Oid4vpState,
    /// The VC-API exchange of a presentation request (its id is the secret).
    VerifierExchange,
}

impl TicketKind {
    fn name(self) -> &'static str {
        match self {
            TicketKind::Exchange => "exchange",
            TicketKind::PreAuthorizedCode => "pre-authorized-code",
            TicketKind::AccessToken => "access-token",
            TicketKind::Nonce => "nonce",
            TicketKind::PresentationRequest => "presentation-request",
            TicketKind::Oid4vpState => "oid4vp-state",
            TicketKind::VerifierExchange => "verifier-exchange",
        }
    }
}

/// A fresh random secret: 256 bits, base64url without padding (43 characters).
pub fn secret() -> String {
    random_token(32)
}

/// `bytes` random bytes, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(&buf)
}

/// The store key of a secret: its kind and the hex SHA-256 of kind and secret.
pub fn key(kind: TicketKind, secret: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(kind.name().as_bytes());
    hash.update([0]);
    hash.update(secret.as_bytes());
    let digest = hash.finalize();
    let mut key = String::with_capacity(kind.name().len() + 65);
    key.push_str(kind.name());
    key.push('/');
    for b in digest {
        key.push_str(&format!("{b:02x}"));
    }
    key
}

/// Mints a new secret of `kind` for `offer` (empty for a ticket bound to no offer) and stores
/// its ticket.
pub fn mint(
    store: &dyn Store,
    kind: TicketKind,
    offer: &str,
    expires: DateTime<Utc>,
    data: serde_json::Value,
) -> Result<String, StoreError> {
    let secret = secret();
    store.put_ticket(
        &key(kind, &secret),
        &Ticket {
            offer: offer.to_owned(),
            expires,
            data,
        },
    )?;
    Ok(secret)
}

/// Stores `ticket` under a secret the caller already has (e.g. an exchange moving to its next
/// step after [`take`]).
pub fn put(
    store: &dyn Store,
    kind: TicketKind,
    secret: &str,
    ticket: &Ticket,
) -> Result<(), StoreError> {
    store.put_ticket(&key(kind, secret), ticket)
}

/// The ticket of `secret`, left in place; `None` when unknown or expired.
pub fn peek(
    store: &dyn Store,
    kind: TicketKind,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<Ticket>, StoreError> {
    Ok(store
        .get_ticket(&key(kind, secret))?
        .filter(|t| t.expires >= now))
}

/// Takes (removes) the ticket of `secret`: exactly one caller gets it. `None` when unknown,
/// already taken or expired.
pub fn take(
    store: &dyn Store,
    kind: TicketKind,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<Ticket>, StoreError> {
    Ok(store
        .take_ticket(&key(kind, secret))?
        .filter(|t| t.expires >= now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use chrono::Duration;

    #[test]
    fn a_ticket_is_taken_once_and_not_after_expiry() {
        let store = MemoryStore::new();
        let now = Utc::now();
        let code = mint(
            &store,
            TicketKind::Nonce,
            "",
            now + Duration::minutes(1),
            serde_json::Value::Null,
        )
        .unwrap();
        assert!(peek(&store, TicketKind::Nonce, &code, now)
            .unwrap()
            .is_some());
        // Another kind with the same secret opens nothing.
        assert!(take(&store, TicketKind::AccessToken, &code, now)
            .unwrap()
            .is_none());
        assert!(take(&store, TicketKind::Nonce, &code, now)
            .unwrap()
            .is_some());
        assert!(take(&store, TicketKind::Nonce, &code, now)
            .unwrap()
            .is_none());

        let late = mint(&store, TicketKind::Nonce, "", now, serde_json::Value::Null).unwrap();
        assert!(
            take(&store, TicketKind::Nonce, &late, now + Duration::seconds(1))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn secrets_are_long_and_url_safe() {
        let s = secret();
        assert_eq!(s.len(), 43);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(s, secret());
    }
}
