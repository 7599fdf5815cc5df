//! `skillpass serve --dev` runs development mode anywhere (issue 15 item 4), and a partial
//! configuration that turns development mode off says what is missing and mentions `--dev`.
//! The real binary, on a loopback port.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `skillpass serve`, stopped (by its own pid) when dropped.
struct Server {
    child: Child,
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

/// `skillpass serve ARGS` in `dir`, with no `SKILLPASS_*` variable but `env`.
fn command(dir: &std::path::Path, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_skillpass"));
    c.current_dir(dir).arg("serve").args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("SKILLPASS_") {
            c.env_remove(k);
        }
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    Some(text)
}

#[test]
fn serve_dev_with_listen_runs_development_mode_on_that_port() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let log = dir.path().join("serve.log");
    // A setting that alone would turn development mode off: --dev keeps it on.
    let mut c = command(
        dir.path(),
        &["--dev", "--listen", &listen],
        &[(
            "SKILLPASS_DATA_DIR",
            dir.path().join("data").display().to_string(),
        )],
    );
    c.stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap());
    let mut server = Server {
        child: c.spawn().unwrap(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let health = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "serve --dev exited with {status}:\n{}",
                std::fs::read_to_string(&log).unwrap()
            );
        }
        if let Some(reply) = get(port, "/health") {
            break reply;
        }
        assert!(Instant::now() < deadline, "serve --dev did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("development admin token: "), "{text}");
    assert!(
        text.contains("development institution example-college API token: "),
        "{text}"
    );
    assert!(text.contains("DEVELOPMENT MODE"), "{text}");
    // The example institution is there, with its public URL on that port.
    let did = get(port, "/registry").unwrap();
    assert!(did.starts_with("HTTP/1.1 200"), "{did}");
    assert!(dir.path().join("data.master-key").exists());
}

#[test]
fn a_partial_configuration_says_what_is_missing_and_mentions_dev() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let output = command(
        dir.path(),
        &[],
        &[
            ("SKILLPASS_LISTEN", format!("127.0.0.1:{port}")),
            (
                "SKILLPASS_DATA_DIR",
                dir.path().join("data").display().to_string(),
            ),
        ],
    )
    .output()
    .unwrap();
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stderr);
    for needle in [
        "development mode is off because configuration was given (SKILLPASS_DATA_DIR, SKILLPASS_LISTEN)",
        "no admin token: set SKILLPASS_ADMIN_TOKEN_FILE",
        "no token secret: set SKILLPASS_TOKEN_SECRET_FILE",
        "no master key: set SKILLPASS_MASTER_KEY_FILE",
        "skillpass serve --dev",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    // Refused before anything was opened or made.
    assert!(!dir.path().join("data").exists());
    assert!(get(port, "/health").is_none());
}
