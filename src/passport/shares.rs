//! Share links: the learner picks credentials, and anyone with the link sees those and nothing
//! else until the share expires (30 days by default) or the learner withdraws it.
//!
//! The link carries a 256-bit secret. The store keeps the share under the hash of the secret,
//! and its content — the presentation of the picked credentials, signed by the learner's
//! holder key when the share is made, and the learner's note — sealed under a key derived
//! from the secret, so the share page needs no signed-in learner and the stored share opens
//! only with the link. The learner's own copy of the secret is sealed under the passport's
//! data key, so the passport page can show the link again. A withdrawn, expired or unknown
//! share, or one whose passport was deleted, is "gone": the page says nothing about the
//! learner. Each opening is recorded (the time only).

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::crypto::{hash_hex, Key};
use super::{InputProblem, Passport, PassportConfig, PassportError};
use crate::service::Service;
use crate::store::{StoreError, StoredShare};
use crate::wallet::tickets::random_token;

/// Longest note.
pub const MAX_NOTE: usize = 500;
/// Openings kept per share.
pub const MAX_OPENINGS: usize = 100;

const ID_DOMAIN: &str = "skillpass share id v1";

/// What a new share answers.
#[derive(Clone, Debug)]
pub struct NewShare {
    pub id: String,
    /// The share page's URL (the secret is in it).
    pub url: String,
    pub expires: DateTime<Utc>,
}

/// A share as its learner sees it.
#[derive(Clone, Debug)]
pub struct ShareView {
    pub id: String,
    pub url: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub withdrawn: Option<DateTime<Utc>>,
    pub opened: Vec<DateTime<Utc>>,
    pub credentials: usize,
    pub note: Option<String>,
    /// `active`, `expired` or `withdrawn`.
    pub state: &'static str,
}

/// An open share, for its page.
#[derive(Clone, Debug)]
pub struct OpenShare {
    pub id: String,
    /// The learner-signed presentation of the picked credentials.
    pub presentation: Value,
    pub note: Option<String>,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// The share page URL of a secret.
pub fn url(service: &Service, secret: &str) -> String {
    format!("{}/share/{secret}", service.public_url())
}

fn state(share: &StoredShare, now: DateTime<Utc>) -> &'static str {
    if share.withdrawn.is_some() {
        "withdrawn"
    } else if share.expires <= now {
        "expired"
    } else {
        "active"
    }
}

/// Shares the credentials `entries` of `passport` for `days` days (default: the configured
/// 30) with an optional note.
pub async fn create(
    passport: &Passport,
    service: &Service,
    config: &PassportConfig,
    entries: &[String],
    days: Option<i64>,
    note: Option<&str>,
) -> Result<NewShare, PassportError> {
    if entries.is_empty() {
        return Err(PassportError::BadInput(InputProblem::NothingPicked));
    }
    let ttl = match days {
        None => config.share_ttl,
        Some(d) if d >= 1 && Duration::days(d) <= config.max_share_ttl => Duration::days(d),
        Some(_) => {
            return Err(PassportError::BadInput(InputProblem::ShareDays(
                config.max_share_ttl.num_days(),
            )))
        }
    };
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(PassportError::BadInput(InputProblem::NoteLong(MAX_NOTE)));
    }
    let held = passport.credentials(service)?;
    let mut picked = Vec::new();
    for entry in entries {
        let found = held
            .iter()
            .find(|h| &h.entry == entry)
            .ok_or(PassportError::UnknownCredential)?;
        if !picked
            .iter()
            .any(|p: &&super::HeldCredential| p.entry == found.entry)
        {
            picked.push(found);
        }
    }
    let credentials: Vec<Value> = picked.iter().map(|h| h.credential.clone()).collect();
    let secret = random_token(32);
    let id = hash_hex(ID_DOMAIN, &secret);
    let presentation = passport.sign_presentation(
        service,
        &credentials,
        &id,
        Some(&crate::wallet::exchange::domain(service)),
    )?;
    let content = json!({"presentation": presentation, "note": note});
    let content =
        serde_json::to_vec(&content).map_err(|e| PassportError::Internal(e.to_string()))?;
    let now = service.now();
    let share = StoredShare {
        id: id.clone(),
        passport: passport.id.clone(),
        created: now,
        expires: now + ttl,
        withdrawn: None,
        opened: Vec::new(),
        content: Key::from_secret("share", &secret).seal(&id, "share", &content),
        link: passport
            .data_key
            .seal(&passport.id, &format!("share link {id}"), secret.as_bytes()),
        credentials: credentials.len(),
    };
    service.store().insert_share(&share)?;
    service.store().durable().await?;
    Ok(NewShare {
        id,
        url: url(service, &secret),
        expires: share.expires,
    })
}

