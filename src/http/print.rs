//! Print and social for a credential on this node ([`crate::social`]), public by credential id
//! like the employer page (`/verify/{id}`) and its QR codes: the id is the capability the
//! learner hands out, and these show nothing the employer page does not.
//!
//! - `GET /credentials/{id}/certificate`: a printable certificate, exactly one A4 page (print
//!   CSS: `@page` A4 without margins, a sheet of 210 × 297 mm that hides what does not fit),
//!   with the QR code of the verification page and LinkedIn's "Add to profile" link (screen only).
//!   In the reader's language like the employer page (`?lang=`, the `lang` cookie,
//!   `Accept-Language`, the issuer's country, English), with the language switch on screen.
//! - `GET /credentials/{id}/badge.svg`: the badge image made from the issuer, the achievement and
//!   its level, usable as OB 3.0 `achievement.image`. `?lang=` asks for a language; without it
//!   the badge is in the achievement's own language (`inLanguage`), so the image at the plain
//!   address never changes with the reader.
//!
//! Every fixed word is a message of `locales/<tag>/print.ftl`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use super::lang::ReaderLang;
use super::{blocking, ApiError, AppState};
use crate::i18n::levels::level_name;
use crate::i18n::{self, countries, Arg, Lang, LangSwitch};
use crate::social::{self, Facts, LevelFact, Shown};

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
    lang: Lang,
    switch: LangSwitch,
    title: String,
    issuer: String,
    /// The issuer's country in the page's language.
    country: Option<String>,
    /// The learner's names: as written, then in the script of their own language.
    learner: Vec<String>,
    achievement: Shown,
    /// "Not in Thai: shown in English", when the achievement's name fell back.
    fallback: Option<String>,
    level: Option<String>,
    awarded: Option<String>,
    qr: String,
    verify_url: String,
    linkedin: String,
}

/// The certificate page when there is no certificate to show: an unknown credential (404) or
/// a failure (500), in the reader's language.
#[derive(askama::Template)]
#[template(path = "print/problem.html")]
struct Problem {
    lang: Lang,
    switch: LangSwitch,
    title: String,
    text: String,
}

#[derive(askama::Template)]
#[template(path = "print/badge.svg")]
struct Badge {
    /// The language of the badge's own words (`xml:lang` of the image).
    lang: &'static str,
    title: String,
    issuer: Vec<String>,
    /// The achievement name's language, when the credential says.
    achievement_lang: Option<String>,
    achievement: Vec<String>,
    achievement_y: u32,
    level: Option<String>,
}

/// The stored credential and its verification URL; 404 envelope for an unknown id.
async fn load(state: &State<AppState>, id: String) -> Result<(Value, String), ApiError> {
    blocking(state, move |s| {
        let stored = s.credential(&id)?;
        Ok((stored.credential, s.verify_page_url(&id)))
    })
    .await
}

/// The level in words in `lang` (`ISCED-2011 level 5`), with the level's name from the
/// framework data when `named`.
fn level_words(lang: Lang, level: &LevelFact, named: bool) -> String {
    let words = lang.t_args(
        "print-level",
        &[
            ("framework", Arg::from(level.framework.as_str())),
            ("code", Arg::from(level.code.as_str())),
        ],
    );
    match (&level.name, named) {
        (Some(name), true) => {
            let name = level_name(lang, &level.framework, &level.code, name);
            format!("{words} ({name})")
        }
        _ => words,
    }
}

