//! The passport's own pages in the reader's language (issue 14, docs/LANGUAGES.md): the
//! sign-in page and the signed-in passport page answer in Thai, Khmer and Chinese when asked
//! with `?lang=`, the `lang` cookie or `Accept-Language` (`<html lang>`, the words,
//! `Content-Language`, `Vary`, the switch); dates in the language (Thai Buddhist era), level
//! words, share list, errors and refusals in the language; a claim from the claim page lands
//! in the issuing institution's language when the reader asks for none; a request is answered
//! in Khmer (the question, the level, the refusal and the confirmation).

mod common;

use axum::http::{header, StatusCode};
use common::app::{Reply, TestApp};
use common::passport::{
    after, claim, create_reply, form, get_in as get, post_in as post, Jar, CLAIMABLE, PASS,
};
use skillpass::i18n::Lang;

fn html_lang(reply: &Reply) -> String {
    let text = reply.text();
    let start = text.find("<html lang=\"").expect("an html element") + 12;
    text[start..start + text[start..].find('"').unwrap()].to_owned()
}

/// The page is in `lang`: `<html lang>`, `Content-Language`, `Vary`, and a switch to every
/// language with `lang` the current one.
fn assert_in(reply: &Reply, lang: Lang, what: &str) {
    let text = reply.text();
    assert_eq!(html_lang(reply), lang.tag(), "{what}: {text}");
    assert_eq!(
        reply.headers[header::CONTENT_LANGUAGE],
        lang.tag(),
        "{what}"
    );
    let vary = reply.headers[header::VARY].to_str().unwrap();
    assert!(
        vary.contains("Accept-Language") && vary.contains("Cookie"),
        "{what}: {vary}"
    );
    let nav = text
        .split_once("<nav class=\"langs\"")
        .unwrap_or_else(|| panic!("{what}: no language switch"))
        .1
        .split_once("</nav>")
        .unwrap()
        .0;
    for other in Lang::ALL {
        if other == lang {
            assert!(
                nav.contains(&format!(
                    "<span lang=\"{}\" aria-current=\"true\">",
                    other.tag()
                )),
                "{what}: {nav}"
            );
        } else {
            // A link, or on a sign-in page that carries a claim a button that posts it again.
            assert!(
                nav.contains(&format!("hreflang=\"{}\"", other.tag()))
                    || nav.contains(&format!(
                        "<button type=\"submit\" class=\"lang\" lang=\"{}\">",
                        other.tag()
                    )),
                "{what}: {nav}"
            );
        }
    }
}

/// Creates a passport (in English); answers its cookies.
async fn create(app: &TestApp, name: &str) -> Jar {
    let (jar, reply) = create_reply(&app.router, name).await;
    assert_in(&reply, Lang::En, "recovery code");
    jar
}

/// An offer of `CLAIMABLE` from szpu (China): its id and one-time code.
async fn offer(app: &TestApp) -> (String, String) {
    let vc = app.issue_example(CLAIMABLE).await;
    common::passport::offer(app, &vc).await
}

