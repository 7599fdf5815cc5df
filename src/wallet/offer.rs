//! Claim offers: an institution offers one issued credential to its learner, who claims it once
//! into a wallet.
//!
//! An offer has a random id (in the claim page's URL and the OpenID4VCI offer), by default a
//! six-digit one-time code that the institution hands over by another channel, an expiry, and a
//! secret interaction URL for Learner Credential Wallet. The institution can withdraw an open
//! offer and make a new one (a lost phone). Claiming issues the wallet its own copy of the
//! credential ([`super::binding`]), signed eddsa-rdfc-2022, and closes the offer: of two
//! concurrent claims exactly one wins. Offers, wrong codes, locks and claims are in the audit
//! trail.

use chrono::{DateTime, SecondsFormat, Utc};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::binding::{self, BindError};
use super::tickets;
use super::{WalletConfig, WalletError};
use crate::proof::Cryptosuite;
use crate::service::{Service, ServiceError};
use crate::store::{Institution, OfferState, StoreError, StoredCredential, StoredOffer};

/// Digits of a one-time code.
pub const TX_CODE_LENGTH: usize = 6;

/// What an institution may choose when it makes an offer.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OfferOptions {
    /// Guard the offer with a one-time code (default `true`).
    #[serde(default = "yes")]
    pub tx_code: bool,
    /// When the offer expires (default: the service's offer lifetime, 30 days).
    #[serde(default)]
    pub expires: Option<DateTime<Utc>>,
    /// Keep the student number in the wallet's copy beside the name (default `false`).
    #[serde(default)]
    pub keep_identifier: bool,
}

fn yes() -> bool {
    true
}

impl Default for OfferOptions {
    fn default() -> Self {
        OfferOptions {
            tx_code: true,
            expires: None,
            keep_identifier: false,
        }
    }
}

/// The links of an offer, all derived from the public URL, the offer and the institution.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OfferLinks {
    /// The learner's claim page.
    pub claim_url: String,
    /// `openid-credential-offer://?credential_offer_uri=…`, for OpenID4VCI wallets.
    pub credential_offer: String,
    /// Where an OpenID4VCI wallet fetches the offer.
    pub credential_offer_uri: String,
    /// The VC-API interaction URL for Learner Credential Wallet (a secret: it claims the
    /// credential without the one-time code, which LCW cannot send).
    pub interaction_url: String,
}

/// An offer as its institution sees it (no secrets).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
    pub id: String,
    pub credential: String,
    pub created: String,
    pub expires: String,
    /// `open`, `claimed`, `withdrawn`, `locked` or `expired`.
    pub state: &'static str,
    pub has_tx_code: bool,
    pub failed_tx_codes: u32,
    pub keep_identifier: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed: Option<ClaimView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
}

/// Who claimed an offer, when, how, and the id of the credential the wallet got.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimView {
    pub at: String,
    pub holder: String,
    pub credential: String,
    pub protocol: String,
}

/// A new offer, as answered once to the institution: the one-time code is not kept.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOffer {
    #[serde(flatten)]
    pub offer: OfferView,
    #[serde(flatten)]
    pub links: OfferLinks,
    /// The one-time code, shown only now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_code: Option<String>,
}

/// How a wallet claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    OpenId4Vci,
    VcApi,
    /// Into the learner's hosted passport on this node ([`crate::passport`]).
    Passport,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::OpenId4Vci => "openid4vci",
            Protocol::VcApi => "vcapi",
            Protocol::Passport => "passport",
        }
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Percent-encodes `s` (e.g. a URL) as one query value: everything but RFC 3986's unreserved
/// characters.
pub(crate) fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The OpenID4VCI credential issuer identifier of an institution: `{public}/institutions/{id}`.
pub fn credential_issuer(service: &Service, institution: &str) -> String {
    format!("{}/institutions/{institution}", service.public_url())
}

/// The links of `offer`.
pub fn links(service: &Service, offer: &StoredOffer) -> OfferLinks {
    let base = service.public_url();
    let credential_offer_uri = format!("{base}/oid4vci/offers/{}", offer.id);
    OfferLinks {
        claim_url: format!("{base}/claim/{}", offer.id),
        credential_offer: format!(
            "openid-credential-offer://?credential_offer_uri={}",
            query_value(&credential_offer_uri)
        ),
        credential_offer_uri,
        interaction_url: interaction_url(service, offer),
    }
}

