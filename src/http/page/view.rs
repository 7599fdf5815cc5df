//! The employer page's view model: what the page shows about a credential, worked out from the
//! credential, the registered institution and the verifier's report, with every fixed word
//! taken from [`Messages`]. The templates (`templates/employer/`) only lay it out; the escaper
//! of [`super::escape`] escapes everything they print.

use askama::Template;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::Value;

use super::messages::Messages;
use super::sentence::{data, fill, fill_text, text, Part, Sentence};
use super::verdict::Verdict;
use crate::credential::framework_name;
use crate::frameworks::FrameworkRegistry;
use crate::i18n::levels::level_name;
use crate::i18n::recognition::{self as reasons, Said};
use crate::i18n::{self, countries, Arg, Lang, LangSwitch};
use crate::service::{PublishedState, PublishedStatus};
use crate::store::Institution;
use crate::verify::{CheckName, Origin, VerificationReport};

/// Everything the page shows about a stored credential.
pub struct PageInput<'a> {
    pub verdict: Verdict,
    pub credential: &'a Value,
    /// The registered institution whose DID is the credential's issuer.
    pub institution: Option<&'a Institution>,
    /// `None` when the checks could not run.
    pub report: Option<&'a VerificationReport>,
    pub checked_at: DateTime<Utc>,
    /// The issuer signs with a published example key (development only).
    pub example_key: bool,
    /// The checks could not run because a status list could not be read.
    pub status_unreadable: bool,
    /// Since when this node's credential is revoked or suspended, and the published reason.
    pub published: Option<&'a PublishedStatus>,
}

/// The page: head, verdict banner, what the page has to say, footer.
#[derive(Template)]
#[template(path = "employer/page.html")]
pub struct Page {
    m: &'static Messages,
    /// The language switch: links to this page (`?lang=`) in every language.
    switch: LangSwitch,
    title: String,
    banner: Banner,
    body: Body,
}

/// A checked credential as a section of another page: the banner and the details.
#[derive(Template)]
#[template(path = "employer/section.html")]
pub struct Section {
    m: &'static Messages,
    banner: Banner,
    body: Body,
}

/// The verdict at the top.
pub struct Banner {
    class: &'static str,
    mark: &'static str,
    title: &'static str,
    explain: Sentence,
    checked_iso: String,
    checked_text: String,
    /// Where the status answer came from; `None` when no status was read.
    status: Option<Sentence>,
    /// Since when it is revoked or suspended, and the institution's published reason.
    withdrawn: Vec<Sentence>,
}

pub enum Body {
    /// No credential with this id.
    NotFound,
    /// The service failed while checking.
    NotChecked,
    Credential(Box<CredentialView>),
}

pub struct CredentialView {
    /// Signed with a published example key.
    test_key: bool,
    /// The details are only what the credential claims.
    unattested: bool,
    issuer: IssuerView,
    learner: Vec<Row>,
    details: Details,
    dates: Dates,
    technical: Technical,
}

pub enum IssuerView {
    Registered(RegisteredIssuer),
    /// Not an institution of this service: only what the credential claims.
    Claimed(ClaimedIssuer),
}

pub struct RegisteredIssuer {
    name: String,
    country: String,
    quality_assurance: Option<String>,
    since: String,
    /// The credential is signed with this institution's key.
    attested: bool,
    /// What the trust registry says about the institution's standing.
    trust_notes: Vec<String>,
}

pub struct ClaimedIssuer {
    name: Option<String>,
    country: Option<String>,
}

/// A labelled value of the learner.
pub struct Row {
    label: String,
    value: String,
    kind: RowKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Plain,
    /// An identifier: shown as code.
    Code,
    /// A hashed identifier: code, with how to compare it.
    Hashed,
}

pub enum Details {
    /// What was achieved, and its level and credits when the credential states them.
    Achievement(AchievementView, Option<LevelView>),
    /// A recognition decision (`CreditTransferDecision`, issued by a receiving institution).
    Decision(DecisionView),
}

pub struct AchievementView {
    name: Text,
    /// The achievement type in words.
    kind: Option<String>,
    code: Option<Sentence>,
    description: Option<Text>,
    field_of_study: Option<String>,
    result: Option<String>,
    outcomes: Vec<Outcome>,
    criteria: Option<Text>,
    /// Shown when a text is not in the reader's language although the credential says which
    /// language it is in: "not in Malay: shown in English".
    fallback: Option<String>,
}

/// A text of the credential and, when known, its language (the `lang` of its element).
pub struct Text {
    text: String,
    lang: Option<String>,
}

/// A learning outcome.
pub struct Outcome {
    code: Option<String>,
    statement: Text,
}

/// The credential's texts in the reader's language where it has them (docs/LANGUAGES.md):
/// the OB 3.0 property (`name`), written in `inLanguage`, and its translations in a JSON-LD
/// language map (`nameMap`). Records the languages a text fell back to.
struct Localizer<'a> {
    reader: crate::i18n::Lang,
    in_language: Option<&'a str>,
    fell_back: Vec<String>,
}

impl<'a> Localizer<'a> {
    fn text(&mut self, node: Option<&Value>, key: &str, map_key: &str) -> Option<Text> {
        let node = node?;
        let map = node.get(map_key).and_then(Value::as_object);
        let translated = map.and_then(|map| {
            map.iter().find_map(|(tag, v)| {
                let text = v.as_str().filter(|t| !t.trim().is_empty())?;
                (crate::i18n::Lang::from_tag(tag) == Some(self.reader))
                    .then(|| (tag.clone(), text.trim().to_owned()))
            })
        });
        if let Some((tag, text)) = translated {
            return Some(Text {
                text,
                lang: Some(tag),
            });
        }
        let text = node.get(key).and_then(Value::as_str)?.trim();
        if text.is_empty() {
            return None;
        }
        let lang = self.in_language.map(str::to_owned);
        let declared = self.in_language.is_some() || map.is_some_and(|m| !m.is_empty());
        let same = self
            .in_language
            .and_then(crate::i18n::Lang::from_tag)
            .is_some_and(|l| l == self.reader);
        if declared && !same {
            let shown = self.in_language.unwrap_or("und").to_owned();
            if !self.fell_back.contains(&shown) {
                self.fell_back.push(shown);
            }
        }
        Some(Text {
            text: text.to_owned(),
            lang,
        })
    }
}

