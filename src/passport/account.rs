//! Passports as accounts: create, sign in, recover, sessions and delete.
//!
//! The sign-in name is chosen by the learner (a phone number, an e-mail address, a nickname);
//! only its hash is stored (the passport id). The passphrase and the recovery code each wrap
//! the data key; neither is stored. A session (the shared [`crate::session`] module: a random
//! id in an `HttpOnly` cookie, stored only hashed, a CSRF token) keeps the data key wrapped by
//! a random session key that is in a second cookie only, so the stored session alone opens
//! nothing. A recovery raises the passport's session epoch, which ends every older session.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use zeroize::Zeroizing;

use super::crypto::{self, Key};
use super::{InputProblem, Passport, PassportConfig, PassportError};
use crate::keys::SecretKey;
use crate::service::Service;
use crate::session::{Realm, Session, Sessions};
use crate::store::{StoreError, StoredPassport};

/// The passport's sessions: cookie `skillpass-passport`, path `/passport`.
pub const SESSION_REALM: Realm = Realm {
    name: "passport",
    cookie: "skillpass-passport",
    path: "/passport",
};

/// The cookie holding the session key (same path and flags as the session cookie).
pub const KEY_COOKIE: &str = "skillpass-passport-key";

/// Shortest passphrase.
pub const MIN_PASSPHRASE: usize = 8;

const NAME_DOMAIN: &str = "skillpass passport name v1";

/// What a session keeps besides the shared module's fields.
#[derive(Serialize, Deserialize)]
struct SessionData {
    /// The data key wrapped by the session key.
    wrapped: String,
    epoch: u32,
}

/// The sign-in name as compared: trimmed, lower case; 3 to 100 characters, no control
/// characters.
pub fn normalise_name(name: &str) -> Result<String, PassportError> {
    let name = name.trim().to_lowercase();
    let count = name.chars().count();
    if !(3..=100).contains(&count) || name.chars().any(char::is_control) {
        return Err(PassportError::BadInput(InputProblem::NameLength));
    }
    Ok(name)
}

/// The passport id of a sign-in name.
pub fn passport_id(name: &str) -> Result<String, PassportError> {
    Ok(crypto::hash_hex(NAME_DOMAIN, &normalise_name(name)?))
}

fn check_passphrase(passphrase: &str) -> Result<(), PassportError> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(PassportError::BadInput(InputProblem::PassphraseShort(
            MIN_PASSPHRASE,
        )));
    }
    if passphrase.len() > 1024 {
        return Err(PassportError::BadInput(InputProblem::PassphraseLong));
    }
    Ok(())
}

/// Runs `f` (Argon2id work) on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, PassportError> + Send + 'static,
) -> Result<T, PassportError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PassportError::Internal(e.to_string()))?
}

/// Opens a stored passport with its data key.
fn unlock(stored: &StoredPassport, data_key: Key) -> Result<Passport, PassportError> {
    let secret = data_key.open(&stored.id, "holder key", &stored.holder_key)?;
    let text = Zeroizing::new(
        String::from_utf8(secret.to_vec())
            .map_err(|_| PassportError::Damaged("holder key".into()))?,
    );
    let holder_key = SecretKey::from_multibase(&text)
        .map_err(|_| PassportError::Damaged("holder key".into()))?;
    if holder_key.public_key().did_key() != stored.holder {
        return Err(PassportError::Damaged("holder key".into()));
    }
    Ok(Passport {
        id: stored.id.clone(),
        holder: stored.holder.clone(),
        data_key,
        holder_key,
    })
}

/// Creates a passport with a fresh holder key; answers it unlocked and its recovery code
/// (shown to the learner once, never stored).
pub async fn create(
    service: &Service,
    name: &str,
    passphrase: &str,
) -> Result<(Passport, Zeroizing<String>), PassportError> {
    let id = passport_id(name)?;
    check_passphrase(passphrase)?;
    if service.store().get_passport(&id)?.is_some() {
        return Err(PassportError::NameTaken);
    }
    // Argon2id twice: off the async runtime's threads.
    let (data_key, code, wrapped_passphrase, wrapped_recovery) = {
        let id = id.clone();
        let passphrase = Zeroizing::new(passphrase.to_owned());
        blocking(move || {
            let data_key = Key::random();
            let code = crypto::recovery_code();
            let p = crypto::wrap_with_secret(&id, "passphrase", &passphrase, &data_key)?;
            let r = crypto::wrap_with_secret(&id, "recovery", &code, &data_key)?;
            Ok((data_key, code, p, r))
        })
        .await?
    };
    let holder_key = SecretKey::generate(&mut rand_core::OsRng);
    let holder = holder_key.public_key().did_key();
    let stored = StoredPassport {
        id: id.clone(),
        created: service.now(),
        holder: holder.clone(),
        passphrase: wrapped_passphrase,
        recovery: wrapped_recovery,
        holder_key: data_key.seal(&id, "holder key", holder_key.to_multibase().as_bytes()),
        session_epoch: 0,
        credentials: Vec::new(),
    };
    match service.store().insert_passport(&stored) {
        Err(StoreError::Conflict { .. }) => return Err(PassportError::NameTaken),
        other => other?,
    }
    service.store().durable().await?;
    Ok((
        Passport {
            id,
            holder,
            data_key,
            holder_key,
        },
        code,
    ))
}

