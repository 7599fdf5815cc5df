//! The operator registers an institution from the console (`POST /console/institutions`):
//! with the alliance registry in the same step or without it (then the page says plainly that
//! employers see "Issuer unknown", with the form to add it); the API token is shown once and
//! works; refusals show the form again; nobody but an operator may register, and never
//! without the CSRF token.

mod common;

use axum::http::{header, Method, StatusCode};
use common::app::TestApp;
use common::console::{get, post_form, sign_in, staff};

/// The registration form's fields for `id`, with the registry ticked or not.
fn fields<'a>(csrf: &'a str, id: &'a str, registry: bool) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("csrf", csrf),
        ("id", id),
        ("name", "Politeknik Ungku Omar"),
        ("country", "my"),
        ("url", "https://puo.mypolycc.edu.my"),
        ("framework", "MQF"),
        ("did", "did-key"),
        ("body", "Malaysian Qualifications Agency"),
        ("status", "accredited"),
        ("reference", "MQA/PA 1234"),
    ];
    if registry {
        f.push(("registry", "on"));
    }
    f
}

/// The text of the element with `id="{id}"`.
fn element(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in {html}"))
        + id.len()
        + 6;
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn an_operator_registers_an_institution_into_the_registry_and_the_token_shows_once() {
    let app = TestApp::new();
    staff(&app, "op@node.test", None, "operator").await;
    let op = sign_in(&app, "op@node.test").await;
    let page = get(&app, "/console", Some(&op.cookie)).await.text();
    assert!(page.contains("id=\"register-form\""), "{page}");
    assert!(
        page.contains("name=\"registry\" id=\"reg-registry\" checked"),
        "the registry box is ticked to begin with: {page}"
    );

    let reply = post_form(
        &app,
        "/console/institutions",
        Some(&op.cookie),
        &fields(&op.csrf, "puo", true),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let text = reply.text();
    assert!(
        text.contains("Politeknik Ungku Omar is registered"),
        "{text}"
    );
    assert!(text.contains("id=\"listed\""), "{text}");
    assert!(!text.contains("Issuer unknown"), "{text}");
    let token = element(&text, "token");
    assert_eq!(token.len(), 64, "{token}");

    // Registered as the admin API registers: country, URL, framework, QA body; a did:key DID.
    let puo = app.store.get_institution("puo").unwrap().unwrap();
    assert_eq!(puo.country, "MY");
    assert_eq!(puo.url.as_deref(), Some("https://puo.mypolycc.edu.my"));
    assert_eq!(puo.framework, "MQF");
    assert_eq!(
        puo.quality_assurance.as_deref(),
        Some("Malaysian Qualifications Agency")
    );
    assert!(puo.did.starts_with("did:key:"));
    assert_eq!(element(&text, "did"), puo.did);
    // In the registry, in the same step.
    let member = app.store.get_member("puo").unwrap().unwrap();
    assert_eq!(member.dids, vec![puo.did.clone()]);
    assert_eq!(
        member.quality_assurance.reference.as_deref(),
        Some("MQA/PA 1234")
    );

    // The token works with the API.
    let reply = app
        .call(Method::GET, "/credentials", Some(&token), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    // And is shown nowhere else: not on the operator's page, not in the audit trail.
    let page = get(&app, "/console", Some(&op.cookie)).await.text();
    assert!(page.contains("Politeknik Ungku Omar") && !page.contains(&token));
    let audit = get(&app, "/console/audit", Some(&op.cookie)).await.text();
    assert!(!audit.contains(&token));
    assert!(
        audit.contains("register") && audit.contains("<bdi>op@node.test</bdi>"),
        "{audit}"
    );
    let trail = app.store.audit(None, 100).unwrap();
    assert!(trail.iter().all(|e| !format!("{e:?}").contains(&token)));
    let account = app.store.get_staff("op@node.test").unwrap().unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == "register" && e.actor == format!("console:{}", account.id)));
    assert!(trail.iter().any(|e| e.action == "registry-put"));

    // The same id again: refused (409), the form comes back with what was typed.
    let reply = post_form(
        &app,
        "/console/institutions",
        Some(&op.cookie),
        &fields(&op.csrf, "puo", true),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
    let text = reply.text();
    assert!(
        text.contains("The institution could not be registered.")
            && text.contains("id=\"problem\""),
        "{text}"
    );
    assert!(text.contains("value=\"Politeknik Ungku Omar\""), "{text}");
}

#[tokio::test]
async fn without_the_registry_the_page_says_issuer_unknown_and_offers_to_add_it() {
    let app = TestApp::new();
    staff(&app, "op@node.test", None, "operator").await;
    let op = sign_in(&app, "op@node.test").await;
    let mut f = fields(&op.csrf, "ptuo", false);
    f.retain(|(k, _)| *k != "did");
    f.push(("did", "did-web"));
    let reply = post_form(&app, "/console/institutions", Some(&op.cookie), &f).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let text = reply.text();
    assert!(
        text.contains("It is not in the alliance registry: employers will see its credentials as &quot;Issuer unknown&quot; until it is added."),
        "{text}"
    );
    assert!(
        text.contains("id=\"registry-ptuo\""),
        "the form to add it: {text}"
    );
    assert!(element(&text, "token").len() == 64);
    let ptuo = app.store.get_institution("ptuo").unwrap().unwrap();
    assert_eq!(ptuo.did, "did:web:skillpass.test:institutions:ptuo");
    assert!(app.store.find_member_by_did(&ptuo.did).unwrap().is_none());

    // The button on that page adds it.
    let reply = post_form(
        &app,
        "/console/institutions/ptuo/registry",
        Some(&op.cookie),
        &[
            ("csrf", &op.csrf),
            ("body", "Malaysian Qualifications Agency"),
            ("status", "provisional"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert!(app.store.find_member_by_did(&ptuo.did).unwrap().is_some());
}

#[tokio::test]
async fn bad_registrations_are_refused_and_register_nothing() {
    let app = TestApp::new();
    staff(&app, "op@node.test", None, "operator").await;
    staff(&app, "registrar@szpu.test", Some("szpu"), "registrar").await;
    let op = sign_in(&app, "op@node.test").await;
    let before = app.store.list_institutions().unwrap().len();

    // A registrar may not register; nor may anyone without the CSRF token.
    let registrar = sign_in(&app, "registrar@szpu.test").await;
    let reply = post_form(
        &app,
        "/console/institutions",
        Some(&registrar.cookie),
        &fields(&registrar.csrf, "nope", true),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    for csrf in ["", "forged", registrar.csrf.as_str()] {
        let reply = post_form(
            &app,
            "/console/institutions",
            Some(&op.cookie),
            &fields(csrf, "nope", true),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{csrf:?}");
    }

    // Bad data: the form again (422), saying what is wrong.
    let cases: Vec<(&str, &str, &str)> = vec![
        ("id", "Not A Slug", "The short id may hold only"),
        ("country", "Malaysia", "ISO 3166-1 alpha-2"),
        ("url", "ftp://puo.example", "could not be registered"),
        ("framework", " ", "Name the qualifications framework"),
        ("name", " ", "name must not be empty"),
        ("body", " ", "Name the quality-assurance body"),
    ];
    for (field, value, says) in cases {
        let mut f = fields(&op.csrf, "puo", true);
        for pair in f.iter_mut() {
            if pair.0 == field {
                pair.1 = value;
            }
        }
        let reply = post_form(&app, "/console/institutions", Some(&op.cookie), &f).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let text = reply.text();
        assert!(text.contains(says), "{field}: {text}");
        assert!(text.contains("id=\"register-form\""), "{field}");
    }
    assert_eq!(app.store.list_institutions().unwrap().len(), before);
    assert!(app.store.get_member("puo").unwrap().is_none());
}
