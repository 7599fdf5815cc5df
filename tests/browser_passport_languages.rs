//! The signed-in passport page in each of the service's six languages, in Debian's headless
//! Chromium at a small phone's size (360 × 800): Chromium signs in through the passport's own
//! form (its own cookies), then opens `/passport?lang=…` for each language. Each page is in its
//! language (`<html lang>`, its title, the level in words, the date the credential was added,
//! the share's end date), no character lacks an installed font (it would show as a box), a
//! screenshot is drawn, nothing is wider than the screen, and the footer's lines break
//! between words also in Thai, Lao and Khmer.
//!
//! Widths are measured by a probe page on the same origin that fetches the passport page with
//! the browser's cookies and lays it out in a 360 px `srcdoc` frame (the passport itself may
//! not be framed: `frame-ancestors 'none'`).
//!
//! Needs `/usr/bin/chromium` and the fonts `.ci/run` installs; without them this test FAILS.

mod common;

use std::sync::Arc;

use axum::response::Html;
use axum::routing::get;
use chrono::{TimeZone, Utc};
use common::browser::{
    chromium, footer_probe, measure, run_chromium, screenshot, screenshots_dir, visible_text,
    ProbeLoad,
};
use common::fonts::Coverage;
use common::passport::{serve, sign_in_in_browser, sign_in_probe};
use skillpass::i18n::{date, Lang};
use skillpass::service::FixedClock;

const WIDTH: u32 = 360;
const HEIGHT: u32 = 800;
const NAME: &str = "siti-languages";
const PASS: &str = "kampung baru 2026";

/// The footer probe of [`common::browser::footer_probe`], fetching the passport page with the
/// browser's cookies into a `srcdoc` frame of phone width.
async fn width_probe() -> Html<String> {
    Html(footer_probe(WIDTH, HEIGHT, ProbeLoad::Fetch))
}

#[test]
fn the_passport_page_reads_on_a_phone_in_every_language() {
    chromium();
    let fonts = Coverage::installed();
    // 7 December 2026, 08:05 UTC: the day the credential is added, and the share runs a month.
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 8, 5, 0).unwrap();
    let served = serve(Arc::new(FixedClock(now)), |router| {
        router
            .route(
                "/__test/signin",
                get(|| async { sign_in_probe(NAME, PASS) }),
            )
            .route("/__test/width", get(width_probe))
    });
    let base = served.base.clone();

    // A Malaysian college in the alliance registry, and a diploma offered to its learner.
    let offered = served.offer_diploma();

    // The learner creates a passport with the claim, and shares the credential for 30 days.
    let jar = served.create_with_claim(NAME, PASS, &offered);
    served.share(&jar, None);

    // Chromium signs in with its own profile.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let dom = sign_in_in_browser(&profile, &base, WIDTH, HEIGHT);
    assert!(dom.contains("id=\"holder\""), "not signed in: {dom}");

    let shots = screenshots_dir("browser_passport_languages");
    for lang in Lang::ALL {
        let path = format!("/passport?lang={}", lang.tag());
        let url = format!("{base}{path}");
        let dom = run_chromium(&profile, WIDTH, HEIGHT, &["--dump-dom".into()], &url);
        assert!(
            dom.contains(&format!("<html lang=\"{}\">", lang.tag())),
            "{url}: {dom}"
        );
        let text = visible_text(&dom);
        for id in [
            "passport-title",
            "passport-credentials-title",
            "passport-share-make",
            "passport-footer",
        ] {
            assert!(text.contains(&lang.t(id)), "{url}: {id} in {text}");
        }
        assert!(text.contains("Furniture Production Technology"), "{text}");
        // The level and the dates in the page's language (Thai: Buddhist era).
        let level = lang.t_args(
            "passport-level-named",
            &[
                ("framework", "MQF".into()),
                ("code", "4".into()),
                ("name", "Diploma".into()),
            ],
        );
        assert!(text.contains(&level), "{url}: {level} in {text}");
        let added = date::long_date(lang, now.date_naive());
        assert!(text.contains(&added), "{url}: {added} in {text}");
        let until = date::date_time(lang, now + chrono::Duration::days(30));
        assert!(text.contains(&until), "{url}: {until} in {text}");
        if lang == Lang::Th {
            assert!(text.contains("พ.ศ. 2569"), "{text}");
        }
        if lang != Lang::En {
            assert!(!text.contains("My credentials"), "{url}: English left");
        }
        let missing = fonts.missing(&text);
        assert!(
            missing.is_empty(),
            "{url}: no installed font has {missing:?} (they would show as boxes)"
        );

        let file = shots.join(format!("passport-{}.png", lang.tag()));
        let img = screenshot(&profile, WIDTH, HEIGHT, &url, &file);
        let first = *img.get_pixel(0, 0);
        assert!(
            img.pixels().any(|p| *p != first),
            "{url}: a blank screenshot"
        );

        let probe = measure(&profile, &format!("{base}/__test/width"), &path);
        assert_eq!(probe.lang, lang.tag(), "{url}: the probe read another page");
        assert!(
            probe.scroll_width <= probe.client_width,
            "{url} is {} px wide on a {} px screen",
            probe.scroll_width,
            probe.client_width
        );
        assert!(
            probe.bad.is_empty(),
            "{url}: footer lines broken inside words: {:?}",
            probe.bad
        );
        eprintln!(
            "passport {}: width {}/{}, footer {} lines",
            lang.tag(),
            probe.scroll_width,
            probe.client_width,
            probe.lines
        );
    }
    eprintln!("screenshots: {}", shots.display());
    drop(served);
}
