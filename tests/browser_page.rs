//! The employer page in a real browser: the `skillpass serve` binary on a loopback port, a
//! credential issued over HTTP, and Debian's headless Chromium reading the page at a 360 px
//! phone width — what a person sees (verdict, institution, achievement), the banner's colour in
//! a screenshot, and that nothing is wider than the screen.
//!
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::browser::{chromium, run_chromium, visible_text};
use serde_json::{json, Value};

const WIDTH: u32 = 360;
const HEIGHT: u32 = 740;
/// A row inside the verdict banner, below the language switch at the top of the page.
const BANNER_Y: u32 = 60;

/// A running `skillpass serve`, stopped (by its own pid) when dropped.
struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    admin_token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let admin_token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let token_file = dir.path().join("admin-token");
    std::fs::write(&token_file, &admin_token).unwrap();
    // Outside development mode a master key and a token secret are required (docs/KEYS.md).
    let master_key = dir.path().join("master.key");
    skillpass::keystore::create_master_key_file(&master_key).unwrap();
    let token_secret = dir.path().join("token.secret");
    skillpass::api_tokens::create_secret_file(&token_secret).unwrap();
    let config = dir.path().join("skillpass.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = {:?}\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\nadmin_token_file = {:?}\nmaster_key_file = {:?}\ntoken_secret_file = {:?}\n",
            dir.path().join("data"),
            token_file,
            master_key,
            token_secret
        ),
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_skillpass"));
    command
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .current_dir(dir.path())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    // Only the config file configures this server.
    for (name, _) in std::env::vars().filter(|(k, _)| k.starts_with("SKILLPASS_")) {
        command.env_remove(name);
    }
    let child = command.spawn().expect("start skillpass serve");
    let mut server = Server {
        child,
        port,
        dir,
        admin_token,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            let log = std::fs::read_to_string(server.dir.path().join("server.log")).unwrap();
            panic!("skillpass serve exited with {status}:\n{log}");
        }
        if let Ok((200, _)) = try_http(port, "GET", "/health", None, None) {
            return server;
        }
        assert!(Instant::now() < deadline, "skillpass serve did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 request over loopback: (status, body).
fn try_http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Ok((status, body))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    out
}

fn http(
    server: &Server,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let (status, text) = try_http(server.port, method, path, token, body).unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|_| json!({ "text": text }));
    (status, json)
}

/// The DOM after loading, as Chromium built it.
fn dump_dom(profile: &Path, url: &str) -> String {
    run_chromium(profile, WIDTH, HEIGHT, &["--dump-dom".to_owned()], url)
}

fn screenshot(profile: &Path, url: &str, file: &Path) -> image::RgbImage {
    let _ = std::fs::remove_file(file);
    run_chromium(
        profile,
        WIDTH,
        HEIGHT,
        &[format!("--screenshot={}", file.display())],
        url,
    );
    let img = image::open(file)
        .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", file.display()))
        .to_rgb8();
    assert_eq!(
        (img.width(), img.height()),
        (WIDTH, HEIGHT),
        "screenshot size"
    );
    img
}

fn close_to(pixel: &image::Rgb<u8>, want: [u8; 3]) -> bool {
    pixel
        .0
        .iter()
        .zip(want)
        .all(|(a, b)| (i16::from(*a) - i16::from(b)).abs() <= 12)
}

/// Serves a probe page on its own port and forwards every other request to `backend`, so the
/// probe and the employer page share an origin and the probe can measure the page in an
/// iframe of phone width. (The employer page itself runs no script: its CSP forbids it.)
fn start_probe_proxy(backend: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = proxy_one(client, backend);
            });
        }
    });
    port
}

