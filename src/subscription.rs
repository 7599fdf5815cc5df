//! The registry subscription: this node follows the alliance registry that another node (the
//! secretariat) publishes at its `GET /registry`.
//!
//! A [`Subscription`] names the document's URL and its publisher's DID (pinned: a document
//! signed by anyone else is refused). [`Subscription::refresh`] fetches the document through the
//! guarded fetcher ([`crate::fetch`], kind `Registry`; the registry's host is allowed because it
//! is configured, [`registry_host`]), verifies its signature, publisher and validity window
//! ([`crate::registry::document::verify_registry`]) and, when a member differs from the store's, merges it
//! with [`Service::import_registry`] (the merge rule of `docs/REGISTRY.md`). [`Subscription::run`]
//! does that at start and then on a schedule, from a background task that `skillpass serve`
//! starts.
//!
//! When the publisher cannot be reached or its document is refused, nothing changes: the
//! members of the last good copy stay in the store, and [`Subscription::status`] says how old
//! that copy is and why the last attempt failed (`GET /registry/subscription`). A document older
//! than the one already imported (an earlier `validFrom`) is refused as a replay.
//!
//! The status is kept in memory: after a restart it is empty until the first attempt, while
//! the imported members, being in the store, stay.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::fetch::{DocumentKind, Fetcher};
use crate::registry::{self, Member};
use crate::service::{RegistryImport, Service};
use crate::verify::VerifyOptions;

/// The host (`host` or `host:port`, as an allow-list is asked about) of a registry URL, when
/// it is one a subscription can use: `https://…`, or `http://` to a loopback address (tests).
pub fn registry_host(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return None;
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return None;
    }
    let host = crate::fetch::guard::host_key(&parsed);
    let origin = format!("{}://{host}", parsed.scheme());
    registry::check_origin(&origin).ok()?;
    Some(host)
}

/// Following one publisher's registry document.
pub struct Subscription {
    url: String,
    publisher: String,
    refresh: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    last_attempt: Option<DateTime<Utc>>,
    last_success: Option<DateTime<Utc>>,
    /// `validFrom` and `validUntil` of the last good document.
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
    members: Option<usize>,
    last_change: Option<Change>,
    last_error: Option<Failure>,
}

/// When an import last changed this node's registry, and what it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub at: DateTime<Utc>,
    pub added: Vec<String>,
    pub updated: Vec<String>,
}

/// The last attempt that failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub at: DateTime<Utc>,
    pub error: String,
}

/// Where the subscription stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SubscriptionState {
    /// No attempt yet.
    Pending,
    /// The last attempt fetched, verified and (when something changed) imported the document.
    Current,
    /// The last attempt failed; the last good copy (`lastSuccess`, `ageSecs`) is in use.
    Stale,
    /// The last good copy's `validUntil` has passed; its members are still in the store, but
    /// the publisher has not been heard from within the document's validity.
    Expired,
    /// No attempt has succeeded since start-up.
    Failing,
}

/// What `GET /registry/subscription` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionStatus {
    pub subscribed: bool,
    pub url: String,
    pub publisher: String,
    pub refresh_secs: u64,
    pub state: SubscriptionState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<DateTime<Utc>>,
    /// When the document last fetched and verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_success: Option<DateTime<Utc>>,
    /// Seconds since `lastSuccess`: the age of the registry copy in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
    /// How many members the last good document listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_change: Option<Change>,
    /// The last failure, while it is more recent than the last success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<Failure>,
}

/// Why a refresh changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionError {
    /// The document could not be fetched (publisher down, refused by the fetcher's rules…).
    #[error("could not fetch the registry: {0}")]
    Fetch(String),
    /// The document was fetched but refused (signature, publisher, expiry, members, replay).
    #[error("the registry document was refused: {0}")]
    Refused(String),
    /// Verifying or importing could not be done (storage).
    #[error("could not import the registry: {0}")]
    Import(String),
}

