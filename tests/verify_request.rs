//! Presentation requests (issue 12 item 4): an employer asks for a credential, a wallet answers.
//!
//! - OpenID4VP 1.0: the Open Wallet Foundation's `@openid4vc/openid4vp` 0.4.6
//!   (`tests/peers/oid4vp-wallet.mjs`) parses and resolves the `openid4vp://` request of the
//!   request's page, and submits a presentation signed by Digital Bazaar's libraries to the live
//!   service's Response URI (`direct_post`).
//! - The VC-API exchange: interaction URL → `POST {}` → `QueryByExample` → a presentation signed
//!   by Digital Bazaar's libraries (`tests/peers/present.mjs`).
//!
//! The credential presented is the learner's holder-bound copy (claimed for the wallet's did:key
//! through an offer). Refusals: wrong nonce (challenge), wrong domain, a replayed answer, a
//! revoked credential, a credential that does not answer the request, an expired request.
//! Headless Chromium shows the waiting page with its QR codes and then the checked result.

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use common::{browser, peer};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::http::{app, AppState, Limits};
use skillpass::keys::SecretKey;
use skillpass::service::{token_hash, Clock, NewInstitution, Service, SystemClock};
use skillpass::store::{MemoryStore, Store};
use skillpass::verifier::query::{Query, Wanted};
use skillpass::verifier::{oid4vp, request, RequestConfig};
use skillpass::wallet::offer::{self, OfferOptions, Protocol};
use skillpass::wallet::WalletConfig;
use tower::ServiceExt;

const SEED: &str = "1111111111111111111111111111111111111111111111111111111111111111";

struct HandClock(Mutex<DateTime<Utc>>);

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// The service on a loopback port (its public URL that port), szpu registered and an alliance
/// member, and the learner's holder-bound credential.
struct Live {
    base: String,
    router: axum::Router,
    service: Arc<Service>,
    token: String,
    /// The credential as issued (its id is what a revocation names).
    original: Value,
    /// The learner's copy bound to the wallet's did:key.
    bound: Value,
    dir: tempfile::TempDir,
}

async fn start(clock: Arc<dyn Clock>) -> Live {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let service = Arc::new(Service::new(store.clone(), &base, clock));
    let new: NewInstitution = serde_json::from_value(json!({
        "id": "szpu",
        "name": "Shenzhen Polytechnic University",
        "country": "CN",
        "framework": "CN-VOC",
        "didMethod": "did-key",
    }))
    .unwrap();
    let (institution, token) = service.register_institution(new, "test").unwrap();
    let member: skillpass::registry::Member = serde_json::from_value(json!({
        "id": "szpu",
        "name": institution.name,
        "country": institution.country,
        "dids": [institution.did],
        "framework": institution.framework,
        "qualityAssurance": {"body": "Test QA body", "status": "accredited"},
        "validFrom": "2020-01-01T00:00:00Z",
    }))
    .unwrap();
    store.put_member(&member).unwrap();
    let state = AppState {
        service: service.clone(),
        admin_token_hash: token_hash("verify-request-admin-token-0123456789abcdef"),
        wallet: WalletConfig::default(),
    };
    let router = app(state, Limits::default());
    let served = router.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
    let mut live = Live {
        base,
        router,
        service,
        token: token.as_str().to_owned(),
        original: Value::Null,
        bound: Value::Null,
        dir: tempfile::tempdir().unwrap(),
    };
    live.original = live.issue().await;
    live.bound = live.bind(&live.original.clone()).await;
    live
}

fn holder_did() -> String {
    let seed = [0x11u8; 32];
    SecretKey::from_seed(&seed).public_key().did_key()
}

