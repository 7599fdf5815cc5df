//! Print and social for a credential on this node ([`crate::social`]), public by credential id
//! like the employer page (`/verify/{id}`) and its QR codes: the id is the capability the
//! learner hands out, and these show nothing the employer page does not.
//!
//! - `GET /credentials/{id}/certificate`: a printable certificate, exactly one A4 page (print
//!   CSS: `@page` A4 without margins, a sheet of 210 × 297 mm that hides what does not fit),
//!   with the QR code of the verification page and LinkedIn's "Add to profile" link (screen only).
//! - `GET /credentials/{id}/badge.svg`: the badge image made from the issuer, the achievement and
//!   its level, usable as OB 3.0 `achievement.image`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::{blocking, ApiError, AppState};
use crate::social::{self, Facts};

mod messages;

use messages::PrintMessages;

const MESSAGES: &PrintMessages = &messages::EN;

/// Inline CSS, `data:` images, nothing else.
const PRINT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credentials/{id}/certificate", get(certificate))
        .route("/credentials/{id}/badge.svg", get(badge))
}

#[derive(askama::Template)]
#[template(path = "print/certificate.html")]
struct Certificate {
    m: &'static PrintMessages,
    title: String,
    issuer: String,
    learner: String,
    achievement: String,
    level: Option<String>,
    awarded: Option<String>,
    qr: String,
    verify_url: String,
    linkedin: String,
}

#[derive(askama::Template)]
#[template(path = "print/badge.svg")]
struct Badge {
    title: String,
    issuer: Vec<String>,
    achievement: Vec<String>,
    achievement_y: u32,
    level: Option<String>,
}

/// The stored credential's facts and its verification URL; 404 envelope for an unknown id.
async fn load(state: &State<AppState>, id: String) -> Result<(Facts, String), ApiError> {
    blocking(state, move |s| {
        let stored = s.credential(&id)?;
        Ok((social::facts(&stored.credential), s.verify_page_url(&id)))
    })
    .await
}

/// `GET /credentials/{id}/certificate`.
async fn certificate(state: State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (facts, verify_url) = load(&state, id).await?;
    let m = MESSAGES;
    let svg = crate::qr::svg(&verify_url).map_err(ApiError::internal)?;
    let svg = svg
        .strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#)
        .unwrap_or(&svg);
    let achievement = facts
        .achievement
        .clone()
        .unwrap_or_else(|| m.not_stated.to_owned());
    let page = Certificate {
        m,
        title: m.title.replace("{achievement}", &achievement),
        issuer: facts.issuer.clone().unwrap_or_else(|| m.not_stated.into()),
        learner: facts.learner.clone().unwrap_or_else(|| m.not_stated.into()),
        achievement,
        level: facts.level.clone(),
        awarded: facts.awarded.map(|d| d.format(m.date_format).to_string()),
        qr: format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)),
        linkedin: social::linkedin_add_to_profile(&facts, &verify_url),
        verify_url,
    };
    let body = askama::Template::render(&page).map_err(ApiError::internal)?;
    Ok(respond("text/html; charset=utf-8", body, "no-store"))
}

/// `GET /credentials/{id}/badge.svg`.
async fn badge(state: State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (facts, _) = load(&state, id).await?;
    let achievement_name = facts.achievement.clone().unwrap_or_default();
    let issuer = social::wrap(facts.issuer.as_deref().unwrap_or_default(), 30, 2);
    let achievement = social::wrap(&achievement_name, 22, 4);
    // Centre the achievement's lines around y = 200.
    let achievement_y =
        200u32.saturating_sub(29 * (achievement.len() as u32).saturating_sub(1) / 2) - 10;
    let level = facts
        .level
        .as_deref()
        .map(|l| l.split(" (").next().unwrap_or(l).to_owned())
        .map(|l| social::wrap(&l, 24, 1).join(""));
    let svg = Badge {
        title: match &facts.issuer {
            Some(issuer) => format!("{achievement_name} — {issuer}"),
            None => achievement_name.clone(),
        },
        issuer,
        achievement,
        achievement_y,
        level,
    };
    let body = askama::Template::render(&svg).map_err(ApiError::internal)?;
    // The content changes only with the credential, which never changes.
    Ok(respond("image/svg+xml", body, "public, max-age=86400"))
}

fn respond(content_type: &'static str, body: String, cache: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, cache),
        (header::CONTENT_SECURITY_POLICY, PRINT_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
