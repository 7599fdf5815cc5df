//! The reader's language as a request states it (`?lang=`, the `lang` cookie,
//! `Accept-Language`), for the HTML pages. Choosing among them is [`crate::i18n::negotiate`].

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::Response;

use crate::i18n::{self, Lang, LangSwitch, Requested};

/// The cookie that keeps a language picked with the switch.
pub const COOKIE: &str = "lang";

/// What a page request asks for, and where it was: an extractor for page handlers.
#[derive(Clone, Debug)]
pub struct ReaderLang {
    pub requested: Requested,
    /// The request's path, percent-encoded as sent.
    pub path: String,
    /// The request's query, without `?`.
    pub query: Option<String>,
}

impl ReaderLang {
    /// The page's language, given the issuer's default when the page has an issuer.
    pub fn negotiate(&self, issuer_default: Option<Lang>) -> Lang {
        i18n::negotiate(&self.requested, issuer_default)
    }

    /// The language switch of this page.
    pub fn switch(&self, lang: Lang) -> LangSwitch {
        LangSwitch::new(lang, &self.path, self.query.as_deref())
    }

    /// `response` with `Content-Language`, `Vary` (the page differs by language) and, when
    /// the reader picked a language with `?lang=`, the cookie that keeps it.
    pub fn finish(&self, lang: Lang, mut response: Response) -> Response {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.tag()),
        );
        headers.append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        if let Some(chosen) = self.requested.chosen() {
            let cookie = format!(
                "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                chosen.tag()
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                headers.append(header::SET_COOKIE, v);
            }
        }
        response
    }
}

/// `parts` read into a [`ReaderLang`]; never rejects.
pub fn read(parts: &Parts) -> ReaderLang {
    let query = parts.uri.query().map(str::to_owned);
    let lang_param = query.as_deref().and_then(|q| {
        q.split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| v.to_owned())
    });
    let cookie = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned());
    let accept_language = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    ReaderLang {
        requested: Requested {
            query: lang_param,
            cookie,
            accept_language,
        },
        path: parts.uri.path().to_owned(),
        query,
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ReaderLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(read(parts))
    }
}