/// A language's name for the fallback note: its name in itself when the service has it.
fn language_name(tag: &str) -> String {
    match crate::i18n::Lang::from_tag(tag) {
        Some(lang) => lang.native_name().to_owned(),
        None if tag == "und" => "?".to_owned(),
        None => tag.to_owned(),
    }
}

pub struct LevelView {
    level: Option<Sentence>,
    credits: Option<Sentence>,
    hours: Option<Sentence>,
}

/// What a receiving institution decided.
pub struct DecisionView {
    outcome: Sentence,
    achievement: Option<String>,
    levels: Levels,
    credits: Option<Sentence>,
    based_on: Option<String>,
    recognised_credential: Option<String>,
    recognised_issuer: Option<String>,
    /// Each condition in the reader's language, or in English (its `lang`).
    conditions: Vec<Said>,
    reasons: Vec<Reason>,
}

/// The level(s) a decision places the achievement at, in words.
pub enum Levels {
    /// None placed (see the reasons).
    None,
    One(String),
    /// A span: one of these, to be settled by the institution.
    OneOf(Vec<String>),
}

pub struct Reason {
    element: String,
    effect: String,
    /// In the reader's language from the finding code, or the credential's English sentence.
    description: Said,
}

pub struct Dates {
    awarded: Option<String>,
    valid_from: Option<String>,
    /// `None`: no end date.
    valid_until: Option<String>,
}

pub struct Technical {
    id: Option<String>,
    issuer: Option<String>,
    signatures: Vec<Signature>,
    /// `None` when the checks could not run.
    checks: Option<Vec<CheckView>>,
}

pub struct Signature {
    made: Sentence,
    method: String,
}

pub struct CheckView {
    passed: bool,
    label: &'static str,
    reasons: Vec<String>,
}

impl Page {
    /// The page for `verdict` with `explain` under it and `body` below.
    fn new(
        m: &'static Messages,
        verdict: Verdict,
        explain: Sentence,
        checked_at: DateTime<Utc>,
        body: Body,
    ) -> Self {
        let title = verdict.title(m);
        Page {
            m,
            switch: LangSwitch::new(m.locale, "", None),
            title: fill_text(m.page_title, &[("verdict", title)]),
            banner: Banner {
                class: verdict.class(),
                mark: verdict.mark(),
                title,
                explain,
                checked_iso: checked_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                checked_text: i18n::date::date_time_seconds(m.locale, checked_at),
                status: None,
                withdrawn: Vec::new(),
            },
            body,
        }
    }
}

/// The 404 page for an id no credential has.
pub fn not_found(m: &'static Messages, checked_at: DateTime<Utc>) -> askama::Result<String> {
    let explain = fill(m.explain.not_found, &[]);
    Page::new(m, Verdict::NotFound, explain, checked_at, Body::NotFound).render()
}

/// The page shown when the service failed while checking (the log has the cause).
pub fn not_checked(m: &'static Messages, checked_at: DateTime<Utc>) -> askama::Result<String> {
    let explain = fill(m.explain.cannot_check, &[]);
    Page::new(
        m,
        Verdict::CannotCheck,
        explain,
        checked_at,
        Body::NotChecked,
    )
    .render()
}

/// The page for a stored credential.
pub fn page(m: &'static Messages, input: &PageInput<'_>) -> askama::Result<String> {
    credential_page(m, input).render()
}

/// The verdict and details of a credential, for embedding in another page.
pub fn section(m: &'static Messages, input: &PageInput<'_>) -> askama::Result<String> {
    let page = credential_page(m, input);
    Section {
        m,
        banner: page.banner,
        body: page.body,
    }
    .render()
}

fn credential_page(m: &'static Messages, input: &PageInput<'_>) -> Page {
    let vc = input.credential;
    let subject = first_object(vc.get("credentialSubject"));
    let achievement = subject.and_then(|s| s.get("achievement"));
    let details = if crate::decision::is_decision_credential(vc) {
        Details::Decision(decision(m, subject))
    } else {
        Details::Achievement(
            achievement_view(m, vc, subject, achievement),
            level_view(m, subject, achievement),
        )
    };
    let view = CredentialView {
        test_key: input.example_key,
        unattested: !input.verdict.content_is_attested(),
        issuer: issuer(m, input),
        learner: learner(m, subject),
        details,
        dates: dates(m, vc),
        technical: technical(m, input),
    };
    let explain = explain(m, input);
    let mut page = Page::new(
        m,
        input.verdict,
        explain,
        input.checked_at,
        Body::Credential(Box::new(view)),
    );
    page.banner.status = status_line(m, input);
    page.banner.withdrawn = withdrawn(m, input);
    page
}

