//! The learner's claim page in a real browser: the service on a loopback port (in this process,
//! so the test can make offers with `skillpass::wallet::offer::create` and move the clock),
//! and Debian's headless Chromium reading the page at a 390 × 844 phone size — the code form,
//! the page after the right code (Learner Credential Wallet's live credential request and the
//! offer's interaction URL, each a deep link and a QR code; the OpenID4VCI offer; the download),
//! QR codes that decode (with `rqrr`) to exactly those links, wrong codes and the lock, and the pages of withdrawn, expired, claimed and unknown
//! offers with their HTTP statuses. Nothing on the page is wider than the phone, and the page
//! has no script.
//!
//! Screenshots go to `target/tmp/browser_claim/`, or to `$CLAIM_SCREENSHOTS_DIR` when set
//! (`scripts/claim-screenshots.sh` regenerates `docs/img/claim-*.png` that way).
//!
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use chrono::{DateTime, Utc};
use common::app::example_record;
use common::browser::{self, chromium, query_value, run_chromium, visible_text};
use common::passport::{serve, Served};
use serde_json::{json, Value};
use skillpass::service::{Clock, NewInstitution, Service};
use skillpass::store::Institution;
use skillpass::wallet::offer::{self, NewOffer, OfferOptions, Protocol};
use skillpass::wallet::WalletConfig;

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;
/// A row inside the verdict banner, below the language switch at the top of the page.
const BANNER_Y: u32 = 60;
/// Tall enough for the whole page after the code, so both QR codes are in one screenshot.
const TALL: u32 = 2600;

/// A clock the test moves by hand.
struct HandClock(Mutex<DateTime<Utc>>);

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// The service on a loopback port, with the test's probe pages on the same origin.
struct Server {
    served: Served,
    port: u16,
    service: Arc<Service>,
    clock: Arc<HandClock>,
    wallet: WalletConfig,
    institution: Institution,
    token: String,
}

impl Server {
    fn start() -> Server {
        let clock = Arc::new(HandClock(Mutex::new(Utc::now())));
        let served = serve(clock.clone(), |router| {
            router
                .route("/__test/frame", get(frame_probe))
                .route("/__test/post", get(post_probe))
                .route("/__test/wide", get(|| async { Html(WIDE_PAGE) }))
        });
        let port = served.base.rsplit(':').next().unwrap().parse().unwrap();
        let new: NewInstitution = serde_json::from_value(json!({
            "id": "kvkl",
            "name": "Kolej Vokasional Kuala Lumpur",
            "country": "MY",
            "framework": "MQF",
        }))
        .unwrap();
        let (institution, token) = served.service.register_institution(new, "test").unwrap();
        Server {
            port,
            service: served.service.clone(),
            served,
            clock,
            wallet: WalletConfig::default(),
            institution,
            token: token.as_str().to_owned(),
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Issues an example record over HTTP; returns the credential's id.
    fn issue(&self, file: &str) -> String {
        let record = example_record(file);
        let reply = self.request(
            "POST",
            "/records",
            Some(&self.token),
            Some(("application/json", &record.to_string())),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["verifiableCredential"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn offer(&self, credential: &str, options: &OfferOptions) -> NewOffer {
        self.served
            .runtime
            .block_on(offer::create(
                &self.service,
                &self.wallet,
                &self.institution,
                credential,
                options,
            ))
            .unwrap()
    }

    /// One HTTP/1.1 request over loopback.
    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, &str)>,
    ) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let (content_type, body) = body.unwrap_or(("", ""));
        let mut request = format!(
            // In English, as a browser set to English asks (the institution's language would
            // otherwise be the page's: docs/LANGUAGES.md).
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nAccept-Language: en\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if !content_type.is_empty() {
            request.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let rest = &response[split + 4..];
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: HashMap<String, String> = head
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let body = if headers
            .get("transfer-encoding")
            .is_some_and(|v| v.contains("chunked"))
        {
            dechunk(rest)
        } else {
            rest.to_vec()
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    fn post_code(&self, path: &str, code: &str) -> Reply {
        self.request(
            "POST",
            path,
            None,
            Some((
                "application/x-www-form-urlencoded",
                &format!("code={}", code.replace(' ', "+")),
            )),
        )
    }
}

struct Reply {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON: {e}"))
    }
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&rest[start..start + size]);
        rest = &rest[start + size + 2..];
    }
    out
}

/// A page that shows `src` in an iframe exactly a phone wide and writes the framed page's
/// width into `<pre id="out">`. (The claim page runs no script: its CSP forbids it. This page
/// is the test's own.)
async fn frame_probe(Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let src = q.get("src").cloned().unwrap_or_default();
    Html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
         <iframe id=\"f\" style=\"width:{WIDTH}px;height:{HEIGHT}px;border:0\" src=\"{src}\"></iframe>\
         <pre id=\"out\">pending</pre><script>{MEASURE}</script></body></html>"
    ))
}

/// A page that does not fit a phone, to show that the probe can tell.
const WIDE_PAGE: &str =
    "<!DOCTYPE html><html><body><div style=\"width:600px\">wide</div></body></html>";

/// The script that measures the framed page once it has loaded.
const MEASURE: &str = "document.getElementById('f').addEventListener('load', function () {\
      var d = this.contentDocument.documentElement;\
      document.getElementById('out').textContent =\
        'scrollWidth=' + d.scrollWidth + ' clientWidth=' + d.clientWidth +\
        ' scripts=' + this.contentDocument.scripts.length;\
    });";

/// A page that submits the claim page's code form (`code` to `action`), as a person would: into
/// a phone-wide iframe that it then measures (`frame=1`), or in place of itself.
async fn post_probe(Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let action = q.get("action").cloned().unwrap_or_default();
    let code = q.get("code").cloned().unwrap_or_default();
    let framed = q.contains_key("frame");
    let (frame, target, measure) = if framed {
        (
            format!(
                "<iframe id=\"f\" name=\"f\" style=\"width:{WIDTH}px;height:{HEIGHT}px;border:0\"></iframe>\
                 <pre id=\"out\">pending</pre>"
            ),
            "f",
            MEASURE,
        )
    } else {
        (String::new(), "_self", "")
    };
    Html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">{frame}\
         <form id=\"p\" method=\"post\" action=\"{action}\" target=\"{target}\">\
         <input name=\"code\" value=\"{code}\"></form>\
         <script>{measure}document.getElementById('p').submit();</script></body></html>"
    ))
}

