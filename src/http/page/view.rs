//! The employer page as HTML: verdict first, then who issued the credential, to whom, for what,
//! at which level, and when. Every string that comes from a credential is escaped by [`Html`].

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use super::countries;
use super::html::Html;
use super::verdict::Verdict;
use crate::credential::framework_name;
use crate::frameworks::FrameworkRegistry;
use crate::store::Institution;
use crate::verify::{CheckName, VerificationReport};

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
}

const STYLE: &str = "<style>\
*{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif;color:#1b1b1b;background:#f3f3ef;overflow-wrap:anywhere}\
main{max-width:42rem;margin:0 auto;padding-bottom:1rem}\
.v{padding:1.25rem 1rem 1rem;color:#fff;text-align:center}\
.v h1{margin:.35rem 0 .25rem;font-size:2.6rem;line-height:1.1}\
.v p{margin:.5rem auto 0;max-width:34rem}\
.mark{display:inline-block;width:3.5rem;height:3.5rem;line-height:3.5rem;border-radius:50%;background:#fff;font-size:2.2rem;font-weight:700;margin:0}\
.ok{background:#0a6b2d}.ok .mark{color:#0a6b2d}\
.bad{background:#a3161c}.bad .mark{color:#a3161c}\
.warn{background:#8a4700}.warn .mark{color:#8a4700}\
.unknown{background:#4b2a80}.unknown .mark{color:#4b2a80}\
.none{background:#474747}.none .mark{color:#474747}\
.v .when{font-size:.9rem;opacity:.95}\
.card{background:#fff;margin:.75rem;padding:.9rem 1rem;border-radius:.5rem;border:1px solid #d4d4cc}\
.alert{background:#fff3d1;border:2px solid #8a4700}\
h2{font-size:1.05rem;margin:0 0 .4rem;color:#333;text-transform:uppercase;letter-spacing:.03em}\
h3{font-size:1rem;margin:.9rem 0 .25rem}\
.big{font-size:1.3rem;font-weight:700;margin:0 0 .25rem}\
.muted{color:#555;font-size:.9rem}\
dl{margin:0}dt{font-weight:600;color:#444;margin-top:.5rem}dd{margin:0}\
ul{margin:.25rem 0;padding-left:1.25rem}li{margin:.2rem 0}\
p{margin:.4rem 0}\
code{font-size:.85em;word-break:break-all}\
summary{cursor:pointer;font-weight:600}\
.pass{color:#0a6b2d;font-weight:700}.fail{color:#a3161c;font-weight:700}\
footer{margin:.75rem;color:#555;font-size:.85rem}\
@media (min-width:36rem){dl{display:grid;grid-template-columns:10rem 1fr;gap:.2rem 1rem}dt{margin:0}}\
</style>";

