//! The claim page's view model: what the learner sees about an offer, worked out from the
//! offer, the credential on offer and the institution, with every fixed word taken from
//! [`ClaimMessages`]. The templates (`templates/claim/`) only lay it out; the employer page's
//! escaper (`askama.toml`) escapes everything they print.

use askama::Template;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use super::messages::ClaimMessages;
use crate::credential::{framework_level, framework_name};
use crate::http::page::sentence::{data, fill, fill_text, text, Part, Sentence};
use crate::http::page::view::{first_object, text_field};
use crate::i18n::{self, countries, LangSwitch};
use crate::qr::{self, QrError};
use crate::store::Institution;
use crate::wallet::offer::TX_CODE_LENGTH;

/// The whole page: head, banner, body, footer.
#[derive(Template)]
#[template(path = "claim/page.html")]
pub struct ClaimPage {
    m: &'static ClaimMessages,
    /// The language switch: links to this page (`?lang=`) in every language.
    switch: LangSwitch,
    title: String,
    body: Body,
}

pub enum Body {
    /// An open offer.
    Offer(Box<OfferView>),
    /// An offer that cannot be claimed (or none at all).
    Closed(ClosedView),
}

/// An offer that cannot be claimed: why, and what to do.
pub struct ClosedView {
    /// `gone`, `locked`, `unknown` or `failed`: the banner's colour.
    class: &'static str,
    heading: &'static str,
    text: Sentence,
}

/// An open offer.
pub struct OfferView {
    /// The offer's id: the download form posts to `{offer_id}/download`, relative to the page.
    offer_id: String,
    offered_by: Sentence,
    achievement: String,
    level: Option<Sentence>,
    learner: Option<String>,
    institution: String,
    country: Option<String>,
    open_until: String,
    open_until_iso: String,
    /// "Add to another wallet" (OpenID4VCI): shown before and after the code.
    other_wallet: Way,
    /// Whether the offer has a one-time code (the OpenID4VCI wallet will ask for it).
    has_code: bool,
    step: Step,
    once_note: Sentence,
}

/// Where the learner is with the one-time code.
pub enum Step {
    /// The code is needed first; `error` says what was wrong with the last one.
    AskCode {
        text: Sentence,
        error: Option<String>,
        digits: usize,
    },
    /// The code was right, or the offer has none: every way is shown.
    Ways {
        /// The code the learner entered, carried by the download form.
        code: Option<String>,
        /// The credential-request link (every LCW release).
        lcw: Way,
        /// How long `lcw` works.
        lcw_expires: String,
        /// The interaction URL (LCW versions that store what a VC-API exchange issues).
        lcw_interaction: Way,
        download_text: Sentence,
    },
}

/// A link to a wallet and its QR code.
pub struct Way {
    pub link: String,
    /// `data:image/svg+xml;base64,…`.
    pub qr: String,
}

impl Way {
    /// `link` for the button, `qr_data` (the same link, or the URL behind a deep link) in the
    /// QR code.
    fn new(link: String, qr_data: &str) -> Result<Way, QrError> {
        let svg = qr::svg(qr_data)?;
        // The XML declaration is not needed in a data URI.
        let svg = svg
            .strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#)
            .unwrap_or(&svg);
        Ok(Way {
            link,
            qr: format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)),
        })
    }
}

/// What a wrong step of the code form was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeProblem {
    Missing,
    Malformed,
    Wrong { remaining: u32 },
}

/// Everything the page shows about an open offer.
pub struct OfferInput<'a> {
    pub offer_id: &'a str,
    /// The credential on offer (as issued).
    pub credential: &'a Value,
    pub institution: Option<&'a Institution>,
    pub expires: DateTime<Utc>,
    pub has_code: bool,
    /// `openid-credential-offer://…`.
    pub credential_offer: &'a str,
    /// Learner Credential Wallet's links, once the code is given (or when there is none).
    pub lcw: Option<LcwLinks<'a>>,
    /// The code the learner gave (carried by the download form).
    pub code: Option<&'a str>,
    pub problem: Option<CodeProblem>,
}

