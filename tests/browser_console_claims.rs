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
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use common::browser::{chromium, run_chromium, visible_text};
use serde_json::{json, Value};
use skillpass::console::{accounts, Role};
use skillpass::http::{app, AppState, Limits};
use skillpass::service::{NewInstitution, Service, SystemClock};
use skillpass::store::{Institution, MemoryStore, OfferState, Store};

/// An A4 page at 96 CSS pixels to the inch: 210 mm × 297 mm.
const A4_WIDTH: u32 = 794;
const A4_HEIGHT: u32 = 1123;
const PASSWORD: &str = "a long console password";

fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// `/__test/post?__action=…&field=value…`: a page that posts every other query parameter
/// (repeated ones too) to `__action` as soon as it loads.
async fn probe(Query(query): Query<Vec<(String, String)>>) -> Html<String> {
    let action = query
        .iter()
        .find(|(k, _)| k == "__action")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let inputs: String = query
        .iter()
        .filter(|(k, _)| k != "__action")
        .map(|(k, v)| format!("<input name=\"{}\" value=\"{}\">", attr(k), attr(v)))
        .collect();
    Html(format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"{}\">{inputs}</form>\
         <script>document.forms[0].submit()</script></body></html>",
        attr(&action)
    ))
}

fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Server {
    runtime: tokio::runtime::Runtime,
    base: String,
    service: Arc<Service>,
    store: Arc<dyn Store>,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let service = Arc::new(Service::new(store.clone(), &base, Arc::new(SystemClock)));
        let state = AppState {
            service: service.clone(),
            admin_token_hash: service.token_hash("browser-claims-admin-token-0123456789abcdef"),
            wallet: Default::default(),
        };
        let router = app(state, Limits::default()).route("/__test/post", get(probe));
        runtime.spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Server {
            runtime,
            base,
            service,
            store,
        }
    }

    fn institution(&self) -> Institution {
        let new: NewInstitution = serde_json::from_value(json!({
            "id": "szpu", "name": "Shenzhen Polytechnic University", "country": "CN",
            "framework": "CN-VOC",
        }))
        .unwrap();
        self.service.register_institution(new, "test").unwrap().0
    }

    /// Issues `file` for a learner named `name` with record id `record`.
    fn issue(&self, institution: &Institution, file: &str, name: &str, record: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records")
            .join(file);
        let mut r: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        r["issuer"].as_object_mut().unwrap().remove("id");
        r["learner"]["name"] = json!(name);
        r["recordId"] = json!(record);
        let issued = self
            .runtime
            .block_on(
                self.service
                    .issue_record(institution, &r, Default::default()),
            )
            .unwrap();
        issued.credential["id"].as_str().unwrap().to_owned()
    }

    fn post_url(&self, action: &str, fields: &[(&str, &str)]) -> String {
        let mut url = format!(
            "{}/__test/post?__action={}",
            self.base,
            query_escape(action)
        );
        for (k, v) in fields {
            url.push_str(&format!("&{}={}", query_escape(k), query_escape(v)));
        }
        url
    }
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/browser_console_claims");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every QR code in `img`, decoded.
fn qr_codes(img: &image::RgbImage) -> Vec<String> {
    let luma = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok())
        .map(|(_, content)| content)
        .collect()
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
    let server = Server::start();
    let szpu = server.institution();
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
        .map(|(file, name, record)| server.issue(&szpu, file, name, record))
        .collect();
    accounts::create(
        &*server.store,
        "registrar@szpu.test",
        Some("szpu"),
        Role::Registrar,
        PASSWORD,
        server.service.now(),
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("registrar");
    let dom = |url: &str| {
        run_chromium(
            &profile,
            A4_WIDTH,
            A4_HEIGHT,
            &["--dump-dom".to_owned()],
            url,
        )
    };
    let text = visible_text(&dom(&server.post_url(
        "/console/sign-in",
        &[("email", "registrar@szpu.test"), ("password", PASSWORD)],
    )));
    assert!(text.contains("Shenzhen Polytechnic University"), "{text}");
    let home = dom(&format!("{}/console/credentials?q=class", server.base));
    assert!(home.contains("id=\"sheet-all\""), "{home}");
    let csrf = home
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
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
    let server = Server::start();
    server.institution();
    accounts::create(
        &*server.store,
        "op@node.test",
        None,
        Role::Operator,
        PASSWORD,
        server.service.now(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("operator");
    let dom = |url: &str| run_chromium(&profile, 1280, 900, &["--dump-dom".to_owned()], url);
    let page = dom(&server.post_url(
        "/console/sign-in",
        &[("email", "op@node.test"), ("password", PASSWORD)],
    ));
    let text = visible_text(&page);
    assert!(
        text.contains("Institutions on this node") && text.contains("Register an institution"),
        "{text}"
    );
    assert!(
        page.contains("id=\"reg-registry\" checked"),
        "ticked to begin with"
    );
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
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