/// The VC-API interaction URL; `iuv=1` is how Learner Credential Wallet recognises one.
pub fn interaction_url(service: &Service, offer: &StoredOffer) -> String {
    format!(
        "{}/wallet/interactions/{}/{}?iuv=1",
        service.public_url(),
        offer.id,
        offer.interaction_secret
    )
}

/// The offer's state at `now`, in one word.
pub fn state_name(offer: &StoredOffer, now: DateTime<Utc>) -> &'static str {
    match offer.state {
        OfferState::Open if offer.expires < now => "expired",
        OfferState::Open => "open",
        OfferState::Claimed { .. } => "claimed",
        OfferState::Withdrawn { .. } => "withdrawn",
        OfferState::Locked { .. } => "locked",
    }
}

/// The institution's view of `offer`.
pub fn view(offer: &StoredOffer, now: DateTime<Utc>) -> OfferView {
    OfferView {
        id: offer.id.clone(),
        credential: offer.credential.clone(),
        created: rfc3339(offer.created),
        expires: rfc3339(offer.expires),
        state: state_name(offer, now),
        has_tx_code: offer.tx_code_hash.is_some(),
        failed_tx_codes: offer.failed_codes,
        keep_identifier: offer.keep_identifier,
        claimed: match &offer.state {
            OfferState::Claimed {
                at,
                holder,
                credential,
                protocol,
            } => Some(ClaimView {
                at: rfc3339(*at),
                holder: holder.clone(),
                credential: credential.clone(),
                protocol: protocol.clone(),
            }),
            _ => None,
        },
        withdrawn: match &offer.state {
            OfferState::Withdrawn { at } => Some(rfc3339(*at)),
            _ => None,
        },
    }
}

fn code_hash(offer_id: &str, code: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(offer_id.as_bytes());
    hash.update([0]);
    hash.update(code.as_bytes());
    hash.finalize().into()
}