/// The two links Learner Credential Wallet takes.
pub struct LcwLinks<'a> {
    /// `dccrequest://request?…`: a single-use credential request, which every LCW release
    /// stores.
    pub request: &'a str,
    /// How many minutes `request` works.
    pub request_minutes: i64,
    /// The VC-API interaction URL (`…?iuv=1`).
    pub interaction_url: &'a str,
}

/// The deep link that opens Learner Credential Wallet on an interaction URL: its app registers
/// the `interaction` URL scheme (Android intent filter, iOS URL type) and takes the HTTPS URL
/// after `interaction:` as it is.
pub fn lcw_deep_link(interaction_url: &str) -> String {
    format!("interaction:{interaction_url}")
}

/// The page of an open offer.
pub fn offer_page(m: &'static ClaimMessages, input: &OfferInput<'_>) -> Result<String, String> {
    let vc = input.credential;
    let subject = first_object(vc.get("credentialSubject"));
    let achievement = subject.and_then(|s| s.get("achievement"));
    let institution_name = institution_name(input.institution, vc);
    let who = || match &institution_name {
        Some(name) => data(name.clone()),
        None => text(m.your_institution),
    };
    let open_until = i18n::date::date_time(m.locale, input.expires);
    let other_wallet = Way::new(input.credential_offer.to_owned(), input.credential_offer)
        .map_err(|e| e.to_string())?;
    let digits = TX_CODE_LENGTH.to_string();
    let step = match &input.lcw {
        None => Step::AskCode {
            text: fill(
                m.code_text,
                &[("institution", who()), ("digits", text(digits.clone()))],
            ),
            error: input.problem.map(|p| match p {
                CodeProblem::Missing => fill_text(m.code_missing, &[("digits", &digits)]),
                CodeProblem::Malformed => fill_text(m.code_malformed, &[("digits", &digits)]),
                CodeProblem::Wrong { remaining: 1 } => m.code_wrong_last.to_owned(),
                CodeProblem::Wrong { remaining } => {
                    fill_text(m.code_wrong, &[("remaining", &remaining.to_string())])
                }
            }),
            digits: TX_CODE_LENGTH,
        },
        Some(links) => Step::Ways {
            code: input.code.map(str::to_owned),
            lcw: Way::new(links.request.to_owned(), links.request).map_err(|e| e.to_string())?,
            lcw_expires: fill_text(
                m.lcw_expires,
                &[("minutes", &links.request_minutes.to_string())],
            ),
            lcw_interaction: Way::new(lcw_deep_link(links.interaction_url), links.interaction_url)
                .map_err(|e| e.to_string())?,
            download_text: fill(
                m.download_text,
                &[("filename", data(download_filename(vc)))],
            ),
        },
    };
    let view = OfferView {
        offer_id: input.offer_id.to_owned(),
        offered_by: fill(m.offered_by, &[("institution", who())]),
        achievement: text_field(achievement, "name")
            .unwrap_or(m.no_name)
            .to_owned(),
        level: achievement.and_then(|a| level_words(m, a)),
        learner: subject.and_then(learner_name),
        institution: institution_name.clone().unwrap_or_default(),
        country: input
            .institution
            .map(|i| countries::display(m.locale, &i.country))
            .filter(|c| !c.is_empty()),
        open_until_iso: input.expires.to_rfc3339_opts(SecondsFormat::Secs, true),
        open_until: open_until.clone(),
        other_wallet,
        has_code: input.has_code,
        step,
        once_note: fill(
            m.once_note,
            &[("date", text(open_until)), ("institution", who())],
        ),
    };
    let title = fill_text(
        m.page_title,
        &[(
            "institution",
            institution_name.as_deref().unwrap_or(m.your_institution),
        )],
    );
    ClaimPage {
        m,
        switch: LangSwitch::new(m.locale, "", None),
        title,
        body: Body::Offer(Box::new(view)),
    }
    .render()
    .map_err(|e| e.to_string())
}

/// Why an offer cannot be claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    Unknown,
    Expired(DateTime<Utc>),
    Withdrawn,
    Claimed,
    Locked,
    Failed,
}