/// Signs in with the sign-in name and passphrase.
pub fn sign_in(service: &Service, name: &str, passphrase: &str) -> Result<Passport, PassportError> {
    let id = passport_id(name).map_err(|_| PassportError::WrongSecret)?;
    let stored = service
        .store()
        .get_passport(&id)?
        .ok_or(PassportError::WrongSecret)?;
    let data_key = crypto::unwrap_with_secret(&id, "passphrase", passphrase, &stored.passphrase)?
        .ok_or(PassportError::WrongSecret)?;
    unlock(&stored, data_key)
}

/// Recovers a passport with its recovery code: sets `new_passphrase`, makes a new recovery
/// code (answered once) and ends every earlier session.
pub async fn recover(
    service: &Service,
    name: &str,
    code: &str,
    new_passphrase: &str,
) -> Result<(Passport, Zeroizing<String>), PassportError> {
    check_passphrase(new_passphrase)?;
    let id = passport_id(name).map_err(|_| PassportError::WrongRecoveryCode)?;
    let stored = service
        .store()
        .get_passport(&id)?
        .ok_or(PassportError::WrongRecoveryCode)?;
    // Argon2id three times: off the async runtime's threads.
    let (data_key, new_code, passphrase, recovery) = {
        let id = id.clone();
        let code = Zeroizing::new(crypto::normalise_recovery_code(code));
        let new_passphrase = Zeroizing::new(new_passphrase.to_owned());
        let wrapped = stored.recovery.clone();
        blocking(move || {
            let data_key = crypto::unwrap_with_secret(&id, "recovery", &code, &wrapped)?
                .ok_or(PassportError::WrongRecoveryCode)?;
            let new_code = crypto::recovery_code();
            let p = crypto::wrap_with_secret(&id, "passphrase", &new_passphrase, &data_key)?;
            let r = crypto::wrap_with_secret(&id, "recovery", &new_code, &data_key)?;
            Ok((data_key, new_code, p, r))
        })
        .await?
    };
    let updated = service.store().update_passport(&id, &mut |p| {
        p.passphrase = passphrase.clone();
        p.recovery = recovery.clone();
        p.session_epoch += 1;
        Ok(())
    })?;
    service.store().durable().await?;
    Ok((unlock(&updated, data_key)?, new_code))
}

/// The passport's sessions.
pub fn sessions(service: &Service, config: &PassportConfig) -> Sessions {
    Sessions::new(service.store().clone(), SESSION_REALM, service.public_url())
        .with_ttl(config.session_ttl)
}

/// A signed-in session for `passport`: the session id (cookie), the session (its CSRF token)
/// and the session key (second cookie).
pub fn start_session(
    service: &Service,
    config: &PassportConfig,
    passport: &Passport,
) -> Result<(String, Session, Zeroizing<String>), PassportError> {
    let stored = service
        .store()
        .get_passport(&passport.id)?
        .ok_or(PassportError::NotSignedIn)?;
    let key = Key::random();
    let data = SessionData {
        wrapped: key.wrap(&passport.id, "session", &passport.data_key),
        epoch: stored.session_epoch,
    };
    let (id, session) =
        sessions(service, config).start(&passport.id, json!(data), service.now())?;
    Ok((id, session, key.to_text()))
}

/// The passport of a session, unlocked with the session key from the learner's cookie.
/// `NotSignedIn` when the passport is gone, the key does not fit or a recovery ended the
/// session.
pub fn from_session(
    service: &Service,
    session: &Session,
    key: Option<&str>,
) -> Result<Passport, PassportError> {
    let key = key
        .and_then(Key::from_text)
        .ok_or(PassportError::NotSignedIn)?;
    let data: SessionData =
        serde_json::from_value(session.data.clone()).map_err(|_| PassportError::NotSignedIn)?;
    let stored = service
        .store()
        .get_passport(&session.subject)?
        .ok_or(PassportError::NotSignedIn)?;
    if stored.session_epoch != data.epoch {
        return Err(PassportError::NotSignedIn);
    }
    let data_key = key
        .unwrap(&stored.id, "session", &data.wrapped)
        .ok_or(PassportError::NotSignedIn)?;
    unlock(&stored, data_key)
}

/// Deletes the passport: its keys, credentials and shares (which then show nothing). The
/// passport's sessions open nothing afterwards.
pub async fn delete(service: &Service, passport: Passport) -> Result<usize, PassportError> {
    let removed = service.store().delete_passport(&passport.id)?;
    service.store().durable().await?;
    Ok(removed)
}

/// When the passport was created.
pub fn created(service: &Service, passport: &Passport) -> Result<DateTime<Utc>, PassportError> {
    Ok(service
        .store()
        .get_passport(&passport.id)?
        .ok_or(PassportError::NotSignedIn)?
        .created)
}
