//! The institution console in a real browser: the service on a loopback port (in this process,
//! so the test can make accounts and issue credentials directly), and Debian's headless
//! Chromium at a desktop size. Chromium keeps its cookies in its profile between runs, so each
//! run is one step of a person's session: sign in through the form, read the dashboard, search,
//! open a credential, revoke it with a reason through the form, then read the employer page.
//! Forms are sent by small probe pages on the same origin that submit a form as a person
//! would (the console itself has no script). Also in the browser: a viewer gets no revoke
//! form and is refused when posting one; another institution's registrar gets 404; a form
//! without the CSRF token is refused; after sign-out the console asks to sign in again.
//!
//! Screenshots go to `target/tmp/browser_console/`, or to `$CONSOLE_SCREENSHOTS_DIR` when set
//! (`scripts/console-screenshots.sh` regenerates `docs/img/console-*.png` that way).
//!
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

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
use skillpass::store::{Institution, MemoryStore, Store};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;
const PASSWORD: &str = "a long console password";
const REASON: &str = "Assessment evidence was found to be copied";

/// Escapes text for an HTML attribute of a probe page.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// A page that posts a form to `action` with `fields` as soon as it loads.
fn auto_post(action: &str, fields: &[(&str, &str)]) -> Html<String> {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| format!("<input name=\"{}\" value=\"{}\">", attr(k), attr(v)))
        .collect();
    Html(format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"{}\">{inputs}</form>\
         <script>document.forms[0].submit()</script></body></html>",
        attr(action)
    ))
}

