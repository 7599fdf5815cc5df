//! Claim sheets: the claim offers of a class, made in one step so that a registrar can print a
//! slip per learner (the claim link as a QR code, the link, and the one-time code).
//!
//! A one-time code is kept only as a salted hash ([`crate::wallet::offer`]), so an offer made
//! earlier cannot be printed again with its code. Making a sheet therefore makes a new offer
//! for each credential, and then withdraws the open offers it had before: the newest sheet is
//! the one that works, and a lost or earlier sheet stops working. A credential already claimed
//! into a wallet, or revoked, gets no slip and is listed as skipped with the reason.

use chrono::{DateTime, Utc};

use super::search::{Row, Status};
use crate::service::{Service, ServiceError};
use crate::store::{Institution, OfferState};
use crate::wallet::offer::{self, NewOffer, OfferOptions};
use crate::wallet::WalletConfig;

/// Most slips on one sheet (and offers made in one request).
pub const MAX_SLIPS: usize = 200;

/// One learner's slip: the credential and its new offer (with the one-time code).
pub struct Slip {
    pub row: Row,
    pub offer: NewOffer,
    pub expires: DateTime<Utc>,
    /// Open offers of this credential withdrawn because this one replaces them.
    pub replaced: usize,
}

/// Why a credential got no slip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// The learner already took it into a wallet.
    Claimed,
    /// A revoked credential cannot be offered.
    Revoked,
    /// The service refused to offer it (e.g. it is already bound to a holder), in its words.
    Refused(String),
}

/// What a sheet holds.
pub struct Sheet {
    pub slips: Vec<Slip>,
    pub skipped: Vec<(Row, Skip)>,
}

/// Makes the offers of a sheet for `rows` (the institution's own credentials, at most
/// [`MAX_SLIPS`]), audited as made by `actor`. Offers have a one-time code and the service's
/// default lifetime ([`WalletConfig::offer_ttl`]).
pub async fn make(
    service: &Service,
    config: &WalletConfig,
    institution: &Institution,
    rows: Vec<Row>,
    actor: &str,
) -> Result<Sheet, ServiceError> {
    if rows.len() > MAX_SLIPS {
        return Err(ServiceError::Unprocessable(format!(
            "a claim sheet holds at most {MAX_SLIPS} learners; this one would hold {}",
            rows.len()
        )));
    }
    let now = service.now();
    let mut sheet = Sheet {
        slips: Vec::new(),
        skipped: Vec::new(),
    };
    for row in rows {
        if row.status == Status::Revoked {
            sheet.skipped.push((row, Skip::Revoked));
            continue;
        }
        let before = service.store().list_offers(&row.id)?;
        if before
            .iter()
            .any(|o| matches!(o.state, OfferState::Claimed { .. }))
        {
            sheet.skipped.push((row, Skip::Claimed));
            continue;
        }
        let made = offer::create_by(
            service,
            config,
            institution,
            &row.id,
            &OfferOptions::default(),
            actor,
        )
        .await;
        let made = match made {
            Ok(made) => made,
            Err(ServiceError::Conflict(m)) | Err(ServiceError::Unprocessable(m)) => {
                sheet.skipped.push((row, Skip::Refused(m)));
                continue;
            }
            Err(e) => return Err(e),
        };
        // The new offer first, then the old ones go: a failure leaves the learner an offer.
        let mut replaced = 0;
        for old in before
            .iter()
            .filter(|o| o.state == OfferState::Open && o.expires >= now)
        {
            offer::withdraw_by(service, institution, &row.id, &old.id, actor).await?;
            replaced += 1;
        }
        let expires = DateTime::parse_from_rfc3339(&made.offer.expires)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| ServiceError::Internal(format!("offer expiry: {e}")))?;
        sheet.slips.push(Slip {
            row,
            offer: made,
            expires,
            replaced,
        });
    }
    Ok(sheet)
}
