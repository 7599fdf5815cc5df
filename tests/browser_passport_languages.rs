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

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Html;
use axum::routing::get;
use chrono::{TimeZone, Utc};
use common::browser::{chromium, run_chromium, visible_text};
use common::fonts::Coverage;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::http::{app, AppState, Limits};
use skillpass::i18n::{date, Lang};
use skillpass::service::{FixedClock, NewInstitution, Service};
use skillpass::store::{MemoryStore, Store};
use skillpass::wallet::offer::{self, OfferOptions};
use tower::ServiceExt;

const WIDTH: u32 = 360;
const HEIGHT: u32 = 800;
const NAME: &str = "siti-languages";
const PASS: &str = "kampung baru 2026";

/// The page Chromium opens first: a form on the service's origin that signs in and submits
/// itself, so the browser holds the session cookies.
fn sign_in_probe() -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"/passport/signin\">\
         <input name=\"name\" value=\"{NAME}\"><input name=\"passphrase\" value=\"{PASS}\">\
         </form><script>document.forms[0].submit()</script></body></html>"
    ))
}

/// Fetches `?page=` with the browser's cookies, lays it out in a `srcdoc` frame of phone
/// width, and writes into `<pre>` the document's widths and where the footer's lines break,
/// with any break that is not a word boundary for `Intl.Segmenter` in the page's language.
async fn width_probe() -> Html<String> {
    Html(format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" style="width:{WIDTH}px;height:{HEIGHT}px;border:0"></iframe>
<pre id="out">pending</pre>
<script>
var page = new URLSearchParams(location.search).get('page');
var frame = document.getElementById('f');
function measure() {{
  var doc = frame.contentDocument, root = doc.documentElement;
  var lang = root.lang, p = doc.querySelector('footer p'), out = [];
  if (!lang || !p) return;
  out.push('lang=' + lang, 'scrollWidth=' + root.scrollWidth, 'clientWidth=' + root.clientWidth);
  var node = p.firstChild, text = node.data, range = doc.createRange();
  var words = new Set([0, text.length]);
  for (var s of new Intl.Segmenter(lang, {{granularity: 'word'}}).segment(text)) words.add(s.index);
  var last = null, breaks = [], bad = [];
  for (var i = 0; i < text.length; i++) {{
    range.setStart(node, i); range.setEnd(node, i + 1);
    var rects = range.getClientRects();
    if (!rects.length || rects[0].width === 0) continue;
    var top = Math.round(rects[0].top);
    if (last !== null && top > last + 4) {{
      breaks.push(i);
      if (!words.has(i)) bad.push(JSON.stringify(text.slice(Math.max(0, i - 6), i) + '|' + text.slice(i, i + 6)));
    }}
    last = top;
  }}
  out.push('lines=' + (breaks.length + 1), 'bad=' + bad.length);
  document.getElementById('out').textContent = out.join(' ') + '\n' + bad.join('\n');
}}
fetch(page, {{credentials: 'same-origin'}}).then(function (r) {{ return r.text(); }}).then(function (html) {{
  frame.addEventListener('load', measure);
  frame.srcdoc = html;
}});
</script></body></html>"#
    ))
}

struct Probe {
    lang: String,
    scroll_width: u32,
    client_width: u32,
    lines: u32,
    bad: Vec<String>,
}

fn measure(profile: &Path, base: &str, page: &str) -> Probe {
    let dom = run_chromium(
        profile,
        800,
        1000,
        &["--dump-dom".to_owned()],
        &format!(
            "{base}/__test/width?page={}",
            page.replace('?', "%3F").replace('=', "%3D")
        ),
    );
    let out = dom
        .split_once("<pre id=\"out\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(text, _)| text.to_owned())
        .expect("probe output");
    let word = |key: &str| -> String {
        out.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("the probe did not measure {page}: {out}"))
    };
    let number = |key: &str| -> u32 { word(key).parse().unwrap() };
    Probe {
        lang: word("lang="),
        scroll_width: number("scrollWidth="),
        client_width: number("clientWidth="),
        lines: number("lines="),
        bad: out.lines().skip(1).map(str::to_owned).collect(),
    }
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser_passport_languages");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn call(
    router: &axum::Router,
    method: Method,
    uri: &str,
    cookie: &str,
    form: &str,
) -> (StatusCode, String, String) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form.to_owned()))
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, cookies, String::from_utf8_lossy(&body).into_owned())
}