/// A uniformly random code of [`TX_CODE_LENGTH`] digits.
fn new_code() -> String {
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let n = OsRng.next_u32();
        if n < LIMIT {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// The institution's own credential, or `NotFound` (another institution's credential is
/// not revealed to exist).
fn own_credential(
    service: &Service,
    institution: &Institution,
    credential: &str,
) -> Result<StoredCredential, ServiceError> {
    match service.store().get_credential(credential)? {
        Some(c) if c.institution == institution.id => Ok(c),
        _ => Err(ServiceError::NotFound(format!(
            "credential not found: {credential}"
        ))),
    }
}

fn bind_error(e: BindError) -> ServiceError {
    ServiceError::Conflict(e.to_string())
}

/// Makes an offer of `credential` (one of `institution`'s, not revoked, not yet bound to a
/// holder) and answers its links and one-time code.
pub async fn create(
    service: &Service,
    config: &WalletConfig,
    institution: &Institution,
    credential: &str,
    options: &OfferOptions,
) -> Result<NewOffer, ServiceError> {
    create_by(
        service,
        config,
        institution,
        credential,
        options,
        &institution.id,
    )
    .await
}

/// [`create`], audited as made by `actor` (a person in the console: `console:<account id>`).
pub async fn create_by(
    service: &Service,
    config: &WalletConfig,
    institution: &Institution,
    credential: &str,
    options: &OfferOptions,
    actor: &str,
) -> Result<NewOffer, ServiceError> {
    let stored = own_credential(service, institution, credential)?;
    binding::check_bindable(&stored.credential).map_err(bind_error)?;
    if service.status_is_set(&stored, "revocation")? {
        return Err(ServiceError::Conflict(
            "the credential is revoked; a revoked credential cannot be offered".into(),
        ));
    }
    let now = service.now();
    let expires = options.expires.unwrap_or(now + config.offer_ttl);
    if expires <= now {
        return Err(ServiceError::Unprocessable(
            "expires must be in the future".into(),
        ));
    }
    if expires > now + config.max_offer_ttl {
        return Err(ServiceError::Unprocessable(format!(
            "expires must be within {} days",
            config.max_offer_ttl.num_days()
        )));
    }
    let id = tickets::random_token(16);
    let code = options.tx_code.then(new_code);
    let offer = StoredOffer {
        id: id.clone(),
        institution: institution.id.clone(),
        credential: stored.id.clone(),
        keep_identifier: options.keep_identifier,
        created: now,
        expires,
        tx_code_hash: code.as_deref().map(|c| code_hash(&id, c)),
        failed_codes: 0,
        interaction_secret: tickets::secret(),
        state: OfferState::Open,
    };
    service.store().insert_offer(&offer)?;
    service.audit(actor, Some(&institution.id), "offer", Some(&id))?;
    service.store().durable().await?;
    Ok(NewOffer {
        offer: view(&offer, now),
        links: links(service, &offer),
        tx_code: code,
    })
}

/// The offers made for one of `institution`'s credentials, oldest first.
pub fn list(
    service: &Service,
    institution: &Institution,
    credential: &str,
) -> Result<Vec<OfferView>, ServiceError> {
    let stored = own_credential(service, institution, credential)?;
    let now = service.now();
    Ok(service
        .store()
        .list_offers(&stored.id)?
        .iter()
        .map(|o| view(o, now))
        .collect())
}

/// One of the offers of one of `institution`'s credentials; `NotFound` otherwise.
pub fn own_offer(
    service: &Service,
    institution: &Institution,
    credential: &str,
    offer_id: &str,
) -> Result<StoredOffer, ServiceError> {
    let stored = own_credential(service, institution, credential)?;
    service
        .store()
        .get_offer(offer_id)?
        .filter(|o| o.credential == stored.id)
        .ok_or_else(|| ServiceError::NotFound(format!("offer not found: {offer_id}")))
}

/// Withdraws an open offer. A claimed offer cannot be withdrawn (revoke the credential).
pub async fn withdraw(
    service: &Service,
    institution: &Institution,
    credential: &str,
    offer_id: &str,
) -> Result<OfferView, ServiceError> {
    withdraw_by(service, institution, credential, offer_id, &institution.id).await
}

/// [`withdraw`], audited as done by `actor`.
pub async fn withdraw_by(
    service: &Service,
    institution: &Institution,
    credential: &str,
    offer_id: &str,
    actor: &str,
) -> Result<OfferView, ServiceError> {
    own_offer(service, institution, credential, offer_id)?;
    let now = service.now();
    let updated = service
        .store()
        .update_offer(offer_id, &mut |o| match o.state {
            OfferState::Claimed { .. } => Err(StoreError::Invalid(
                "the offer has been claimed already; revoke the credential instead".into(),
            )),
            OfferState::Withdrawn { .. } => Err(StoreError::Invalid(
                "the offer was withdrawn already".into(),
            )),
            _ => {
                o.state = OfferState::Withdrawn { at: now };
                Ok(())
            }
        })
        .map_err(|e| match e {
            StoreError::Invalid(m) => ServiceError::Conflict(m),
            other => other.into(),
        })?;
    service.audit(
        actor,
        Some(&institution.id),
        "withdraw-offer",
        Some(offer_id),
    )?;
    service.store().durable().await?;
    Ok(view(&updated, now))
}

/// The offer if it can still be claimed now (open and not expired).
pub fn open(service: &Service, offer_id: &str) -> Result<StoredOffer, WalletError> {
    let offer = service
        .store()
        .get_offer(offer_id)?
        .ok_or(WalletError::UnknownOffer)?;
    check_open(&offer, service.now())?;
    Ok(offer)
}

fn check_open(offer: &StoredOffer, now: DateTime<Utc>) -> Result<(), WalletError> {
    match offer.state {
        OfferState::Claimed { .. } => Err(WalletError::Claimed),
        OfferState::Withdrawn { .. } => Err(WalletError::Withdrawn),
        OfferState::Locked { .. } => Err(WalletError::Locked),
        OfferState::Open if offer.expires < now => Err(WalletError::Expired(offer.expires)),
        OfferState::Open => Ok(()),
    }
}

/// Checks the one-time code of an open offer (`None` when the caller sent none). A wrong code
/// counts, durably; at the configured limit the offer locks.
pub async fn check_code(
    service: &Service,
    config: &WalletConfig,
    offer_id: &str,
    code: Option<&str>,
) -> Result<StoredOffer, WalletError> {
    let offer = open(service, offer_id)?;
    let Some(expected) = offer.tx_code_hash else {
        return Ok(offer);
    };
    let code = code.ok_or(WalletError::CodeRequired)?;
    if bool::from(code_hash(&offer.id, code.trim()).ct_eq(&expected)) {
        return Ok(offer);
    }
    let now = service.now();
    let max = config.max_failed_codes;
    let updated = service.store().update_offer(offer_id, &mut |o| {
        if o.state == OfferState::Open {
            o.failed_codes += 1;
            if o.failed_codes >= max {
                o.state = OfferState::Locked { at: now };
            }
        }
        Ok(())
    })?;
    let action = if matches!(updated.state, OfferState::Locked { .. }) {
        "lock-offer"
    } else {
        "wrong-offer-code"
    };
    service.audit("wallet", Some(&offer.institution), action, Some(offer_id))?;
    service.store().durable().await?;
    match updated.state {
        OfferState::Locked { .. } => Err(WalletError::Locked),
        _ => Err(WalletError::WrongCode {
            remaining: max.saturating_sub(updated.failed_codes),
        }),
    }
}

/// The credential on offer, as issued (unbound): what the claim page's "Download" gives.
pub fn offered_credential(
    service: &Service,
    offer: &StoredOffer,
) -> Result<StoredCredential, WalletError> {
    service
        .store()
        .get_credential(&offer.credential)?
        .ok_or_else(|| {
            WalletError::Service(ServiceError::Internal(format!(
                "offer {} points at missing credential {}",
                offer.id, offer.credential
            )))
        })
}

/// Claims an open offer for `holder` (a DID the wallet proved it controls): issues the
/// wallet's copy of the credential, signed eddsa-rdfc-2022, and closes the offer. Of two
/// concurrent claims exactly one gets a credential; the other gets [`WalletError::Claimed`].
pub async fn claim(
    service: &Service,
    offer_id: &str,
    holder: &str,
    protocol: Protocol,
) -> Result<Value, WalletError> {
    if !holder.starts_with("did:") || holder.len() < 8 {
        return Err(WalletError::NotADid(holder.to_owned()));
    }
    let offer = open(service, offer_id)?;
    let original = offered_credential(service, &offer)?;
    if service.status_is_set(&original, "revocation")? {
        return Err(WalletError::Service(ServiceError::Conflict(
            "the credential has been revoked by the institution".into(),
        )));
    }
    let institution = service.institution(&offer.institution)?;
    let copy_id = format!("urn:uuid:{}", uuid::Uuid::new_v4());
    let unsigned = binding::bind(
        &original.credential,
        holder,
        &copy_id,
        offer.keep_identifier,
    )
    .map_err(bind_error)?;

    // Close the offer first: the state change is what makes the claim single use.
    let now = service.now();
    let claimed = OfferState::Claimed {
        at: now,
        holder: holder.to_owned(),
        credential: copy_id.clone(),
        protocol: protocol.name().to_owned(),
    };
    let mut lost = None;
    service
        .store()
        .update_offer(offer_id, &mut |o| {
            if let Err(e) = check_open(o, now) {
                lost = Some(e);
                return Err(StoreError::Invalid("offer no longer open".into()));
            }
            o.state = claimed.clone();
            Ok(())
        })
        .map_err(|e| match lost.take() {
            Some(why) => why,
            None => e.into(),
        })?;

    let issued = service
        .sign_and_store(
            &institution,
            unsigned,
            Cryptosuite::EddsaRdfc2022,
            original.status.clone(),
            None,
            Some("claim"),
        )
        .await;
    match issued {
        Ok(issued) => Ok(issued.credential),
        Err(e) => {
            // Nothing was issued: reopen the offer so the learner can try again.
            let reopened = service.store().update_offer(offer_id, &mut |o| {
                if o.state == claimed {
                    o.state = OfferState::Open;
                }
                Ok(())
            });
            if let Err(re) = reopened {
                tracing::error!(offer = offer_id, error = %re, "could not reopen an offer after a failed claim");
            }
            Err(e.into())
        }
    }
}
