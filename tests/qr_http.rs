//! QR codes of a credential's employer page: `GET /credentials/{id}/qr.svg` and `/qr.png`
//! (decoded with `rqrr`, an independent decoder), and `skillpass qr --url`.

mod common;

use std::process::Command;

use axum::http::{header, Method, StatusCode};
use common::app::{TestApp, PUBLIC_URL};

/// Decodes the only QR code in a PNG.
fn decode_png(png: &[u8]) -> String {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("PNG decodes")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let decoded: Vec<String> = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, content)| content))
        .collect();
    assert_eq!(decoded.len(), 1, "expected exactly one QR code");
    decoded.into_iter().next().unwrap()
}

#[tokio::test]
async fn png_decodes_to_exactly_the_verify_url() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{id}/qr.png"),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(
        reply.headers[header::CACHE_CONTROL],
        "public, max-age=86400"
    );
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let url = decode_png(&reply.body);
    assert_eq!(url, format!("{PUBLIC_URL}/verify/{id}"));
    assert_eq!(url, app.service.verify_page_url(id));

    // The URL it carries leads to the employer page of this very credential.
    let path = url.strip_prefix(PUBLIC_URL).unwrap();
    let page = app
        .call(Method::GET, &format!("{path}?lang=en"), None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<h1 id=\"verdict\">Genuine</h1>"));
}

#[tokio::test]
async fn svg_is_the_same_code_as_an_svg_document() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{id}/qr.svg"),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert_eq!(
        reply.headers[header::CACHE_CONTROL],
        "public, max-age=86400"
    );
    let svg = reply.text();
    assert!(svg.starts_with("<?xml"), "{svg}");
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("<script"));
    // Byte for byte the rendering of the verify URL (whose decoding tests/qr_decode.rs checks).
    let expected = skillpass::qr::svg(&format!("{PUBLIC_URL}/verify/{id}")).unwrap();
    assert_eq!(svg, expected);
    let other = skillpass::qr::svg(&format!("{PUBLIC_URL}/verify/{id}x")).unwrap();
    assert_ne!(svg, other, "a different URL draws a different code");
}

#[tokio::test]
async fn unknown_credentials_get_the_404_envelope() {
    let app = TestApp::new();
    for path in [
        "/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/qr.png",
        "/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/qr.svg",
        "/credentials/nothing-here/qr.svg",
    ] {
        let reply = app.call(Method::GET, path, None, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        let body = reply.json();
        assert_eq!(body["error"]["status"], 404);
        assert_eq!(body["error"]["code"], "not_found");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("credential not found"));
        assert!(
            reply.headers.get(header::CACHE_CONTROL).is_none(),
            "a 404 is not cached for a day"
        );
    }
}

#[tokio::test]
async fn qr_codes_need_no_token_but_other_formats_are_not_served() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{id}/qr.gif"),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["error"]["code"], "not_found");
    // The credential itself stays private to its issuer.
    let reply = app
        .call(Method::GET, &format!("/credentials/{id}"), None, None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

fn skillpass(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(args)
        .output()
        .expect("run skillpass")
}

const URL: &str =
    "https://skillpass.example.edu/verify/urn:uuid:3f1c2a9e-8b7d-4e6f-9a1b-2c3d4e5f6a7b";

#[test]
fn cli_prints_the_svg_by_default() {
    let out = skillpass(&["qr", "--url", URL]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        skillpass::qr::svg(URL).unwrap()
    );
}

#[test]
fn cli_writes_a_png_that_decodes_to_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("qr.png");
    let out = skillpass(&["qr", "--url", URL, "--png", "--out", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(decode_png(&std::fs::read(&file).unwrap()), URL);

    // SVG to a file too, and PNG to a (non-terminal) stdout.
    let svg = dir.path().join("qr.svg");
    assert!(
        skillpass(&["qr", "--url", URL, "--out", svg.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(&svg).unwrap(),
        skillpass::qr::svg(URL).unwrap()
    );
    let out = skillpass(&["qr", "--url", URL, "--png"]);
    assert!(out.status.success());
    assert_eq!(decode_png(&out.stdout), URL);
}

#[test]
fn cli_refuses_what_cannot_be_a_verification_qr_code() {
    let long = format!("https://x.example/{}", "a".repeat(2000));
    let cases: [(&[&str], &str); 4] = [
        (
            &["qr", "--url", "ftp://x.example/verify/1"],
            "http:// or https://",
        ),
        (&["qr", "--url", ""], "http:// or https://"),
        (&["qr", "--url", &long], "over the 1024-byte limit"),
        (
            &["qr", "--url", URL, "--out", "/nonexistent-dir/qr.svg"],
            "cannot write /nonexistent-dir/qr.svg",
        ),
    ];
    for (args, message) in cases {
        let out = skillpass(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // --url is required.
    let out = skillpass(&["qr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--url"));
}
