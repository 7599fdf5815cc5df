//! The passport and share pages in a real browser: the service on a loopback port (in this
//! process, so the test can make offers and drive forms through the same router), and
//! Debian's headless Chromium at a 390 × 844 phone size. Chromium signs in through a form on
//! the same origin (its own cookies), then reads the passport page: the claimed credential with
//! its level in words, its status now and the share form. The share page shows the credential
//! checked, the learner's signature and the note, and what it means in the reader's framework;
//! after the learner withdraws the share, the same link shows that it does not work and
//! nothing about the learner. No page has a script.
//!
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::routing::get;
use chrono::Utc;
use common::browser::{chromium, run_chromium, visible_text};
use common::passport::{after, serve, sign_in_in_browser, sign_in_probe};
use skillpass::service::FixedClock;

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;
const NAME: &str = "nurul-aisyah";
const PASS: &str = "kampung baru 2026";

#[test]
fn passport_page_share_page_and_withdraw_then_gone() {
    chromium();
    let served = serve(Arc::new(FixedClock(Utc::now())), |router| {
        router.route(
            "/__test/signin",
            get(|| async { sign_in_probe(NAME, PASS) }),
        )
    });
    let base = served.base.clone();

    // A Malaysian college in the alliance registry, and a diploma offered to its learner.
    let offered = served.offer_diploma();
    let learner = offered.learner.clone();

    // The learner creates a passport from the claim page's button; the claim goes through.
    let jar = served.create_with_claim(NAME, PASS, &offered);

    // Chromium signs in and reads the passport page.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let dom = sign_in_in_browser(&profile, &base, WIDTH, HEIGHT);
    let text = visible_text(&dom);
    assert!(text.contains("My skillpass passport"), "{text}");
    assert!(text.contains("Furniture Production Technology"), "{text}");
    assert!(text.contains("MQF level 4 — Diploma"), "{text}");
    assert!(text.contains("Status now: Genuine"), "{text}");
    assert!(text.contains("Make a share link"), "{text}");
    assert!(!dom.contains("<script"), "the passport page has no script");
    // Each credential has "Remove from my passport", folded behind its warning, whose button
    // submits a form of its own (outside the share form) with the session's CSRF token.
    assert!(text.contains("Remove from my passport"), "{text}");
    let entry = after(&dom, "name=\"credential\" value=\"", '"');
    assert!(dom.contains(&format!("form=\"remove-{entry}\"")), "{dom}");
    let remove_form = after(
        &dom,
        &format!("action=\"/passport/credentials/{entry}/remove\""),
        '>',
    );
    assert!(
        remove_form.contains(&format!("id=\"remove-{entry}\"")),
        "{dom}"
    );

    // The learner shares it with a note (through the same router, with the same session).
    let (shared, csrf) = served.share(&jar, Some("For the workshop job"));
    let url = after(&shared.text, "id=\"new-share-link\" href=\"", '"');
    assert!(url.starts_with(&format!("{base}/share/")), "{url}");

    // The employer opens the link in a browser of their own.
    let employer = dir.path().join("employer");
    let dom = run_chromium(
        &employer,
        WIDTH,
        HEIGHT,
        &["--dump-dom".to_owned()],
        &format!("{url}?framework=EQF"),
    );
    let text = visible_text(&dom);
    assert!(text.contains("Shared credentials"), "{text}");
    assert!(text.contains("Furniture Production Technology"), "{text}");
    assert!(text.contains(&learner), "{text}");
    assert!(text.contains("The learner signed this set"), "{text}");
    assert!(text.contains("For the workshop job"), "{text}");
    assert!(text.contains("What this means here"), "{text}");
    assert!(text.contains("Level here"), "{text}");
    assert!(!dom.contains("<script"), "the share page has no script");

    // The learner withdraws it; the same link now shows nothing about them.
    let share_id = after(&shared.text, "action=\"/passport/shares/", '/');
    let withdrawn = served.call(
        Method::POST,
        &format!("/passport/shares/{share_id}/withdraw"),
        &jar,
        &format!("csrf={csrf}"),
    );
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.text
    );
    let dom = run_chromium(&employer, WIDTH, HEIGHT, &["--dump-dom".to_owned()], &url);
    let text = visible_text(&dom);
    assert!(text.contains("This link does not work"), "{text}");
    assert!(
        !text.contains(&learner) && !text.contains("Furniture") && !text.contains("workshop"),
        "{text}"
    );
    // The passport page in the learner's browser shows the share as withdrawn.
    let dom = run_chromium(
        &profile,
        WIDTH,
        HEIGHT,
        &["--dump-dom".to_owned()],
        &format!("{base}/passport"),
    );
    let text = visible_text(&dom);
    assert!(text.contains("withdrawn"), "{text}");
    assert!(text.contains("Opened: "), "{text}");
    drop(served);
}