/// The page of an offer that cannot be claimed. `institution` names who to ask.
pub fn closed_page(
    m: &'static ClaimMessages,
    why: Closed,
    institution: Option<&str>,
) -> askama::Result<String> {
    let who = match institution {
        Some(name) => data(name),
        None => text(m.your_institution),
    };
    let (class, heading, pattern) = match why {
        Closed::Unknown => ("unknown", m.unknown_title, m.unknown_text),
        Closed::Expired(_) => ("gone", m.expired_title, m.expired_text),
        Closed::Withdrawn => ("gone", m.withdrawn_title, m.withdrawn_text),
        Closed::Claimed => ("gone", m.claimed_title, m.claimed_text),
        Closed::Locked => ("locked", m.locked_title, m.locked_text),
        Closed::Failed => ("unknown", m.failed_title, m.failed_text),
    };
    let date = match why {
        Closed::Expired(at) => i18n::date::date_time(m.locale, at),
        _ => String::new(),
    };
    ClaimPage {
        m,
        switch: LangSwitch::new(m.locale, "", None),
        title: heading.to_owned(),
        body: Body::Closed(ClosedView {
            class,
            heading,
            text: fill(pattern, &[("institution", who), ("date", text(date))]),
        }),
    }
    .render()
}

/// The registered institution's name, else the name the credential gives its issuer.
fn institution_name(institution: Option<&Institution>, vc: &Value) -> Option<String> {
    institution
        .map(|i| i.name.trim())
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| text_field(vc.get("issuer"), "name").map(str::to_owned))
}

/// `Level 4 of the Malaysian Qualifications Framework (MQF)`, when the achievement states it.
fn level_words(m: &ClaimMessages, achievement: &Value) -> Option<Sentence> {
    let (framework, code) = framework_level(achievement)?;
    if code.is_empty() {
        return None;
    }
    let framework_part = data(framework.as_str());
    Some(match framework_name(&framework) {
        Some(name) => fill(
            m.level_of_named,
            &[
                ("code", data(code)),
                ("name", text(name)),
                ("framework", framework_part),
            ],
        ),
        None => fill(
            m.level_of_unnamed,
            &[("code", data(code)), ("framework", framework_part)],
        ),
    })
}

/// The learner's name: an unhashed `name` identifier (OB 3.0), or `name` (VC 2.0).
fn learner_name(subject: &Value) -> Option<String> {
    let identifiers = match subject.get("identifier") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    identifiers
        .into_iter()
        .find(|i| {
            i.get("identityType").and_then(Value::as_str) == Some("name")
                && i.get("hashed").and_then(Value::as_bool) != Some(true)
        })
        .and_then(|i| text_field(Some(i), "identityHash"))
        .or_else(|| text_field(Some(subject), "name"))
        .map(str::to_owned)
}