fn head(h: &mut Html, verdict: Verdict) {
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .raw("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
        .raw("<meta name=\"referrer\" content=\"no-referrer\">\n<title>")
        .text(verdict.title())
        .raw(" · Credential check · skillpass</title>\n")
        .raw(STYLE)
        .raw("\n</head>\n<body>\n<main>\n");
}

fn banner(
    h: &mut Html,
    verdict: Verdict,
    checked_at: DateTime<Utc>,
    explain: impl FnOnce(&mut Html),
) {
    h.raw("<header class=\"")
        .raw(verdict.class())
        .raw("\">\n<p class=\"mark\" aria-hidden=\"true\">")
        .raw(verdict.mark())
        .raw("</p>\n<h1 id=\"verdict\">")
        .text(verdict.title())
        .raw("</h1>\n<p>");
    explain(h);
    h.raw("</p>\n<p class=\"when\">Checked at <time datetime=\"")
        .text(&checked_at.to_rfc3339_opts(SecondsFormat::Secs, true))
        .raw("\">")
        .text(&checked_at.format("%Y-%m-%d %H:%M:%S").to_string())
        .raw(" UTC</time></p>\n</header>\n");
}

fn footer(h: &mut Html) {
    h.raw("<footer><p>This page checks the credential again every time it is opened: the ")
        .raw("issuer's digital signature, whether the issuer has revoked or suspended it, its ")
        .raw("validity dates and its format. Reload the page to check again.</p></footer>\n")
        .raw("</main>\n</body>\n</html>\n");
}

/// The 404 page for an id no credential has.
pub fn not_found(checked_at: DateTime<Utc>) -> String {
    let mut h = Html::new();
    head(&mut h, Verdict::NotFound);
    banner(&mut h, Verdict::NotFound, checked_at, |h| {
        h.raw("No credential with this reference is held by this service.");
    });
    h.raw("<section class=\"card\"><h2>What to do</h2>")
        .raw("<p>Check that you scanned the QR code printed on the certificate, or typed the ")
        .raw("address exactly as shown. If it still cannot be found, do not accept the ")
        .raw("credential until the institution named on it confirms it to you directly.</p>")
        .raw("</section>\n");
    footer(&mut h);
    h.into_string()
}

/// The page shown when the service failed while checking (the log has the cause).
pub fn not_checked(checked_at: DateTime<Utc>) -> String {
    let mut h = Html::new();
    head(&mut h, Verdict::CannotCheck);
    banner(&mut h, Verdict::CannotCheck, checked_at, |h| {
        h.raw("The credential could not be checked just now. Please try again in a few ")
            .raw("minutes; do not accept it until it can be checked.");
    });
    footer(&mut h);
    h.into_string()
}

/// The page for a stored credential.
pub fn page(input: &PageInput<'_>) -> String {
    let vc = input.credential;
    let subject = first_object(vc.get("credentialSubject"));
    let achievement = subject.and_then(|s| s.get("achievement"));
    let issuer_name = issuer_display_name(input);

    let mut h = Html::new();
    head(&mut h, input.verdict);
    banner(&mut h, input.verdict, input.checked_at, |h| {
        explain(h, input, &issuer_name)
    });

    if input.example_key {
        h.raw("<section class=\"card alert\" role=\"note\"><p><strong>Test credential.</strong> ")
            .raw("It is signed with a published example key that anyone can use. It proves ")
            .raw("nothing about a real learner.</p></section>\n");
    }
    if !input.verdict.content_is_attested() {
        h.raw("<section class=\"card alert\" role=\"note\"><p><strong>The details below are ")
            .raw("what the credential claims.</strong> They are not confirmed by a known ")
            .raw("institution and must not be relied on.</p></section>\n");
    }

    issuer_section(&mut h, input);
    learner_section(&mut h, subject);
    if is_decision(vc) {
        decision_section(&mut h, subject);
    } else {
        achievement_section(&mut h, vc, subject, achievement);
        level_section(&mut h, subject, achievement);
    }
    dates_section(&mut h, vc);
    technical_section(&mut h, input);
    footer(&mut h);
    h.into_string()
}

fn explain(h: &mut Html, input: &PageInput<'_>, issuer: &str) {
    let vc = input.credential;
    match input.verdict {
        Verdict::Genuine => {
            h.raw("Issued by ")
                .data(issuer)
                .raw(". It has not been changed since it was ")
                .raw("signed, and it is not revoked, suspended or expired.");
        }
        Verdict::Altered => {
            h.raw("Do not accept it. Its content does not match its digital signature: it ")
                .raw("was changed after it was issued, or it was not signed by the institution ")
                .raw("it names.");
        }
        Verdict::IssuerUnknown if input.institution.is_some() => {
            h.raw("The signature is intact, but ")
                .data(issuer)
                .raw(" is not a member in good ")
                .raw("standing of the alliance trust registry. Do not treat it as a credential ")
                .raw("from a recognised institution.");
        }
        Verdict::IssuerUnknown => {
            h.raw("The signature is intact, but the issuer is not an institution registered ")
                .raw("with this service, so we cannot tell you who issued it. Do not treat it as ")
                .raw("a credential from a known institution.");
        }
        Verdict::Revoked => {
            h.data(issuer)
                .raw(" has withdrawn (revoked) this credential. Do not accept it.");
        }
        Verdict::Suspended => {
            h.data(issuer)
                .raw(" has suspended this credential for now. Do not accept it ")
                .raw("unless the institution lifts the suspension; contact the institution.");
        }
        Verdict::Expired => {
            h.raw("It was genuine, but it was valid only until ")
                .text(&date_of(vc, "validUntil", "expirationDate"))
                .raw(". Ask the learner for a current credential.");
        }
        Verdict::NotYetValid => {
            h.raw("It is genuine, but it becomes valid only on ")
                .text(&date_of(vc, "validFrom", "issuanceDate"))
                .raw(". Do not accept it before then.");
        }
        Verdict::Invalid => {
            h.raw("It is signed by ")
                .data(issuer)
                .raw(" but does not pass every check (see ")
                .raw("Technical details). Do not rely on it; contact the institution.");
        }
        Verdict::CannotCheck | Verdict::NotFound => {
            h.raw("The credential could not be checked just now. Please try again in a few ")
                .raw("minutes; do not accept it until it can be checked.");
        }
    }
}

/// The registered name when the issuer is registered, else what the credential claims.
fn issuer_display_name(input: &PageInput<'_>) -> String {
    if let Some(inst) = input.institution {
        return inst.name.clone();
    }
    input
        .credential
        .get("issuer")
        .and_then(|i| i.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("the issuer")
        .to_owned()
}

fn issuer_section(h: &mut Html, input: &PageInput<'_>) {
    let issuer = input.credential.get("issuer");
    h.raw(
        "<section class=\"card\" aria-labelledby=\"h-issuer\"><h2 id=\"h-issuer\">Issued by</h2>\n",
    );
    match input.institution {
        Some(inst) => {
            h.raw("<p class=\"big\">")
                .data(&inst.name)
                .raw("</p>\n<dl>")
                .raw("<dt>Country</dt><dd>")
                .text(&countries::display(&inst.country))
                .raw("</dd>");
            if let Some(qa) = inst.quality_assurance.as_deref().filter(|q| !q.is_empty()) {
                h.raw("<dt>Quality assurance</dt><dd>")
                    .data(qa)
                    .raw("</dd>");
            }
            h.raw("<dt>Registered here since</dt><dd>")
                .text(&long_date(&inst.created.fixed_offset()))
                .raw("</dd></dl>\n");
            if input.verdict.content_is_attested() {
                h.raw("<p class=\"muted\">A vocational institution registered with this service; ")
                    .raw("the credential is signed with its key.</p>\n");
            }
            // What the trust registry says about the issuer's standing (e.g. provisional).
            let trust = input.report.and_then(|r| r.check(CheckName::Trust));
            for note in trust.iter().flat_map(|c| c.reasons.iter().chain(&c.notes)) {
                h.raw("<p class=\"muted\"><strong>Trust registry:</strong> ")
                    .data(note)
                    .raw("</p>\n");
            }
        }
        None => {
            let claimed = issuer.and_then(|i| i.get("name")).and_then(Value::as_str);
            h.raw("<p class=\"big\">Not a registered institution</p>\n<dl>");
            if let Some(name) = claimed {
                h.raw("<dt>Name it gives</dt><dd>").data(name).raw("</dd>");
            }
            let country = issuer
                .and_then(|i| i.pointer("/address/addressCountryCode"))
                .and_then(Value::as_str);
            if let Some(country) = country {
                h.raw("<dt>Country it gives</dt><dd>")
                    .text(&countries::display(country))
                    .raw("</dd>");
            }
            h.raw("</dl>\n");
        }
    }
    h.raw("</section>\n");
}

fn learner_section(h: &mut Html, subject: Option<&Value>) {
    h.raw("<section class=\"card\" aria-labelledby=\"h-learner\"><h2 id=\"h-learner\">Awarded to</h2>\n<dl>");
    let mut any = false;
    if let Some(subject) = subject {
        // A decision credential names the learner with `name` (VC 2.0).
        if let Some(name) = text_field(Some(subject), "name") {
            h.raw("<dt>Name</dt><dd>").data(name).raw("</dd>");
            any = true;
        }
        let identifiers = match subject.get("identifier") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        };
        // The name first, then the other identifiers in the order given.
        let mut ordered: Vec<&Value> = identifiers
            .iter()
            .copied()
            .filter(|i| i.get("identityType").and_then(Value::as_str) == Some("name"))
            .collect();
        ordered.extend(
            identifiers
                .iter()
                .copied()
                .filter(|i| i.get("identityType").and_then(Value::as_str) != Some("name")),
        );
        for identity in ordered {
            let Some(value) = identity.get("identityHash").and_then(Value::as_str) else {
                continue;
            };
            let kind = identity
                .get("identityType")
                .and_then(Value::as_str)
                .unwrap_or("identifier");
            let hashed = identity.get("hashed").and_then(Value::as_bool) == Some(true);
            h.raw("<dt>").text(&identity_label(kind)).raw("</dt><dd>");
            if hashed {
                h.raw("<code>")
                    .data(value)
                    .raw("</code> <span class=\"muted\">(hashed: compare ")
                    .raw("it with a hash of the learner's own details)</span>");
            } else {
                h.data(value);
            }
            h.raw("</dd>");
            any = true;
        }
        if let Some(id) = subject.get("id").and_then(Value::as_str) {
            h.raw("<dt>Digital identity</dt><dd><code>")
                .data(id)
                .raw("</code></dd>");
            any = true;
        }
    }
    if !any {
        h.raw("<dt>Learner</dt><dd>Not stated in the credential</dd>");
    }
    h.raw("</dl>\n<p class=\"muted\">Make sure these details belong to the person who showed you ")
        .raw("the credential, for example against an identity document.</p>\n</section>\n");
}

/// `"studentId"`-style OB 3.0 identity types and `ext:` schemes in words.
fn identity_label(kind: &str) -> String {
    let known = match kind {
        "name" => Some("Name"),
        "emailAddress" => Some("Email"),
        "nationalIdentityNumber" => Some("National identity number"),
        "sourcedId" | "sisSourcedId" | "lisSourcedId" | "oneRosterSourcedId" => Some("Student ID"),
        "userName" => Some("User name"),
        "accountId" => Some("Account ID"),
        "identifier" | "systemId" => Some("Identifier"),
        _ => None,
    };
    if let Some(label) = known {
        return label.to_owned();
    }
    let words = kind
        .strip_prefix("ext:")
        .unwrap_or(kind)
        .replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Identifier".to_owned(),
    }
}