#[tokio::test]
async fn the_sign_in_page_answers_in_thai_khmer_and_chinese() {
    let app = TestApp::new();
    let none = Jar::default();
    // No preference, no issuer: English.
    let reply = get(&app, "/passport", &none, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_in(&reply, Lang::En, "default");
    assert!(reply.text().contains("Create my passport"));
    for (uri, accept, lang, words) in [
        ("/passport?lang=th", None, Lang::Th, "สร้างพาสปอร์ตของฉัน"),
        ("/passport", Some("th-TH,th;q=0.9"), Lang::Th, "วลีรหัสผ่าน"),
        (
            "/passport?lang=km",
            Some("th"),
            Lang::Km,
            "បង្កើតលិខិតឆ្លងដែនរបស់ខ្ញុំ",
        ),
        ("/passport", Some("km-KH"), Lang::Km, "ឃ្លាសម្ងាត់"),
        ("/passport?lang=zh-Hans", None, Lang::ZhHans, "创建我的护照"),
        (
            "/passport",
            Some("zh-CN,zh;q=0.9,en;q=0.5"),
            Lang::ZhHans,
            "密码短语",
        ),
    ] {
        let what = format!("{uri} {accept:?}");
        let reply = get(&app, uri, &none, accept).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}");
        assert_in(&reply, lang, &what);
        let text = reply.text();
        assert!(text.contains(words), "{what}: {text}");
        for id in [
            "passport-title",
            "passport-sign-in",
            "passport-recover-title",
        ] {
            assert!(text.contains(&lang.t(id)), "{what}: {id}");
        }
        // The hint is written with the passphrase's length in the language's own sentence.
        assert!(
            text.contains(&lang.t_args("passport-passphrase-hint", &[("min", 8u64.into())])),
            "{what}"
        );
        assert!(
            !text.contains("Create my passport") && !text.contains("Passphrase"),
            "{what}: English left: {text}"
        );
        // `?lang=` keeps the choice in the cookie; the header alone sets none.
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .map(|c| c.to_str().unwrap().to_owned());
        if uri.contains("?lang=") {
            let cookie = cookie.expect("a lang cookie");
            assert!(
                cookie.starts_with(&format!("lang={};", lang.tag())),
                "{cookie}"
            );
        } else {
            assert_eq!(cookie, None, "{what}");
        }
    }
    // The cookie alone.
    let reply = get(&app, "/passport", &none.with("lang", "km"), Some("th")).await;
    assert_in(&reply, Lang::Km, "cookie");
}

#[tokio::test]
async fn the_passport_page_answers_in_thai_khmer_and_chinese() {
    let app = TestApp::new();
    let jar = create(&app, "learner-languages").await;
    let claimed = claim(&app, &jar, &app.issue_example(CLAIMABLE).await).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.text());

    // English first: the words the other languages replace.
    let en = get(&app, "/passport", &jar, None).await;
    assert_in(&en, Lang::En, "passport en");
    let en = en.text();
    assert!(en.contains("MQF level 4 — Diploma"), "{en}");
    assert!(en.contains("Added 1 September 2026 (claimed)"), "{en}");

    // The test clock is 1 September 2026: the day the credential was added.
    let cases = [
        (
            "/passport?lang=th",
            None,
            Lang::Th,
            "MQF ระดับ 4 — Diploma",
            "เพิ่มเมื่อ 1 กันยายน พ.ศ. 2569 (ค.ศ. 2026) (รับจากสถาบัน)",
        ),
        (
            "/passport",
            Some("km-KH,km;q=0.9"),
            Lang::Km,
            "MQF កម្រិត 4 — Diploma",
            "បានបន្ថែមនៅ 1 កញ្ញា 2026 (ទទួលពីស្ថាប័ន)",
        ),
        (
            "/passport?lang=zh-Hans",
            Some("th"),
            Lang::ZhHans,
            "MQF 第 4 级 — Diploma",
            "2026年9月1日 添加（领取）",
        ),
    ];
    for (uri, accept, lang, level, added) in cases {
        let what = format!("{uri} {accept:?}");
        let reply = get(&app, uri, &jar, accept).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}");
        assert_in(&reply, lang, &what);
        let text = reply.text();
        assert!(text.contains(level), "{what}: {text}");
        assert!(text.contains(added), "{what}: {text}");
        for id in [
            "passport-title",
            "passport-credentials-title",
            "passport-share-make",
            "passport-no-shares",
            "passport-import-title",
            "passport-export-title",
            "passport-delete-text",
            "passport-reference-levels",
            "passport-status-now",
            "passport-footer",
        ] {
            assert!(text.contains(&lang.t(id)), "{what}: {id}");
        }
        for english in [
            "My credentials",
            "Make a share link",
            "Status now",
            "Reference levels",
            "level 4",
            "Added",
            "Sign out",
        ] {
            assert!(!text.contains(english), "{what}: English {english:?} left");
        }
        // The credential's status is the employer page's verdict in the same language.
        assert!(
            text.contains(&format!(
                "<strong class=\"status\">{}</strong>",
                lang.t("employer-verdict-genuine")
            )),
            "{what}: {text}"
        );
    }

    // A share made in Thai: the new link's end date and the share list in Thai, Buddhist era.
    let page = get(&app, "/passport?lang=th", &jar, None).await.text();
    let csrf = after(&page, "name=\"csrf\" value=\"", '"');
    let entry = after(&page, "name=\"credential\" value=\"", '"');
    let thai = jar.with("lang", "th");
    let shared = post(
        &app,
        "/passport/shares",
        &thai,
        None,
        &form(&[("csrf", &csrf), ("credential", &entry), ("days", "30")]),
    )
    .await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.text());
    assert_in(&shared, Lang::Th, "share made");
    let text = shared.text();
    assert!(
        text.contains("ใช้ได้ถึง 1 ตุลาคม พ.ศ. 2569 (ค.ศ. 2026) เวลา 08:00 น. (UTC)"),
        "{text}"
    );
    assert!(text.contains("เอกสารรับรอง 1 ฉบับ"), "{text}");
    assert!(text.contains("ใช้งานอยู่"), "{text}");
    assert!(text.contains("ยังไม่มีผู้เปิดดู"), "{text}");
    // The switch of a form's answer leads to the passport page, which can be got.
    assert!(text.contains("href=\"/passport?lang=km\""), "{text}");
    // The same list in Khmer, and in English with its plural.
    let km = get(&app, "/passport?lang=km", &jar, None).await.text();
    assert!(km.contains("វិញ្ញាបនបត្រ 1 ច្បាប់"), "{km}");
    assert!(km.contains("ប្រើបានរហូតដល់ 1 តុលា 2026"), "{km}");
    let en = get(&app, "/passport?lang=en", &jar, None).await.text();
    assert!(en.contains("1 credential ·"), "{en}");
    assert!(en.contains("Works until 1 October 2026, 08:00 UTC"), "{en}");
}

