//! The claim sheet in a real browser: Debian's headless Chromium signs in to the console (the
//! service on a loopback port in this process), makes a sheet for a class of five through the
//! form, and then
//!
//! - reads the sheet (every learner, a one-time code and the claim link on every slip);
//! - takes a screenshot at the size of an A4 page (794 × 1123 CSS pixels, 96 dpi) and decodes
//!   the QR codes in it with `rqrr`: each reads as the claim link of an open offer of one of
//!   the class's credentials;
//! - prints it to PDF as a person would print it (A4): five slips are two pages, four to a
//!   page.
//!
//! Also the operator's registration form (`an_operator_registers_institutions_through_the_form`):
//! with and without the alliance registry, the token shown once, the form to add it.
//!
//! Forms are sent by a probe page on the same origin that submits the form when it loads
//! (the console has no script). Every Chromium run posts the form again, so every run makes a
//! new sheet; the newest offers are the open ones, which is what the checks use.
//!
//! Screenshots and the PDF go to `target/tmp/browser_console_claims/`; `claim-sheet-page.png`
//! there is `docs/img/console-claim-sheet.png`.
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::browser::{chromium, qr_codes, run_chromium, screenshots_dir, visible_text};
use common::console::{csrf, serve_console, Profile};
use serde_json::json;
use skillpass::console::Role;
use skillpass::store::OfferState;

/// An A4 page at 96 CSS pixels to the inch: 210 mm × 297 mm.
const A4_WIDTH: u32 = 794;
const A4_HEIGHT: u32 = 1123;

fn shots() -> PathBuf {
    screenshots_dir("browser_console_claims")
}

/// Pages of a PDF that Chromium printed: its page objects (`/Type /Page`, not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(at, m)| !text[at + m.len()..].starts_with('s'))
        .count()
}

