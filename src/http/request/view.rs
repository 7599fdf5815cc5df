//! The request pages' view model: the form, the waiting page with its QR codes, and the result
//! (each answering credential as the employer page shows it, with its recognition). Every fixed
//! word comes from [`RequestMessages`]; the templates (`templates/request/`) only lay it out.

use askama::Template;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};

use super::messages::RequestMessages;
use crate::frameworks::FrameworkRegistry;
use crate::http::page::sentence::{data, fill, text, Part, Sentence};
use crate::i18n::levels::level_name;
use crate::i18n::{Lang, LangSwitch};
use crate::qr;
use crate::verifier::query::{Query, Wanted};
use crate::verifier::request::Protocol;

/// A framework in the form's lists.
pub struct FrameworkOption {
    pub id: String,
    pub name: String,
    /// `(value, label)` of each level: `FRAMEWORK|CODE`, `CODE — name`.
    pub levels: Vec<(String, String)>,
}

/// The frameworks of the registry, for the form.
pub fn framework_options(lang: Lang, registry: &FrameworkRegistry) -> Vec<FrameworkOption> {
    registry
        .frameworks()
        .map(|fw| FrameworkOption {
            id: fw.id.clone(),
            name: fw.name.clone(),
            levels: fw
                .levels
                .iter()
                .map(|l| {
                    (
                        format!("{}|{}", fw.id, l.code),
                        format!(
                            "{} {} — {}",
                            fw.id,
                            l.code,
                            level_name(lang, &fw.id, &l.code, &l.name)
                        ),
                    )
                })
                .collect(),
        })
        .collect()
}

/// `GET /verify/request`: what to ask for.
#[derive(Template)]
#[template(path = "request/form.html")]
pub struct FormPage {
    pub m: &'static RequestMessages,
    /// The language switch: links to this page (`?lang=`, relative) in every language.
    pub switch: LangSwitch,
    pub frameworks: Vec<FrameworkOption>,
    /// Why the last attempt was refused.
    pub error: Option<Sentence>,
}

/// A link a wallet opens and its QR code.
pub struct Way {
    pub link: String,
    /// `data:image/svg+xml;base64,…`; `None` when the link is too long for a code.
    pub qr: Option<String>,
}

impl Way {
    pub fn new(link: String) -> Way {
        let qr = qr::svg(&link).ok().map(|svg| {
            let svg = svg
                .strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#)
                .unwrap_or(&svg)
                .to_owned();
            format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg))
        });
        Way { link, qr }
    }
}

/// `GET /verify/request/{id}`.
#[derive(Template)]
#[template(path = "request/page.html")]
pub struct RequestPage {
    pub m: &'static RequestMessages,
    /// The language switch: links to this page (`?lang=`, relative) in every language.
    pub switch: LangSwitch,
    pub title: String,
    /// Seconds between refreshes while waiting; `None` once answered.
    pub refresh: Option<u32>,
    pub asked: Vec<Sentence>,
    pub body: Body,
}

pub enum Body {
    Pending {
        text: Sentence,
        oid4vp: Way,
        lcw: Way,
        /// `/passport/answer/{id}`: answer with the passport of this node.
        passport: String,
        expires: Sentence,
    },
    Checking,
    Accepted {
        answered_by: Sentence,
        credentials: Vec<AnsweredView>,
        notes: Vec<String>,
    },
    Refused {
        could_not_check: bool,
        answered_by: Option<Sentence>,
        reasons: Vec<String>,
    },
    Closed {
        class: &'static str,
        heading: &'static str,
        text: &'static str,
    },
}

/// One answering credential: the employer page's section, and its recognition.
pub struct AnsweredView {
    /// The employer page's verdict and details, rendered (escaped) by its own templates.
    pub section: String,
    pub recognition: Option<RecognitionView>,
}

pub struct RecognitionView {
    pub heading: Sentence,
    /// The recognition engine's explanation, sentence by sentence, in the page's language
    /// where it has the words (each sentence's `lang` says).
    pub explanation: Vec<crate::i18n::recognition::Said>,
    pub error: Option<Sentence>,
}

/// What was asked, in words.
pub fn asked(m: &RequestMessages, query: &Query) -> Vec<Sentence> {
    let mut out = vec![match &query.wanted {
        Wanted::AnyBadge => fill(m.asked_any, &[]),
        Wanted::Achievement { id, name } => fill(
            m.asked_achievement,
            &[(
                "achievement",
                data(name.clone().or_else(|| id.clone()).unwrap_or_default()),
            )],
        ),
        Wanted::MinimumLevel { framework, level } => fill(
            m.asked_level,
            &[
                ("level", data(level.clone())),
                ("framework", data(framework.clone())),
            ],
        ),
    }];
    if let Some(into) = &query.recognise_into {
        out.push(fill(
            m.asked_recognise,
            &[("framework", data(into.clone()))],
        ));
    }
    out
}

pub fn time(m: &RequestMessages, t: DateTime<Utc>) -> Part {
    text(t.format(m.time_format).to_string())
}

pub fn protocol_name(m: &RequestMessages, p: Protocol) -> &'static str {
    match p {
        Protocol::Oid4vp => m.protocol_oid4vp,
        Protocol::Vcapi => m.protocol_vcapi,
        Protocol::Passport => m.protocol_passport,
    }
}