/// Since when this node's revoked or suspended credential is so, and the reason when the
/// institution published it; nothing for other verdicts, or when the date is unknown.
fn withdrawn(m: &Messages, input: &PageInput<'_>) -> Vec<Sentence> {
    let Some(published) = input.published else {
        return Vec::new();
    };
    let pattern = match (input.verdict, published.state) {
        (Verdict::Revoked, PublishedState::Revoked) => m.status.revoked_since,
        (Verdict::Suspended, PublishedState::Suspended) => m.status.suspended_since,
        _ => return Vec::new(),
    };
    let mut lines = Vec::new();
    if let Some(since) = published.since {
        let date = text(i18n::date::date_time(m.locale, since));
        lines.push(fill(pattern, &[("date", date)]));
    }
    if let Some(reason) = &published.reason {
        lines.push(fill(m.status.reason, &[("reason", data(reason.clone()))]));
    }
    lines
}

/// Where the status answer came from: the issuer's own records here, the issuer's node (at the
/// time it answered), or its last known answer when it could not be reached (the oldest of
/// the lists read decides). `None` when no status list was read.
fn status_line(m: &Messages, input: &PageInput<'_>) -> Option<Sentence> {
    let w = &m.status;
    if input.status_unreadable {
        return Some(fill(w.unreachable, &[]));
    }
    let sources = &input.report?.sources;
    let time = |t: DateTime<Utc>| text(i18n::date::date_time(m.locale, t));
    let stale = sources
        .iter()
        .filter_map(|p| match &p.origin {
            Origin::Stale {
                fetched_at,
                age_secs,
                ..
            } => Some((*fetched_at, *age_secs)),
            _ => None,
        })
        .min_by_key(|(at, _)| *at);
    if let Some((at, age)) = stale {
        let minutes = age / 60;
        let age = match minutes {
            0..120 => m.locale.t_args("age-minutes", &[("n", Arg::from(minutes))]),
            120..2880 => m
                .locale
                .t_args("age-hours", &[("n", Arg::from(minutes / 60))]),
            _ => m
                .locale
                .t_args("age-days", &[("n", Arg::from(minutes / 1440))]),
        };
        return Some(fill(w.stale, &[("time", time(at)), ("age", text(age))]));
    }
    let node = sources
        .iter()
        .filter_map(|p| match &p.origin {
            Origin::Fetched { .. } | Origin::Cache { .. } => p.origin.as_of(input.checked_at),
            _ => None,
        })
        .min();
    if let Some(at) = node {
        return Some(fill(w.checked_with_node, &[("time", time(at))]));
    }
    if !sources.is_empty() && sources.iter().all(|p| p.origin == Origin::OwnStore) {
        return Some(fill(w.own_records, &[]));
    }
    None
}

/// The sentence under the verdict.
fn explain(m: &Messages, input: &PageInput<'_>) -> Sentence {
    let vc = input.credential;
    let e = &m.explain;
    let issuer = [("issuer", data(issuer_display_name(m, input)))];
    match input.verdict {
        Verdict::Genuine => fill(e.genuine, &issuer),
        Verdict::Altered => fill(e.altered, &[]),
        Verdict::IssuerUnknown if input.institution.is_some() => fill(e.issuer_not_member, &issuer),
        Verdict::IssuerUnknown => fill(e.issuer_unregistered, &[]),
        Verdict::Revoked => fill(e.revoked, &issuer),
        Verdict::Suspended => fill(e.suspended, &issuer),
        Verdict::Expired => fill(
            e.expired,
            &[("date", text(date_of(m, vc, "validUntil", "expirationDate")))],
        ),
        Verdict::NotYetValid => fill(
            e.not_yet_valid,
            &[("date", text(date_of(m, vc, "validFrom", "issuanceDate")))],
        ),
        Verdict::Invalid => fill(e.invalid, &issuer),
        Verdict::CannotCheck | Verdict::NotFound => fill(e.cannot_check, &[]),
    }
}

/// The registered name when the issuer is registered, else what the credential claims.
fn issuer_display_name(m: &Messages, input: &PageInput<'_>) -> String {
    if let Some(inst) = input.institution {
        return inst.name.clone();
    }
    input
        .credential
        .get("issuer")
        .and_then(|i| i.get("name"))
        .and_then(Value::as_str)
        .unwrap_or(m.the_issuer)
        .to_owned()
}

fn issuer(m: &Messages, input: &PageInput<'_>) -> IssuerView {
    match input.institution {
        Some(inst) => {
            let trust = input.report.and_then(|r| r.check(CheckName::Trust));
            IssuerView::Registered(RegisteredIssuer {
                name: inst.name.clone(),
                country: countries::display(m.locale, &inst.country),
                quality_assurance: inst.quality_assurance.clone().filter(|q| !q.is_empty()),
                since: long_date(m, &inst.created.fixed_offset()),
                attested: input.verdict.content_is_attested(),
                trust_notes: trust
                    .iter()
                    .flat_map(|c| c.reasons.iter().chain(&c.notes))
                    .cloned()
                    .collect(),
            })
        }
        None => {
            let issuer = input.credential.get("issuer");
            IssuerView::Claimed(ClaimedIssuer {
                name: issuer
                    .and_then(|i| i.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                country: issuer
                    .and_then(|i| i.pointer("/address/addressCountryCode"))
                    .and_then(Value::as_str)
                    .map(|c| countries::display(m.locale, c)),
            })
        }
    }
}

/// The learner's name, identifiers (the name first) and DID; empty when none is stated.
fn learner(m: &Messages, subject: Option<&Value>) -> Vec<Row> {
    let mut rows = Vec::new();
    let Some(subject) = subject else {
        return rows;
    };
    // A decision credential names the learner with `name` (VC 2.0).
    if let Some(name) = text_field(Some(subject), "name") {
        rows.push(Row {
            label: m.identity.name.to_owned(),
            value: name.to_owned(),
            kind: RowKind::Plain,
        });
    }
    let identifiers = match subject.get("identifier") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let is_name = |i: &Value| i.get("identityType").and_then(Value::as_str) == Some("name");
    let ordered = identifiers
        .iter()
        .filter(|i| is_name(i))
        .chain(identifiers.iter().filter(|i| !is_name(i)));
    for identity in ordered {
        let Some(value) = identity.get("identityHash").and_then(Value::as_str) else {
            continue;
        };
        let kind = identity
            .get("identityType")
            .and_then(Value::as_str)
            .unwrap_or("identifier");
        let hashed = identity.get("hashed").and_then(Value::as_bool) == Some(true);
        rows.push(Row {
            label: identity_label(m, kind),
            value: value.to_owned(),
            kind: if hashed {
                RowKind::Hashed
            } else {
                RowKind::Plain
            },
        });
    }
    if let Some(id) = subject.get("id").and_then(Value::as_str) {
        rows.push(Row {
            label: m.digital_identity.to_owned(),
            value: id.to_owned(),
            kind: RowKind::Code,
        });
    }
    rows
}

/// `"studentId"`-style OB 3.0 identity types and `ext:` schemes in words.
fn identity_label(m: &Messages, kind: &str) -> String {
    let words = &m.identity;
    let known = match kind {
        "name" => Some(words.name),
        "emailAddress" => Some(words.email),
        "nationalIdentityNumber" => Some(words.national_id),
        "sourcedId" | "sisSourcedId" | "lisSourcedId" | "oneRosterSourcedId" => {
            Some(words.student_id)
        }
        "userName" => Some(words.user_name),
        "accountId" => Some(words.account_id),
        "identifier" | "systemId" => Some(words.identifier),
        _ => None,
    };
    if let Some(label) = known {
        return label.to_owned();
    }
    let own = kind
        .strip_prefix("ext:")
        .unwrap_or(kind)
        .replace(['-', '_'], " ");
    let mut chars = own.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words.identifier.to_owned(),
    }
}

