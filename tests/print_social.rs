//! Print and social (issue 12 item 5): the printable certificate is exactly one A4 page when
//! headless Chromium prints it to PDF (pages counted in the PDF's page tree), carries the QR
//! code and the address of the verification page and LinkedIn's "Add to profile" link with the
//! documented parameters; the badge SVG is well-formed XML with the credential's words escaped.

mod common;

use axum::http::{header, Method, StatusCode};
use common::app::{example_record, Live, Reply};
use common::browser;
use serde_json::{json, Value};

/// The service on a loopback port; the institution's name has markup characters in it.
async fn start() -> Live {
    Live::start("Shenzhen <Polytechnic> & \"University\"").await
}

/// Issues a record whose achievement name has markup characters and is long.
async fn issue(live: &Live) -> Value {
    let mut record = example_record("szpu-nev-after-sales-service.json");
    record["achievement"]["name"] =
        json!("New Energy Vehicle <After-Sales> Service & \"High-Voltage\" Safety and Battery System Diagnosis");
    let reply = live.call(Method::POST, "/records", Some(&record)).await;
    let body = reply.json();
    assert_eq!(reply.status, StatusCode::CREATED, "{body}");
    body["verifiableCredential"].clone()
}

/// The number of pages in a PDF: the `/Count` of its root page tree, checked against the
/// number of `/Type /Page` objects (Chromium writes both uncompressed).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut leaves = 0;
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("/Type") {
        rest = &rest[i + 5..];
        let after = rest.trim_start();
        if after.starts_with("/Page") && !after.starts_with("/Pages") {
            leaves += 1;
        }
    }
    let counts: Vec<usize> = text
        .match_indices("/Count ")
        .filter_map(|(i, _)| {
            text[i + 7..]
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .collect();
    let total = counts.iter().copied().max().unwrap_or(0);
    assert_eq!(
        total, leaves,
        "page tree /Count {total} but {leaves} /Page objects"
    );
    leaves
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_certificate_prints_on_one_a4_page_with_the_verification_qr() {
    let live = start().await;
    let vc = issue(&live).await;
    let id = vc["id"].as_str().unwrap();
    let path = format!("/credentials/{id}/certificate");
    let Reply {
        status,
        headers,
        body,
    } = live.call(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let html = String::from_utf8(body).unwrap();
    // Escaped, never markup.
    assert!(html.contains("Shenzhen &lt;Polytechnic&gt; &amp; &quot;University&quot;"));
    assert!(!html.contains("<After-Sales>"));

    // LinkedIn's link, filled from the credential.
    let start = html.find("id=\"linkedin\" href=\"").unwrap() + 20;
    let link = html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&");
    assert!(link.starts_with("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=New%20Energy%20Vehicle%20%3CAfter-Sales%3E"), "{link}");
    assert!(
        link.contains("&organizationName=Shenzhen%20%3CPolytechnic%3E%20%26%20%22University%22"),
        "{link}"
    );
    assert!(link.contains("&issueYear=2025&issueMonth=7"), "{link}");
    let verify_url = format!("{}/verify/{id}", live.base);
    let encoded: String = verify_url
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert!(link.contains(&format!("&certUrl={encoded}")), "{link}");
    assert!(link.contains("&certId=urn%3Auuid%3A"), "{link}");

    // The QR code is inline; the address is printed under it.
    let start = html.find("data:image/svg+xml;base64,").unwrap() + 26;
    let b64 = &html[start..start + html[start..].find('"').unwrap()];
    assert!(!b64.is_empty());
    assert!(html.contains(&verify_url));

    // Printed by headless Chromium: one A4 page.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("certificate.pdf");
    let url = format!("{}{path}", live.base);
    let flags = vec![
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".to_owned(),
    ];
    let profile = dir.path().join("profile");
    tokio::task::spawn_blocking(move || browser::run_chromium(&profile, 1024, 768, &flags, &url))
        .await
        .unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    assert_eq!(pdf_pages(&bytes), 1);
    // A4 in points (595 × 842, rounded as Chromium writes it).
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594"),
        "not A4"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_badge_is_well_formed_svg_with_the_words_escaped() {
    let live = start().await;
    let vc = issue(&live).await;
    let id = vc["id"].as_str().unwrap();
    let Reply {
        status,
        headers,
        body,
    } = live
        .call(Method::GET, &format!("/credentials/{id}/badge.svg"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    let svg = String::from_utf8(body).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let text: String = root
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Shenzhen <Polytechnic> &"), "{text}");
    assert!(text.contains("<After-Sales>"), "{text}");
    assert!(text.contains("ISCED-2011 level 5"), "{text}");
    // No element came from the credential's words.
    let names: std::collections::BTreeSet<&str> = root
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(
        names,
        ["circle", "rect", "svg", "text", "title", "tspan"]
            .into_iter()
            .collect()
    );
    // Unknown credential: 404.
    let Reply { status, .. } = live
        .call(Method::GET, "/credentials/urn:uuid:nope/badge.svg", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let Reply { status, .. } = live
        .call(Method::GET, "/credentials/urn:uuid:nope/certificate", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------------
// Languages (issue 14): the certificate and the badge in the reader's language.

mod languages {
    use super::common::app::{Reply, TestApp};
    use axum::body::Body;
    use axum::http::{header, Method, Request, StatusCode};

    async fn get(app: &TestApp, uri: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
        let mut req = Request::builder().method(Method::GET).uri(uri);
        for (name, value) in headers {
            req = req.header(name, *value);
        }
        app.send(req.body(Body::empty()).unwrap()).await
    }

    fn html_lang(text: &str) -> &str {
        let start = text.find("<html lang=\"").expect("an html element") + 12;
        &text[start..start + text[start..].find('"').unwrap()]
    }

    async fn multilingual(app: &TestApp) -> String {
        let vc = app
            .issue_example("szpu-nev-after-sales-multilingual.json")
            .await;
        vc["id"].as_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn the_certificate_is_in_the_readers_language_with_the_credentials_translations() {
        let app = TestApp::new();
        let id = multilingual(&app).await;
        let page = format!("/credentials/{id}/certificate");

        let reply = get(&app, &format!("{page}?lang=th"), &[]).await;
        assert_eq!(reply.status, StatusCode::OK);
        let text = reply.text();
        assert_eq!(html_lang(&text), "th");
        assert_eq!(reply.headers[header::CONTENT_LANGUAGE], "th");
        assert!(reply.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("lang=th;"));
        assert!(text.contains("<h1>ประกาศนียบัตร</h1>"), "{text}");
        assert!(text.contains(">ขอรับรองว่า</p>"), "{text}");
        // The achievement's name from its language map, marked with its language.
        assert!(
            text.contains(
                "<p class=\"achievement\" lang=\"th\"><bdi>บริการหลังการขายยานยนต์พลังงานใหม่"
            ),
            "{text}"
        );
        // Both of the learner's names: as written and in Lao script.
        assert!(text.contains("<bdi>Souksavanh Phommachanh</bdi>"), "{text}");
        assert!(text.contains("<bdi>ສຸກສະຫວັນ ພົມມະຈັນ</bdi>"), "{text}");
        // The issuer's country, the date (Buddhist era first), the level in Thai.
        assert!(
            text.contains("<p class=\"country\" id=\"country\">จีน</p>"),
            "{text}"
        );
        assert!(text.contains("ให้ไว้ ณ วันที่ "), "{text}");
        assert!(text.contains("พ.ศ. "), "{text}");
        assert!(text.contains(" ระดับ "), "{text}");
        assert!(!text.contains("This certifies that"), "{text}");
        assert!(!text.contains("id=\"fallback\""), "{text}");
        // The switch, on screen only.
        assert!(
            text.contains("<nav class=\"langs\" aria-label=\"ภาษา\">"),
            "{text}"
        );
        assert!(text.contains("href=\"?lang=km\""), "{text}");
        assert!(text.contains("@media print{") && text.contains(".langs{display:none}"));

        // Malay: the credential has no Malay name, so the English one is shown, and says so.
        let text = get(&app, &format!("{page}?lang=ms"), &[]).await.text();
        assert_eq!(html_lang(&text), "ms");
        assert!(text.contains(">Sijil</h1>"), "{text}");
        assert!(
            text.contains(
                "<p class=\"achievement\" lang=\"en\"><bdi>New Energy Vehicle After-Sales Service"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "id=\"fallback\">Tiada dalam Bahasa Melayu: dipaparkan dalam English.</p>"
            ),
            "{text}"
        );
        assert!(text.contains(">China</p>"), "{text}");

        // The browser's language, then the issuer's (China), like the employer page.
        let reply = get(&app, &page, &[(header::ACCEPT_LANGUAGE, "km-KH")]).await;
        let text = reply.text();
        assert_eq!(html_lang(&text), "km");
        assert!(text.contains(">វិញ្ញាបនបត្រ</h1>"), "{text}");
        assert!(text.contains(">ចិន</p>"), "{text}");
        assert!(!reply.headers.contains_key(header::SET_COOKIE));
        let vary = reply.headers[header::VARY].to_str().unwrap();
        assert!(vary.contains("Accept-Language"), "{vary}");
        let text = get(&app, &page, &[]).await.text();
        assert_eq!(html_lang(&text), "zh-Hans");
        assert!(text.contains("新能源汽车售后服务"), "{text}");
        assert!(text.contains(">兹证明</p>"), "{text}");
        // A cookie from the switch is kept.
        let text = get(&app, &page, &[(header::COOKIE, "lang=lo")])
            .await
            .text();
        assert_eq!(html_lang(&text), "lo");
        // LinkedIn is offered the name the reader reads.
        let text = get(&app, &format!("{page}?lang=zh-Hans"), &[]).await.text();
        assert!(
            text.contains("name=%E6%96%B0%E8%83%BD%E6%BA%90"),
            "LinkedIn link without the Chinese name: {text}"
        );
    }

    /// The badge's text, and the `xml:lang` of its root and of the achievement's `<text>`.
    fn badge_parts(svg: &str) -> (String, String, Option<String>, String) {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        let root = doc.root_element();
        let xml = "http://www.w3.org/XML/1998/namespace";
        let text: String = root
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap())
            .collect::<Vec<_>>()
            .concat();
        let achievement = root
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .nth(1)
            .unwrap();
        (
            text,
            root.attribute((xml, "lang")).unwrap().to_owned(),
            achievement.attribute((xml, "lang")).map(str::to_owned),
            root.attribute("font-family").unwrap().to_owned(),
        )
    }

    #[tokio::test]
    async fn the_badge_speaks_the_language_asked_for_with_fonts_for_its_script() {
        let app = TestApp::new();
        let id = multilingual(&app).await;
        let badge = format!("/credentials/{id}/badge.svg");
        // Without ?lang=: the achievement as issued (English), whatever the browser says.
        let reply = get(&app, &badge, &[(header::ACCEPT_LANGUAGE, "th")]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers[header::CONTENT_LANGUAGE], "en");
        let (text, lang, achievement_lang, fonts) = badge_parts(&reply.text());
        assert_eq!(lang, "en");
        assert_eq!(achievement_lang.as_deref(), Some("en"));
        assert!(text.contains("New Energy Vehicle"), "{text}");
        assert!(text.contains("level"), "{text}");
        // Every script of the service has its font in the list (.ci/run installs them).
        for font in [
            "'Noto Sans'",
            "'Noto Sans Thai'",
            "'Noto Sans Lao'",
            "'Noto Sans Khmer'",
            "'Noto Sans CJK SC'",
        ] {
            assert!(fonts.contains(font), "{fonts}");
        }
        for (tag, words, level) in [
            ("th", "บริการหลังการขาย", "ระดับ"),
            ("km", "សេវាក្រោយការលក់", "កម្រិត"),
            ("lo", "ການບໍລິການຫຼັງການຂາຍ", "ລະດັບ"),
            ("zh-Hans", "新能源汽车售后服务", "级"),
        ] {
            let reply = get(&app, &format!("{badge}?lang={tag}"), &[]).await;
            assert_eq!(reply.headers[header::CONTENT_LANGUAGE], tag);
            assert!(!reply.headers.contains_key(header::SET_COOKIE));
            let (text, lang, achievement_lang, _) = badge_parts(&reply.text());
            assert_eq!(lang, tag);
            assert_eq!(achievement_lang.as_deref(), Some(tag));
            assert!(text.contains(words), "{tag}: {text}");
            assert!(text.contains(level), "{tag}: {text}");
            assert!(!text.contains("New Energy"), "{tag}: {text}");
        }
        // Malay: no Malay name, so the English one, marked English; the level in Malay.
        let (text, lang, achievement_lang, _) =
            badge_parts(&get(&app, &format!("{badge}?lang=ms"), &[]).await.text());
        assert_eq!(lang, "ms");
        assert_eq!(achievement_lang.as_deref(), Some("en"));
        assert!(
            text.contains("New Energy Vehicle") && text.contains("tahap"),
            "{text}"
        );
        // A language the service lacks: as issued.
        let (_, lang, _, _) =
            badge_parts(&get(&app, &format!("{badge}?lang=fr"), &[]).await.text());
        assert_eq!(lang, "en");
    }

    #[tokio::test]
    async fn country_names_follow_the_readers_language() {
        let app = TestApp::new();
        let id = multilingual(&app).await;
        // The employer page's issuer (szpu is registered in China).
        for (tag, country) in [
            ("en", "China (CN)"),
            ("th", "จีน (CN)"),
            ("zh-Hans", "中国 (CN)"),
            ("lo", "ຈີນ (CN)"),
            ("ms", "China (CN)"),
            ("km", "ចិន (CN)"),
        ] {
            let text = get(&app, &format!("/verify/{id}?lang={tag}"), &[])
                .await
                .text();
            assert_eq!(html_lang(&text), tag);
            assert!(text.contains(country), "{tag}: {country} not in {text}");
        }
        let text = get(&app, &format!("/credentials/{id}/certificate?lang=lo"), &[])
            .await
            .text();
        assert!(text.contains("id=\"country\">ຈີນ</p>"), "{text}");
    }

    #[tokio::test]
    async fn an_unknown_certificate_is_a_page_in_the_readers_language() {
        let app = TestApp::new();
        let uri = "/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/certificate";
        let reply = get(&app, uri, &[(header::ACCEPT_LANGUAGE, "km")]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(
            reply.headers[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        assert_eq!(reply.headers[header::CONTENT_LANGUAGE], "km");
        let text = reply.text();
        assert_eq!(html_lang(&text), "km");
        assert!(
            text.contains("<h1 id=\"problem\">រកមិនឃើញវិញ្ញាបនបត្រនេះទេ</h1>"),
            "{text}"
        );
        assert!(text.contains("<nav class=\"langs\""), "{text}");
        // No preference and no issuer: English.
        let text = get(&app, uri, &[]).await.text();
        assert_eq!(html_lang(&text), "en");
        assert!(text.contains(">No such certificate</h1>"), "{text}");
    }
}