fn dump_dom(profile: &Path, url: &str) -> String {
    run_chromium(profile, WIDTH, HEIGHT, &["--dump-dom".to_owned()], url)
}

fn screenshot(profile: &Path, url: &str, file: &Path, height: u32) -> image::RgbImage {
    browser::screenshot(profile, WIDTH, height, url, file)
}

/// The screenshot shows a page: the banner's colour at the top and over a good part of the
/// image, the page's light background, and the many shades that text leaves (not a blank or
/// single-colour image).
fn assert_not_blank(img: &image::RgbImage, banner: [u8; 3]) {
    let close = |p: &image::Rgb<u8>, want: [u8; 3]| {
        p.0.iter()
            .zip(want)
            .all(|(a, b)| (i16::from(*a) - i16::from(b)).abs() <= 12)
    };
    assert!(
        close(img.get_pixel(4, BANNER_Y), banner),
        "banner colour at the top: {:?}",
        img.get_pixel(4, BANNER_Y)
    );
    let in_banner = img.pixels().filter(|p| close(p, banner)).count();
    let light = img
        .pixels()
        .filter(|p| p.0.iter().all(|&c| c > 200))
        .count();
    let colours: BTreeSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(in_banner > 10_000, "a small banner ({in_banner} pixels)");
    assert!(light > 10_000, "hardly any light pixels ({light})");
    assert!(
        colours.len() > 50,
        "only {} colours: no text?",
        colours.len()
    );
}

/// Every QR code in `img`, decoded.
fn qr_codes(img: &image::RgbImage) -> BTreeSet<String> {
    browser::qr_codes(img).into_iter().collect()
}

/// The top edge of the QR code in `img` that reads as `content`.
fn qr_top(img: &image::RgbImage, content: &str) -> u32 {
    let luma = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    prepared
        .detect_grids()
        .iter()
        .find(|g| g.decode().is_ok_and(|(_, c)| c == content))
        .map(|g| g.bounds.iter().map(|p| p.y.max(0) as u32).min().unwrap())
        .unwrap_or_else(|| panic!("no QR code reads as {content}"))
}