fn achievement_view(
    m: &Messages,
    vc: &Value,
    subject: Option<&Value>,
    achievement: Option<&Value>,
) -> AchievementView {
    let mut local = Localizer {
        reader: m.locale,
        in_language: text_field(achievement, "inLanguage"),
        fell_back: Vec::new(),
    };
    let name = local.text(achievement, "name", "nameMap").or_else(|| {
        text_field(Some(vc), "name").map(|n| Text {
            text: n.to_owned(),
            lang: None,
        })
    });
    let description = local.text(achievement, "description", "descriptionMap");
    let criteria = local.text(
        achievement.and_then(|a| a.get("criteria")),
        "narrative",
        "narrativeMap",
    );
    let outcomes = achievement
        .and_then(|a| a.get("alignment"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| a.get("targetType").and_then(Value::as_str) == Some("ceasn:Competency"))
        .map(|a| Outcome {
            code: a
                .get("targetCode")
                .and_then(Value::as_str)
                .map(str::to_owned),
            statement: local
                .text(Some(a), "targetName", "targetNameMap")
                .unwrap_or(Text {
                    text: String::new(),
                    lang: None,
                }),
        })
        .collect();
    let fallback = (!local.fell_back.is_empty()).then(|| {
        let shown: Vec<String> = local.fell_back.iter().map(|t| language_name(t)).collect();
        m.locale.t_args(
            "employer-shown-in",
            &[
                ("reader", Arg::from(m.locale.native_name())),
                ("shown", Arg::from(shown.join(", "))),
            ],
        )
    });
    AchievementView {
        name: name.unwrap_or(Text {
            text: m.no_name.to_owned(),
            lang: None,
        }),
        kind: text_field(achievement, "achievementType").map(achievement_type_words),
        code: text_field(achievement, "humanCode")
            .map(|code| fill(m.achievement_code, &[("code", data(code))])),
        description,
        field_of_study: text_field(achievement, "fieldOfStudy").map(str::to_owned),
        result: result_text(m, subject, achievement),
        outcomes,
        criteria,
        fallback,
    }
}

/// `"Course"`, `"Certificate"`, `"ext:MicroCredential"` → words.
fn achievement_type_words(kind: &str) -> String {
    let kind = kind.strip_prefix("ext:").unwrap_or(kind);
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The learner's result with its scale, e.g. `91 (Percentage mark 0-100; pass mark 60)`.
fn result_text(
    m: &Messages,
    subject: Option<&Value>,
    achievement: Option<&Value>,
) -> Option<String> {
    let result = first_object(subject?.get("result"))?;
    let value = scalar_text(result.get("value")?)?;
    let scale = result
        .get("resultDescription")
        .and_then(Value::as_str)
        .and_then(|id| {
            achievement?
                .get("resultDescription")?
                .as_array()?
                .iter()
                .find(|d| d.get("id").and_then(Value::as_str) == Some(id))?
                .get("name")?
                .as_str()
        });
    Some(match scale {
        Some(scale) => fill_text(m.result_with_scale, &[("value", &value), ("scale", scale)]),
        None => value,
    })
}

/// The level in its framework, the credits and the learning hours; `None` when the credential
/// states none of them.
fn level_view(
    m: &Messages,
    subject: Option<&Value>,
    achievement: Option<&Value>,
) -> Option<LevelView> {
    let level = achievement
        .and_then(crate::credential::framework_level)
        .map(|(framework, code)| {
            let name = framework_name(&framework);
            let (pattern, args) = match (code.as_str(), name) {
                ("", Some(name)) => (m.framework_named, vec![("name", text(name))]),
                ("", None) => (m.framework_unnamed, vec![]),
                (code, Some(name)) => (
                    m.level_of_named,
                    vec![("code", data(code)), ("name", text(name))],
                ),
                (code, None) => (m.level_of_unnamed, vec![("code", data(code))]),
            };
            let mut args = args;
            args.push(("framework", data(framework.as_str())));
            fill(pattern, &args)
        });
    let earned = subject
        .and_then(|s| s.get("creditsEarned"))
        .and_then(scalar_text);
    let available = achievement
        .and_then(|a| a.get("creditsAvailable"))
        .and_then(scalar_text);
    let system = text_field(achievement, "creditSystem");
    let hours = achievement
        .and_then(|a| a.get("learningHours"))
        .and_then(scalar_text);
    if level.is_none() && earned.is_none() && available.is_none() && hours.is_none() {
        return None;
    }
    let mut credits = match (earned, available) {
        (Some(e), Some(a)) if e == a => Some(fill(m.credits_earned, &[("earned", data(e))])),
        (Some(e), Some(a)) => Some(fill(
            m.credits_earned_of,
            &[("earned", data(e)), ("available", data(a))],
        )),
        (Some(e), None) => Some(fill(m.credits_earned, &[("earned", data(e))])),
        (None, Some(a)) => Some(fill(m.credits_available, &[("available", data(a))])),
        (None, None) => None,
    };
    if let (Some(credits), Some(system)) = (credits.as_mut(), system) {
        credits.extend(fill(m.credit_system, &[("system", data(system))]));
    }
    Some(LevelView {
        level,
        credits,
        hours: hours.map(|h| fill(m.hours, &[("hours", data(h))])),
    })
}

/// `"recognised-with-conditions"` → words; an unknown value is shown as it is.
fn outcome_words<'a>(m: &'a Messages, outcome: &'a str) -> &'a str {
    match outcome {
        "recognised" => m.outcome.recognised,
        "recognised-with-conditions" => m.outcome.with_conditions,
        "cannot-be-decided-automatically" => m.outcome.undecided,
        "not-recognised" => m.outcome.not_recognised,
        other => other,
    }
}

/// A framework id with its name from the framework data (`TH-VOC` → `Thai vocational education
/// qualifications (TH-VOC)`).
fn framework_words(m: &Messages, id: &str) -> String {
    match FrameworkRegistry::bundled().framework(id) {
        Some(f) => fill_text(m.framework_full, &[("name", &f.name), ("id", id)]),
        None => id.to_owned(),
    }
}

/// `{framework, levelCode}` → `Level diploma (Diploma in Vocational Education) of the Thai …`.
fn level_words(m: &Messages, level: &Value) -> Option<String> {
    let framework = level.get("framework")?.as_str()?;
    let code = scalar_text(level.get("levelCode")?)?;
    let title = FrameworkRegistry::bundled()
        .level(framework, &code)
        .filter(|l| !l.name.ends_with(&format!(" {code}")))
        .map(|l| {
            let lang = Lang::from_tag(m.lang).unwrap_or(Lang::En);
            level_name(lang, framework, &code, &l.name)
        });
    let framework = framework_words(m, framework);
    Some(match title {
        Some(title) => fill_text(
            m.decision_level_titled,
            &[("code", &code), ("name", &title), ("framework", &framework)],
        ),
        None => fill_text(
            m.decision_level,
            &[("code", &code), ("framework", &framework)],
        ),
    })
}

/// What a receiving institution decided: the outcome, the achievement it is about, the level
/// and credits it gives, the conditions, and every reason.
fn decision(m: &Messages, subject: Option<&Value>) -> DecisionView {
    let field = |key: &str| text_field(subject, key);
    let owned = |key: &str| field(key).map(str::to_owned);
    let list = |key: &str| -> Vec<&Value> {
        match subject.and_then(|s| s.get(key)) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) if !one.is_null() => vec![one],
            _ => Vec::new(),
        }
    };
    let outcome = data(outcome_words(
        m,
        field("recognitionOutcome").unwrap_or(m.no_outcome),
    ));
    let outcome = match field("receivingFramework") {
        Some(framework) => fill(
            m.outcome_in,
            &[
                ("outcome", outcome),
                ("framework", data(framework_words(m, framework))),
            ],
        ),
        None => vec![outcome],
    };
    let credits = subject
        .and_then(|s| s.get("creditsAwarded"))
        .and_then(scalar_text)
        .map(|credits| {
            let mut sentence = fill(m.credits_awarded, &[("credits", data(credits))]);
            if let Some(system) = field("creditSystem") {
                sentence.extend(fill(m.credit_system, &[("system", data(system))]));
            }
            sentence
        });
    let based_on = field("referencingStatus").map(|status| {
        match status {
            "official" => m.referencing.official,
            "provisional" => m.referencing.provisional,
            "example" => m.referencing.example,
            other => other,
        }
        .to_owned()
    });
    // What the reasons' messages may take from the credential itself: the credential signs
    // each reason's English sentence and finding code, not the sentence's arguments.
    let mut known = std::collections::BTreeMap::new();
    if let Some(framework) = field("receivingFramework") {
        known.insert("receiving".to_owned(), framework.to_owned());
    }
    if let Some(issuer) = field("recognisedIssuer") {
        known.insert("issuer".to_owned(), issuer.to_owned());
    }
    let said = |reason: &Value| {
        let part = |k: &str| reason.get(k).and_then(Value::as_str).unwrap_or("");
        let mut arguments = known.clone();
        if let Some(given) = reason.get("arguments").and_then(Value::as_object) {
            for (k, v) in given {
                if let Some(v) = v.as_str() {
                    arguments.insert(k.clone(), v.to_owned());
                }
            }
        }
        reasons::reason(m.locale, part("finding"), &arguments, part("description"))
    };
    let reason_values = list("recognitionReason");
    let conditions: Vec<Said> = if reason_values.is_empty() {
        list("recognitionCondition")
            .into_iter()
            .filter_map(Value::as_str)
            .map(|c| Said {
                text: c.to_owned(),
                lang: crate::i18n::Lang::En,
            })
            .collect()
    } else {
        reason_values
            .iter()
            .filter(|r| r.get("effect").and_then(Value::as_str) == Some("condition"))
            .map(|r| said(r))
            .collect()
    };
    let reasons = reason_values
        .into_iter()
        .map(|reason| {
            let part = |k: &str| reason.get(k).and_then(Value::as_str).unwrap_or("");
            let effect = match part("effect") {
                "met" => m.effect.met,
                "condition" => m.effect.condition,
                "undecided" => m.effect.undecided,
                "not-met" => m.effect.not_met,
                other => other,
            };
            let element = match part("element") {
                known @ ("authenticity" | "quality-assurance" | "level" | "workload"
                | "learning-outcomes" | "profile") => {
                    m.locale.t(&format!("decision-element-{known}"))
                }
                other => other.replace('-', " "),
            };
            Reason {
                element,
                effect: effect.to_owned(),
                description: said(reason),
            }
        })
        .collect();
    let mut levels: Vec<String> = list("recognisedLevel")
        .into_iter()
        .filter_map(|level| level_words(m, level))
        .collect();
    let levels = match levels.len() {
        0 => Levels::None,
        1 => Levels::One(levels.remove(0)),
        _ => Levels::OneOf(levels),
    };
    DecisionView {
        outcome,
        achievement: owned("recognisedAchievement"),
        levels,
        credits,
        based_on,
        recognised_credential: owned("recognisedCredential"),
        recognised_issuer: owned("recognisedIssuer"),
        conditions,
        reasons,
    }
}