fn achievement_section(
    h: &mut Html,
    vc: &Value,
    subject: Option<&Value>,
    achievement: Option<&Value>,
) {
    h.raw("<section class=\"card\" aria-labelledby=\"h-achievement\"><h2 id=\"h-achievement\">Achievement</h2>\n");
    let name = text_field(achievement, "name").or_else(|| text_field(Some(vc), "name"));
    h.raw("<p class=\"big\">")
        .data(name.unwrap_or("(no name given)"))
        .raw("</p>\n");
    let kind = text_field(achievement, "achievementType").map(achievement_type_words);
    let code = text_field(achievement, "humanCode");
    if kind.is_some() || code.is_some() {
        h.raw("<p class=\"muted\">");
        if let Some(kind) = &kind {
            h.text(kind);
        }
        if let Some(code) = code {
            if kind.is_some() {
                h.raw(" · ");
            }
            h.raw("code ").data(code);
        }
        h.raw("</p>\n");
    }
    if let Some(description) = text_field(achievement, "description") {
        h.raw("<p>").data(description).raw("</p>\n");
    }
    h.raw("<dl>");
    if let Some(field) = text_field(achievement, "fieldOfStudy") {
        h.raw("<dt>Field of study</dt><dd>")
            .data(field)
            .raw("</dd>");
    }
    if let Some(result) = result_text(subject, achievement) {
        h.raw("<dt>Result</dt><dd>").data(&result).raw("</dd>");
    }
    h.raw("</dl>\n");

    let outcomes: Vec<&Value> = achievement
        .and_then(|a| a.get("alignment"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|a| a.get("targetType").and_then(Value::as_str) == Some("ceasn:Competency"))
                .collect()
        })
        .unwrap_or_default();
    if !outcomes.is_empty() {
        h.raw("<h3>Learning outcomes</h3>\n<ul>\n");
        for outcome in outcomes {
            h.raw("<li>");
            if let Some(code) = outcome.get("targetCode").and_then(Value::as_str) {
                h.raw("<strong>").data(code).raw("</strong> ");
            }
            h.data(
                outcome
                    .get("targetName")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            )
            .raw("</li>\n");
        }
        h.raw("</ul>\n");
    }
    if let Some(criteria) = achievement
        .and_then(|a| a.pointer("/criteria/narrative"))
        .and_then(Value::as_str)
    {
        h.raw("<h3>How it was assessed</h3>\n<p>")
            .data(criteria)
            .raw("</p>\n");
    }
    h.raw("</section>\n");
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
fn result_text(subject: Option<&Value>, achievement: Option<&Value>) -> Option<String> {
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
        Some(scale) => format!("{value} ({scale})"),
        None => value,
    })
}