fn proxy_one(mut client: TcpStream, backend: u16) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
    if let Some(page) = target.strip_prefix("/__probe") {
        let html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
             <iframe id=\"f\" style=\"width:{WIDTH}px;height:{HEIGHT}px;border:0\" src=\"{page}\"></iframe>\
             <pre id=\"out\">pending</pre><script>\
             document.getElementById('f').addEventListener('load', function () {{\
               var d = this.contentDocument.documentElement;\
               document.getElementById('out').textContent =\
                 'scrollWidth=' + d.scrollWidth + ' clientWidth=' + d.clientWidth;\
             }});</script></body></html>"
        );
        write!(
            client,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
            html.len()
        )?;
        return Ok(());
    }
    if target == "/__wide" {
        // A page that does not fit a phone, to show that the probe can tell.
        let html = "<!DOCTYPE html><html><body><div style=\"width:600px\">wide</div></body></html>";
        write!(
            client,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
            html.len()
        )?;
        return Ok(());
    }
    let mut upstream = TcpStream::connect(("127.0.0.1", backend))?;
    write!(
        upstream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{backend}\r\nConnection: close\r\n\r\n"
    )?;
    std::io::copy(&mut upstream, &mut client)?;
    Ok(())
}

/// The page's width in an iframe exactly as wide as a 360 px phone screen.
fn measured_width(profile: &Path, proxy: u16, path: &str) -> (u32, u32) {
    let dom = run_chromium(
        profile,
        800,
        900,
        &[
            "--dump-dom".to_owned(),
            "--virtual-time-budget=5000".to_owned(),
        ],
        &format!("http://127.0.0.1:{proxy}/__probe{path}"),
    );
    let out = dom
        .split_once("<pre id=\"out\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(text, _)| text.to_owned())
        .expect("probe output");
    let number = |key: &str| -> u32 {
        out.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("probe did not measure {path}: {out}"))
    };
    (number("scrollWidth="), number("clientWidth="))
}

fn issue_credential(server: &Server, token: &str, file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(file);
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    let (status, reply) = http(server, "POST", "/records", Some(token), Some(&record));
    assert_eq!(status, 201, "{reply}");
    reply["verifiableCredential"].clone()
}

