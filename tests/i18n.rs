//! The service's languages (docs/LANGUAGES.md): the message files are complete in every
//! language and every message is used; a page's language follows `?lang=`, then the `lang`
//! cookie, then `Accept-Language`, then the issuer's country; `<html lang>`, the language switch
//! and `Content-Language` say which; dates follow the language.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app::{Reply, TestApp};
use fluent_syntax::ast;
use skillpass::i18n::Lang;

// ---------------------------------------------------------------------------------------------
// The message files.

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One message file: message id → the `$variables` it uses.
type Messages = BTreeMap<String, BTreeSet<String>>;

/// Every language's files: file name → its messages.
fn language(lang: Lang) -> BTreeMap<String, Messages> {
    let dir = root().join("locales").join(lang.tag());
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.insert(name, parse(&path, &source));
    }
    files
}

/// The messages of one file; panics on a syntax error (Fluent would drop the message).
fn parse(path: &Path, source: &str) -> Messages {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
    };
    let mut out = Messages::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    pattern_vars(value, &mut vars);
                }
                assert!(
                    out.insert(m.id.name.to_owned(), vars).is_none(),
                    "{}: {} twice",
                    path.display(),
                    m.id.name
                );
            }
            ast::Entry::Junk { content } => panic!("{}: cannot parse {content}", path.display()),
            _ => {}
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    }
}

/// What differs between English and a translation: `(file, id)` English has and the
/// translation lacks, and the other way round.
fn differences(
    en: &BTreeMap<String, Messages>,
    other: &BTreeMap<String, Messages>,
) -> (Vec<String>, Vec<String>) {
    let ids = |files: &BTreeMap<String, Messages>| -> BTreeSet<String> {
        files
            .iter()
            .flat_map(|(f, m)| m.keys().map(move |id| format!("{f}: {id}")))
            .collect()
    };
    let (a, b) = (ids(en), ids(other));
    (
        a.difference(&b).cloned().collect(),
        b.difference(&a).cloned().collect(),
    )
}

/// Arguments a translation may use that English does not need.
const EXTRA_ARGUMENTS: &[(&str, &str)] = &[("date-long", "year_be")];

#[test]
fn every_language_has_every_message_and_no_other() {
    let en = language(Lang::En);
    assert!(en.contains_key("common.ftl") && en.contains_key("employer.ftl"));
    for lang in Lang::ALL {
        let files = language(lang);
        let (missing, extra) = differences(&en, &files);
        assert!(missing.is_empty(), "{lang} lacks {missing:#?}");
        assert!(
            extra.is_empty(),
            "{lang} has messages English has not: {extra:#?}"
        );
        for (file, messages) in &files {
            for (id, vars) in messages {
                let english = &en[file][id];
                let lacking: Vec<_> = english.difference(vars).collect();
                assert!(lacking.is_empty(), "{lang} {id} drops {lacking:?}");
                for var in vars.difference(english) {
                    assert!(
                        EXTRA_ARGUMENTS.contains(&(id.as_str(), var.as_str())),
                        "{lang} {id} uses ${var}, which the code does not pass"
                    );
                }
            }
        }
    }
}

#[test]
fn the_comparison_catches_a_missing_and_an_extra_message() {
    let en = BTreeMap::from([(
        "a.ftl".to_owned(),
        parse(Path::new("en"), "one = One\ntwo = Two { $n }\n"),
    )]);
    let th = BTreeMap::from([(
        "a.ftl".to_owned(),
        parse(Path::new("th"), "one = หนึ่ง\nthree = สาม\n"),
    )]);
    let (missing, extra) = differences(&en, &th);
    assert_eq!(missing, vec!["a.ftl: two".to_owned()]);
    assert_eq!(extra, vec!["a.ftl: three".to_owned()]);
    assert_eq!(
        en["a.ftl"]["two"],
        BTreeSet::from(["n".to_owned()]),
        "arguments are read"
    );
}

/// Every file under `dir` ending in one of `exts`, recursively.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, exts, out);
        } else if exts
            .iter()
            .any(|e| path.extension().and_then(|x| x.to_str()) == Some(e))
        {
            out.push(path);
        }
    }
}

