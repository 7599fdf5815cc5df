//! Revocation and suspension with a reason, and each credential's status history:
//! `POST /credentials/status` with `reason`/`publishReason`, `GET /credentials/{id}/history`,
//! and the service API the console calls (`Service::set_status_by`, `Service::status_history`,
//! `Service::published_status`).

mod common;

use axum::http::{Method, StatusCode};
use common::app::{now, Reply, TestApp};
use serde_json::{json, Value};
use skillpass::service::{PublishedState, ServiceError, StatusAction, StatusChange};

fn error(reply: &Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    reply.json()["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned()
}

async fn change(app: &TestApp, id: &str, body: Value) -> Reply {
    let mut body = body;
    body["credentialId"] = id.into();
    app.call(
        Method::POST,
        "/credentials/status",
        Some(&app.token),
        Some(&body),
    )
    .await
}

async fn history(app: &TestApp, token: &str, id: &str) -> Reply {
    let uri = format!("/credentials/{}/history", urlencoding(id));
    app.call(Method::GET, &uri, Some(token), None).await
}

fn urlencoding(id: &str) -> String {
    id.replace(':', "%3A")
}

#[tokio::test]
async fn revocation_with_a_published_reason_is_in_the_history() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let id = vc["id"].as_str().unwrap();

    let fresh = history(&app, &app.token, id).await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.text());
    let fresh = fresh.json();
    assert_eq!(fresh["revoked"], false);
    assert_eq!(fresh["suspended"], false);
    assert_eq!(fresh["suspendable"], true);
    assert_eq!(fresh["events"], json!([]));

    let reply = change(
        &app,
        id,
        json!({"action": "suspend", "reason": "  Exam results under review  "}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["changed"], true);
    let reply = change(&app, id, json!({"action": "unsuspend"})).await;
    assert_eq!(reply.json()["changed"], true, "{}", reply.text());
    let reply = change(
        &app,
        id,
        json!({"action": "revoke", "reason": "Awarded in error", "publishReason": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["changed"], true);
    // Revoking again changes nothing and is not recorded twice.
    let reply = change(&app, id, json!({"action": "revoke", "reason": "again"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["changed"], false);

    let h = history(&app, &app.token, id).await.json();
    assert_eq!(h["credentialId"], id);
    assert_eq!(h["revoked"], true);
    assert_eq!(h["suspended"], false);
    let events = h["events"].as_array().unwrap();
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["suspend", "unsuspend", "revoke"]);
    assert_eq!(events[0]["reason"], "Exam results under review", "trimmed");
    assert_eq!(events[0]["publishReason"], false);
    assert!(events[1].get("reason").is_none());
    assert_eq!(events[2]["reason"], "Awarded in error");
    assert_eq!(events[2]["publishReason"], true);
    assert_eq!(events[2]["actor"], "szpu");
    assert_eq!(
        events[2]["at"],
        now().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    );

    let published = app.service.published_status(id).unwrap().unwrap();
    assert_eq!(published.state, PublishedState::Revoked);
    assert_eq!(published.since, Some(now()));
    assert_eq!(published.reason.as_deref(), Some("Awarded in error"));
}

#[tokio::test]
async fn an_unpublished_reason_stays_with_the_institution() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = change(
        &app,
        id,
        json!({"action": "suspend", "reason": "Disciplinary hearing pending"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let published = app.service.published_status(id).unwrap().unwrap();
    assert_eq!(published.state, PublishedState::Suspended);
    assert_eq!(published.since, Some(now()));
    assert_eq!(published.reason, None, "not published");
    // The institution still sees it.
    let h = history(&app, &app.token, id).await.json();
    assert_eq!(h["events"][0]["reason"], "Disciplinary hearing pending");
    // Lifted: nothing to show to employers.
    app.set_status(id, "unsuspend").await;
    assert_eq!(app.service.published_status(id).unwrap(), None);
    // Not on this node: nothing.
    assert_eq!(
        app.service.published_status("urn:uuid:elsewhere").unwrap(),
        None
    );
}

#[tokio::test]
async fn bad_reasons_are_refused_and_change_nothing() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let id = vc["id"].as_str().unwrap();

    let long = "x".repeat(501);
    let message = error(
        &change(&app, id, json!({"action": "revoke", "reason": long})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("501 characters"), "{message}");
    assert!(message.contains("at most 500"), "{message}");

    let message = error(
        &change(&app, id, json!({"action": "revoke", "publishReason": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("no reason"), "{message}");
    let message = error(
        &change(
            &app,
            id,
            json!({"action": "revoke", "reason": "  ", "publishReason": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("no reason"), "{message}");

    let message = error(
        &change(&app, id, json!({"action": "revoke", "reason": "bell\u{7}"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("plain text"), "{message}");

    // A reason that is not a string, or an unknown field: refused as a body that does not fit.
    let reply = change(&app, id, json!({"action": "revoke", "reason": 5})).await;
    assert!(error(&reply, StatusCode::UNPROCESSABLE_ENTITY).contains("reason"));
    let reply = change(&app, id, json!({"action": "revoke", "why": "x"})).await;
    assert!(error(&reply, StatusCode::UNPROCESSABLE_ENTITY).contains("why"));

    // Exactly 500 characters (multi-byte ones count as one) is fine.
    let h = history(&app, &app.token, id).await.json();
    assert_eq!(h["revoked"], false, "nothing was changed by the refusals");
    assert_eq!(h["events"], json!([]));
    let max = "é".repeat(500);
    let reply = change(&app, id, json!({"action": "revoke", "reason": max})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn history_is_the_issuing_institutions_only() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let id = vc["id"].as_str().unwrap();
    let other = app.register("gdpt", "did-key");

    let message = error(&history(&app, &other, id).await, StatusCode::NOT_FOUND);
    let unknown = error(
        &history(&app, &other, "urn:uuid:nope").await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(
        message.replace(id, "ID"),
        unknown.replace("urn:uuid:nope", "ID"),
        "another institution's credential answers as an unknown one"
    );
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{}/history", urlencoding(id)),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text());
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{}/history", urlencoding(id)),
            Some("not-a-token"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text());

    // Nor can another institution revoke it, with or without a reason.
    let body = json!({"credentialId": id, "action": "revoke", "reason": "x"});
    let reply = app
        .call(
            Method::POST,
            "/credentials/status",
            Some(&other),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text());
    assert!(app.service.published_status(id).unwrap().is_none());
}

#[tokio::test]
async fn the_console_names_the_person_who_acted() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let id = vc["id"].as_str().unwrap();
    let szpu = app.service.institution("szpu").unwrap();
    let change = StatusChange {
        action: StatusAction::Suspend,
        reason: Some("Certificate reported stolen".into()),
        publish_reason: true,
    };
    let changed = app
        .service
        .set_status_by(&szpu, id, change.clone(), "console:alice")
        .await
        .unwrap();
    assert!(changed);
    let h = app.service.status_history(&szpu, id).unwrap();
    assert!(h.suspended && !h.revoked);
    assert_eq!(h.events.len(), 1);
    assert_eq!(h.events[0].actor, "console:alice");
    assert_eq!(h.events[0].action, "suspend");
    let audit = app.store.audit(Some("szpu"), 1).unwrap();
    assert_eq!(audit[0].actor, "console:alice");
    assert_eq!(audit[0].action, "suspend");

    // Revoked is permanent: suspending or lifting is refused and recorded nowhere.
    app.service
        .set_status(&szpu, id, StatusAction::Revoke)
        .await
        .unwrap();
    let refused = app
        .service
        .set_status(&szpu, id, StatusAction::Unsuspend)
        .await;
    assert!(
        matches!(refused, Err(ServiceError::Conflict(_))),
        "{refused:?}"
    );
    let h = app.service.status_history(&szpu, id).unwrap();
    let actions: Vec<&str> = h.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["suspend", "revoke"]);
    let published = app.service.published_status(id).unwrap().unwrap();
    assert_eq!(published.state, PublishedState::Revoked);
    assert_eq!(published.reason, None, "the revocation had no reason");
}

#[tokio::test]
async fn verification_reports_carry_the_date_and_the_published_reason() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let id = vc["id"].as_str().unwrap();
    let verify = |doc: Value| {
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/credentials/verify",
                None,
                Some(&json!({ "verifiableCredential": doc })),
            )
            .await
        }
    };
    let fine = verify(vc.clone()).await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.text());
    assert!(fine.json().get("statusDetail").is_none());

    let reply = change(
        &app,
        id,
        json!({"action": "revoke", "reason": "Awarded in error", "publishReason": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let revoked = verify(vc.clone()).await;
    assert_eq!(revoked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = revoked.json();
    assert_eq!(body["verified"], false);
    assert_eq!(
        body["statusDetail"],
        json!({
            "state": "revoked",
            "since": now().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "reason": "Awarded in error",
        })
    );

    // A document that only names the stored id (another proof) learns nothing.
    let mut other = vc.clone();
    other["proof"][0]["proofValue"] = "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk".into();
    let body = verify(other).await.json();
    assert!(body.get("statusDetail").is_none(), "{body}");
}

/// Issue 15: registering answers whether the institution is in the trust registry, and how to
/// add it (until then its credentials show "Issuer unknown").
#[tokio::test]
async fn registration_says_whether_the_institution_is_in_the_registry() {
    let app = TestApp::new();
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions",
            Some(common::app::ADMIN_TOKEN),
            Some(&json!({"id": "ptuo", "name": "Politeknik Ungku Omar", "country": "MY", "framework": "MQF"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["registry"]["inRegistry"], false, "{body:#}");
    let note = body["registry"]["note"].as_str().unwrap();
    assert!(note.contains("Issuer unknown"), "{note}");
    assert!(note.contains("PUT /admin/registry/members/ptuo"), "{note}");
    assert!(
        note.contains(body["institution"]["did"].as_str().unwrap()),
        "{note}"
    );

    // A did:web DID the alliance listed ahead of registration is in the registry at once.
    let did = "did:web:skillpass.test:institutions:kpm";
    let member = json!({
        "name": "Kolej Komuniti", "country": "MY", "dids": [did], "framework": "MQF",
        "qualityAssurance": {"body": "MQA", "status": "accredited"},
        "validFrom": "2020-01-01T00:00:00Z",
    });
    let put = app
        .call(
            Method::PUT,
            "/admin/registry/members/kpm",
            Some(common::app::ADMIN_TOKEN),
            Some(&member),
        )
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.text());
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions",
            Some(common::app::ADMIN_TOKEN),
            Some(&json!({"id": "kpm", "name": "Kolej Komuniti", "country": "MY", "framework": "MQF", "didMethod": "did-web"})),
        )
        .await;
    let body = reply.json();
    assert_eq!(body["institution"]["did"], did, "{body:#}");
    assert_eq!(
        body["registry"],
        json!({"inRegistry": true, "member": "kpm"})
    );
}

async fn employer_page(app: &TestApp, id: &str) -> String {
    let reply = app
        .call(Method::GET, &format!("/verify/{id}?lang=en"), None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.text()
}

#[tokio::test]
async fn the_employer_page_shows_since_when_and_only_a_published_reason() {
    let app = TestApp::new();
    let published = app.issue_example("szpu-nev-after-sales-service.json").await;
    let published = published["id"].as_str().unwrap();
    let reason = "Awarded in error <b>by the board</b>";
    let reply = change(
        &app,
        published,
        json!({"action": "revoke", "reason": reason, "publishReason": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = employer_page(&app, published).await;
    assert!(html.contains("<h1 id=\"verdict\">Revoked</h1>"), "{html}");
    assert!(html.contains("Revoked on "), "{html}");
    // The institution's words are shown as text, never as markup.
    assert!(
        html.contains("The institution&#39;s reason: ")
            || html.contains("The institution's reason: "),
        "{html}"
    );
    assert!(
        html.contains("Awarded in error &lt;b&gt;by the board&lt;/b&gt;")
            || html.contains("Awarded in error &#60;b&#62;by the board&#60;/b&#62;"),
        "{html}"
    );
    assert!(!html.contains("<b>by the board</b>"), "{html}");

    let kept = app.issue_example("szpu-3d-animation-production.json").await;
    let kept = kept["id"].as_str().unwrap();
    let reply = change(
        &app,
        kept,
        json!({"action": "suspend", "reason": "Exam results under review"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = employer_page(&app, kept).await;
    assert!(html.contains("<h1 id=\"verdict\">Suspended</h1>"), "{html}");
    assert!(html.contains("Suspended since "), "{html}");
    assert!(!html.contains("Exam results under review"), "{html}");
    assert!(
        !html.contains("The institution&#39;s reason")
            && !html.contains("The institution's reason"),
        "an unpublished reason leaves no trace: {html}"
    );

    // Lifted: the page no longer says since when.
    let reply = change(&app, kept, json!({"action": "unsuspend"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let html = employer_page(&app, kept).await;
    assert!(!html.contains("Suspended since"), "{html}");
}