/// The passport's shares, newest first.
pub fn list(passport: &Passport, service: &Service) -> Result<Vec<ShareView>, PassportError> {
    let now = service.now();
    let mut views = Vec::new();
    for share in service.store().list_shares(&passport.id)? {
        let secret = passport.data_key.open(
            &passport.id,
            &format!("share link {}", share.id),
            &share.link,
        )?;
        let secret = String::from_utf8(secret.to_vec())
            .map_err(|_| PassportError::Damaged("share link".into()))?;
        let note = open_content(&share, &secret)?
            .get("note")
            .and_then(Value::as_str)
            .map(str::to_owned);
        views.push(ShareView {
            id: share.id.clone(),
            url: url(service, &secret),
            created: share.created,
            expires: share.expires,
            withdrawn: share.withdrawn,
            opened: share.opened.clone(),
            credentials: share.credentials,
            note,
            state: state(&share, now),
        });
    }
    views.reverse();
    Ok(views)
}

fn open_content(share: &StoredShare, secret: &str) -> Result<Value, PassportError> {
    let bytes = Key::from_secret("share", secret).open(&share.id, "share", &share.content)?;
    serde_json::from_slice(&bytes).map_err(|_| PassportError::Damaged("share".into()))
}

/// Withdraws one of the passport's shares at once; withdrawing twice is fine.
pub async fn withdraw(
    passport: &Passport,
    service: &Service,
    id: &str,
) -> Result<(), PassportError> {
    match service.store().get_share(id)? {
        Some(share) if share.passport == passport.id => {}
        _ => return Err(PassportError::UnknownShare),
    }
    let now = service.now();
    service.store().update_share(id, &mut |s| {
        s.withdrawn.get_or_insert(now);
        Ok(())
    })?;
    service.store().durable().await?;
    Ok(())
}

/// Withdraws every share of `passport` whose presentation includes `credential` (the same
/// credential `id`, or the same document when it has none); shares withdrawn already are left
/// as they are. Answers how many were withdrawn now. The caller makes the store durable.
pub fn withdraw_including(
    passport: &Passport,
    service: &Service,
    credential: &Value,
) -> Result<usize, PassportError> {
    let same = |c: &Value| match (
        credential.get("id").and_then(Value::as_str),
        c.get("id").and_then(Value::as_str),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => c == credential,
    };
    let now = service.now();
    let mut count = 0;
    for share in service.store().list_shares(&passport.id)? {
        if share.withdrawn.is_some() {
            continue;
        }
        let secret = passport.data_key.open(
            &passport.id,
            &format!("share link {}", share.id),
            &share.link,
        )?;
        let secret = String::from_utf8(secret.to_vec())
            .map_err(|_| PassportError::Damaged("share link".into()))?;
        let content = open_content(&share, &secret)?;
        let includes = match content
            .get("presentation")
            .and_then(|p| p.get("verifiableCredential"))
        {
            Some(Value::Array(items)) => items.iter().any(same),
            Some(one) => same(one),
            None => false,
        };
        if includes {
            service.store().update_share(&share.id, &mut |s| {
                s.withdrawn.get_or_insert(now);
                Ok(())
            })?;
            count += 1;
        }
    }
    Ok(count)
}

/// Opens the share of link secret `secret` and records the opening; `UnknownShare` when it
/// is unknown, withdrawn, expired or its passport is gone (all alike, and nothing else said).
pub async fn open(service: &Service, secret: &str) -> Result<OpenShare, PassportError> {
    if secret.is_empty() || secret.len() > 128 {
        return Err(PassportError::UnknownShare);
    }
    let id = hash_hex(ID_DOMAIN, secret);
    let now = service.now();
    let share = service
        .store()
        .get_share(&id)?
        .ok_or(PassportError::UnknownShare)?;
    if state(&share, now) != "active" || service.store().get_passport(&share.passport)?.is_none() {
        return Err(PassportError::UnknownShare);
    }
    let content = open_content(&share, secret)?;
    match service.store().update_share(&id, &mut |s| {
        s.opened.push(now);
        if s.opened.len() > MAX_OPENINGS {
            let extra = s.opened.len() - MAX_OPENINGS;
            s.opened.drain(..extra);
        }
        Ok(())
    }) {
        Err(StoreError::NotFound { .. }) => return Err(PassportError::UnknownShare),
        other => other?,
    };
    service.store().durable().await?;
    Ok(OpenShare {
        id,
        presentation: content.get("presentation").cloned().unwrap_or(Value::Null),
        note: content
            .get("note")
            .and_then(Value::as_str)
            .map(str::to_owned),
        created: share.created,
        expires: share.expires,
    })
}