/// The code and templates that show messages.
fn sources() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(&root().join("src"), &["rs"], &mut paths);
    files(&root().join("templates"), &["html"], &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// Message ids the code asks for: the first string argument of `t(`, `t_args(`, `s(`, `p(`,
/// `text(`, `has(` and `pattern(` (after a language argument), outside `//` comments.
fn asked_for(source: &str) -> Vec<String> {
    // Not in comments: the docs show calls with made-up ids.
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let source = code.as_str();
    let mut out = Vec::new();
    for call in ["t(", "t_args(", "s(", "p(", "text(", "has(", "pattern("] {
        let mut rest = source;
        while let Some(at) = rest.find(call) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + call.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            // Skip a language argument: `pattern(lang, "id"`, `text(Lang::En, "id"`.
            let mut args = rest.trim_start();
            if !args.starts_with('"') {
                if let Some(comma) = args.find(',') {
                    if args[..comma]
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_:*&. ".contains(c))
                    {
                        args = args[comma + 1..].trim_start();
                    }
                }
            }
            let Some(literal) = args.strip_prefix('"') else {
                continue;
            };
            let Some(end) = literal.find('"') else {
                continue;
            };
            let id = &literal[..end];
            if !id.is_empty()
                && id.contains('-')
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push(id.to_owned());
            }
        }
    }
    out
}

/// Whether message `id` appears in `source`: as a literal, or as the stem of one built with
/// `format!` (`"month-{}"` covers `month-1` … `month-12`, `"console-role-{}"` the roles).
fn mentions(source: &str, id: &str) -> bool {
    if source.contains(&format!("\"{id}\"")) {
        return true;
    }
    id.match_indices('-')
        .any(|(at, _)| source.contains(&format!("\"{}-{{", &id[..at])))
}