fn dates(m: &Messages, vc: &Value) -> Dates {
    let date = |v2: &str, v1: &str| {
        vc.get(v2)
            .or_else(|| vc.get(v1))
            .and_then(Value::as_str)
            .map(|raw| date_time_text(m, raw))
    };
    Dates {
        awarded: vc
            .get("awardedDate")
            .and_then(Value::as_str)
            .map(|raw| long_date_text(m, raw)),
        valid_from: date("validFrom", "issuanceDate"),
        valid_until: date("validUntil", "expirationDate"),
    }
}

fn technical(m: &'static Messages, input: &PageInput<'_>) -> Technical {
    let vc = input.credential;
    let issuer = match vc.get("issuer") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => other.get("id").and_then(Value::as_str),
        None => None,
    };
    let signatures = input
        .report
        .iter()
        .flat_map(|r| &r.proofs)
        .map(|proof| Signature {
            made: match &proof.created {
                Some(created) => fill(
                    m.signature_made,
                    &[
                        ("suite", data(proof.suite.as_str())),
                        ("date", text(date_time_text(m, created))),
                    ],
                ),
                None => vec![data(proof.suite.as_str())],
            },
            method: proof.verification_method.clone(),
        })
        .collect();
    let checks = input.report.map(|report| {
        report
            .checks
            .iter()
            .map(|check| CheckView {
                passed: check.verified,
                label: check_label(m, check.check),
                reasons: check.reasons.iter().chain(&check.notes).cloned().collect(),
            })
            .collect()
    });
    Technical {
        id: vc.get("id").and_then(Value::as_str).map(str::to_owned),
        issuer: issuer.map(str::to_owned),
        signatures,
        checks,
    }
}