fn parse_time(doc: &Value, field: &str) -> Option<DateTime<Utc>> {
    doc.get(field)
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

impl Subscription {
    /// Follows the document at `url` signed by `publisher`, fetched every `refresh`.
    pub fn new(url: &str, publisher: &str, refresh: Duration) -> Self {
        Subscription {
            url: url.to_owned(),
            publisher: publisher.to_owned(),
            refresh,
            state: Mutex::new(State::default()),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn publisher(&self) -> &str {
        &self.publisher
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fetches, verifies and (when a member differs) imports the document once. On failure
    /// nothing in the store changes, and the status keeps the last good copy's time.
    pub async fn refresh(
        &self,
        service: &Arc<Service>,
        fetcher: &Fetcher,
    ) -> Result<RegistryImport, SubscriptionError> {
        let started = service.now();
        self.state().last_attempt = Some(started);
        let result = self.attempt(service, fetcher).await;
        let now = service.now();
        let mut state = self.state();
        match &result {
            Ok((summary, valid_from, valid_until, members)) => {
                state.last_success = Some(now);
                state.valid_from = *valid_from;
                state.valid_until = *valid_until;
                state.members = Some(*members);
                state.last_error = None;
                if !summary.added.is_empty() || !summary.updated.is_empty() {
                    state.last_change = Some(Change {
                        at: now,
                        added: summary.added.clone(),
                        updated: summary.updated.clone(),
                    });
                }
                tracing::info!(
                    url = %self.url,
                    added = summary.added.len(),
                    updated = summary.updated.len(),
                    unchanged = summary.unchanged.len(),
                    "registry subscription refreshed"
                );
            }
            Err(e) => {
                tracing::warn!(url = %self.url, error = %e, "registry subscription attempt failed: the members already imported stay as they are");
                state.last_error = Some(Failure {
                    at: now,
                    error: e.to_string(),
                });
            }
        }
        result.map(|(summary, ..)| summary)
    }

    #[allow(clippy::type_complexity)]
    async fn attempt(
        &self,
        service: &Arc<Service>,
        fetcher: &Fetcher,
    ) -> Result<
        (
            RegistryImport,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
            usize,
        ),
        SubscriptionError,
    > {
        let fetched = fetcher
            .get(&self.url, DocumentKind::Registry)
            .await
            .map_err(|e| SubscriptionError::Fetch(e.to_string()))?;
        let document = fetched.document;
        let valid_from = parse_time(&document, "validFrom");
        let valid_until = parse_time(&document, "validUntil");
        let held = self.state().valid_from;
        if let (Some(new), Some(held)) = (valid_from, held) {
            if new < held {
                return Err(SubscriptionError::Refused(format!(
                    "its validFrom {new} is older than that of the copy already imported ({held}): a replay of an earlier snapshot"
                )));
            }
        }
        // Canonicalizing and checking the signature is CPU work: off the async threads.
        let (members, changed) = {
            let service = service.clone();
            let document = document.clone();
            let publisher = self.publisher.clone();
            tokio::task::spawn_blocking(
                move || -> Result<(Vec<Member>, bool), SubscriptionError> {
                    let options = VerifyOptions::new(service.now());
                    let members =
                        registry::document::verify_registry(&document, &publisher, &options)
                            .map_err(|e| match e {
                                registry::RegistryError::CannotCheck(m) => {
                                    SubscriptionError::Import(m)
                                }
                                other => SubscriptionError::Refused(other.to_string()),
                            })?;
                    let mut changed = false;
                    for member in &members {
                        let held = service
                            .store()
                            .get_member(&member.id)
                            .map_err(|e| SubscriptionError::Import(e.to_string()))?;
                        changed |= held.as_ref() != Some(member);
                    }
                    Ok((members, changed))
                },
            )
            .await
            .map_err(|e| SubscriptionError::Import(e.to_string()))??
        };
        let summary = if changed {
            service
                .import_registry(&document, &self.publisher, "registry-subscription")
                .await
                .map_err(|e| match e {
                    crate::service::ServiceError::Unprocessable(m)
                    | crate::service::ServiceError::Conflict(m) => SubscriptionError::Refused(m),
                    other => SubscriptionError::Import(other.to_string()),
                })?
        } else {
            RegistryImport {
                publisher: self.publisher.clone(),
                unchanged: members.iter().map(|m| m.id.clone()).collect(),
                ..RegistryImport::default()
            }
        };
        Ok((summary, valid_from, valid_until, members.len()))
    }

    /// Where the subscription stands at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> SubscriptionStatus {
        let state = self.state();
        let failed_last = match (&state.last_error, state.last_success) {
            (Some(f), Some(ok)) => f.at >= ok,
            (Some(_), None) => true,
            _ => false,
        };
        let expired = state.valid_until.is_some_and(|until| now > until);
        let kind = match (state.last_attempt, state.last_success) {
            (None, _) => SubscriptionState::Pending,
            (Some(_), None) if failed_last => SubscriptionState::Failing,
            (Some(_), None) => SubscriptionState::Pending,
            (Some(_), Some(_)) if expired => SubscriptionState::Expired,
            (Some(_), Some(_)) if failed_last => SubscriptionState::Stale,
            (Some(_), Some(_)) => SubscriptionState::Current,
        };
        SubscriptionStatus {
            subscribed: true,
            url: self.url.clone(),
            publisher: self.publisher.clone(),
            refresh_secs: self.refresh.as_secs(),
            state: kind,
            last_attempt: state.last_attempt,
            last_success: state.last_success,
            age_secs: state
                .last_success
                .map(|at| (now - at).num_seconds().max(0) as u64),
            valid_until: state.valid_until,
            members: state.members,
            last_change: state.last_change.clone(),
            last_error: state.last_error.clone().filter(|_| failed_last),
        }
    }

    /// Refreshes at once, then every `refresh`; after a failure, again within a minute (or
    /// `refresh`, when that is shorter). Runs until the task is dropped.
    pub async fn run(self: Arc<Self>, service: Arc<Service>, fetcher: Fetcher) {
        loop {
            let wait = match self.refresh(&service, &fetcher).await {
                Ok(_) => self.refresh,
                Err(_) => self.refresh.min(Duration::from_secs(60)),
            };
            tokio::time::sleep(wait).await;
        }
    }
}
