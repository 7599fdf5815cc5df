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

use common::browser::{chromium, visible_text};
use common::console::{csrf, serve_console, Profile, Served};
use skillpass::console::Role;
use skillpass::service::Issuance;
use skillpass::store::Institution;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;
const REASON: &str = "Assessment evidence was found to be copied";

fn console_path(id: &str) -> String {
    format!("/console/credentials/{id}")
}

/// Issues the example record `file` as `institution`, suspendable; answers its id.
fn issue(server: &Served, institution: &Institution, file: &str) -> String {
    let issuance = Issuance {
        suspendable: true,
        ..Default::default()
    };
    server.issue_with(institution, file, issuance, |_| {})
}

/// One person's Chromium at the desktop size.
fn browser(dir: &std::path::Path, name: &str) -> Profile {
    Profile::new(dir, name, "browser_console", WIDTH, HEIGHT)
}

#[test]
fn a_registrar_signs_in_searches_and_revokes_and_employers_see_it() {
    chromium();
    let server = serve_console(|router| router);
    let szpu = server.institution("szpu", "Shenzhen Polytechnic University", "CN");
    let chen = issue(&server, &szpu, "szpu-3d-animation-production.json");
    let _lao = issue(&server, &szpu, "szpu-nev-after-sales-service.json");
    server.staff("registrar@szpu.test", Some("szpu"), Role::Registrar);

    let dir = tempfile::tempdir().unwrap();
    let registrar = browser(dir.path(), "registrar");

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
    let dom = registrar.sign_in(&server, "registrar@szpu.test");
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
    let employer = browser(dir.path(), "employer");
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
    let server = serve_console(|router| router);
    let szpu = server.institution("szpu", "Shenzhen Polytechnic University", "CN");
    server.institution("gdpt", "Guangdong Polytechnic", "CN");
    let chen = issue(&server, &szpu, "szpu-3d-animation-production.json");
    server.staff("viewer@szpu.test", Some("szpu"), Role::Viewer);
    server.staff("registrar@gdpt.test", Some("gdpt"), Role::Registrar);
    let dir = tempfile::tempdir().unwrap();
    let sign_in = |browser: &Profile, email: &str| {
        let dom = browser.sign_in(&server, email);
        assert!(visible_text(&dom).contains("Dashboard"), "{dom}");
    };
    let target = format!("{}/status", console_path(&chen));

    let viewer = browser(dir.path(), "viewer");
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

    let other = browser(dir.path(), "other");
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