fn check_label(m: &'static Messages, name: CheckName) -> &'static str {
    let words = &m.check;
    match name {
        CheckName::DataModel => words.data_model,
        CheckName::Proof => words.proof,
        CheckName::ProofPurpose => words.proof_purpose,
        CheckName::IssuerBinding => words.issuer_binding,
        CheckName::ValidityWindow => words.validity_window,
        CheckName::Status => words.status,
        CheckName::Schema => words.schema,
        CheckName::Challenge => words.challenge,
        CheckName::Domain => words.domain,
        CheckName::HolderBinding => words.holder_binding,
        CheckName::Credentials => words.credentials,
        CheckName::Trust => words.trust,
    }
}

/// The object itself, or the first element of an array of objects.
pub(crate) fn first_object(value: Option<&Value>) -> Option<&Value> {
    match value? {
        v @ Value::Object(_) => Some(v),
        Value::Array(items) => items.iter().find(|v| v.is_object()),
        _ => None,
    }
}

pub(crate) fn text_field<'a>(object: Option<&'a Value>, key: &str) -> Option<&'a str> {
    object?
        .get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A JSON number or string as shown to a person (`4`, `2.5`, `"91"` → `91`).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

fn date_of(m: &Messages, vc: &Value, v2: &str, v1: &str) -> String {
    vc.get(v2)
        .or_else(|| vc.get(v1))
        .and_then(Value::as_str)
        .map(|raw| date_time_text(m, raw))
        .unwrap_or_else(|| m.unknown_date.to_owned())
}

fn long_date(m: &Messages, t: &DateTime<FixedOffset>) -> String {
    i18n::date::long_date(m.locale, t.date_naive())
}

/// `2025-07-04T10:00:00+08:00` → `4 July 2025` (the date where it was awarded).
fn long_date_text(m: &Messages, raw: &str) -> String {
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => long_date(m, &t),
        Err(_) => raw.to_owned(),
    }
}