/// `GET /credentials/{id}/certificate`: the certificate, or a page saying why there is none
/// (HTML in the reader's language: a person opened it).
async fn certificate(
    state: State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
) -> Response {
    let failed = match certificate_page(state, id, &reader).await {
        Ok(response) => return response,
        Err(e) => e,
    };
    let lang = reader.negotiate(None);
    let (title, text) = if failed.status == StatusCode::NOT_FOUND {
        ("print-not-found-title", "print-not-found-text")
    } else {
        ("print-failed-title", "print-failed-text")
    };
    let page = Problem {
        lang,
        switch: LangSwitch::new(lang, "", reader.query.as_deref()),
        title: lang.t(title),
        text: lang.t(text),
    };
    match askama::Template::render(&page) {
        Ok(body) => {
            let mut response = respond("text/html; charset=utf-8", body, "no-store");
            *response.status_mut() = failed.status;
            reader.finish(lang, response)
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn certificate_page(
    state: State<AppState>,
    id: String,
    reader: &ReaderLang,
) -> Result<Response, ApiError> {
    let (vc, verify_url) = load(&state, id).await?;
    let facts = social::facts(&vc);
    let country = social::issuer_country(&vc);
    let lang = reader.negotiate(country.as_deref().and_then(Lang::for_country));
    let not_stated = || lang.t("print-not-stated");
    let svg = crate::qr::svg(&verify_url).map_err(ApiError::internal)?;
    let svg = svg
        .strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#)
        .unwrap_or(&svg);
    let achievement = social::achievement_name_in(&vc, Some(lang)).unwrap_or_else(|| Shown {
        text: not_stated(),
        lang: None,
        fell_back: None,
    });
    let fallback = achievement.fell_back.as_deref().map(|shown| {
        lang.t_args(
            "employer-shown-in",
            &[
                ("reader", Arg::from(lang.native_name())),
                ("shown", Arg::from(language_name(shown))),
            ],
        )
    });
    let mut learner = social::learner_names(&vc);
    if learner.is_empty() {
        learner.push(not_stated());
    }
    // LinkedIn gets the name the reader reads (the learner adds it to their own profile).
    let linked = Facts {
        achievement: Some(achievement.text.clone()),
        ..facts.clone()
    };
    let page = Certificate {
        lang,
        // Relative links: the same certificate in another language.
        switch: LangSwitch::new(lang, "", reader.query.as_deref()),
        title: lang.t_args(
            "print-title",
            &[("achievement", Arg::from(achievement.text.as_str()))],
        ),
        issuer: facts.issuer.clone().unwrap_or_else(not_stated),
        country: country.map(|c| countries::name(lang, &c)),
        learner,
        achievement,
        fallback,
        level: facts.level.as_ref().map(|l| level_words(lang, l, true)),
        awarded: facts.awarded.map(|d| {
            lang.t_args(
                "print-awarded-on",
                &[(
                    "date",
                    Arg::from(i18n::date::long_date(lang, d.date_naive())),
                )],
            )
        }),
        qr: format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)),
        linkedin: social::linkedin_add_to_profile(&linked, &verify_url),
        verify_url,
    };
    let body = askama::Template::render(&page).map_err(ApiError::internal)?;
    Ok(reader.finish(lang, respond("text/html; charset=utf-8", body, "no-store")))
}

/// A language's name for the fallback note: its name in itself when the service has it.
fn language_name(tag: &str) -> String {
    match Lang::from_tag(tag) {
        Some(lang) => lang.native_name().to_owned(),
        None if tag == "und" => "?".to_owned(),
        None => tag.to_owned(),
    }
}

/// `GET /credentials/{id}/badge.svg[?lang=…]`.
async fn badge(
    state: State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
) -> Result<Response, ApiError> {
    let (vc, _) = load(&state, id).await?;
    let facts = social::facts(&vc);
    let chosen = reader.requested.chosen();
    let lang = chosen
        .or_else(|| social::achievement_language(&vc))
        .unwrap_or(Lang::En);
    let shown = social::achievement_name_in(&vc, chosen);
    let achievement_name = shown.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    let issuer = social::wrap(facts.issuer.as_deref().unwrap_or_default(), 30, 2);
    let achievement = social::wrap(&achievement_name, 22, 4);
    // Centre the achievement's lines around y = 200.
    let achievement_y =
        200u32.saturating_sub(29 * (achievement.len() as u32).saturating_sub(1) / 2) - 10;
    let level = facts
        .level
        .as_ref()
        .map(|l| social::wrap(&level_words(lang, l, false), 24, 1).join(""));
    let svg = Badge {
        lang: lang.tag(),
        title: match &facts.issuer {
            Some(issuer) => format!("{achievement_name} — {issuer}"),
            None => achievement_name.clone(),
        },
        issuer,
        achievement_lang: shown.and_then(|s| s.lang),
        achievement,
        achievement_y,
        level,
    };
    let body = askama::Template::render(&svg).map_err(ApiError::internal)?;
    // The content changes only with the credential (which never changes) and `?lang=`, which
    // is part of the address.
    let mut response = respond("image/svg+xml", body, "public, max-age=86400");
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    Ok(response)
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