/// `/__test/post?action=…&field=value…`: posts every other query parameter to `action`.
async fn probe(Query(query): Query<Vec<(String, String)>>) -> Html<String> {
    let action = query
        .iter()
        .find(|(k, _)| k == "__action")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let fields: Vec<(&str, &str)> = query
        .iter()
        .filter(|(k, _)| k != "__action")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    auto_post(&action, &fields)
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
            admin_token_hash: service.token_hash("browser-console-admin-token-0123456789abcdef"),
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

    fn institution(&self, id: &str, name: &str, country: &str) -> Institution {
        let new: NewInstitution = serde_json::from_value(json!({
            "id": id, "name": name, "country": country, "framework": "CN-VOC",
        }))
        .unwrap();
        let (institution, _) = self.service.register_institution(new, "test").unwrap();
        let member: skillpass::registry::Member = serde_json::from_value(json!({
            "id": id, "name": name, "country": country, "dids": [institution.did],
            "framework": "CN-VOC", "qualityAssurance": {"body": "MoE", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap();
        self.store.put_member(&member).unwrap();
        institution
    }

    fn issue(&self, institution: &Institution, file: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records")
            .join(file);
        let mut record: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        let issuance = skillpass::service::Issuance {
            suspendable: true,
            ..Default::default()
        };
        let issued = self
            .runtime
            .block_on(self.service.issue_record(institution, &record, issuance))
            .unwrap();
        issued.credential["id"].as_str().unwrap().to_owned()
    }

    fn staff(&self, email: &str, institution: &str, role: Role) {
        accounts::create(
            &*self.store,
            email,
            Some(institution),
            role,
            PASSWORD,
            self.service.now(),
        )
        .unwrap();
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

/// One person's browser: a Chromium profile that keeps its cookies between runs.
struct Browser {
    profile: PathBuf,
    shots: PathBuf,
}

impl Browser {
    fn new(dir: &Path, name: &str) -> Browser {
        let shots = std::env::var_os("CONSOLE_SCREENSHOTS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/browser_console")
            });
        std::fs::create_dir_all(&shots).unwrap();
        Browser {
            profile: dir.join(name),
            shots,
        }
    }

    /// The DOM after loading `url` (and whatever navigation its form causes).
    fn dom(&self, url: &str) -> String {
        run_chromium(
            &self.profile,
            WIDTH,
            HEIGHT,
            &["--dump-dom".to_owned()],
            url,
        )
    }

    fn screenshot(&self, url: &str, name: &str, height: u32) {
        let path = self.shots.join(name);
        run_chromium(
            &self.profile,
            WIDTH,
            height,
            &[format!("--screenshot={}", path.display())],
            url,
        );
        assert!(path.exists(), "no screenshot at {}", path.display());
    }
}

/// The value of the first `name="csrf"` input.
fn csrf(dom: &str) -> String {
    dom.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries a CSRF token")
        .to_owned()
}

fn console_path(id: &str) -> String {
    format!("/console/credentials/{id}")
}

#[test]
fn a_registrar_signs_in_searches_and_revokes_and_employers_see_it() {
    chromium();
    let server = Server::start();
    let szpu = server.institution("szpu", "Shenzhen Polytechnic University", "CN");
    let chen = server.issue(&szpu, "szpu-3d-animation-production.json");
    let _lao = server.issue(&szpu, "szpu-nev-after-sales-service.json");
    server.staff("registrar@szpu.test", "szpu", Role::Registrar);

    let dir = tempfile::tempdir().unwrap();
    let registrar = Browser::new(dir.path(), "registrar");

    // Not signed in: the root leads to the sign-in form.
    let text = visible_text(&registrar.dom(&format!("{}/", server.base)));
    assert!(
        text.contains("Sign in to the institution console"),
        "{text}"
    );

    // A wrong password is refused in plain words.
    let dom = registrar.dom(&server.post_url(
        "/console/sign-in",
        &[
            ("email", "registrar@szpu.test"),
            ("password", "not it at all"),
        ],
    ));
    assert!(visible_text(&dom).contains("The e-mail address or the password is wrong."));

    // Sign in through the form: the dashboard.
    let dom = registrar.dom(&server.post_url(
        "/console/sign-in",
        &[("email", "registrar@szpu.test"), ("password", PASSWORD)],
    ));
    let text = visible_text(&dom);
    assert!(text.contains("Shenzhen Polytechnic University"), "{text}");
    assert!(
        text.contains("2 issued") && text.contains("0 revoked"),
        "{text}"
    );
    assert!(
        text.contains("Chen Xiaoling") && text.contains("Souksavanh"),
        "{text}"
    );
    assert!(!dom.contains("<script"), "the console has no script");
    registrar.screenshot(
        &format!("{}/console", server.base),
        "console-dashboard.png",
        HEIGHT,
    );

    // Search by learner name, then by record id.
    let dom = registrar.dom(&format!("{}/console/credentials?q=chen", server.base));
    let text = visible_text(&dom);
    assert!(
        text.contains("1 credential found") && text.contains("Chen Xiaoling"),
        "{text}"
    );
    assert!(!text.contains("Souksavanh"), "{text}");
    let dom = registrar.dom(&format!("{}/console/credentials?q=NEV3104", server.base));
    let text = visible_text(&dom);
    assert!(
        text.contains("1 credential found") && text.contains("Souksavanh"),
        "{text}"
    );

    // Open Chen's credential: the revoke form.
    let page = format!("{}{}", server.base, console_path(&chen));
    let dom = registrar.dom(&page);
    assert!(
        dom.contains("id=\"status-form\""),
        "a registrar gets the form"
    );
    let token = csrf(&dom);
    registrar.screenshot(&page, "console-revoke-form.png", 1000);

    // A form without the CSRF token is refused and changes nothing.
    let dom = registrar.dom(&server.post_url(
        &format!("{}/status", console_path(&chen)),
        &[("action", "revoke"), ("reason", REASON)],
    ));
    assert!(
        visible_text(&dom).contains("This form has expired"),
        "{dom}"
    );

    // Revoke with a reason, published to employers.
    let dom = registrar.dom(&server.post_url(
        &format!("{}/status", console_path(&chen)),
        &[
            ("csrf", &token),
            ("action", "revoke"),
            ("reason", REASON),
            ("publish", "on"),
        ],
    ));
    let text = visible_text(&dom);
    assert!(text.contains("Status Revoked"), "{text}");
    assert!(
        text.contains(REASON) && text.contains("shown to employers"),
        "{text}"
    );
    assert!(text.contains("registrar@szpu.test"), "{text}");
    registrar.screenshot(&page, "console-credential.png", 1100);

    // The employer page: revoked. (Its date and published reason on that page are the
    // employer page's own work; that the service publishes them is checked here.)
    let employer = Browser::new(dir.path(), "employer");
    let text = visible_text(&employer.dom(&server.service.verify_page_url(&chen)));
    assert!(
        text.contains("Revoked") && text.contains("has withdrawn (revoked) this credential"),
        "{text}"
    );
    let published = server.service.published_status(&chen).unwrap().unwrap();
    assert_eq!(published.reason.as_deref(), Some(REASON));
    assert!(published.since.is_some());

    // The dashboard counts it; the status filter finds it.
    let text = visible_text(&registrar.dom(&format!("{}/console", server.base)));
    assert!(text.contains("1 revoked"), "{text}");
    let text = visible_text(&registrar.dom(&format!(
        "{}/console/credentials?status=revoked",
        server.base
    )));
    assert!(
        text.contains("1 credential found") && text.contains("Chen Xiaoling"),
        "{text}"
    );

    // Sign out through the button's form: the console asks to sign in again.
    let dom = registrar.dom(&server.post_url("/console/sign-out", &[("csrf", &token)]));
    assert!(visible_text(&dom).contains("Sign in to the institution console"));
    let text = visible_text(&registrar.dom(&page));
    assert!(
        text.contains("Sign in to the institution console"),
        "{text}"
    );
}

#[test]
fn a_viewer_cannot_revoke_and_another_institution_sees_nothing() {
    chromium();
    let server = Server::start();
    let szpu = server.institution("szpu", "Shenzhen Polytechnic University", "CN");
    server.institution("gdpt", "Guangdong Polytechnic", "CN");
    let chen = server.issue(&szpu, "szpu-3d-animation-production.json");
    server.staff("viewer@szpu.test", "szpu", Role::Viewer);
    server.staff("registrar@gdpt.test", "gdpt", Role::Registrar);
    let dir = tempfile::tempdir().unwrap();
    let sign_in = |browser: &Browser, email: &str| {
        let dom = browser.dom(&server.post_url(
            "/console/sign-in",
            &[("email", email), ("password", PASSWORD)],
        ));
        assert!(visible_text(&dom).contains("Dashboard"), "{dom}");
    };
    let target = format!("{}/status", console_path(&chen));

    let viewer = Browser::new(dir.path(), "viewer");
    sign_in(&viewer, "viewer@szpu.test");
    let dom = viewer.dom(&format!("{}{}", server.base, console_path(&chen)));
    assert!(visible_text(&dom).contains("Chen Xiaoling"));
    assert!(
        !dom.contains("id=\"status-form\""),
        "a viewer gets no revoke form"
    );
    let token = csrf(&dom);
    let dom = viewer.dom(&server.post_url(
        &target,
        &[("csrf", &token), ("action", "revoke"), ("reason", "no")],
    ));
    assert!(
        visible_text(&dom).contains("Your role does not allow this"),
        "{dom}"
    );

    let other = Browser::new(dir.path(), "other");
    sign_in(&other, "registrar@gdpt.test");
    let dom = other.dom(&format!("{}{}", server.base, console_path(&chen)));
    assert!(
        visible_text(&dom).contains("There is no such credential among your institution's"),
        "{dom}"
    );
    assert!(!dom.contains("Chen Xiaoling"));
    let text = visible_text(&other.dom(&format!("{}/console/credentials?q=chen", server.base)));
    assert!(text.contains("0 credentials found"), "{text}");
    let token = csrf(&other.dom(&format!("{}/console", server.base)));
    let dom = other.dom(&server.post_url(&target, &[("csrf", &token), ("action", "revoke")]));
    assert!(
        visible_text(&dom).contains("There is no such credential"),
        "{dom}"
    );

    let status = server.service.published_status(&chen).unwrap();
    assert!(status.is_none(), "nobody revoked it: {status:?}");
}