/// The value of `name` on the element with id `id` in `html`, entities decoded.
fn attribute(html: &str, id: &str, name: &str) -> String {
    let tag_start = html
        .find(&format!("id=\"{id}\""))
        .and_then(|i| html[..i].rfind('<'))
        .unwrap_or_else(|| panic!("no element #{id}"));
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
    let marker = format!(" {name}=\"");
    let start = tag
        .find(&marker)
        .unwrap_or_else(|| panic!("#{id} has no {name}"))
        + marker.len();
    let value = &tag[start..start + tag[start..].find('"').unwrap()];
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What the QR code of an `<img src="data:image/svg+xml;base64,…">` reads as: the SVG's
/// rectangles (`M{x} {y}h{w}v{h}H{x}V{y}`, as the page draws them) painted into an image and
/// decoded with rqrr.
fn svg_qr(src: &str) -> String {
    use base64::Engine;
    let b64 = src
        .strip_prefix("data:image/svg+xml;base64,")
        .expect("an SVG data URI");
    let svg = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap();
    let number = |s: &str| -> u32 { s.trim().parse().unwrap() };
    let size = number(
        svg.split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    );
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut img = image::GrayImage::from_pixel(size, size, image::Luma([255]));
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = rect.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (w, rest) = rest.split_once('v').unwrap();
        let h = rest.split_once('H').unwrap().0;
        let (x, y, w, h) = (number(x), number(y), number(w), number(h));
        for py in y..y + h {
            for px in x..x + w {
                img.put_pixel(px, py, image::Luma([0]));
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let decoded: Vec<String> = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok())
        .map(|(_, content)| content)
        .collect();
    assert_eq!(decoded.len(), 1, "one QR code in the SVG: {decoded:?}");
    decoded.into_iter().next().unwrap()
}

/// `link` is LCW's legacy credential request for this service's institution, and it is live:
/// its request URL takes a presentation (refused here, 422, as this one is not signed; an
/// unknown request would be 404).
fn assert_credential_request(server: &Server, link: &str) {
    let issuer = query_value(&server.institution.did).replace('/', "%2F");
    let prefix = format!("dccrequest://request?issuer={issuer}&auth_type=bearer&challenge=");
    assert!(link.starts_with(&prefix), "{link}");
    let encoded = link
        .split_once("&vc_request_url=")
        .unwrap_or_else(|| panic!("no vc_request_url: {link}"))
        .1;
    let url = percent_decode(encoded);
    let path = url
        .strip_prefix(&server.base())
        .unwrap_or_else(|| panic!("{url} is not this service's"));
    assert!(path.starts_with("/wallet/credential-requests/"), "{path}");
    let unsigned = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiablePresentation"],
        "holder": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    });
    let reply = server.request(
        "POST",
        path,
        None,
        Some(("application/json", &unsigned.to_string())),
    );
    assert_eq!(reply.status, 422, "{path}: {}", reply.text());
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// `scrollWidth=… clientWidth=… scripts=…` from a probe page.
fn measured(profile: &Path, url: &str) -> (u32, u32, u32) {
    let dom = run_chromium(profile, 800, 1000, &["--dump-dom".to_owned()], url);
    let out = dom
        .split_once("<pre id=\"out\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(text, _)| text.to_owned())
        .expect("probe output");
    let number = |key: &str| -> u32 {
        out.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("the probe did not measure {url}: {out}"))
    };
    (
        number("scrollWidth="),
        number("clientWidth="),
        number("scripts="),
    )
}

fn screenshots_dir() -> PathBuf {
    let dir = match std::env::var_os("CLAIM_SCREENSHOTS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser_claim"),
    };
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The path of an offer's claim page.
fn claim_path(offer: &NewOffer) -> String {
    offer
        .links
        .claim_url
        .split_once("127.0.0.1:")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, path)| format!("/{path}"))
        .unwrap()
}

const OFFER_BLUE: [u8; 3] = [0x0b, 0x4f, 0x71];