#[tokio::test]
async fn errors_and_refusals_are_in_the_readers_language() {
    let app = TestApp::new();
    let none = Jar::default();
    let jar = create(&app, "learner-errors").await;

    // A wrong passphrase, in Khmer: 403, the sign-in page again.
    let wrong = post(
        &app,
        "/passport/signin",
        &none,
        Some("km"),
        &form(&[("name", "learner-errors"), ("passphrase", "not the one")]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_in(&wrong, Lang::Km, "wrong passphrase");
    assert!(wrong.text().contains("ឈ្មោះសម្រាប់ចូល ឬឃ្លាសម្ងាត់មិនត្រឹមត្រូវ។"));
    assert!(!wrong.text().contains("not right"));

    // Input the domain refuses, in Chinese and Thai.
    let short = post(
        &app,
        "/passport/create",
        &none,
        Some("zh-CN"),
        &form(&[
            ("name", "someone"),
            ("passphrase", "short"),
            ("passphrase2", "short"),
        ]),
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_in(&short, Lang::ZhHans, "short passphrase");
    assert!(
        short.text().contains("密码短语至少需要 8 个字符。"),
        "{}",
        short.text()
    );
    let taken = post(
        &app,
        "/passport/create",
        &none,
        Some("th"),
        &form(&[
            ("name", "learner-errors"),
            ("passphrase", PASS),
            ("passphrase2", PASS),
        ]),
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text().contains("มีพาสปอร์ตที่ใช้ชื่อสำหรับเข้าสู่ระบบนี้อยู่แล้ว"));
    let differ = post(
        &app,
        "/passport/create",
        &none.with("lang", "lo"),
        None,
        &form(&[
            ("name", "another"),
            ("passphrase", PASS),
            ("passphrase2", "something else"),
        ]),
    )
    .await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_in(&differ, Lang::Lo, "passphrases differ");
    assert!(differ
        .text()
        .contains(&Lang::Lo.t("passport-error-passphrases-differ")));

    // Signed in: a form without its CSRF token, a share of nothing, a share too long, a
    // deletion not confirmed.
    let page = get(&app, "/passport", &jar, None).await.text();
    let csrf = after(&page, "name=\"csrf\" value=\"", '"');
    let no_csrf = post(&app, "/passport/shares", &jar, Some("lo"), "days=3").await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert_in(&no_csrf, Lang::Lo, "no csrf");
    assert!(no_csrf.text().contains("ແບບຟອມນີ້ໝົດອາຍຸແລ້ວ"));
    let nothing = post(
        &app,
        "/passport/shares",
        &jar,
        Some("ms-MY"),
        &form(&[("csrf", &csrf), ("days", "3")]),
    )
    .await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_in(&nothing, Lang::Ms, "nothing picked");
    assert!(nothing
        .text()
        .contains("Tandakan sekurang-kurangnya satu kelayakan untuk dikongsi."));
    let too_long = post(
        &app,
        "/passport/shares",
        &jar,
        Some("th"),
        &form(&[("csrf", &csrf), ("credential", "x"), ("days", "9999")]),
    )
    .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.text().contains("ลิงก์สำหรับแชร์ใช้ได้ 1 ถึง 366 วัน"));
    let not_number = post(
        &app,
        "/passport/shares",
        &jar,
        Some("km"),
        &form(&[("csrf", &csrf), ("credential", "x"), ("days", "soon")]),
    )
    .await;
    assert_eq!(not_number.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_number
        .text()
        .contains(&Lang::Km.t("passport-error-days-number")));
    let unconfirmed = post(
        &app,
        "/passport/delete",
        &jar,
        Some("ms"),
        &form(&[("csrf", &csrf), ("confirm", "PADAM")]),
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.text().contains("Tiada apa-apa dipadam"));
    // The passport is still there.
    assert!(get(&app, "/passport", &jar, None)
        .await
        .text()
        .contains("id=\"holder\""));
    // Deleted, in Chinese.
    let deleted = post(
        &app,
        "/passport/delete",
        &jar,
        Some("zh"),
        &form(&[("csrf", &csrf), ("confirm", "DELETE")]),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_in(&deleted, Lang::ZhHans, "deleted");
    assert!(deleted
        .text()
        .contains("您的护照及其中的所有内容已被删除。"));
}

#[tokio::test]
async fn a_claim_lands_in_the_issuers_language_unless_the_reader_asks_for_another() {
    let app = TestApp::new();
    let none = Jar::default();
    let (offer_id, code) = offer(&app).await;
    let uri = format!("/passport/claim/{offer_id}");
    // szpu is in China: with no preference the sign-in page that carries the claim is Chinese.
    let waiting = post(&app, &uri, &none, None, &form(&[("code", &code)])).await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert_in(&waiting, Lang::ZhHans, "claim, no preference");
    assert!(waiting
        .text()
        .contains("请登录或创建护照：您的证书将保存在其中。"));
    // A Thai reader reads it in Thai.
    let waiting = post(&app, &uri, &none, Some("th-TH"), &form(&[("code", &code)])).await;
    assert_in(&waiting, Lang::Th, "claim, Thai reader");
    assert!(waiting
        .text()
        .contains(&Lang::Th.t("passport-claim-waiting")));
    // A wrong code, in Lao; nothing is claimed.
    let wrong = post(&app, &uri, &none, Some("lo"), &form(&[("code", "000000")])).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_in(&wrong, Lang::Lo, "wrong code");
    assert!(
        wrong.text().contains("ລະຫັດໃຊ້ຄັ້ງດຽວບໍ່ຖືກຕ້ອງ"),
        "{}",
        wrong.text()
    );
    // Creating the passport from that page claims it; the recovery code page stays Chinese.
    let created = post(
        &app,
        "/passport/create",
        &none,
        None,
        &form(&[
            ("name", "claimer"),
            ("passphrase", PASS),
            ("passphrase2", PASS),
            ("offer", &offer_id),
            ("code", &code),
        ]),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_in(&created, Lang::ZhHans, "recovery code after a claim");
    assert!(created.text().contains("请记下您的恢复码"));
    // The offer is used up: claiming again says so, in Khmer.
    let again = post(&app, &uri, &none, Some("km"), &form(&[("code", &code)])).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(
        again.text().contains(&Lang::Km.t("passport-claim-claimed")),
        "{}",
        again.text()
    );
}

/// The language switch of `html`, between `<nav class="langs"` and `</nav>`.
fn switch_of(html: &str) -> &str {
    html.split_once("<nav class=\"langs\"")
        .expect("a language switch")
        .1
        .split_once("</nav>")
        .unwrap()
        .0
}

/// Regression: the sign-in page that carries a claim (from the claim page's "Keep in my
/// skillpass passport") switched language with links to `/passport?lang=…`, which dropped the
/// claim. Its switch now posts the claim again, with the one-time code in the form's body and
/// in no URL, and the page in the new language still carries it to the passport.
#[tokio::test]
async fn switching_language_keeps_a_waiting_claim() {
    let app = TestApp::new();
    let none = Jar::default();
    let (offer_id, code) = offer(&app).await;
    let uri = format!("/passport/claim/{offer_id}");
    let waiting = post(&app, &uri, &none, None, &form(&[("code", &code)])).await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert_in(&waiting, Lang::ZhHans, "claim waiting");
    let html = waiting.text();
    let nav = switch_of(&html);
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::ZhHans) {
        let action = format!(
            "<form method=\"post\" action=\"{uri}?lang={}\"><input type=\"hidden\" name=\"code\" value=\"{code}\"><button type=\"submit\" class=\"lang\" lang=\"{}\">",
            lang.tag(),
            lang.tag()
        );
        assert!(nav.contains(&action), "{lang}: {nav}");
    }
    assert!(!nav.contains("href="), "no link drops the claim: {nav}");
    // The one-time code is in no URL of the page (only in the forms' bodies).
    for attribute in ["href=\"", "action=\"", "src=\""] {
        for (i, _) in html.match_indices(attribute) {
            let rest = &html[i + attribute.len()..];
            let url = &rest[..rest.find('"').unwrap()];
            assert!(!url.contains(&code), "the code in a URL: {url}");
        }
    }

    // Following the switch to Thai: the same claim waits, in Thai, and the choice is kept.
    let thai = post(
        &app,
        &format!("{uri}?lang=th"),
        &none,
        None,
        &form(&[("code", &code)]),
    )
    .await;
    assert_eq!(thai.status, StatusCode::OK, "{}", thai.text());
    assert_in(&thai, Lang::Th, "claim waiting, switched to Thai");
    let set = thai.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("lang=th;"), "{set}");
    let text = thai.text();
    assert!(text.contains("id=\"claim-waiting\""), "{text}");
    assert!(
        text.contains(&Lang::Th.t("passport-claim-waiting")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "<input type=\"hidden\" name=\"offer\" value=\"{offer_id}\"><input type=\"hidden\" name=\"code\" value=\"{code}\">"
        )),
        "{text}"
    );
    assert!(switch_of(&text).contains(&format!("action=\"{uri}?lang=km\"")));

    // A wrong passphrase on that page: the sign-in page again, still carrying the claim and
    // its switch.
    let wrong = post(
        &app,
        "/passport/signin",
        &none.with("lang", "th"),
        None,
        &form(&[
            ("name", "nobody"),
            ("passphrase", "not the one"),
            ("offer", &offer_id),
            ("code", &code),
        ]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_in(&wrong, Lang::Th, "wrong passphrase with a claim");
    assert!(wrong.text().contains("id=\"claim-waiting\""));
    assert!(switch_of(&wrong.text()).contains(&format!("action=\"{uri}?lang=en\"")));

    // Creating the passport from the Thai page claims the credential.
    let created = post(
        &app,
        "/passport/create",
        &none.with("lang", "th"),
        None,
        &form(&[
            ("name", "switcher"),
            ("passphrase", PASS),
            ("passphrase2", PASS),
            ("offer", &offer_id),
            ("code", &code),
        ]),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_in(&created, Lang::Th, "recovery code after the switch");
    let passport = skillpass::passport::account::sign_in(&app.service, "switcher", PASS).unwrap();
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 1);
    // The sign-in page without a claim keeps its links.
    let plain = get(&app, "/passport", &none, None).await.text();
    assert!(switch_of(&plain).contains("href=\"/passport?lang=th\""));
}

#[tokio::test]
async fn answering_a_request_is_in_the_readers_language() {
    let app = TestApp::new();
    let none = Jar::default();
    // Signed out: the sign-in page that comes back to the answer, in Khmer.
    let reply = get(
        &app,
        "/passport/answer/no-such-request?lang=km",
        &none,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_in(&reply, Lang::Km, "answer, signed out");
    assert!(reply
        .text()
        .contains(&Lang::Km.t("passport-answer-waiting")));
    // The switch keeps the answer's path.
    assert!(reply
        .text()
        .contains("href=\"/passport/answer/no-such-request?lang=th\""));
    // Signed in: a request that does not exist, in Thai.
    let jar = create(&app, "learner-answer").await;
    let reply = get(&app, "/passport/answer/no-such-request", &jar, Some("th")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_in(&reply, Lang::Th, "unknown request");
    assert!(reply.text().contains("ไม่มีคำขอนี้"), "{}", reply.text());
}

#[tokio::test]
async fn a_request_is_answered_in_khmer() {
    let app = TestApp::new();
    let jar = create(&app, "learner-khmer").await;
    let claimed = claim(&app, &jar, &app.issue_example(CLAIMABLE).await).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER);
    let asked = post(&app, "/verify/request", &Jar::default(), None, "want=any").await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.text());
    let id = asked.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let uri = format!("/passport/answer/{id}");
    let khmer = jar.with("lang", "km");
    // The question and the credential's level in Khmer.
    let page = get(&app, &uri, &khmer, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_in(&page, Lang::Km, "answer form");
    let html = page.text();
    assert!(html.contains(&Lang::Km.t("request-asked-any")), "{html}");
    assert!(html.contains("MQF កម្រិត 4 — Diploma"), "{html}");
    assert!(html.contains(&Lang::Km.t("passport-answer-pick")), "{html}");
    assert!(!html.contains("any Open Badge credential"), "{html}");
    let csrf = after(&html, "name=\"csrf\" value=\"", '"');
    let entry = after(&html, "name=\"credential\" value=\"", '"');
    // Nothing ticked: the form again, in Khmer; its switch keeps the answer's path.
    let empty = post(&app, &uri, &khmer, None, &form(&[("csrf", &csrf)])).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_in(&empty, Lang::Km, "nothing ticked");
    assert!(empty.text().contains(&Lang::Km.t("passport-answer-choose")));
    assert!(empty.text().contains(&format!("href=\"{uri}?lang=th\"")));
    // Sent and accepted.
    let sent = post(
        &app,
        &uri,
        &khmer,
        None,
        &form(&[("csrf", &csrf), ("credential", &entry)]),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    assert_in(&sent, Lang::Km, "sent");
    assert!(sent.text().contains("វិញ្ញាបនបត្ររបស់អ្នកត្រូវបានផ្ញើ និងពិនិត្យរួចហើយ។"));
    // Answered already, in Thai.
    let again = get(&app, &uri, &jar, Some("th")).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("คำขอนี้ได้รับการตอบแล้ว"));
}

/// Every passport message is translated: no language repeats the English sentence (the
/// level patterns aside, which only place codes and names).
#[test]
fn no_passport_message_is_left_in_english() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/locales/en/passport.ftl"
    ))
    .unwrap();
    let ids: Vec<&str> = source
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id))
        .filter(|id| id.starts_with("passport-"))
        .collect();
    assert!(ids.len() > 90, "{}", ids.len());
    let args = [
        ("min", 8u64.into()),
        ("max", 30u64.into()),
        ("n", 2u64.into()),
        ("remaining", 2u64.into()),
        ("date", "D".into()),
        ("times", "T".into()),
        ("reason", "R".into()),
        ("framework", "F".into()),
        ("code", "4".into()),
        ("name", "N".into()),
        ("first", "A".into()),
        ("second", "B".into()),
    ];
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let same: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| lang.t_args(id, &args) == Lang::En.t_args(id, &args))
            .collect();
        assert!(same.is_empty(), "{lang}: as in English: {same:?}");
    }
}