fn issue(server: &Server, token: &str, file: &str) -> String {
    issue_credential(server, token, file)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser_page");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn an_employer_sees_the_verdict_on_a_phone() {
    chromium();
    let server = start_server();
    let profile = server.dir.path().join("chromium-profile");
    let shots = screenshots_dir();

    let (status, reply) = http(
        &server,
        "POST",
        "/admin/institutions",
        Some(&server.admin_token.clone()),
        Some(&json!({
            "id": "kvkl",
            "name": "Kolej Vokasional Kuala Lumpur",
            "country": "MY",
            "framework": "MQF",
        })),
    );
    assert_eq!(status, 201, "{reply}");
    let token = reply["token"].as_str().unwrap().to_owned();
    // The alliance lists it in its trust registry, so its credentials are recognised.
    let did = reply["institution"]["did"].as_str().unwrap().to_owned();
    let (status, reply) = http(
        &server,
        "PUT",
        "/admin/registry/members/kvkl",
        Some(&server.admin_token.clone()),
        Some(&json!({
            "name": "Kolej Vokasional Kuala Lumpur",
            "country": "MY",
            "dids": [did],
            "framework": "MQF",
            "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        })),
    );
    assert_eq!(status, 201, "{reply}");
    let diploma_vc = issue_credential(&server, &token, "my-diploma-furniture-production.json");
    let diploma = diploma_vc["id"].as_str().unwrap().to_owned();
    let animation = issue(&server, &token, "szpu-3d-animation-production.json");
    let base = format!("http://127.0.0.1:{}", server.port);
    // A recognition decision on the diploma module for a Zimbabwean framework, issued as a
    // credential: its page shows the learner, the levels, the credits and the conditions.
    let (status, reply) = http(
        &server,
        "POST",
        "/recognitions",
        Some(&token),
        Some(&json!({
            "verifiableCredential": diploma_vc,
            "receivingFramework": "ZNQF",
            "issueDecision": true,
        })),
    );
    assert_eq!(status, 200, "{reply}");
    let decision = reply["decisionCredential"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let text = visible_text(&dump_dom(&profile, &format!("{base}/verify/{decision}")));
    assert!(text.contains("✓ Genuine"), "{text}");
    for seen in [
        "Recognition decision",
        "Recognised with conditions in the Zimbabwe National Qualifications Framework (ZNQF)",
        "Nurul Aisyah binti Ahmad Fauzi",
        "Level 5 of the Zimbabwe National Qualifications Framework (ZNQF)",
        "Level 6 of the Zimbabwe National Qualifications Framework (ZNQF)",
        "12 credits awarded (ZNQF)",
        "Conditions",
    ] {
        assert!(
            text.contains(seen),
            "{seen:?} not on the decision page: {text}"
        );
    }
    screenshot(
        &profile,
        &format!("{base}/verify/{decision}"),
        &shots.join("decision.png"),
    );

    // A genuine credential: the verdict, who issued it, what and to whom.
    let url = format!("{base}/verify/{diploma}");
    let text = visible_text(&dump_dom(&profile, &url));
    assert!(
        text.contains("✓ Genuine Issued by Kolej Vokasional Kuala Lumpur."),
        "{text}"
    );
    for seen in [
        "Furniture Production Technology",
        "Nurul Aisyah binti Ahmad Fauzi",
        "Malaysia (MY)",
        "Level 4 of the Malaysian Qualifications Framework (MQF)",
        "Checked at",
    ] {
        assert!(text.contains(seen), "{seen:?} not on the page: {text}");
    }
    let img = screenshot(&profile, &url, &shots.join("genuine.png"));
    // The banner at the top is green, with the page's light background below it.
    assert!(
        close_to(img.get_pixel(4, BANNER_Y), [0x0a, 0x6b, 0x2d]),
        "{:?}",
        img.get_pixel(4, BANNER_Y)
    );
    assert!(
        close_to(img.get_pixel(4, HEIGHT - 4), [0xf3, 0xf3, 0xef]),
        "{:?}",
        img.get_pixel(4, HEIGHT - 4)
    );

    // Nothing is wider than a 360 px screen (long DIDs and codes wrap).
    let proxy = start_probe_proxy(server.port);
    let (scroll, client) = measured_width(&profile, proxy, "/__wide");
    assert!(
        scroll > client,
        "the probe must see a page wider than the screen: {scroll} <= {client}"
    );
    for id in [&diploma, &animation, &decision] {
        let (scroll, client) = measured_width(&profile, proxy, &format!("/verify/{id}"));
        assert_eq!(client, WIDTH, "the probe frame is a phone screen wide");
        assert!(
            scroll <= client,
            "/verify/{id} is {scroll} px wide on a {client} px screen"
        );
    }

    // Revoked: the verdict changes on the next visit.
    let (status, reply) = http(
        &server,
        "POST",
        "/credentials/status",
        Some(&token),
        Some(&json!({ "credentialId": diploma, "action": "revoke" })),
    );
    assert_eq!(status, 200, "{reply}");
    let text = visible_text(&dump_dom(&profile, &url));
    assert!(
        text.contains("✗ Revoked Kolej Vokasional Kuala Lumpur has withdrawn (revoked) this credential. Do not accept it."),
        "{text}"
    );
    assert!(!text.contains("Genuine"), "{text}");
    let img = screenshot(&profile, &url, &shots.join("revoked.png"));
    assert!(
        close_to(img.get_pixel(4, BANNER_Y), [0xa3, 0x16, 0x1c]),
        "{:?}",
        img.get_pixel(4, BANNER_Y)
    );

    // The other credential is unaffected.
    let text = visible_text(&dump_dom(&profile, &format!("{base}/verify/{animation}")));
    assert!(text.contains("✓ Genuine"), "{text}");
    assert!(text.contains("3D Animation Production"), "{text}");

    // An unknown reference still gets a page a person can read.
    let text = visible_text(&dump_dom(
        &profile,
        &format!("{base}/verify/urn:uuid:00000000-0000-4000-8000-000000000000"),
    ));
    assert!(
        text.contains("? Not found No credential with this reference"),
        "{text}"
    );
    eprintln!("screenshots: {}", shots.display());
}
