//! The printable certificate in Thai and Khmer in Debian's headless Chromium at A4 (issue 14):
//! the page is in the language asked for, no character of it lacks an installed font (it would
//! print as a box), a screenshot of the sheet at A4 size (96 dpi) shows something, and printed
//! to PDF it is still exactly one A4 page. The switch is on screen, not on paper.
//!
//! Needs `/usr/bin/chromium` and the fonts `.ci/run` installs; without them this test FAILS.

mod common;

use std::path::Path;

use common::app::TestApp;
use common::browser::{chromium, run_chromium, visible_text};
use common::fonts::Coverage;

/// A4 at 96 CSS pixels per inch: 210 × 297 mm.
const A4: (u32, u32) = (794, 1123);

fn serve(app: &TestApp) -> String {
    let router = app.router.clone();
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
    format!("http://{addr}")
}

/// Pages of a PDF Chromium wrote (its `/Type /Page` objects).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 11..].starts_with('s'))
        .count()
}

#[test]
fn the_certificate_prints_in_thai_and_khmer_with_every_glyph() {
    chromium();
    let fonts = Coverage::installed();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = TestApp::new();
    let vc = runtime.block_on(app.issue_example("szpu-nev-after-sales-multilingual.json"));
    let id = vc["id"].as_str().unwrap().to_owned();
    let base = serve(&app);
    let profile = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser_print");
    std::fs::create_dir_all(&shots).unwrap();
    for (tag, heading, name) in [
        ("th", "ประกาศนียบัตร", "บริการหลังการขายยานยนต์พลังงานใหม่"),
        ("km", "វិញ្ញាបនបត្រ", "សេវាក្រោយការលក់យានយន្តថាមពលថ្មី"),
    ] {
        let url = format!("{base}/credentials/{id}/certificate?lang={tag}");
        let dom = run_chromium(profile.path(), A4.0, A4.1, &["--dump-dom".into()], &url);
        assert!(dom.contains(&format!("<html lang=\"{tag}\">")), "{url}");
        let text = visible_text(&dom);
        assert!(
            text.contains(heading) && text.contains(name),
            "{url}: {text}"
        );
        // The learner's name in Lao script is on the sheet too.
        assert!(text.contains("ສຸກສະຫວັນ"), "{url}: {text}");
        let missing = fonts.missing(&text);
        assert!(
            missing.is_empty(),
            "{url}: no installed font has {missing:?} (they would print as boxes)"
        );

        let file = shots.join(format!("certificate-{tag}.png"));
        let _ = std::fs::remove_file(&file);
        run_chromium(
            profile.path(),
            A4.0,
            A4.1,
            &[format!("--screenshot={}", file.display())],
            &url,
        );
        let img = image::open(&file)
            .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", file.display()))
            .to_rgb8();
        assert_eq!((img.width(), img.height()), A4);
        let first = *img.get_pixel(0, 0);
        assert!(
            img.pixels().any(|p| *p != first),
            "{url}: a blank screenshot"
        );

        let pdf = shots.join(format!("certificate-{tag}.pdf"));
        let _ = std::fs::remove_file(&pdf);
        run_chromium(
            profile.path(),
            A4.0,
            A4.1,
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".to_owned(),
            ],
            &url,
        );
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{url}: not a PDF");
        assert_eq!(pdf_pages(&bytes), 1, "{url}: not one page");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("/MediaBox [0 0 595") || raw.contains("/MediaBox [0 0 594"),
            "{url}: not A4"
        );
        eprintln!(
            "certificate {tag}: {} (and .pdf, one A4 page)",
            file.display()
        );
    }
}

/// The badge's fonts: every family its SVG names is installed (fontconfig), and Chromium
/// draws the Thai and Khmer badges with no character lacking a font.
#[test]
fn the_badges_fonts_are_installed_and_cover_its_words() {
    chromium();
    let fonts = Coverage::installed();
    let families = std::process::Command::new("fc-list")
        .args([":", "family"])
        .output()
        .expect("fc-list (fontconfig)");
    let families = String::from_utf8(families.stdout).unwrap();
    let installed: Vec<&str> = families
        .lines()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = TestApp::new();
    let vc = runtime.block_on(app.issue_example("szpu-nev-after-sales-multilingual.json"));
    let id = vc["id"].as_str().unwrap().to_owned();
    let base = serve(&app);
    let profile = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser_print");
    std::fs::create_dir_all(&shots).unwrap();
    for tag in ["th", "km", "lo", "zh-Hans"] {
        let url = format!("{base}/credentials/{id}/badge.svg?lang={tag}");
        let svg = runtime.block_on(async {
            let reply = app
                .call(axum::http::Method::GET, &url[base.len()..], None, None)
                .await;
            reply.text()
        });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let list = doc.root_element().attribute("font-family").unwrap();
        for family in list.split(',').map(|f| f.trim().trim_matches('\'')) {
            if matches!(family, "system-ui" | "sans-serif") {
                continue;
            }
            assert!(
                installed.contains(&family),
                "{family} (in the badge's font list) is not installed: .ci/run must install it"
            );
        }
        let words: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        let missing = fonts.missing(&words);
        assert!(missing.is_empty(), "{tag}: no font has {missing:?}");

        let file = shots.join(format!("badge-{tag}.png"));
        let _ = std::fs::remove_file(&file);
        run_chromium(
            profile.path(),
            400,
            400,
            &[format!("--screenshot={}", file.display())],
            &url,
        );
        let img = image::open(&file).unwrap().to_rgb8();
        let first = *img.get_pixel(0, 0);
        assert!(img.pixels().any(|p| *p != first), "{url}: blank");
        eprintln!("badge {tag}: {}", file.display());
    }
}