/// One word for the passport and one for a credential in each language, on every page where
/// the learner or an employer meets them (the passport, the share page, the claim page's and
/// the request page's passport buttons, the recognition reasons on the share page): a message
/// whose English says "passport" (or "credential") says it with the language's one word. Lao
/// calls the passport ແຟ້ມໃບຢັ້ງຢືນ ("folder of certificates"), not ໜັງສືຜ່ານແດນ (a travel
/// document) nor ພາສປອດ.
#[test]
fn the_passport_and_a_credential_have_one_word_in_each_language() {
    let terms = [
        (
            Lang::Lo,
            "ແຟ້ມໃບຢັ້ງຢືນ",
            "ໃບຢັ້ງຢືນ",
            &["ໜັງສືຜ່ານແດນ", "ພາສປອດ", "ເອກະສານຢັ້ງຢືນ"][..],
        ),
        (
            Lang::Th,
            "พาสปอร์ต",
            "เอกสารรับรอง",
            &["ประกาศนียบัตร", "หนังสือเดินทาง"][..],
        ),
        (Lang::Km, "លិខិតឆ្លងដែន", "វិញ្ញាបនបត្រ", &["លិខិតបញ្ជាក់"][..]),
    ];
    let ids = |file: &str| -> Vec<String> {
        let source =
            std::fs::read_to_string(format!("{}/locales/en/{file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        source
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
            .filter(|id| !id.starts_with('#') && !id.contains(' '))
            .collect()
    };
    let args = [
        ("min", 8u64.into()),
        ("max", 30u64.into()),
        ("n", 2u64.into()),
        ("remaining", 2u64.into()),
        ("date", "D".into()),
        ("name", "N".into()),
        ("details", "X".into()),
    ];
    let mut checked = (0, 0);
    for file in [
        "passport.ftl",
        "claim.ftl",
        "request.ftl",
        "recognition.ftl",
    ] {
        for id in ids(file) {
            let english = Lang::En.t_args(&id, &args).to_lowercase();
            if english == id {
                // A message these arguments do not fill: not a sentence to compare.
                continue;
            }
            for (lang, passport, credential, not) in terms {
                let text = lang.t_args(&id, &args);
                if english.contains("passport") {
                    assert!(text.contains(passport), "{lang} {id}: {text}");
                    checked.0 += 1;
                }
                // Product and standard names keep their English words.
                let words = english
                    .replace("learner credential wallet", "")
                    .replace("verifiable credential", "")
                    .replace("openid4vci", "");
                if words.contains("credential") {
                    assert!(text.contains(credential), "{lang} {id}: {text}");
                    checked.1 += 1;
                }
                for word in not {
                    assert!(!text.contains(word), "{lang} {id}: {word} in {text}");
                }
            }
        }
    }
    assert!(checked.0 > 60 && checked.1 > 60, "{checked:?}");
}