fn level_section(h: &mut Html, subject: Option<&Value>, achievement: Option<&Value>) {
    let level = achievement.and_then(crate::credential::framework_level);
    let framework = level.as_ref().map(|(framework, _)| framework.as_str());
    let level_code = level.as_ref().map(|(_, code)| code.as_str());
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
    if framework.is_none() && earned.is_none() && available.is_none() && hours.is_none() {
        return;
    }
    h.raw("<section class=\"card\" aria-labelledby=\"h-level\"><h2 id=\"h-level\">Level and credits</h2>\n<dl>");
    if let Some(framework) = framework {
        h.raw("<dt>Level</dt><dd>");
        match level_code {
            Some(code) => h.raw("Level ").data(code).raw(" of the "),
            None => h.raw("The "),
        };
        match framework_name(framework) {
            Some(name) => h.text(name).raw(" (").data(framework).raw(")"),
            None => h.data(framework).raw(" framework"),
        };
        h.raw("</dd>");
    }
    if earned.is_some() || available.is_some() {
        h.raw("<dt>Credits</dt><dd>");
        match (&earned, &available) {
            (Some(e), Some(a)) if e == a => h.data(e).raw(" earned"),
            (Some(e), Some(a)) => h.data(e).raw(" earned of ").data(a).raw(" available"),
            (Some(e), None) => h.data(e).raw(" earned"),
            (None, Some(a)) => h.data(a).raw(" available"),
            (None, None) => h,
        };
        if let Some(system) = system {
            h.raw(" (").data(system).raw(")");
        }
        h.raw("</dd>");
    }
    if let Some(hours) = hours {
        h.raw("<dt>Learning hours</dt><dd>")
            .data(&hours)
            .raw(" hours</dd>");
    }
    h.raw("</dl>\n</section>\n");
}