#[test]
fn a_learner_takes_a_credential_on_a_phone() {
    chromium();
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("chromium-profile");
    let shots = screenshots_dir();
    let base = server.base();

    let diploma = server.issue("my-diploma-furniture-production.json");
    let made = server.offer(&diploma, &OfferOptions::default());
    let code = made.tx_code.clone().expect("a one-time code by default");
    let path = claim_path(&made);
    let url = format!("{base}{path}");

    // Before the code: what is offered, by whom, the code form and the OpenID4VCI offer; no
    // Learner Credential Wallet link and no download.
    let raw = server.request("GET", &path, None, None);
    assert_eq!(raw.status, 200);
    assert_eq!(raw.header("content-type"), "text/html; charset=utf-8");
    let csp = raw.header("content-security-policy");
    assert!(
        csp.starts_with("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"),
        "{csp}"
    );
    assert_eq!(raw.header("cache-control"), "no-store");
    assert_eq!(raw.header("referrer-policy"), "no-referrer");
    let html = raw.text();
    assert!(!html.to_ascii_lowercase().contains("<script"), "a script");
    assert!(!html.contains(&made.links.interaction_url));
    assert!(!html.contains("interaction:"));
    assert!(!html.contains("dccrequest:"));
    assert!(!html.contains("/download"));
    assert!(html.contains(&made.links.credential_offer));

    let text = visible_text(&dump_dom(&profile, &url));
    for seen in [
        "Your credential",
        "Kolej Vokasional Kuala Lumpur offers you this credential",
        "Furniture Production Technology",
        "Level 4 of the Malaysian Qualifications Framework (MQF)",
        "Nurul Aisyah binti Ahmad Fauzi",
        "Malaysia (MY)",
        "Enter your one-time code",
        "Add to another wallet",
        "Your wallet will ask for the one-time code.",
    ] {
        assert!(text.contains(seen), "{seen:?} not on the page: {text}");
    }
    assert!(!text.contains("Open Learner Credential Wallet"), "{text}");
    let img = screenshot(&profile, &url, &shots.join("claim-code.png"), HEIGHT);
    assert_not_blank(&img, OFFER_BLUE);
    let tall = screenshot(
        &profile,
        &url,
        &dir.path().join("before-code-tall.png"),
        TALL,
    );
    assert_eq!(
        qr_codes(&tall),
        BTreeSet::from([made.links.credential_offer.clone()]),
        "before the code, only the OpenID4VCI offer is a QR code"
    );

    // The right code, posted by the page's own form in Chromium: every way to take it.
    let after = format!(
        "{base}/__test/post?action={}&code={}",
        query_value(&path),
        query_value(&code)
    );
    let text = visible_text(&dump_dom(&profile, &after));
    for seen in [
        "Code accepted",
        "Add to Learner Credential Wallet",
        "Open Learner Credential Wallet",
        "Add to another wallet",
        "Download the credential file",
        "furniture-production-technology-",
        "Furniture Production Technology",
    ] {
        assert!(text.contains(seen), "{seen:?} not on the page: {text}");
    }
    let img = screenshot(&profile, &after, &shots.join("claim-ways.png"), HEIGHT);
    assert_not_blank(&img, OFFER_BLUE);
    let tall = screenshot(
        &profile,
        &after,
        &dir.path().join("after-code-tall.png"),
        TALL,
    );
    // Two QR codes show: Learner Credential Wallet's credential request (a new one for each
    // page) and the OpenID4VCI offer; the interaction URL's stays folded away.
    let shown = qr_codes(&tall);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown.contains(&made.links.credential_offer), "{shown:?}");
    let request = shown
        .iter()
        .find(|c| c.starts_with("dccrequest://"))
        .unwrap_or_else(|| panic!("no credential request for LCW: {shown:?}"))
        .clone();
    assert_credential_request(&server, &request);
    // Each QR code, cut from the page as a phone screen shows it, reads as its link.
    for (file, link) in [
        ("claim-lcw.png", &request),
        ("claim-other-wallet.png", &made.links.credential_offer),
    ] {
        let top = qr_top(&tall, link).saturating_sub(345).min(TALL - HEIGHT);
        let screen = image::imageops::crop_imm(&tall, 0, top, WIDTH, HEIGHT).to_image();
        assert!(
            qr_codes(&screen).contains(link.as_str()),
            "{file}: the QR code on a phone screen does not read as {link}"
        );
        screen.save(shots.join(file)).unwrap();
    }
    // The deep links: LCW's credential request (the same as its QR code), the interaction URL
    // behind `interaction:` (LCW's URL scheme) with its own QR code, and the OpenID4VCI offer.
    let reply = server.post_code(&path, &code);
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(!html.to_ascii_lowercase().contains("<script"));
    let request = attribute(&html, "lcw-link", "href");
    assert_credential_request(&server, &request);
    assert_eq!(svg_qr(&attribute(&html, "lcw-qr", "src")), request);
    assert_eq!(
        attribute(&html, "lcw-interaction-link", "href"),
        format!("interaction:{}", made.links.interaction_url)
    );
    assert_eq!(
        svg_qr(&attribute(&html, "lcw-interaction-qr", "src")),
        made.links.interaction_url
    );
    assert_eq!(
        svg_qr(&attribute(&html, "oid4vci-qr", "src")),
        made.links.credential_offer
    );
    // Each page has its own single-use request.
    let again = attribute(&server.post_code(&path, &code).text(), "lcw-link", "href");
    assert_ne!(again, request);
    assert!(html.contains(&format!(
        "href=\"{}\"",
        made.links.credential_offer.replace('&', "&amp;")
    )));

    // Nothing is wider than the phone, before and after the code; the framed page runs no
    // script.
    let wide = format!("{base}/__test/frame?src=/__test/wide");
    let (scroll, client, _) = measured(&profile, &wide);
    assert!(
        scroll > client,
        "the probe must see a page wider than the screen: {scroll} <= {client}"
    );
    for probe in [
        format!("{base}/__test/frame?src={}", query_value(&path)),
        format!("{after}&frame=1"),
    ] {
        let (scroll, client, scripts) = measured(&profile, &probe);
        assert_eq!(client, WIDTH, "the probe frame is a phone wide");
        assert!(
            scroll <= client,
            "{probe}: {scroll} px wide on a {client} px screen"
        );
        assert_eq!(scripts, 0, "{probe}: the claim page has a script");
    }

    // The download: the credential as issued, as a file, with the right code only.
    let reply = server.post_code(&format!("{path}/download"), &code);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "application/json");
    let disposition = reply.header("content-disposition").to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"furniture-production-technology-")
            && disposition.ends_with(".json\""),
        "{disposition}"
    );
    let stored = server
        .service
        .store()
        .get_credential(&diploma)
        .unwrap()
        .unwrap();
    assert_eq!(reply.json(), stored.credential);
    let reply = server.request("POST", &format!("{path}/download"), None, None);
    assert_eq!(reply.status, 400, "no code, no file");
    assert!(reply.header("content-type").starts_with("text/html"));
    assert!(!reply.text().contains("\"proof\""));

    // Wrong codes: the form again with the tries left; malformed input is not counted; the
    // fifth wrong code locks the offer.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reply = server.post_code(&path, "12 34");
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("The code has 6 digits"));
    for left in (1..=4).rev() {
        let reply = server.post_code(&path, wrong);
        assert_eq!(reply.status, 403, "{}", reply.text());
        let text = visible_text(&reply.text());
        let expected = if left == 1 {
            "That code is not right. One try left".to_owned()
        } else {
            format!("That code is not right. {left} tries left.")
        };
        assert!(text.contains(&expected), "{expected:?}: {text}");
        assert!(text.contains("Enter your one-time code"));
        assert!(!reply.text().contains("interaction:"));
    }
    let wrong_url = format!(
        "{base}/__test/post?action={}&code={wrong}",
        query_value(&path)
    );
    let text = visible_text(&dump_dom(&profile, &wrong_url));
    assert!(text.contains("Offer locked"), "{text}");
    assert!(
        text.contains("Ask Kolej Vokasional Kuala Lumpur for a new offer"),
        "{text}"
    );
    let reply = server.request("GET", &path, None, None);
    assert_eq!(reply.status, 423);
    assert!(reply.text().contains("Offer locked"));
    let img = screenshot(&profile, &url, &shots.join("claim-locked.png"), HEIGHT);
    assert_not_blank(&img, [0x8a, 0x47, 0x00]);
    // Even the right code no longer opens it, and the download stays shut.
    let reply = server.post_code(&path, &code);
    assert_eq!(reply.status, 423);
    assert!(!reply.text().contains("interaction:"));
    let reply = server.post_code(&format!("{path}/download"), &code);
    assert_eq!(reply.status, 423);

    // An offer without a code shows everything at once.
    let solar = server.issue("zw-solar-pv-installation.json");
    let open = server.offer(
        &solar,
        &OfferOptions {
            tx_code: false,
            ..OfferOptions::default()
        },
    );
    let open_path = claim_path(&open);
    let reply = server.request("GET", &open_path, None, None);
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert_eq!(
        attribute(&html, "lcw-interaction-link", "href"),
        format!("interaction:{}", open.links.interaction_url)
    );
    assert_credential_request(&server, &attribute(&html, "lcw-link", "href"));
    assert!(!html.contains("name=\"code\" type=\"text\""));
    assert!(!html.contains("Your wallet will ask for the one-time code"));
    let reply = server.request("POST", &format!("{open_path}/download"), None, None);
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-disposition")
        .contains("solar-pv-system-installation-and-maintenance-"));

    // Withdrawn: 410 and a page that says so.
    let withdrawn = server.offer(&solar, &OfferOptions::default());
    server
        .served
        .runtime
        .block_on(offer::withdraw(
            &server.service,
            &server.institution,
            &solar,
            &withdrawn.offer.id,
        ))
        .unwrap();
    let reply = server.request("GET", &claim_path(&withdrawn), None, None);
    assert_eq!(reply.status, 410);
    assert!(reply.header("content-type").starts_with("text/html"));
    let text = visible_text(&dump_dom(
        &profile,
        &format!("{base}{}", claim_path(&withdrawn)),
    ));
    assert!(
        text.contains("This offer was withdrawn Kolej Vokasional Kuala Lumpur withdrew this offer"),
        "{text}"
    );
    let reply = server.post_code(&format!("{}/download", claim_path(&withdrawn)), "123456");
    assert_eq!(reply.status, 410);

    // Claimed: 410, once the wallet has it.
    server
        .served
        .runtime
        .block_on(offer::claim(
            &server.service,
            &open.offer.id,
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            Protocol::VcApi,
        ))
        .unwrap();
    let reply = server.request("GET", &open_path, None, None);
    assert_eq!(reply.status, 410);
    assert!(visible_text(&reply.text()).contains("Already added to a wallet"));
    assert!(!reply.text().contains("interaction:"));

    // Expired: 410 with the date, once the clock passes it.
    let later = server.offer(&solar, &OfferOptions::default());
    *server.clock.0.lock().unwrap() += chrono::Duration::days(31);
    let later_path = claim_path(&later);
    let reply = server.request("GET", &later_path, None, None);
    assert_eq!(reply.status, 410);
    let text = visible_text(&dump_dom(&profile, &format!("{base}{later_path}")));
    assert!(text.contains("This offer has expired"), "{text}");
    let expires = DateTime::parse_from_rfc3339(&later.offer.expires)
        .unwrap()
        .with_timezone(&Utc);
    let ended = format!(
        "The offer from Kolej Vokasional Kuala Lumpur ended on {}.",
        expires.format("%-d %B %Y, %H:%M UTC")
    );
    assert!(text.contains(&ended), "{ended:?}: {text}");
    let img = screenshot(
        &profile,
        &format!("{base}{later_path}"),
        &shots.join("claim-expired.png"),
        HEIGHT,
    );
    assert_not_blank(&img, [0x47, 0x47, 0x47]);

    // Unknown: 404, a page too, never the API's JSON envelope.
    let reply = server.request("GET", "/claim/no-such-offer", None, None);
    assert_eq!(reply.status, 404);
    assert!(reply.header("content-type").starts_with("text/html"));
    assert!(visible_text(&reply.text()).contains("Offer not found"));
    let reply = server.post_code("/claim/no-such-offer", "123456");
    assert_eq!(reply.status, 404);
    assert!(reply.header("content-type").starts_with("text/html"));
    eprintln!("screenshots: {}", shots.display());
}