#[test]
fn every_message_is_used_and_every_message_used_exists() {
    let en = language(Lang::En);
    let known: BTreeSet<&str> = en
        .values()
        .flat_map(|m| m.keys())
        .map(String::as_str)
        .collect();
    let sources = sources();
    let unused: Vec<&str> = known
        .iter()
        .copied()
        .filter(|id| !sources.iter().any(|(_, text)| mentions(text, id)))
        .collect();
    assert!(
        unused.is_empty(),
        "messages no code or template uses: {unused:#?}"
    );
    let mut unknown = Vec::new();
    for (path, text) in &sources {
        for id in asked_for(text) {
            if !known.contains(id.as_str()) && id != "no-such-message" {
                unknown.push(format!("{}: {id}", path.display()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "messages asked for but not in locales/en: {unknown:#?}"
    );
}

#[test]
fn the_scan_finds_ids_in_calls_and_stems() {
    let code = r#"lang.t("employer-x"); lang.t_args("claim-y", &[]); s("a-b"); p("c-d", &["n"]);
        pattern(lang, "e-f", &[]); format!("month-{}", m); list("not-an-id"); cost("g-h")"#;
    assert_eq!(
        asked_for(code),
        vec!["employer-x", "claim-y", "a-b", "c-d", "e-f"]
    );
    assert!(mentions(code, "month-12"));
    assert!(!mentions(code, "day-12"));
    assert!(mentions(r#"t(&format!("role-{}", r))"#, "role-viewer"));
    assert!(mentions(code, "c-d"));
    assert!(!mentions(code, "c"));
}

// ---------------------------------------------------------------------------------------------
// Pages.

async fn get(app: &TestApp, uri: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut req = Request::builder().method(Method::GET).uri(uri);
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

fn html_lang(reply: &Reply) -> String {
    let text = reply.text();
    let start = text.find("<html lang=\"").expect("an html element") + 12;
    let end = start + text[start..].find('"').unwrap();
    text[start..end].to_owned()
}

async fn credential_page(app: &TestApp) -> String {
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    format!("/verify/{}", vc["id"].as_str().unwrap())
}

#[tokio::test]
async fn without_a_preference_the_page_is_in_the_issuers_language() {
    let app = TestApp::new();
    let page = credential_page(&app).await;
    // szpu is registered in China.
    let reply = get(&app, &page, &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(html_lang(&reply), "zh-Hans");
    assert_eq!(reply.headers[header::CONTENT_LANGUAGE], "zh-Hans");
    assert!(reply
        .text()
        .contains(&Lang::ZhHans.t("employer-verdict-genuine")));
    // A language the service does not have falls through to the issuer's.
    let reply = get(&app, &page, &[(header::ACCEPT_LANGUAGE, "fr-FR, de;q=0.5")]).await;
    assert_eq!(html_lang(&reply), "zh-Hans");
}

#[tokio::test]
async fn accept_language_picks_each_of_the_alliances_languages() {
    let app = TestApp::new();
    let page = credential_page(&app).await;
    for (header_value, lang) in [
        ("zh-CN,zh;q=0.9", Lang::ZhHans),
        ("th-TH,th;q=0.9,en;q=0.5", Lang::Th),
        ("lo", Lang::Lo),
        ("ms-MY", Lang::Ms),
        ("km-KH,km;q=0.8", Lang::Km),
        ("en-GB", Lang::En),
        ("fr;q=0.9, km;q=0.2, lo;q=0.3", Lang::Lo),
    ] {
        let reply = get(&app, &page, &[(header::ACCEPT_LANGUAGE, header_value)]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(html_lang(&reply), lang.tag(), "{header_value}");
        let text = reply.text();
        for id in [
            "employer-verdict-genuine",
            "employer-technical-details",
            "employer-awarded-to",
        ] {
            assert!(text.contains(&lang.t(id)), "{header_value}: {id}");
        }
        if lang != Lang::En {
            assert!(!text.contains("Technical details"), "{header_value}");
        }
        assert!(!reply.headers.contains_key(header::SET_COOKIE));
        let vary = reply.headers[header::VARY].to_str().unwrap();
        assert!(vary.contains("Accept-Language") && vary.contains("Cookie"));
    }
}

#[tokio::test]
async fn the_query_beats_the_cookie_which_beats_the_header() {
    let app = TestApp::new();
    let page = credential_page(&app).await;
    let all = [
        (header::ACCEPT_LANGUAGE, "th"),
        (header::COOKIE, "other=1; lang=lo"),
    ];
    let reply = get(&app, &format!("{page}?lang=km"), &all).await;
    assert_eq!(html_lang(&reply), "km");
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=km;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"));
    assert_eq!(html_lang(&get(&app, &page, &all).await), "lo");
    assert_eq!(
        html_lang(&get(&app, &page, &[(header::ACCEPT_LANGUAGE, "th")]).await),
        "th"
    );
    // Unknown values are passed over, and set no cookie.
    let reply = get(
        &app,
        &format!("{page}?lang=xx"),
        &[(header::COOKIE, "lang=zz")],
    )
    .await;
    assert_eq!(html_lang(&reply), "zh-Hans");
    assert!(!reply.headers.contains_key(header::SET_COOKIE));
}

/// The switch's links: (lang, href, current).
fn switch(text: &str) -> Vec<(String, String, bool)> {
    let nav = text
        .split_once("<nav class=\"langs\"")
        .expect("a language switch")
        .1
        .split_once("</nav>")
        .unwrap()
        .0;
    nav.split("<li>")
        .skip(1)
        .map(|li| {
            let lang = li
                .split_once("lang=\"")
                .unwrap()
                .1
                .split_once('"')
                .unwrap()
                .0;
            let current = li.contains("aria-current=\"true\"");
            let href = li
                .split_once("href=\"")
                .map(|(_, r)| r.split_once('"').unwrap().0.to_owned())
                .unwrap_or_default();
            (lang.to_owned(), href, current)
        })
        .collect()
}

#[tokio::test]
async fn every_page_has_a_switch_to_every_language() {
    let app = TestApp::new();
    let page = credential_page(&app).await;
    for uri in [
        page.clone(),
        "/verify/urn:uuid:00000000-0000-4000-8000-000000000000".to_owned(),
        "/claim/no-such-offer".to_owned(),
        "/verify/request".to_owned(),
        "/verify/request/no-such-request".to_owned(),
        "/share/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(),
    ] {
        let reply = get(&app, &uri, &[(header::ACCEPT_LANGUAGE, "ms")]).await;
        assert_eq!(html_lang(&reply), "ms", "{uri}");
        let text = reply.text();
        assert!(text.contains("aria-label=\"Bahasa\""), "{uri}");
        let links = switch(&text);
        let tags: Vec<&str> = links.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(tags, ["en", "zh-Hans", "th", "lo", "ms", "km"], "{uri}");
        for (lang, href, current) in &links {
            assert_eq!(*current, lang == "ms", "{uri} {lang}");
            if !current {
                // Relative to the page: the same path, another language.
                assert_eq!(href, &format!("?lang={lang}"), "{uri}");
                let followed = get(&app, &format!("{uri}{href}"), &[]).await;
                assert_eq!(&html_lang(&followed), lang, "{uri}{href}");
            }
        }
    }
}

#[tokio::test]
async fn the_request_pages_speak_the_readers_language() {
    let app = TestApp::new();
    let reply = get(&app, "/verify/request?lang=th", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(html_lang(&reply), "th");
    assert_eq!(reply.headers[header::CONTENT_LANGUAGE], "th");
    let text = reply.text();
    assert!(
        text.contains("<title>ขอให้แสดงเอกสารรับรอง</title>"),
        "{text}"
    );
    assert!(text.contains(">ส่งคำขอ</button>"), "{text}");
    assert!(!text.contains("Make the request"), "{text}");
    // Without a preference, English; a request that does not exist, in Lao from the header.
    let reply = get(&app, "/verify/request", &[]).await;
    assert_eq!(html_lang(&reply), "en");
    assert!(reply.text().contains("Make the request"));
    let reply = get(
        &app,
        "/verify/request/no-such-request",
        &[(header::ACCEPT_LANGUAGE, "lo")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(html_lang(&reply), "lo");
    assert!(reply.text().contains(&Lang::Lo.t("request-unknown-title")));
    assert!(reply.text().contains("ບໍ່ພົບຄຳຮ້ອງຂໍນີ້"));
}

#[tokio::test]
async fn not_found_and_closed_pages_speak_the_readers_language() {
    let app = TestApp::new();
    let reply = get(
        &app,
        "/verify/urn:uuid:00000000-0000-4000-8000-000000000000",
        &[(header::ACCEPT_LANGUAGE, "km")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply
        .text()
        .contains(&Lang::Km.t("employer-what-to-do-text")));
    // No issuer, no preference: English.
    let reply = get(&app, "/claim/no-such-offer", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(html_lang(&reply), "en");
    let reply = get(
        &app,
        "/claim/no-such-offer",
        &[(header::ACCEPT_LANGUAGE, "th")],
    )
    .await;
    assert_eq!(html_lang(&reply), "th");
    assert!(reply.text().contains("ไม่พบข้อเสนอ"));
    assert_eq!(reply.headers[header::CONTENT_LANGUAGE], "th");
}

#[tokio::test]
async fn dates_follow_the_language() {
    let app = TestApp::new();
    let page = credential_page(&app).await;
    // The test clock: 1 September 2026, 08:00 UTC.
    let checked = |lang: &str| {
        let page = page.clone();
        let lang = lang.to_owned();
        let app = &app;
        async move {
            let text = get(app, &format!("{page}?lang={lang}"), &[]).await.text();
            let start = text.find("<time datetime=").unwrap();
            let start = start + text[start..].find('>').unwrap() + 1;
            let end = start + text[start..].find("</time>").unwrap();
            text[start..end].to_owned()
        }
    };
    assert_eq!(checked("en").await, "1 September 2026, 08:00:00 UTC");
    assert_eq!(checked("zh-Hans").await, "2026年9月1日 08:00:00（UTC）");
    assert_eq!(
        checked("th").await,
        "1 กันยายน พ.ศ. 2569 (ค.ศ. 2026) เวลา 08:00:00 น. (UTC)"
    );
    assert_eq!(checked("lo").await, "1 ກັນຍາ 2026, ເວລາ 08:00:00 (UTC)");
    assert_eq!(checked("ms").await, "1 September 2026, 08:00:00 UTC");
    assert_eq!(checked("km").await, "1 កញ្ញា 2026 ម៉ោង 08:00:00 (UTC)");
}

#[tokio::test]
async fn level_names_follow_the_language() {
    let app = TestApp::new();
    // szpu's record is at ISCED 2011 level 5, a level with a real name in the data.
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let certificate = format!("/credentials/{id}/certificate");
    let th = get(&app, &format!("{certificate}?lang=th"), &[]).await;
    assert_eq!(th.status, StatusCode::OK);
    assert!(th.text().contains("อุดมศึกษาระยะสั้น"), "{}", th.text());
    assert!(!th.text().contains("Short-cycle tertiary education"));
    let en = get(&app, &format!("{certificate}?lang=en"), &[]).await;
    assert!(en.text().contains("Short-cycle tertiary education"));
    // The request form lists every level: real names and generic ones, in Thai.
    let form = get(&app, "/verify/request?lang=th", &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    let text = form.text();
    assert!(text.contains("ประกาศนียบัตรวิชาชีพ (ปวช.)"), "{text}");
    assert!(text.contains("MQF ระดับ 4"));
    assert!(!text.contains("Certificate in Vocational Education"));
    assert!(!text.contains("MQF level 4"));
    let form = get(&app, "/verify/request?lang=zh-Hans", &[]).await;
    assert!(form.text().contains("初级"));
}