fn after(html: &str, needle: &str, end: char) -> String {
    let start = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {html}"))
        + needle.len();
    let rest = &html[start..];
    rest[..rest.find(end).unwrap()].to_owned()
}

#[test]
fn the_passport_page_reads_on_a_phone_in_every_language() {
    chromium();
    let fonts = Coverage::installed();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    // 7 December 2026, 08:05 UTC: the day the credential is added, and the share runs a month.
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 8, 5, 0).unwrap();
    let service = Arc::new(Service::new(
        store.clone(),
        &base,
        Arc::new(FixedClock(now)),
    ));
    let state = AppState {
        service: service.clone(),
        admin_token_hash: service.token_hash("browser-passport-languages-admin-0123456789"),
        wallet: Default::default(),
    };
    let router = app(state, Limits::default())
        .route("/__test/signin", get(|| async { sign_in_probe() }))
        .route("/__test/width", get(width_probe));
    let served = router.clone();
    runtime.spawn(async move {
        axum::serve(listener, served).await.unwrap();
    });

    // A Malaysian college in the alliance registry, and a diploma offered to its learner.
    let new: NewInstitution = serde_json::from_value(json!({
        "id": "kvkl", "name": "Kolej Vokasional Kuala Lumpur", "country": "MY", "framework": "MQF",
    }))
    .unwrap();
    let (institution, _) = service.register_institution(new, "test").unwrap();
    let member: skillpass::registry::Member = serde_json::from_value(json!({
        "id": "kvkl", "name": institution.name, "country": "MY", "dids": [institution.did],
        "framework": "MQF", "qualityAssurance": {"body": "MQA", "status": "accredited"},
        "validFrom": "2020-01-01T00:00:00Z",
    }))
    .unwrap();
    store.put_member(&member).unwrap();
    let mut record: Value = serde_json::from_str(include_str!(
        "../examples/records/my-diploma-furniture-production.json"
    ))
    .unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    let issued = runtime
        .block_on(service.issue_record(&institution, &record, Default::default()))
        .unwrap();
    let made = runtime
        .block_on(offer::create(
            &service,
            &Default::default(),
            &institution,
            issued.credential["id"].as_str().unwrap(),
            &OfferOptions::default(),
        ))
        .unwrap();
    let code = made.tx_code.unwrap();

    // The learner creates a passport with the claim, and shares the credential for 30 days.
    let (status, jar, text) = runtime.block_on(call(
        &router,
        Method::POST,
        "/passport/create",
        "",
        &format!(
            "name={NAME}&passphrase={}&passphrase2={}&offer={}&code={code}",
            PASS.replace(' ', "+"),
            PASS.replace(' ', "+"),
            made.offer.id
        ),
    ));
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let (_, _, page) = runtime.block_on(call(&router, Method::GET, "/passport", &jar, ""));
    let csrf = after(&page, "name=\"csrf\" value=\"", '"');
    let entry = after(&page, "name=\"credential\" value=\"", '"');
    let (status, _, text) = runtime.block_on(call(
        &router,
        Method::POST,
        "/passport/shares",
        &jar,
        &format!("csrf={csrf}&credential={entry}&days=30"),
    ));
    assert_eq!(status, StatusCode::OK, "{text}");

    // Chromium signs in with its own profile.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let dom = run_chromium(
        &profile,
        WIDTH,
        HEIGHT,
        &["--dump-dom".to_owned()],
        &format!("{base}/__test/signin"),
    );
    assert!(dom.contains("id=\"holder\""), "not signed in: {dom}");

    let shots = screenshots_dir();
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
        let _ = std::fs::remove_file(&file);
        run_chromium(
            &profile,
            WIDTH,
            HEIGHT,
            &[format!("--screenshot={}", file.display())],
            &url,
        );
        let img = image::open(&file)
            .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", file.display()))
            .to_rgb8();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let first = *img.get_pixel(0, 0);
        assert!(
            img.pixels().any(|p| *p != first),
            "{url}: a blank screenshot"
        );

        let probe = measure(&profile, &base, &path);
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
    drop(runtime);
}