/// A recognition decision (`CreditTransferDecision`, issued by a receiving institution).
fn is_decision(vc: &Value) -> bool {
    crate::decision::is_decision_credential(vc)
}

/// `"recognised-with-conditions"` → words; an unknown value is shown as it is.
fn outcome_words(outcome: &str) -> &str {
    match outcome {
        "recognised" => "Recognised",
        "recognised-with-conditions" => "Recognised with conditions",
        "cannot-be-decided-automatically" => "Cannot be decided automatically",
        "not-recognised" => "Not recognised",
        other => other,
    }
}

/// A framework id with its name from the framework data (`TH-VOC` → `Thai vocational education
/// qualifications (TH-VOC)`).
fn framework_words(id: &str) -> String {
    match FrameworkRegistry::bundled().framework(id) {
        Some(f) => format!("{} ({id})", f.name),
        None => id.to_owned(),
    }
}

/// `{framework, levelCode}` → `diploma (Diploma in Vocational Education) of the Thai …`.
fn level_words(level: &Value) -> Option<String> {
    let framework = level.get("framework")?.as_str()?;
    let code = scalar_text(level.get("levelCode")?)?;
    let name = FrameworkRegistry::bundled()
        .level(framework, &code)
        .map(|l| l.name.clone())
        .filter(|n| !n.ends_with(&format!(" {code}")));
    Some(match name {
        Some(name) => format!(
            "Level {code} ({name}) of the {}",
            framework_words(framework)
        ),
        None => format!("Level {code} of the {}", framework_words(framework)),
    })
}

