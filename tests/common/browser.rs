//! Debian's headless Chromium for the page tests: started with a fresh profile and a window of
//! phone size, stopped if it hangs, and the text a person reads from a dumped DOM.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::RgbImage;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser's path; the test FAILS (never skips) without it.
pub fn chromium() -> &'static str {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's Chromium with \
         `apt-get update && apt-get install -y chromium` to run the browser tests \
         (they are never skipped)"
    );
    CHROMIUM
}

/// Runs headless Chromium on `url` with `extra` flags; returns stdout. A browser that hangs is
/// stopped after two minutes so the suite cannot stall.
pub fn run_chromium(
    profile: &Path,
    width: u32,
    height: u32,
    extra: &[String],
    url: &str,
) -> String {
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).unwrap();
        out
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish with {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "chromium failed on {url}: {status}");
    reader.join().unwrap()
}

/// The text a person reads: the body without tags, entities decoded, whitespace collapsed.
pub fn visible_text(dom: &str) -> String {
    let body = dom.split_once("<body").map(|(_, b)| b).unwrap_or(dom);
    let mut text = String::new();
    // Inside the body's own start tag until its '>'.
    let mut in_tag = true;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How the footer probe gets the page it measures.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ProbeLoad {
    /// As the frame's `src` (a page that may be framed).
    Frame,
    /// Fetched with the browser's cookies and laid out as the frame's `srcdoc` (a page that
    /// may not be framed, `frame-ancestors 'none'`, on the same origin).
    Fetch,
}

/// A probe page (serve it on the pages' origin): loads `?page=` in an iframe of `width` ×
/// `height` and writes into `<pre id="out">` the page's language, the document's widths, and
/// where the lines of the footer's paragraph break, with any break that is not a word boundary
/// for `Intl.Segmenter` in the page's language (Thai, Lao and Khmer write no spaces between
/// words).
pub fn footer_probe(width: u32, height: u32, load: ProbeLoad) -> String {
    let start = match load {
        ProbeLoad::Frame => "frame.addEventListener('load', measure);\nframe.src = page;",
        ProbeLoad::Fetch => {
            "fetch(page, {credentials: 'same-origin'}).then(function (r) { return r.text(); }).then(function (html) {\n  frame.addEventListener('load', measure);\n  frame.srcdoc = html;\n});"
        }
    };
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" style="width:{width}px;height:{height}px;border:0"></iframe>
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
{start}
</script></body></html>"#
    )
}

/// Percent-encodes `value` for a probe's query (a path in it keeps its slashes).
pub fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What [`footer_probe`] measured of one page.
pub struct Probe {
    /// The page's `<html lang>`.
    pub lang: String,
    pub scroll_width: u32,
    pub client_width: u32,
    /// Lines of the footer's paragraph.
    pub lines: u32,
    /// Breaks inside a word, with the text around them.
    pub bad: Vec<String>,
}

/// Opens the probe served at `probe` (a URL) on `page` (a path and query) in Chromium with
/// `profile`, and reads what it measured; panics when it measured nothing.
pub fn measure(profile: &Path, probe: &str, page: &str) -> Probe {
    let encoded = query_value(page);
    let dom = run_chromium(
        profile,
        800,
        1000,
        &["--dump-dom".to_owned()],
        &format!("{probe}?page={encoded}"),
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
    let number = |key: &str| -> u32 {
        word(key)
            .parse()
            .unwrap_or_else(|_| panic!("the probe did not measure {page}: {out}"))
    };
    Probe {
        lang: word("lang="),
        scroll_width: number("scrollWidth="),
        client_width: number("clientWidth="),
        lines: number("lines="),
        bad: out.lines().skip(1).map(str::to_owned).collect(),
    }
}

/// `target/tmp/<name>/`, made if missing: where a test leaves its screenshots.
pub fn screenshots_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A screenshot of `url` at `width` × `height` into `file` (an old one removed first), read
/// back; its size is asserted.
pub fn screenshot(profile: &Path, width: u32, height: u32, url: &str, file: &Path) -> RgbImage {
    let _ = std::fs::remove_file(file);
    run_chromium(
        profile,
        width,
        height,
        &[format!("--screenshot={}", file.display())],
        url,
    );
    let img = image::open(file)
        .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", file.display()))
        .to_rgb8();
    assert_eq!((img.width(), img.height()), (width, height));
    img
}

/// Every QR code in `img`, decoded.
pub fn qr_codes(img: &RgbImage) -> Vec<String> {
    let luma = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok())
        .map(|(_, content)| content)
        .collect()
}