/// An instant in UTC, e.g. `1 September 2026, 08:00 UTC`.
fn date_time_text(m: &Messages, raw: &str) -> String {
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => i18n::date::date_time(m.locale, t.with_timezone(&Utc)),
        Err(_) => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The English words.
    static EN: std::sync::LazyLock<Messages> =
        std::sync::LazyLock::new(|| *super::super::messages::get(Lang::En));
    use serde_json::json;

    fn institution(name: &str) -> Institution {
        Institution {
            id: "test".into(),
            name: name.into(),
            country: "MY".into(),
            url: None,
            framework: "MQF".into(),
            quality_assurance: Some("MQA".into()),
            did: "did:key:z6Mk-test".into(),
            keys: Vec::new(),
            token_hash: [0; 32],
            created: "2026-01-02T03:04:05Z".parse().unwrap(),
        }
    }

    /// An achievement credential whose strings try to break out of the text and the attributes
    /// they are written in.
    fn hostile_credential() -> Value {
        json!({
            "id": "urn:uuid:\"><script>alert('id')</script>",
            "issuer": {"id": "did:key:z6Mk\" onmouseover=\"alert(1)", "name": "<b>Evil</b> & Co"},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {
                "id": "did:example:'onclick='alert(1)",
                "achievement": {
                    "name": "<script>alert(1)</script>",
                    "description": "\"><img src=x onerror=alert(1)>",
                    "humanCode": "\u{202e}evil",
                    "achievementType": "Course",
                    "creditsAvailable": "<i>4</i>",
                    "alignment": [{
                        "targetType": "ceasn:Competency",
                        "targetCode": "</li><li>",
                        "targetName": "\u{1b}[31mred\u{0}",
                    }],
                },
            },
        })
    }

    fn render(m: &'static Messages, verdict: Verdict, institution: Option<&Institution>) -> String {
        let credential = hostile_credential();
        page(
            m,
            &PageInput {
                verdict,
                credential: &credential,
                institution,
                report: None,
                checked_at: "2026-09-01T08:00:00Z".parse().unwrap(),
                example_key: false,
                status_unreadable: false,
                published: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn hostile_values_are_escaped_in_text_and_attributes() {
        // A message with a quote in an attribute (`lang`) and markup in the title and a verdict
        // word: the templates escape the page's own words too.
        static HOSTILE: std::sync::LazyLock<Messages> = std::sync::LazyLock::new(|| Messages {
            lang: "en\" onload=\"alert(1)",
            page_title: "</title><script>alert(1)</script>{verdict}",
            verdict: super::super::messages::VerdictWords {
                issuer_unknown: "<script>alert(2)</script>",
                ..EN.verdict
            },
            ..*EN
        });
        let inst = institution("<script>alert('inst')</script>");
        for html in [
            render(&EN, Verdict::IssuerUnknown, None),
            render(&HOSTILE, Verdict::IssuerUnknown, None),
            render(&EN, Verdict::Genuine, Some(&inst)),
        ] {
            assert!(!html.to_lowercase().contains("<script"), "{html}");
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.contains("<b>"), "{html}");
            assert!(!html.contains("<i>"), "{html}");
            assert!(!html.contains("\" on"), "{html}");
            assert!(!html.contains("'onclick"), "{html}");
            assert!(
                !html.contains('\u{1b}') && !html.contains('\u{0}'),
                "{html}"
            );
            assert_eq!(html.matches("<style>").count(), 1);
        }
        let html = render(&EN, Verdict::IssuerUnknown, None);
        for escaped in [
            "<p class=\"big\"><bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi></p>",
            "<p><bdi>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</bdi></p>",
            "<dt>Name it gives</dt><dd><bdi>&lt;b&gt;Evil&lt;/b&gt; &amp; Co</bdi></dd>",
            "<code><bdi>did:key:z6Mk&quot; onmouseover=&quot;alert(1)</bdi></code>",
            "<code><bdi>did:example:&#39;onclick=&#39;alert(1)</bdi></code>",
            "<code><bdi>urn:uuid:&quot;&gt;&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;</bdi></code>",
            "code <bdi>\u{202e}evil</bdi>",
            "<strong><bdi>&lt;/li&gt;&lt;li&gt;</bdi></strong> <bdi>[31mred</bdi>",
            "<bdi>&lt;i&gt;4&lt;/i&gt;</bdi> available",
        ] {
            assert!(html.contains(escaped), "missing {escaped:?} in\n{html}");
        }
        let html = render(&HOSTILE, Verdict::IssuerUnknown, None);
        assert!(
            html.contains("<html lang=\"en&quot; onload=&quot;alert(1)\">"),
            "{html}"
        );
        assert!(html.contains(
            "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>"
        ));
        assert!(html.contains("<h1 id=\"verdict\">&lt;script&gt;alert(2)&lt;/script&gt;</h1>"));
        let html = render(&EN, Verdict::Genuine, Some(&inst));
        assert!(
            html.contains(
                "Issued by <bdi>&lt;script&gt;alert(&#39;inst&#39;)&lt;/script&gt;</bdi>."
            ),
            "{html}"
        );
    }

    #[test]
    fn every_verdict_has_its_words_and_no_placeholder_is_left() {
        let inst = institution("Kolej Vokasional");
        let verdicts = [
            Verdict::Genuine,
            Verdict::Altered,
            Verdict::IssuerUnknown,
            Verdict::Revoked,
            Verdict::Suspended,
            Verdict::Expired,
            Verdict::NotYetValid,
            Verdict::Invalid,
            Verdict::CannotCheck,
            Verdict::NotFound,
        ];
        let mut titles = std::collections::HashSet::new();
        for verdict in verdicts {
            for registered in [None, Some(&inst)] {
                let html = render(&EN, verdict, registered);
                let body = html.split_once("</style>").unwrap().1;
                assert!(!body.contains('{') && !body.contains('}'), "{body}");
                assert!(
                    html.contains(&format!("<h1 id=\"verdict\">{}</h1>", verdict.title(&EN))),
                    "{html}"
                );
            }
            assert!(titles.insert(verdict.title(&EN)), "{verdict:?}");
        }
        let at = "2026-09-01T08:00:00Z".parse().unwrap();
        for html in [not_found(&EN, at).unwrap(), not_checked(&EN, at).unwrap()] {
            let body = html.split_once("</style>").unwrap().1;
            assert!(!body.contains('{') && !body.contains('}'), "{body}");
            assert!(
                html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
                "{html}"
            );
        }
    }

    #[test]
    fn the_banner_says_where_the_status_came_from() {
        use crate::verify::{DocumentKind, Provenance};
        let inst = institution("Kolej Vokasional");
        let credential = hostile_credential();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let line = |origins: Vec<Origin>, unreadable: bool| {
            let report = VerificationReport {
                verified: true,
                kind: DocumentKind::Credential,
                id: None,
                issuer: None,
                checks: Vec::new(),
                proofs: Vec::new(),
                credentials: Vec::new(),
                warnings: Vec::new(),
                sources: origins
                    .into_iter()
                    .enumerate()
                    .map(|(i, origin)| Provenance {
                        url: format!("https://node.example/status/{i}"),
                        origin,
                    })
                    .collect(),
            };
            let html = page(
                &EN,
                &PageInput {
                    verdict: Verdict::Genuine,
                    credential: &credential,
                    institution: Some(&inst),
                    report: (!unreadable).then_some(&report),
                    checked_at: at("2026-09-01T08:30:00Z"),
                    example_key: false,
                    status_unreadable: unreadable,
                    published: None,
                },
            )
            .unwrap();
            html.split_once("<p class=\"when\" id=\"status-source\">")
                .map(|(_, rest)| rest.split_once("</p>").unwrap().0.to_owned())
        };
        assert_eq!(
            line(vec![Origin::OwnStore, Origin::OwnStore], false).as_deref(),
            Some("Status checked in the issuer&#39;s own records on this service.")
        );
        assert_eq!(
            line(
                vec![
                    Origin::OwnStore,
                    Origin::Fetched {
                        at: at("2026-09-01T08:30:00Z")
                    },
                    Origin::Cache {
                        fetched_at: at("2026-09-01T08:29:10Z"),
                        age_secs: 50
                    }
                ],
                false
            )
            .as_deref(),
            Some("Status checked with the issuer&#39;s node at 1 September 2026, 08:29 UTC.")
        );
        let stale = line(
            vec![
                Origin::Fetched {
                    at: at("2026-09-01T08:30:00Z"),
                },
                Origin::Stale {
                    fetched_at: at("2026-09-01T07:00:00Z"),
                    age_secs: 5400,
                    error: "timed out".into(),
                },
            ],
            false,
        )
        .unwrap();
        assert!(
            stale
                .starts_with("Last known status from 1 September 2026, 07:00 UTC (90 minutes ago)"),
            "{stale}"
        );
        let stale_for = |age_secs: u64| {
            line(
                vec![Origin::Stale {
                    fetched_at: at("2026-09-01T07:00:00Z"),
                    age_secs,
                    error: "timed out".into(),
                }],
                false,
            )
            .unwrap()
        };
        assert!(stale_for(59).contains("(0 minutes ago)"));
        assert!(stale_for(3 * 3600 + 59).contains("(3 hours ago)"));
        assert!(stale_for(60).contains("(1 minute ago)"));
        assert!(stale_for(86400 * 2).contains("(2 days ago)"));
        assert!(stale_for(3 * 86400).contains("(3 days ago)"));
        assert!(stale.contains("could not be reached"), "{stale}");
        assert_eq!(
            line(vec![], true).as_deref(),
            Some("The status could not be checked with the issuer&#39;s node.")
        );
        // No status list read (no credentialStatus), or only lists given by hand: no line.
        assert_eq!(line(vec![], false), None);
        assert_eq!(line(vec![Origin::Given], false), None);
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(identity_label(&EN, "name"), "Name");
        assert_eq!(identity_label(&EN, "ext:matric-number"), "Matric number");
        assert_eq!(identity_label(&EN, "ext:"), "Identifier");
        assert_eq!(achievement_type_words("Course"), "Course");
        assert_eq!(
            achievement_type_words("ext:MicroCredential"),
            "Micro credential"
        );
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(
            long_date_text(&EN, "2025-07-04T10:00:00+08:00"),
            "4 July 2025"
        );
        assert_eq!(
            date_time_text(&EN, "2026-09-01T08:00:00Z"),
            "1 September 2026, 08:00 UTC"
        );
        assert_eq!(
            date_time_text(&EN, "2026-09-01T10:00:00+02:00"),
            "1 September 2026, 08:00 UTC"
        );
        assert_eq!(date_time_text(&EN, "yesterday"), "yesterday");
    }

    #[test]
    fn results_carry_their_scale() {
        let subject =
            serde_json::json!({"result": [{"value": "91", "resultDescription": "urn:x"}]});
        let achievement =
            serde_json::json!({"resultDescription": [{"id": "urn:x", "name": "Percent"}]});
        assert_eq!(
            result_text(&EN, Some(&subject), Some(&achievement)).as_deref(),
            Some("91 (Percent)")
        );
        assert_eq!(
            result_text(&EN, Some(&subject), None).as_deref(),
            Some("91")
        );
        assert_eq!(result_text(&EN, None, None), None);
    }

    #[test]
    fn placeholders_take_their_values_in_any_order() {
        assert_eq!(
            fill("{b} then {a}.", &[("a", data("<A>")), ("b", text("B"))]),
            vec![text("B"), text(" then "), data("<A>"), text(".")]
        );
        // A placeholder without a value, and a lone brace, stay as written.
        assert_eq!(fill("{x} {", &[]), vec![text("{x}"), text(" {")]);
        assert_eq!(
            fill_text(EN.decision_level, &[("code", "4"), ("framework", "MQF")]),
            "Level 4 of the MQF"
        );
    }
}