/// What a receiving institution decided: the outcome, the achievement it is about, the level
/// and credits it gives, the conditions, and every reason.
fn decision_section(h: &mut Html, subject: Option<&Value>) {
    let text = |key: &str| text_field(subject, key);
    let list = |key: &str| -> Vec<&Value> {
        match subject.and_then(|s| s.get(key)) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) if !one.is_null() => vec![one],
            _ => Vec::new(),
        }
    };
    h.raw("<section class=\"card\" aria-labelledby=\"h-decision\"><h2 id=\"h-decision\">Recognition decision</h2>\n");
    let outcome = text("recognitionOutcome").unwrap_or("(no outcome given)");
    h.raw("<p class=\"big\" id=\"decision-outcome\">")
        .data(outcome_words(outcome));
    if let Some(framework) = text("receivingFramework") {
        h.raw(" in the ").data(&framework_words(framework));
    }
    h.raw("</p>\n<dl>");
    if let Some(name) = text("recognisedAchievement") {
        h.raw("<dt>Achievement</dt><dd>").data(name).raw("</dd>");
    }
    h.raw("<dt>Level</dt><dd id=\"decision-level\">");
    let levels: Vec<String> = list("recognisedLevel")
        .into_iter()
        .filter_map(level_words)
        .collect();
    match levels.as_slice() {
        [] => {
            h.raw("No level placed: see the reasons below");
        }
        [one] => {
            h.data(one);
        }
        many => {
            h.raw("One of these, to be settled by the institution:<ul>");
            for level in many {
                h.raw("<li>").data(level).raw("</li>");
            }
            h.raw("</ul>");
        }
    }
    h.raw("</dd><dt>Credits</dt><dd id=\"decision-credits\">");
    let credits = subject
        .and_then(|s| s.get("creditsAwarded"))
        .and_then(scalar_text);
    match credits {
        Some(credits) => {
            h.data(&credits).raw(" credits awarded");
            if let Some(system) = text("creditSystem") {
                h.raw(" (").data(system).raw(")");
            }
        }
        None => {
            h.raw("None awarded: see the reasons below");
        }
    }
    h.raw("</dd>");
    if let Some(status) = text("referencingStatus") {
        let words = match status {
            "official" => "official referencing and credit rules",
            "provisional" => "provisional data (sourced, not yet an endorsed referencing decision)",
            "example" => "example data (illustrative, to be confirmed by the institution)",
            other => other,
        };
        h.raw("<dt>Based on</dt><dd>").data(words).raw("</dd>");
    }
    if let Some(original) = text("recognisedCredential") {
        h.raw("<dt>Credential recognised</dt><dd><code>")
            .data(original)
            .raw("</code></dd>");
    }
    if let Some(issuer) = text("recognisedIssuer") {
        h.raw("<dt>Originally issued by</dt><dd><code>")
            .data(issuer)
            .raw("</code></dd>");
    }
    h.raw("</dl>\n");
    let conditions: Vec<&str> = list("recognitionCondition")
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    if !conditions.is_empty() {
        h.raw("<h3>Conditions</h3>\n<ul id=\"decision-conditions\">\n");
        for condition in conditions {
            h.raw("<li>").data(condition).raw("</li>\n");
        }
        h.raw("</ul>\n");
    }
    let reasons = list("recognitionReason");
    if !reasons.is_empty() {
        h.raw("<details><summary>Every reason</summary>\n<ul>\n");
        for reason in reasons {
            let field = |k: &str| reason.get(k).and_then(Value::as_str).unwrap_or("");
            let effect = match field("effect") {
                "met" => "Met",
                "condition" => "Condition",
                "undecided" => "To be decided by the institution",
                "not-met" => "Not met",
                other => other,
            };
            h.raw("<li><strong>")
                .data(&field("element").replace('-', " "))
                .raw(":</strong> ")
                .data(effect)
                .raw(". ")
                .data(field("description"))
                .raw("</li>\n");
        }
        h.raw("</ul></details>\n");
    }
    h.raw("</section>\n");
}