/// The download's file name: the achievement's name in lower-case ASCII words and the first
/// part of the credential's UUID (`furniture-production-technology-1f0c9a2b.json`), or
/// `credential-…` when the name has no ASCII letters or digits.
pub fn download_filename(vc: &Value) -> String {
    let achievement = first_object(vc.get("credentialSubject"))
        .and_then(|s| text_field(s.get("achievement"), "name"))
        .unwrap_or("");
    let mut slug = String::new();
    for word in achievement.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() || slug.len() + word.len() > 48 {
            continue;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        slug.push_str("credential");
    }
    let id = vc.get("id").and_then(Value::as_str).unwrap_or("");
    let short: String = id
        .rsplit(':')
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect();
    if short.is_empty() {
        format!("{slug}.json")
    } else {
        format!("{slug}-{}.json", short.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The English words.
    static EN: std::sync::LazyLock<ClaimMessages> =
        std::sync::LazyLock::new(|| *super::super::messages::get(Lang::En));
    use serde_json::json;

    fn credential() -> Value {
        json!({
            "id": "urn:uuid:1F0C9A2B-0000-4000-8000-000000000000",
            "issuer": {"id": "did:key:z6Mk", "name": "Issuer's own name"},
            "credentialSubject": {
                "identifier": [
                    {"identityType": "studentId", "identityHash": "S-1", "hashed": false},
                    {"identityType": "name", "identityHash": "<b>Somchai</b> \u{202e}evil", "hashed": false}
                ],
                "achievement": {
                    "name": "Welding & <Fabrication>",
                    "alignment": [],
                    "frameworkLevel": {"framework": "MQF", "levelCode": "4"}
                }
            }
        })
    }

    fn input<'a>(vc: &'a Value, url: Option<&'a str>) -> OfferInput<'a> {
        OfferInput {
            offer_id: "o",
            credential: vc,
            institution: None,
            expires: DateTime::parse_from_rfc3339("2026-10-01T08:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            has_code: true,
            credential_offer: "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fx%2Fo",
            lcw: url.map(|url| LcwLinks {
                request:
                    "dccrequest://request?issuer=did%3Akey%3Az&vc_request_url=https%3A%2F%2Fx%2Fr",
                request_minutes: 15,
                interaction_url: url,
            }),
            code: url.map(|_| "123456"),
            problem: None,
        }
    }

    #[test]
    fn values_are_escaped_and_isolated() {
        let vc = credential();
        let html = offer_page(&EN, &input(&vc, None)).unwrap();
        assert!(html.contains("Welding &amp; &lt;Fabrication&gt;"));
        assert!(html.contains("<bdi>&lt;b&gt;Somchai&lt;/b&gt; \u{202e}evil</bdi>"));
        assert!(!html.contains("<b>Somchai"));
        assert!(html.contains(
            "Level <bdi>4</bdi> of the Malaysian Qualifications Framework (<bdi>MQF</bdi>)"
        ));
        assert!(html.contains("Issuer&#39;s own name"));
        assert!(!html.contains("<script"));
        let after_style = html.rsplit_once("</style>").unwrap().1;
        assert!(!after_style.contains('{'), "a placeholder is left");
    }

    #[test]
    fn the_lcw_link_and_download_appear_only_with_the_interaction_url() {
        let vc = credential();
        let before = offer_page(&EN, &input(&vc, None)).unwrap();
        assert!(before.contains("name=\"code\""));
        assert!(!before.contains("interaction:"));
        assert!(!before.contains("/download"));
        assert!(before.contains("openid-credential-offer://"));
        let url = "https://x/wallet/interactions/o/s?iuv=1";
        let after = offer_page(&EN, &input(&vc, Some(url))).unwrap();
        assert!(after.contains("href=\"interaction:https://x/wallet/interactions/o/s?iuv=1\""));
        assert!(after.contains(
            "href=\"dccrequest://request?issuer=did%3Akey%3Az&amp;vc_request_url=https%3A%2F%2Fx%2Fr\""
        ));
        assert!(after.contains("work once, for 15 minutes"));
        assert!(after.contains("value=\"123456\""));
        assert!(after.contains("welding-fabrication-1f0c9a2b.json"));
    }

    #[test]
    fn file_names_are_plain_ascii() {
        let named = |name: &str, id: &str| {
            download_filename(
                &json!({"id": id, "credentialSubject": {"achievement": {"name": name}}}),
            )
        };
        assert_eq!(
            named("3D Animation Production", "urn:uuid:ab12cd34-1"),
            "3d-animation-production-ab12cd34.json"
        );
        assert_eq!(
            named("三维动画制作", "urn:uuid:ab12cd34-1"),
            "credential-ab12cd34.json"
        );
        assert_eq!(named("x\"; filename=evil", "z"), "x-filename-evil.json");
        assert!(named(&"long ".repeat(40), "").len() < 60);
    }

    #[test]
    fn closed_pages_name_who_to_ask() {
        let at = DateTime::parse_from_rfc3339("2026-10-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let html = closed_page(&EN, Closed::Expired(at), Some("KVKL")).unwrap();
        assert!(html.contains("This offer has expired"));
        assert!(
            html.contains("<bdi>KVKL</bdi> ended on 1 October 2026, 08:00 UTC"),
            "{html}"
        );
        let html = closed_page(&EN, Closed::Unknown, None).unwrap();
        assert!(html.contains("Offer not found"));
    }
}