impl Live {
    async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, headers, body)
    }

    async fn json(&self, method: Method, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let (status, _, bytes) = self.send(req.body(body).unwrap()).await;
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
    }

    async fn form(&self, path: &str, form: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .unwrap();
        self.send(req).await
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let req = Request::builder().uri(path).body(Body::empty()).unwrap();
        let (status, _, body) = self.send(req).await;
        (status, String::from_utf8(body).unwrap())
    }

    /// Issues the NEV example record (EQF-referenced CN-VOC level).
    async fn issue(&self) -> Value {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records/szpu-nev-after-sales-service.json");
        let mut record: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        let (status, body) = self
            .json(Method::POST, "/records?suspendable=true", Some(&record))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["verifiableCredential"].clone()
    }

    /// The learner claims `vc` for the wallet's did:key.
    async fn bind(&self, vc: &Value) -> Value {
        let institution = self
            .service
            .store()
            .get_institution("szpu")
            .unwrap()
            .unwrap();
        let made = offer::create(
            &self.service,
            &WalletConfig::default(),
            &institution,
            vc["id"].as_str().unwrap(),
            &OfferOptions::default(),
        )
        .await
        .unwrap();
        let bound = offer::claim(
            &self.service,
            &made.offer.id,
            &holder_did(),
            Protocol::VcApi,
        )
        .await
        .unwrap();
        assert_eq!(bound["credentialSubject"]["id"], holder_did());
        bound
    }

    fn credential_file(&self, vc: &Value, name: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, vc.to_string()).unwrap();
        path.to_str().unwrap().to_owned()
    }

    /// Makes a request through the form; returns its id (from the redirect).
    async fn ask(&self, form: &str) -> String {
        let (status, headers, body) = self.form("/verify/request", form).await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "{}",
            String::from_utf8_lossy(&body)
        );
        let location = headers[header::LOCATION].to_str().unwrap();
        let prefix = format!("{}/verify/request/", self.base);
        location
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{location}"))
            .to_owned()
    }

    async fn result(&self, id: &str) -> Value {
        let (status, body) = self
            .json(Method::GET, &format!("/verify/request/{id}/result"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// The `openid4vp://` link on the request's page.
    async fn oid4vp_link(&self, id: &str) -> String {
        let (status, page) = self.get(&format!("/verify/request/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let start = page
            .find("id=\"oid4vp-link\" href=\"")
            .expect("OpenID4VP link")
            + 23;
        let end = start + page[start..].find('"').unwrap();
        page[start..end].replace("&amp;", "&")
    }

    /// The OWF wallet library answers request `id` with the bound credential.
    async fn wallet(&self, id: &str, extra: &[&str], vc: &Value) -> peer::PeerOutput {
        let link = self.oid4vp_link(id).await;
        let file = self.credential_file(vc, "presented.json");
        let mut args: Vec<String> = vec![
            "--request".into(),
            link,
            "--seed".into(),
            SEED.into(),
            "--allow-insecure-urls".into(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args.push(file);
        // The peer talks to this very server: run it off the runtime's worker.
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            peer::run("oid4vp-wallet.mjs", &args, None)
        })
        .await
        .unwrap()
    }
}

fn form_value(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openid4vp_library_answers_and_the_page_shows_the_checked_result() {
    let live = start(Arc::new(SystemClock)).await;
    let id = live.ask("want=any&recognise=EQF").await;
    assert_eq!(live.result(&id).await["state"], "pending");

    let link = live.oid4vp_link(&id).await;
    assert!(
        link.starts_with("openid4vp://?client_id=redirect_uri%3A"),
        "{link}"
    );
    assert!(
        link.len() <= skillpass::qr::MAX_DATA_LEN,
        "{} bytes",
        link.len()
    );

    let out = live.wallet(&id, &[], &live.bound).await;
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report = out.json();
    // The library read it as OpenID4VP 1.0 final, unsigned, client identifier prefix redirect_uri.
    assert_eq!(report["version"], 100, "{report}");
    assert_eq!(report["client"]["prefix"], "redirect_uri");
    assert_eq!(
        report["clientId"],
        format!("redirect_uri:{}/oid4vp/response", live.base)
    );
    assert_eq!(report["dcql"]["credentials"][0]["format"], "ldp_vc");
    assert_eq!(
        report["dcql"]["credentials"][0]["meta"]["type_values"][0][1],
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
    );
    assert_eq!(report["status"], 200);
    assert_eq!(report["body"], json!({}));

    let result = live.result(&id).await;
    assert_eq!(result["state"], "accepted", "{result}");
    let outcome = &result["outcome"];
    assert_eq!(outcome["protocol"], "oid4vp");
    assert_eq!(outcome["holder"], holder_did());
    assert_eq!(outcome["credentials"][0]["credential"], live.bound);
    let recognition = &outcome["credentials"][0]["recognition"];
    assert_eq!(recognition["receivingFramework"], "EQF", "{outcome}");

    // The page: no more refresh, the employer page's verdict and the recognition in words.
    let (status, page) = live.get(&format!("/verify/request/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("http-equiv=\"refresh\""));
    let text = browser::visible_text(&page);
    assert!(text.contains("Answered and checked"), "{text}");
    assert!(text.contains("Genuine"), "{text}");
    assert!(text.contains("What it is worth in EQF"), "{text}");
    assert!(text.contains("EQF"), "{text}");

    // The same answer again: the state was used.
    let payload = &report["responsePayload"];
    let replay = format!(
        "vp_token={}&state={}",
        form_value(&payload["vp_token"].to_string()),
        form_value(payload["state"].as_str().unwrap())
    );
    let (status, _, body) = live.form("/oid4vp/response", &replay).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("unknown state"),
        "{body}"
    );
}

async fn refused(live: &Live, form: &str, extra: &[&str], vc: &Value, expect: &str) {
    let id = live.ask(form).await;
    let out = live.wallet(&id, extra, vc).await;
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let report = out.json();
    assert_eq!(report["status"], 400, "{report}");
    assert_eq!(report["body"]["error"], "invalid_request");
    let description = report["body"]["error_description"].as_str().unwrap();
    assert!(
        description.contains(expect),
        "{expect:?} not in {description}"
    );
    let result = live.result(&id).await;
    assert_eq!(result["state"], "refused", "{result}");
    let reasons = result["outcome"]["reasons"].to_string();
    assert!(reasons.contains(expect), "{expect:?} not in {reasons}");
    assert!(result["outcome"]["credentials"]
        .as_array()
        .unwrap()
        .is_empty());
    // The page says so, with the reasons.
    let (status, page) = live.get(&format!("/verify/request/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = browser::visible_text(&page);
    assert!(text.contains("The answer was refused"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_nonce_wrong_domain_mismatch_and_revoked_are_refused() {
    let live = start(Arc::new(SystemClock)).await;
    refused(
        &live,
        "want=any",
        &["--challenge", "not-the-nonce"],
        &live.bound,
        "challenge",
    )
    .await;
    refused(
        &live,
        "want=any",
        &[
            "--domain",
            "redirect_uri:https://elsewhere.example/response",
        ],
        &live.bound,
        "domain",
    )
    .await;
    refused(
        &live,
        "want=achievement&achievement=https%3A%2F%2Fother.example%2Fachievements%2Fwelding",
        &[],
        &live.bound,
        "does not answer the request",
    )
    .await;
    refused(
        &live,
        "want=level&level=EQF%7C8",
        &[],
        &live.bound,
        "below the minimum",
    )
    .await;
    // Revoking the original revokes the holder's copy (one status entry).
    let (status, body) = live
        .json(
            Method::POST,
            "/credentials/status",
            Some(&json!({"credentialId": live.original["id"], "action": "revoke"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    refused(&live, "want=any", &[], &live.bound, "revoked").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vcapi_exchange_takes_a_digital_bazaar_presentation_once() {
    let live = start(Arc::new(SystemClock)).await;
    let id = live.ask("want=achievement&achievement=new+energy+vehicle+after-sales+service%3A+high-voltage+safety+and+battery+system+diagnosis").await;
    // The page's interaction URL, as LCW scans it.
    let (_, page) = live.get(&format!("/verify/request/{id}")).await;
    let start = page.find("<code id=\"lcw-link\">").unwrap() + 20;
    let url = page[start..start + page[start..].find('<').unwrap()].replace("&amp;", "&");
    assert!(url.ends_with("?iuv=1"), "{url}");
    let path = url
        .strip_prefix(&live.base)
        .unwrap_or_else(|| panic!("{url} is not under {}", live.base))
        .trim_end_matches("?iuv=1")
        .to_owned();
    let (status, protocols) = live.json(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{protocols}");
    let exchange = protocols["protocols"]["vcapi"].as_str().unwrap().to_owned();
    let exchange_path = exchange.strip_prefix(&live.base).unwrap().to_owned();

    let (status, vpr) = live
        .json(Method::POST, &exchange_path, Some(&json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{vpr}");
    let vpr = &vpr["verifiablePresentationRequest"];
    assert_eq!(vpr["query"][0]["type"], "QueryByExample");
    assert_eq!(
        vpr["query"][0]["credentialQuery"]["example"]["type"],
        "OpenBadgeCredential"
    );
    assert_eq!(vpr["domain"], live.base);
    let challenge = vpr["challenge"].as_str().unwrap().to_owned();

    // A presentation signed by Digital Bazaar's libraries over the wrong domain first: refused,
    // and the exchange is spent.
    let file = live.credential_file(&live.bound, "bound.json");
    let sign = |domain: String| {
        let file = file.clone();
        let challenge = challenge.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                peer::run(
                    "present.mjs",
                    &[
                        "--seed",
                        SEED,
                        &format!("--challenge={challenge}"),
                        "--domain",
                        &domain,
                        &file,
                    ],
                    None,
                )
            })
            .await
            .unwrap()
        }
    };
    let good = sign(live.base.clone()).await;
    assert_eq!(good.code, 0, "{}", good.stderr);
    let vp = good.json();
    let (status, answer) = live
        .json(
            Method::POST,
            &exchange_path,
            Some(&json!({"verifiablePresentation": vp})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, json!({}));
    let result = live.result(&id).await;
    assert_eq!(result["state"], "accepted", "{result}");
    assert_eq!(result["outcome"]["protocol"], "vcapi");

    // Replayed: the exchange is gone.
    let (status, body) = live
        .json(
            Method::POST,
            &exchange_path,
            Some(&json!({"verifiablePresentation": vp})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Another request, answered over another domain: refused with the reason.
    let id = live.ask("want=any").await;
    let record = request::load(&live.service, &id).unwrap().unwrap();
    let exchange_path = format!("/verify/exchanges/{}", record.exchange);
    let (_, vpr) = live
        .json(Method::POST, &exchange_path, Some(&json!({})))
        .await;
    let challenge = vpr["verifiablePresentationRequest"]["challenge"]
        .as_str()
        .unwrap()
        .to_owned();
    let file2 = file.clone();
    let bad = tokio::task::spawn_blocking(move || {
        peer::run(
            "present.mjs",
            &[
                "--seed",
                SEED,
                &format!("--challenge={challenge}"),
                "--domain",
                "https://elsewhere.example",
                &file2,
            ],
            None,
        )
    })
    .await
    .unwrap();
    let (status, body) = live
        .json(
            Method::POST,
            &exchange_path,
            Some(&json!({"verifiablePresentation": bad.json()})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("domain"), "{body}");
    assert_eq!(live.result(&id).await["state"], "refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_request_takes_no_answer() {
    let t0 = Utc::now();
    let clock = Arc::new(HandClock(Mutex::new(t0)));
    let live = start(clock.clone()).await;
    let made = request::create(
        &live.service,
        &RequestConfig::default(),
        Query {
            wanted: Wanted::AnyBadge,
            recognise_into: None,
        },
    )
    .unwrap();
    // A good presentation, made in time…
    let file = live.credential_file(&live.bound, "bound.json");
    let nonce = made.record.nonce.clone();
    let domain = oid4vp::client_id(&live.service);
    let vp = tokio::task::spawn_blocking(move || {
        peer::run(
            "present.mjs",
            &[
                "--seed",
                SEED,
                &format!("--challenge={nonce}"),
                "--domain",
                &domain,
                &file,
            ],
            None,
        )
    })
    .await
    .unwrap()
    .json();
    // …handed in after the request's 15 minutes.
    *clock.0.lock().unwrap() = t0 + Duration::minutes(16);
    let body = format!(
        "vp_token={}&state={}",
        form_value(&json!({"openbadge": [vp]}).to_string()),
        made.record.state
    );
    let (status, _, reply) = live.form("/oid4vp/response", &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let reply: Value = serde_json::from_slice(&reply).unwrap();
    assert!(
        reply["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{reply}"
    );
    let (status, page) = live.get(&format!("/verify/request/{}", made.id)).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(browser::visible_text(&page).contains("The request expired"));
    assert_eq!(live.result(&made.id).await["state"], "expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_answers_and_unknown_requests_are_told_apart() {
    let live = start(Arc::new(SystemClock)).await;
    let (status, _, body) = live.form("/oid4vp/response", "vp_token=%7B%7D").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&body).contains("state is missing"));
    let (status, _, body) = live
        .form("/oid4vp/response", "vp_token=not-json&state=abc")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&body).contains("not JSON"));
    // A wallet's error response ends the request with its reason.
    let id = live.ask("want=any").await;
    let record = request::load(&live.service, &id).unwrap().unwrap();
    let (status, _, _) = live
        .form(
            "/oid4vp/response",
            &format!(
                "error=access_denied&error_description=the+learner+said+no&state={}",
                record.state
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let result = live.result(&id).await;
    assert_eq!(result["state"], "refused");
    assert!(result["outcome"]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("access_denied"));
    // Unknown request ids: 404 page and JSON.
    let (status, page) = live.get("/verify/request/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(browser::visible_text(&page).contains("No such request"));
    let (status, _) = live
        .json(Method::GET, "/verify/request/nope/result", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A question that cannot be asked: the form again.
    let (status, _, body) = live
        .form("/verify/request", "want=level&level=EQF%7C42")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("EQF has no level"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_shows_the_qr_codes_then_the_result() {
    let live = start(Arc::new(SystemClock)).await;
    let id = live.ask("want=any&recognise=EQF").await;
    let url = format!("{}/verify/request/{id}", live.base);
    let profile = tempfile::tempdir().unwrap();
    let dump = |url: String, profile: std::path::PathBuf| {
        tokio::task::spawn_blocking(move || {
            // Less virtual time than the page's refresh, so the dump is of this page.
            let flags = [
                "--dump-dom".to_owned(),
                "--virtual-time-budget=1500".to_owned(),
            ];
            browser::run_chromium(&profile, 412, 915, &flags, &url)
        })
    };
    let waiting = dump(url.clone(), profile.path().to_owned()).await.unwrap();
    assert!(
        waiting.contains("http-equiv=\"refresh\" content=\"3\""),
        "{waiting}"
    );
    assert_eq!(waiting.matches("class=\"qr\"").count(), 2, "{waiting}");
    assert!(browser::visible_text(&waiting).contains("Waiting for the learner"));

    let out = live.wallet(&id, &[], &live.bound).await;
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let answered = dump(url, profile.path().to_owned()).await.unwrap();
    let text = browser::visible_text(&answered);
    assert!(text.contains("Answered and checked"), "{text}");
    assert!(text.contains("Genuine"), "{text}");
    assert!(text.contains("What it is worth in EQF"), "{text}");
}