fn dates_section(h: &mut Html, vc: &Value) {
    h.raw(
        "<section class=\"card\" aria-labelledby=\"h-dates\"><h2 id=\"h-dates\">Dates</h2>\n<dl>",
    );
    if let Some(awarded) = vc.get("awardedDate").and_then(Value::as_str) {
        h.raw("<dt>Awarded</dt><dd>")
            .text(&long_date_text(awarded))
            .raw("</dd>");
    }
    let from = vc
        .get("validFrom")
        .or_else(|| vc.get("issuanceDate"))
        .and_then(Value::as_str);
    if let Some(from) = from {
        h.raw("<dt>Valid from</dt><dd>")
            .text(&date_time_text(from))
            .raw("</dd>");
    }
    match vc
        .get("validUntil")
        .or_else(|| vc.get("expirationDate"))
        .and_then(Value::as_str)
    {
        Some(until) => h
            .raw("<dt>Valid until</dt><dd>")
            .text(&date_time_text(until))
            .raw("</dd>"),
        None => h.raw("<dt>Valid until</dt><dd>No end date</dd>"),
    };
    h.raw("</dl>\n</section>\n");
}

fn technical_section(h: &mut Html, input: &PageInput<'_>) {
    let vc = input.credential;
    h.raw("<section class=\"card\"><details><summary>Technical details</summary>\n<dl>");
    if let Some(id) = vc.get("id").and_then(Value::as_str) {
        h.raw("<dt>Credential id</dt><dd><code>")
            .data(id)
            .raw("</code></dd>");
    }
    let issuer = match vc.get("issuer") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => other.get("id").and_then(Value::as_str),
        None => None,
    };
    if let Some(issuer) = issuer {
        h.raw("<dt>Issuer DID</dt><dd><code>")
            .data(issuer)
            .raw("</code></dd>");
    }
    if let Some(report) = input.report {
        for proof in &report.proofs {
            h.raw("<dt>Signature</dt><dd>").data(&proof.suite);
            if let Some(created) = &proof.created {
                h.raw(", made ").text(&date_time_text(created));
            }
            h.raw("<br><code>")
                .data(&proof.verification_method)
                .raw("</code></dd>");
        }
    }
    h.raw("</dl>\n");
    match input.report {
        Some(report) => {
            h.raw("<h3>Checks</h3>\n<ul>\n");
            for check in &report.checks {
                h.raw("<li>");
                if check.verified {
                    h.raw("<span class=\"pass\">Passed:</span> ");
                } else {
                    h.raw("<span class=\"fail\">Failed:</span> ");
                }
                h.text(check_label(check.check));
                if !check.reasons.is_empty() || !check.notes.is_empty() {
                    h.raw("<ul>");
                    for reason in check.reasons.iter().chain(&check.notes) {
                        h.raw("<li>").data(reason).raw("</li>");
                    }
                    h.raw("</ul>");
                }
                h.raw("</li>\n");
            }
            h.raw("</ul>\n");
        }
        None => {
            h.raw("<p>The checks could not be completed; the service log has the cause.</p>\n");
        }
    }
    h.raw("</details></section>\n");
}

