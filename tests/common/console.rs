//! The institution console from a test's side: staff accounts, forms posted through the router,
//! a signed-in session (cookie and CSRF token); and for the browser tests, the console on a
//! loopback port with the probe pages that post a form as soon as Chromium loads them (the
//! console has no script), staff and credentials made directly, and a person's Chromium
//! profile that keeps its cookies between runs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Query;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Html;
use axum::Router;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use skillpass::console::{accounts, Role};
use skillpass::service::{Issuance, NewInstitution, SystemClock};
use skillpass::store::{Institution, StatusAllocation, StoredCredential};

use super::app::{Reply, TestApp, ADMIN_TOKEN};
pub use super::passport::{serve_with, Served};

/// The password of every test account.
pub const PASSWORD: &str = "a long console password";

/// Creates a console account through the admin API with [`PASSWORD`] (201 asserted, and the
/// password not echoed).
pub async fn staff(app: &TestApp, email: &str, institution: Option<&str>, role: &str) {
    let reply = app
        .call(
            Method::POST,
            "/admin/staff",
            Some(ADMIN_TOKEN),
            Some(&json!({"email": email, "institution": institution, "role": role, "password": PASSWORD})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert!(
        reply.json().get("password").is_none(),
        "a given password is not echoed"
    );
}

/// Percent-encodes `s` for a form body or a query.
pub fn urlencode(s: &str) -> String {
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

/// An `application/x-www-form-urlencoded` body (the names as they are).
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `POST path` with a form body, the `Cookie` header and the `Origin` header when given.
pub async fn post_form_from(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
    fields: &[(&str, &str)],
) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    app.send(req.body(Body::from(form_body(fields))).unwrap())
        .await
}

/// `POST path` with a form body and the `Cookie` header when given.
pub async fn post_form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> Reply {
    post_form_from(app, path, cookie, None, fields).await
}

/// `GET path` with the `Cookie` header when given.
pub async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::builder().method(Method::GET).uri(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

/// A signed-in browser: its cookie and the CSRF token its pages carry.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

/// Signs in as `email` with [`PASSWORD`]: asserts the redirect to the console, the session
/// cookie's attributes, and a console page that is not cached and carries a CSRF token.
pub async fn sign_in(app: &TestApp, email: &str) -> Browser {
    let reply = post_form(
        app,
        "/console/sign-in",
        None,
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(reply.headers[header::LOCATION], "/console");
    let set = reply.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"),
        "{set}"
    );
    assert!(set.contains("Path=/console"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let home = get(app, "/console", Some(&cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.headers[header::CACHE_CONTROL], "no-store");
    let csrf = csrf(&home.text());
    Browser { cookie, csrf }
}

/// Stores a copy of the issued credential `vc` as szpu's credential number `n` (its id made
/// from `n`) with the learner's name `learner`, the record id `record` and status entries of its
/// own, issued at `issued` (signing every copy would only slow a test).
pub fn store_copy(
    app: &TestApp,
    vc: &Value,
    n: u32,
    learner: &str,
    record: &str,
    issued: DateTime<Utc>,
) {
    let mut copy = vc.clone();
    let id = format!("urn:uuid:00000000-0000-4000-8000-{n:012}");
    copy["id"] = json!(id);
    copy["credentialSubject"]["identifier"][0]["identityHash"] = json!(learner);
    let status = ["revocation", "suspension"]
        .iter()
        .map(|purpose| {
            let (list, index) = app
                .store
                .allocate_status_indices("szpu", purpose, 1)
                .unwrap()
                .remove(0);
            StatusAllocation {
                list,
                index,
                purpose: (*purpose).into(),
            }
        })
        .collect();
    app.store
        .insert_credential(&StoredCredential {
            id,
            institution: "szpu".into(),
            record_id: Some(record.to_owned()),
            credential: copy,
            status,
            issued,
        })
        .unwrap();
}

/// The value of a page's first `name="csrf"` input.
pub fn csrf(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries a CSRF token")
        .to_owned()
}

// ----------------------------------------------------------------------------------------
// The browser tests' console
// ----------------------------------------------------------------------------------------

/// Escapes text for an HTML attribute of a probe page.
pub fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// A page that posts a form to `action` with `fields` as soon as it loads (as
/// `multipart/form-data` when `multipart`); a value with a line break goes in a textarea, as a
/// person's edited text would.
pub fn auto_post(action: &str, fields: &[(&str, &str)], multipart: bool) -> Html<String> {
    let enctype = if multipart {
        " enctype=\"multipart/form-data\""
    } else {
        ""
    };
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            if v.contains('\n') {
                format!("<textarea name=\"{}\">{}</textarea>", attr(k), attr(v))
            } else {
                format!("<input name=\"{}\" value=\"{}\">", attr(k), attr(v))
            }
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"{}\"{enctype}>{inputs}</form>\
         <script>document.forms[0].submit()</script></body></html>",
        attr(action)
    ))
}

/// The value of the query parameter `name` (empty when missing).
pub fn query(q: &[(String, String)], name: &str) -> String {
    q.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `/__test/post?__action=…&field=value…`: a page that posts every other parameter (repeated
/// ones too) to `__action` as soon as it loads, as `multipart/form-data` with `__multipart=1`.
pub async fn post_probe(Query(q): Query<Vec<(String, String)>>) -> Html<String> {
    let fields: Vec<(&str, &str)> = q
        .iter()
        .filter(|(k, _)| !k.starts_with("__"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    auto_post(
        &query(&q, "__action"),
        &fields,
        query(&q, "__multipart") == "1",
    )
}

/// The console on a loopback port with the real clock, the probe [`post_probe`] at
/// `/__test/post`, and the test's own `routes`.
pub fn serve_console(routes: impl FnOnce(Router) -> Router) -> Served {
    serve_with(
        Arc::new(SystemClock),
        |router| routes(router.route("/__test/post", axum::routing::get(post_probe))),
        true,
    )
}

impl Served {
    /// Registers an institution (framework CN-VOC), not in the alliance registry.
    pub fn register(&self, id: &str, name: &str, country: &str) -> Institution {
        let new: NewInstitution = serde_json::from_value(json!({
            "id": id, "name": name, "country": country, "framework": "CN-VOC",
        }))
        .unwrap();
        self.service.register_institution(new, "test").unwrap().0
    }

    /// Registers an institution (framework CN-VOC) and lists it in the alliance registry.
    pub fn institution(&self, id: &str, name: &str, country: &str) -> Institution {
        let institution = self.register(id, name, country);
        let member: skillpass::registry::Member = serde_json::from_value(json!({
            "id": id, "name": name, "country": country, "dids": [institution.did],
            "framework": "CN-VOC", "qualityAssurance": {"body": "MoE", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap();
        self.store.put_member(&member).unwrap();
        institution
    }

    /// Issues the example record `file` (changed by `edit`) as `institution`; answers the
    /// credential's id.
    pub fn issue_with(
        &self,
        institution: &Institution,
        file: &str,
        issuance: Issuance,
        edit: impl FnOnce(&mut Value),
    ) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records")
            .join(file);
        let mut record: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        edit(&mut record);
        let issued = self
            .runtime
            .block_on(self.service.issue_record(institution, &record, issuance))
            .unwrap();
        issued.credential["id"].as_str().unwrap().to_owned()
    }

    /// Makes a console account with [`PASSWORD`] directly in the store.
    pub fn staff(&self, email: &str, institution: Option<&str>, role: Role) {
        accounts::create(
            &*self.store,
            email,
            institution,
            role,
            PASSWORD,
            self.service.now(),
        )
        .unwrap();
    }

    /// The URL of the probe page at `probe` with `fields` as its query.
    pub fn url(&self, probe: &str, fields: &[(&str, &str)]) -> String {
        let query: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect();
        format!("{}{probe}?{}", self.base, query.join("&"))
    }

    /// The URL of [`post_probe`] posting `fields` to `action`.
    pub fn post_url(&self, action: &str, fields: &[(&str, &str)]) -> String {
        let mut all = vec![("__action", action)];
        all.extend_from_slice(fields);
        self.url("/__test/post", &all)
    }
}

/// One person's browser: a Chromium profile that keeps its cookies between runs, at
/// `width` × `height`, and the folder its screenshots go to.
pub struct Profile {
    pub profile: PathBuf,
    pub shots: PathBuf,
    pub width: u32,
    pub height: u32,
}

impl Profile {
    /// A profile `name` under `dir`; screenshots go to `$CONSOLE_SCREENSHOTS_DIR` when set, or
    /// else to `target/tmp/<shots>`.
    pub fn new(dir: &Path, name: &str, shots: &str, width: u32, height: u32) -> Profile {
        let shots = std::env::var_os("CONSOLE_SCREENSHOTS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("target/tmp")
                    .join(shots)
            });
        std::fs::create_dir_all(&shots).unwrap();
        Profile {
            profile: dir.join(name),
            shots,
            width,
            height,
        }
    }

    /// Signs in as `email` with [`PASSWORD`] through the console's form (posted by
    /// [`post_probe`]); answers the DOM it lands on.
    pub fn sign_in(&self, server: &Served, email: &str) -> String {
        self.dom(&server.post_url(
            "/console/sign-in",
            &[("email", email), ("password", PASSWORD)],
        ))
    }

    /// The DOM after loading `url` (and whatever navigation its form causes).
    pub fn dom(&self, url: &str) -> String {
        super::browser::run_chromium(
            &self.profile,
            self.width,
            self.height,
            &["--dump-dom".to_owned()],
            url,
        )
    }

    /// A screenshot of `url`, `height` pixels high, into the shots folder as `name`.
    pub fn screenshot(&self, url: &str, name: &str, height: u32) {
        let path = self.shots.join(name);
        super::browser::run_chromium(
            &self.profile,
            self.width,
            height,
            &[format!("--screenshot={}", path.display())],
            url,
        );
        assert!(path.exists(), "no screenshot at {}", path.display());
    }
}
