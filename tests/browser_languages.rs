//! The employer page and the claim page in each of the service's languages, in Debian's
//! headless Chromium at phone size (390 × 844): a screenshot per language and page, nothing
//! wider than the screen, Thai, Lao and Khmer lines broken between words (never inside one),
//! and no character on a page without an installed font (it would show as a missing-glyph box).
//!
//! Needs `/usr/bin/chromium` and the fonts `.ci/run` installs (fonts-noto-core, fonts-noto-cjk,
//! fonts-thai-tlwg, fonts-lao, fonts-khmeros); without them this test FAILS, never skips.

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;

use axum::response::Html;
use axum::routing::get;
use common::app::TestApp;
use common::browser::{
    chromium, footer_probe, measure, run_chromium, screenshot, screenshots_dir, visible_text,
    ProbeLoad,
};
use common::fonts::Coverage;
use skillpass::i18n::Lang;
use skillpass::wallet::offer::{self, OfferOptions};

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

#[test]
fn the_glyph_check_fails_on_a_character_no_font_has() {
    let fonts = Coverage::installed();
    // A private-use code point of plane 16: no font in Debian's packages draws it.
    let uncovered = '\u{10FFFD}';
    assert_eq!(
        fonts.missing(&format!("ok {uncovered} ok")),
        BTreeSet::from([uncovered])
    );
    // The format itself: a font covering only Latin letters lacks Thai.
    let latin = Coverage::parse("20-7e a0-17f");
    assert_eq!(latin.missing("Aก"), BTreeSet::from(['ก']));
    // And each script of the service has a font here (the packages .ci/run installs).
    for (script, sample) in [
        ("Chinese", "证书真实有效"),
        ("Thai", "ของจริง"),
        ("Lao", "ໃບຢັ້ງຢືນ"),
        ("Khmer", "វិញ្ញាបនបត្រ"),
        ("Malay", "Dikeluarkan oleh"),
    ] {
        assert!(
            fonts.missing(sample).is_empty(),
            "no installed font for {script}: {:?} (install fonts-noto-core fonts-noto-cjk \
             fonts-thai-tlwg fonts-lao fonts-khmeros)",
            fonts.missing(sample)
        );
    }
}

/// The test app served on a loopback port, with a probe page beside it that measures a page
/// in an iframe of phone width (the pages themselves run no script: their CSP forbids it).
fn serve(app: &TestApp) -> SocketAddr {
    let router = app.router.clone().route("/__probe", get(probe));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    addr
}

/// The footer probe of [`common::browser::footer_probe`], loading the page into an iframe of
/// phone size (the pages themselves run no script: their CSP forbids it).
async fn probe() -> Html<String> {
    Html(footer_probe(WIDTH, HEIGHT, ProbeLoad::Frame))
}

#[test]
fn every_language_reads_on_a_phone() {
    chromium();
    let fonts = Coverage::installed();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = TestApp::new();
    let vc = runtime.block_on(app.issue_example("szpu-3d-animation-production.json"));
    let credential = vc["id"].as_str().unwrap().to_owned();
    // A credential for a learner without a wallet yet: the one offered on the claim page.
    let offered = runtime.block_on(app.issue_example("my-diploma-furniture-production.json"));
    let offered = offered["id"].as_str().unwrap().to_owned();
    let institution = app.store.get_institution("szpu").unwrap().unwrap();
    let new_offer = runtime
        .block_on(offer::create(
            &app.service,
            &Default::default(),
            &institution,
            &offered,
            &OfferOptions {
                tx_code: false,
                expires: None,
                keep_identifier: false,
            },
        ))
        .unwrap();
    let addr = serve(&app);
    let base = format!("http://{addr}");
    let profile = tempfile::tempdir().unwrap();
    let shots = screenshots_dir("browser_languages");
    let pages = [
        ("employer", format!("/verify/{credential}")),
        ("claim", format!("/claim/{}", new_offer.offer.id)),
    ];
    for lang in Lang::ALL {
        for (name, path) in &pages {
            let url = format!("{base}{path}?lang={}", lang.tag());
            let dom = run_chromium(profile.path(), WIDTH, HEIGHT, &["--dump-dom".into()], &url);
            assert!(
                dom.contains(&format!("<html lang=\"{}\">", lang.tag())),
                "{url}"
            );
            let text = visible_text(&dom);
            // The page is in its language: its footer, in that language's words.
            let footer = lang.t(&format!("{name}-footer"));
            assert!(text.contains(&footer), "{url}: {footer}");
            let missing = fonts.missing(&text);
            assert!(
                missing.is_empty(),
                "{url}: no installed font has {missing:?} (they would show as boxes)"
            );

            let file = shots.join(format!("{name}-{}.png", lang.tag()));
            let img = screenshot(profile.path(), WIDTH, HEIGHT, &url, &file);
            // Something is drawn: the page is not one flat colour.
            let first = *img.get_pixel(0, 0);
            assert!(
                img.pixels().any(|p| *p != first),
                "{url}: a blank screenshot"
            );

            let probe = measure(
                profile.path(),
                &format!("{base}/__probe"),
                &format!("{path}?lang={}", lang.tag()),
            );
            assert_eq!(probe.lang, lang.tag(), "{url}: the probe read another page");
            assert!(
                probe.scroll_width <= probe.client_width,
                "{url} is {} px wide on a {} px screen",
                probe.scroll_width,
                probe.client_width
            );
            if *name == "employer" {
                // The footer is a long sentence: on a phone it takes several lines, broken
                // between words also where the script writes no spaces.
                assert!(probe.lines >= 3, "{url}: {} lines", probe.lines);
                assert!(
                    probe.bad.is_empty(),
                    "{url}: lines broken inside words: {:?}",
                    probe.bad
                );
            }
            eprintln!(
                "{name} {}: {} lines in the footer, width {}/{}",
                lang.tag(),
                probe.lines,
                probe.scroll_width,
                probe.client_width
            );
        }
    }
    eprintln!("screenshots: {}", shots.display());
}