fn check_label(name: CheckName) -> &'static str {
    match name {
        CheckName::DataModel => "credential format (W3C Verifiable Credentials)",
        CheckName::Proof => "digital signature matches the content",
        CheckName::ProofPurpose => "signature made for issuing credentials",
        CheckName::IssuerBinding => "signed with the issuer's own key",
        CheckName::ValidityWindow => "within its validity dates",
        CheckName::Status => "not revoked or suspended by the issuer",
        CheckName::Schema => "Open Badges 3.0 structure",
        CheckName::Challenge => "presentation challenge",
        CheckName::Domain => "presentation domain",
        CheckName::HolderBinding => "presented by its holder",
        CheckName::Credentials => "credentials inside the presentation",
        CheckName::Trust => "issuer is a member in good standing of the trust registry",
    }
}

/// The object itself, or the first element of an array of objects.
fn first_object(value: Option<&Value>) -> Option<&Value> {
    match value? {
        v @ Value::Object(_) => Some(v),
        Value::Array(items) => items.iter().find(|v| v.is_object()),
        _ => None,
    }
}

fn text_field<'a>(object: Option<&'a Value>, key: &str) -> Option<&'a str> {
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

fn date_of(vc: &Value, v2: &str, v1: &str) -> String {
    vc.get(v2)
        .or_else(|| vc.get(v1))
        .and_then(Value::as_str)
        .map(date_time_text)
        .unwrap_or_else(|| "an unknown date".to_owned())
}

fn long_date(t: &DateTime<chrono::FixedOffset>) -> String {
    t.format("%-d %B %Y").to_string()
}

/// `2025-07-04T10:00:00+08:00` → `4 July 2025` (the date where it was awarded).
fn long_date_text(raw: &str) -> String {
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => long_date(&t),
        Err(_) => raw.to_owned(),
    }
}

/// An instant in UTC, e.g. `1 September 2026, 08:00 UTC`.
fn date_time_text(raw: &str) -> String {
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => t
            .with_timezone(&Utc)
            .format("%-d %B %Y, %H:%M UTC")
            .to_string(),
        Err(_) => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_words() {
        assert_eq!(identity_label("name"), "Name");
        assert_eq!(identity_label("ext:matric-number"), "Matric number");
        assert_eq!(identity_label("ext:"), "Identifier");
        assert_eq!(achievement_type_words("Course"), "Course");
        assert_eq!(
            achievement_type_words("ext:MicroCredential"),
            "Micro credential"
        );
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(long_date_text("2025-07-04T10:00:00+08:00"), "4 July 2025");
        assert_eq!(
            date_time_text("2026-09-01T08:00:00Z"),
            "1 September 2026, 08:00 UTC"
        );
        assert_eq!(
            date_time_text("2026-09-01T10:00:00+02:00"),
            "1 September 2026, 08:00 UTC"
        );
        assert_eq!(date_time_text("yesterday"), "yesterday");
    }

    #[test]
    fn results_carry_their_scale() {
        let subject =
            serde_json::json!({"result": [{"value": "91", "resultDescription": "urn:x"}]});
        let achievement =
            serde_json::json!({"resultDescription": [{"id": "urn:x", "name": "Percent"}]});
        assert_eq!(
            result_text(Some(&subject), Some(&achievement)).as_deref(),
            Some("91 (Percent)")
        );
        assert_eq!(result_text(Some(&subject), None).as_deref(), Some("91"));
        assert_eq!(result_text(None, None), None);
    }
}