#[test]
fn a_claim_sheet_prints_on_a4_and_its_qr_codes_read_as_the_claim_links() {
    chromium();
    let server = serve_console(|router| router);
    let szpu = server.register("szpu", "Shenzhen Polytechnic University", "CN");
    let class = [
        ("zw-solar-pv-installation.json", "Tendai Moyo", "CLASS-1"),
        (
            "szpu-nev-after-sales-service.json",
            "Souksavanh Phommachanh",
            "CLASS-2",
        ),
        (
            "my-diploma-furniture-production.json",
            "Nurul Aisyah",
            "CLASS-3",
        ),
        ("zw-solar-pv-installation.json", "Li Wei", "CLASS-4"),
        ("szpu-nev-after-sales-service.json", "Wang Fang", "CLASS-5"),
    ];
    let credentials: BTreeSet<String> = class
        .iter()
        .map(|(file, name, record)| {
            server.issue_with(&szpu, file, Default::default(), |r| {
                r["learner"]["name"] = json!(name);
                r["recordId"] = json!(record);
            })
        })
        .collect();
    server.staff("registrar@szpu.test", Some("szpu"), Role::Registrar);

    let dir = tempfile::tempdir().unwrap();
    let registrar = Profile::new(
        dir.path(),
        "registrar",
        "browser_console_claims",
        A4_WIDTH,
        A4_HEIGHT,
    );
    let profile = registrar.profile.clone();
    let dom = |url: &str| registrar.dom(url);
    let text = visible_text(&registrar.sign_in(&server, "registrar@szpu.test"));
    assert!(text.contains("Shenzhen Polytechnic University"), "{text}");
    let home = dom(&format!("{}/console/credentials?q=class", server.base));
    assert!(home.contains("id=\"sheet-all\""), "{home}");
    let csrf = csrf(&home);
    // "Claim sheet for all 5 found", as the button sends it.
    let sheet_url = server.post_url(
        "/console/claim-sheet",
        &[("csrf", &csrf), ("all", "1"), ("q", "class")],
    );

    // The sheet: five slips, each with its learner, a six-digit code and its claim link.
    let sheet = dom(&sheet_url);
    let text = visible_text(&sheet);
    assert!(text.contains("5 slips are ready to print."), "{text}");
    for (_, name, _) in class {
        assert!(text.contains(name), "{name}: {text}");
    }
    let codes: Vec<&str> = sheet
        .split("<span class=\"code\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap())
        .collect();
    assert_eq!(codes.len(), 5);
    assert!(codes
        .iter()
        .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
    assert_eq!(
        sheet.matches(&format!("{}/claim/", server.base)).count(),
        5,
        "one link per slip"
    );
    assert!(!sheet.contains("<script"));

    // A screenshot the size of an A4 page (two pages tall): the QR codes read as claim links
    // of open offers of the class's credentials.
    let file = shots().join("claim-sheet.png");
    let _ = std::fs::remove_file(&file);
    run_chromium(
        &profile,
        A4_WIDTH,
        A4_HEIGHT * 2,
        &[format!("--screenshot={}", file.display())],
        &sheet_url,
    );
    let img = image::open(&file)
        .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", file.display()))
        .to_rgb8();
    assert_eq!((img.width(), img.height()), (A4_WIDTH, A4_HEIGHT * 2));
    // The first page's height, for docs/CONSOLE.md (docs/img/console-claim-sheet.png).
    image::imageops::crop_imm(&img, 0, 0, A4_WIDTH, A4_HEIGHT)
        .to_image()
        .save(shots().join("claim-sheet-page.png"))
        .unwrap();
    let decoded = qr_codes(&img);
    assert!(
        decoded.len() >= 4,
        "the first page's four QR codes read: {decoded:?} ({})",
        file.display()
    );
    let prefix = format!("{}/claim/", server.base);
    for link in &decoded {
        let id = link
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{link} is not a claim link"));
        let offer = server.store.get_offer(id).unwrap().expect("a real offer");
        assert_eq!(offer.state, OfferState::Open, "{link}");
        assert!(credentials.contains(&offer.credential));
    }
    let distinct: BTreeSet<&String> = decoded.iter().collect();
    assert_eq!(distinct.len(), decoded.len(), "one code per learner");

    // Printed on A4: the summary and the menu are not printed; four slips to a page, so
    // five learners are two pages.
    let pdf = shots().join("claim-sheet.pdf");
    let _ = std::fs::remove_file(&pdf);
    run_chromium(
        &profile,
        A4_WIDTH,
        A4_HEIGHT,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
        &sheet_url,
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert_eq!(pdf_pages(&bytes), 2, "{}", pdf.display());

    // Each run made a new sheet: every credential has exactly one open offer, the newest.
    for id in &credentials {
        let open = server
            .store
            .list_offers(id)
            .unwrap()
            .into_iter()
            .filter(|o| o.state == OfferState::Open)
            .count();
        assert_eq!(open, 1, "{id}");
    }
}

/// The operator's registration form in the browser: the form on the operator's page (the
/// registry box ticked), a registration without the registry (the page says "Issuer unknown"
/// and shows the token once, with the form to add it), the registry form on that page, and a
/// registration with the registry in the same step.
#[test]
fn an_operator_registers_institutions_through_the_form() {
    chromium();
    let server = serve_console(|router| router);
    server.register("szpu", "Shenzhen Polytechnic University", "CN");
    server.staff("op@node.test", None, Role::Operator);
    let dir = tempfile::tempdir().unwrap();
    let operator = Profile::new(dir.path(), "operator", "browser_console_claims", 1280, 900);
    let profile = operator.profile.clone();
    let dom = |url: &str| operator.dom(url);
    let page = operator.sign_in(&server, "op@node.test");
    let text = visible_text(&page);
    assert!(
        text.contains("Institutions on this node") && text.contains("Register an institution"),
        "{text}"
    );
    assert!(
        page.contains("id=\"reg-registry\" checked"),
        "ticked to begin with"
    );
    let csrf = csrf(&page);
    let form = |id: &'static str, registry: bool| {
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("id", id),
            ("name", "Politeknik Ungku Omar"),
            ("country", "MY"),
            ("framework", "MQF"),
            ("did", "did-web"),
            ("body", "Malaysian Qualifications Agency"),
            ("status", "accredited"),
        ];
        if registry {
            fields.push(("registry", "on"));
        }
        fields
    };

    // Without the registry: "Issuer unknown", said plainly; the token once; the form to add it.
    let registered = dom(&server.post_url("/console/institutions", &form("puo", false)));
    let text = visible_text(&registered);
    assert!(
        text.contains("Politeknik Ungku Omar is registered")
            && text.contains(
                "employers will see its credentials as \"Issuer unknown\" until it is added"
            ),
        "{text}"
    );
    assert!(
        text.contains("This is the only time the API token is shown"),
        "{text}"
    );
    let token = registered
        .split("<code id=\"token\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 64);
    assert!(registered.contains("id=\"registry-puo\""));
    let puo = server.store.get_institution("puo").unwrap().unwrap();
    assert!(server.store.find_member_by_did(&puo.did).unwrap().is_none());
    let file = shots().join("console-registered.png");
    let _ = std::fs::remove_file(&file);
    run_chromium(
        &profile,
        1280,
        900,
        &[format!("--screenshot={}", file.display())],
        &server.post_url("/console/institutions", &form("puo-shot", false)),
    );
    assert!(file.exists());

    // The button on that page adds it; the operator's page lists it, without the token.
    let after = dom(&server.post_url(
        "/console/institutions/puo/registry",
        &[
            ("csrf", &csrf),
            ("body", "Malaysian Qualifications Agency"),
            ("status", "provisional"),
        ],
    ));
    let text = visible_text(&after);
    assert!(text.contains("Politeknik Ungku Omar"), "{text}");
    assert!(!after.contains(&token));
    assert!(server.store.find_member_by_did(&puo.did).unwrap().is_some());

    // With the registry ticked: listed in the same step.
    let listed = visible_text(&dom(
        &server.post_url("/console/institutions", &form("ptuo", true))
    ));
    assert!(
        listed.contains("It is in the alliance registry") && !listed.contains("Issuer unknown"),
        "{listed}"
    );
    let ptuo = server.store.get_institution("ptuo").unwrap().unwrap();
    assert!(server
        .store
        .find_member_by_did(&ptuo.did)
        .unwrap()
        .is_some());
}
