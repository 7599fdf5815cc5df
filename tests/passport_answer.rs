//! A learner answers an employer's presentation request with the hosted passport
//! (`/passport/answer/{request}`), over HTTP: the request page links to it, the form shows the
//! question and the matching credentials, the signed answer is checked by the verifier on this
//! node and its result names the credential; refusals: a second answer, an expired or unknown
//! request, a question no credential answers, nothing ticked, a POST without the CSRF token,
//! and no answer without signing in (the sign-in page comes back to the form).

mod common;

use axum::http::{header, StatusCode};
use chrono::Duration;
use common::app::{TestApp, PUBLIC_URL};
use common::passport::{claim, create, csrf, form, get, inputs, post_form, Jar, CLAIMABLE, PASS};
use serde_json::Value;
use skillpass::verifier::query::{Query, Wanted};
use skillpass::verifier::{request, RequestConfig};

/// Makes a request through the employer's form; answers its id.
async fn ask(app: &TestApp, query: &str) -> String {
    let reply = post_form(&app.router, &Jar::default(), "/verify/request", query).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    location
        .strip_prefix(&format!("{PUBLIC_URL}/verify/request/"))
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned()
}

async fn result(app: &TestApp, id: &str) -> Value {
    let reply = get(
        &app.router,
        &Jar::default(),
        &format!("/verify/request/{id}/result"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

/// A learner with a claimed MQF level 4 credential in the passport.
async fn learner(app: &TestApp) -> (Jar, Value) {
    let vc = app.issue_example(CLAIMABLE).await;
    let (jar, _) = create(&app.router, "+856 20 5555 7777").await;
    let claimed = claim(app, &jar, &vc).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.text());
    (jar, vc)
}

#[tokio::test]
async fn the_passport_answers_a_request_once() {
    let app = TestApp::new();
    let (jar, vc) = learner(&app).await;
    let id = ask(&app, "want=any&recognise=EQF").await;
    let uri = format!("/passport/answer/{id}");

    // The request's page links to the passport's answer page.
    let page = get(
        &app.router,
        &Jar::default(),
        &format!("/verify/request/{id}"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains(&format!("id=\"passport-answer\" href=\"{uri}\"")),
        "{}",
        page.text()
    );

    // The form: the question in words and the claimed credential to tick.
    let answer_form = get(&app.router, &jar, &uri).await;
    assert_eq!(answer_form.status, StatusCode::OK, "{}", answer_form.text());
    let html = answer_form.text();
    assert!(html.contains("any Open Badge credential"), "{html}");
    let entries = inputs(&html, "credential");
    assert_eq!(entries.len(), 1, "{html}");
    let token = csrf(&html);

    // Nothing ticked: the form again with a message; the request stays open.
    let empty = post_form(&app.router, &jar, &uri, &form(&[("csrf", &token)])).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("Tick at least one credential"));
    assert_eq!(result(&app, &id).await["state"], "pending");

    // Without the CSRF token: refused, nothing sent.
    let forged = post_form(
        &app.router,
        &jar,
        &uri,
        &form(&[("credential", &entries[0])]),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let wrong = post_form(
        &app.router,
        &jar,
        &uri,
        &form(&[("csrf", "not-the-token"), ("credential", &entries[0])]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(result(&app, &id).await["state"], "pending");

    // A credential that is not in the passport: refused, the request stays open.
    let unknown = post_form(
        &app.router,
        &jar,
        &uri,
        &form(&[("csrf", &token), ("credential", "not-an-entry")]),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(result(&app, &id).await["state"], "pending");

    // The answer: sent, checked and accepted.
    let sent = post_form(
        &app.router,
        &jar,
        &uri,
        &form(&[("csrf", &token), ("credential", &entries[0])]),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    assert!(sent.text().contains("Sent"), "{}", sent.text());
    assert!(sent.text().contains("href=\"/passport\""));
    let r = result(&app, &id).await;
    assert_eq!(r["state"], "accepted", "{r:#}");
    assert_eq!(r["outcome"]["protocol"], "passport", "{r:#}");
    let holder = r["outcome"]["holder"].as_str().unwrap();
    assert!(holder.starts_with("did:key:"), "{r:#}");
    let answered = r["outcome"]["credentials"].as_array().unwrap();
    assert_eq!(answered.len(), 1, "{r:#}");
    let checked = &answered[0]["credential"];
    assert_eq!(
        checked["credentialSubject"]["achievement"]["name"],
        vc["credentialSubject"]["achievement"]["name"]
    );
    assert_eq!(checked["credentialSubject"]["id"], holder);
    assert!(answered[0]["recognition"].is_object(), "{r:#}");

    // A second answer is refused.
    let again = post_form(
        &app.router,
        &jar,
        &uri,
        &form(&[("csrf", &token), ("credential", &entries[0])]),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    assert!(again.text().contains("answered already"));
    assert_eq!(
        get(&app.router, &jar, &uri).await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn unknown_expired_and_unmatched_requests_take_no_answer() {
    let app = TestApp::new();
    let (jar, _) = learner(&app).await;

    // Unknown.
    let unknown = get(&app.router, &jar, "/passport/answer/no-such-request").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown.text().contains("no such request"),
        "{}",
        unknown.text()
    );

    // Expired.
    let expired = request::create(
        &app.service,
        &RequestConfig {
            ttl: Duration::minutes(-1),
            result_ttl: Duration::minutes(30),
        },
        Query {
            wanted: Wanted::AnyBadge,
            recognise_into: None,
        },
    )
    .unwrap();
    let uri = format!("/passport/answer/{}", expired.id);
    let shown = get(&app.router, &jar, &uri).await;
    assert_eq!(shown.status, StatusCode::GONE);
    assert!(shown.text().contains("cannot be answered"));
    let page = get(&app.router, &jar, "/passport").await.text();
    let token = csrf(&page);
    let entry = inputs(&page, "credential").into_iter().next().unwrap();
    let late = post_form(
        &app.router,
        &jar,
        &uri,
        &form(&[("csrf", &token), ("credential", &entry)]),
    )
    .await;
    assert_eq!(late.status, StatusCode::GONE);
    assert_eq!(result(&app, &expired.id).await["state"], "expired");

    // A question the passport's credentials do not answer: a minimum level above theirs.
    for query in [
        "want=level&level=EQF%7C8",
        "want=achievement&achievement=Welding",
    ] {
        let id = ask(&app, query).await;
        let uri = format!("/passport/answer/{id}");
        let shown = get(&app.router, &jar, &uri).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.text().contains("id=\"no-match\""), "{}", shown.text());
        assert!(inputs(&shown.text(), "credential").is_empty());
        // Posting the credential anyway sends nothing.
        let forced = post_form(
            &app.router,
            &jar,
            &uri,
            &form(&[("csrf", &token), ("credential", &entry)]),
        )
        .await;
        assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(result(&app, &id).await["state"], "pending");
    }
}

#[tokio::test]
async fn without_signing_in_nothing_is_answered() {
    let app = TestApp::new();
    let (_, _) = learner(&app).await;
    let id = ask(&app, "want=any").await;
    let uri = format!("/passport/answer/{id}");

    // The sign-in page, which comes back to the form.
    let shown = get(&app.router, &Jar::default(), &uri).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(inputs(&shown.text(), "next"), vec![uri.clone()]);
    assert!(inputs(&shown.text(), "credential").is_empty());

    // A POST without a session goes to /passport and answers nothing.
    let post = post_form(
        &app.router,
        &Jar::default(),
        &uri,
        &form(&[("csrf", "x"), ("credential", "y")]),
    )
    .await;
    assert_eq!(post.status, StatusCode::SEE_OTHER);
    assert_eq!(post.headers[header::LOCATION], "/passport");
    assert_eq!(result(&app, &id).await["state"], "pending");

    // Signing in from that page comes back to the form; another site's `next` is ignored.
    let mut jar = Jar::default();
    let signed = post_form(
        &app.router,
        &jar,
        "/passport/signin",
        &form(&[
            ("name", "+856 20 5555 7777"),
            ("passphrase", PASS),
            ("next", &uri),
        ]),
    )
    .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    assert_eq!(signed.headers[header::LOCATION], uri.as_str());
    jar.take(&signed);
    assert_eq!(get(&app.router, &jar, &uri).await.status, StatusCode::OK);
    let elsewhere = post_form(
        &app.router,
        &Jar::default(),
        "/passport/signin",
        &form(&[
            ("name", "+856 20 5555 7777"),
            ("passphrase", PASS),
            ("next", "https://evil.example/passport/answer/x"),
        ]),
    )
    .await;
    assert_eq!(elsewhere.headers[header::LOCATION], "/passport");
}
