//! A real `skillpass serve` process for tests, and a few lines of HTTP/1.1 client over
//! `TcpStream` (`Connection: close`), so a test sees exactly which requests were answered.

#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const ADMIN_TOKEN: &str = "postgres-serve-test-admin-token-0123456789abcdef";
pub const RECORD: &str = include_str!("../../examples/records/zw-solar-pv-installation.json");
pub const PATIENCE: Duration = Duration::from_secs(120);

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "HTTP {} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

fn bad(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

/// One HTTP/1.1 request with `Connection: close`; a response cut short is an error, so it
/// never counts as an acknowledgement.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    let body = body.map(|b| serde_json::to_vec(b).unwrap());
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(body) = &body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body.as_deref().unwrap_or_default());
    stream.write_all(&out)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("incomplete head"))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let mut rest = raw[end + 4..].to_vec();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut body = Vec::new();
        let mut at = &rest[..];
        loop {
            let line = at
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or_else(|| bad("chunk size"))?;
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&at[..line])
                    .split(';')
                    .next()
                    .unwrap()
                    .trim(),
                16,
            )
            .map_err(|_| bad("chunk size"))?;
            at = &at[line + 2..];
            if size == 0 {
                break;
            }
            if at.len() < size + 2 {
                return Err(bad("incomplete chunk"));
            }
            body.extend_from_slice(&at[..size]);
            at = &at[size + 2..];
        }
        rest = body;
    } else if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| bad("length"))?;
        if rest.len() < length {
            return Err(bad("body shorter than Content-Length"));
        }
        rest.truncate(length);
    }
    Ok(Reply { status, body: rest })
}

pub struct Server {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub log: PathBuf,
    pub addr: SocketAddr,
    pub child: Option<Child>,
    /// A program the server runs under (`strace …`), its own arguments first; none unless set.
    pub wrapper: Vec<String>,
}

impl Server {
    /// A server in `dir/name` whose config holds `store_line` (`data_dir = …` or
    /// `database_url = …`).
    /// Servers configured in one `dir` share its master key file.
    pub fn configure(dir: &Path, name: &str, store_line: &str) -> Server {
        // Every process of a node needs the same master key and token secret.
        let master_key = dir.join("master-key");
        let token_secret = dir.join("token-secret");
        for (file, seed) in [(&master_key, 3u8), (&token_secret, 5)] {
            if !file.exists() {
                use std::os::unix::fs::OpenOptionsExt;
                let mut f = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(file)
                    .unwrap();
                let hex: String = (0..32u8)
                    .map(|i| format!("{:02x}", i.wrapping_mul(7).wrapping_add(seed)))
                    .collect();
                writeln!(f, "{hex}").unwrap();
            }
        }
        let dir = dir.join(name);
        fs::create_dir_all(&dir).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let token_file = dir.join("admin-token");
        fs::write(&token_file, format!("{ADMIN_TOKEN}\n")).unwrap();
        let config = dir.join("skillpass.toml");
        fs::write(
            &config,
            format!(
                "{store_line}\nlisten = \"{addr}\"\npublic_url = \"http://node.test\"\nadmin_token_file = {:?}\nmaster_key_file = {:?}\ntoken_secret_file = {:?}\n",
                token_file.to_str().unwrap(),
                master_key.to_str().unwrap(),
                token_secret.to_str().unwrap(),
            ),
        )
        .unwrap();
        Server {
            log: dir.join("server.log"),
            dir,
            config,
            addr,
            child: None,
            wrapper: Vec::new(),
        }
    }

    /// Starts `skillpass serve` (under [`Server::wrapper`] if set) and waits until `/health`
    /// answers.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let server = env!("CARGO_BIN_EXE_skillpass");
        let mut command = match self.wrapper.split_first() {
            None => Command::new(server),
            Some((program, args)) => {
                let mut command = Command::new(program);
                command.args(args).arg(server);
                command
            }
        };
        command
            .arg("serve")
            .arg("--config")
            .arg(&self.config)
            .current_dir(&self.dir)
            .env("RUST_LOG", "skillpass=info,tower_http=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("SKILLPASS_") {
                command.env_remove(name);
            }
        }
        self.child = Some(command.spawn().expect("start skillpass serve"));
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(reply) = request(self.addr, "GET", "/health", None, None) {
                if reply.status == 200 {
                    return;
                }
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("server exited at start ({status}):\n{}", self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "not healthy:\n{}",
                self.log_text()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kill9(&mut self) {
        let mut child = self.child.take().expect("running");
        let status = Command::new("kill")
            .arg("-KILL")
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "{status}");
    }

    /// The server's process id (under a wrapper, the wrapper's only child).
    pub fn pid(&self) -> String {
        let pid = self.child.as_ref().expect("running").id();
        if self.wrapper.is_empty() {
            return pid.to_string();
        }
        let children = fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .expect("the wrapper's children");
        children
            .split_whitespace()
            .next()
            .expect("a child")
            .to_owned()
    }

    /// Sends `signal` (`-KILL`, `-TERM`) to the server process.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.pid())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} failed");
    }

    /// Waits for the process to exit (bounded by [`PATIENCE`]).
    pub fn wait_exit(&mut self) -> ExitStatus {
        let child = self.child.as_mut().expect("running");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                self.child = None;
                panic!("server did not exit:\n{}", self.log_text());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The end of the server's log, for failure messages.
    pub fn log_text(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn record(record_id: &str) -> Value {
    let mut record: Value = serde_json::from_str(RECORD).unwrap();
    record["recordId"] = record_id.into();
    record
}

/// Registers institution `id` (the answer: `{institution, token}`) without more writes after it.
pub fn register_only(addr: SocketAddr, id: &str, did_method: &str) -> Value {
    let reply = request(
        addr,
        "POST",
        "/admin/institutions",
        Some(ADMIN_TOKEN),
        Some(&json!({
            "id": id,
            "name": "Zambezi Valley Polytechnic",
            "country": "ZW",
            "framework": "ZNQF",
            "didMethod": did_method,
        })),
    )
    .unwrap();
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

/// Registers the institution `zvp` (through `addr`), makes it a registry member (verification
/// checks the issuer is one), returns its token.
pub fn register(addr: SocketAddr) -> String {
    let registered = register_only(addr, "zvp", "did-key");
    let reply = request(
        addr,
        "PUT",
        "/admin/registry/members/zvp",
        Some(ADMIN_TOKEN),
        Some(&json!({
            "name": "Zambezi Valley Polytechnic",
            "country": "ZW",
            "dids": [registered["institution"]["did"]],
            "framework": "ZNQF",
            "qualityAssurance": {"body": "ZIMCHE", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        })),
    )
    .unwrap();
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    registered["token"].as_str().unwrap().to_owned()
}

/// Stops the server with SIGTERM and waits for it to exit (graceful: the store is flushed).
impl Server {
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let status = child.wait().unwrap();
            assert!(status.success(), "{status}:\n{}", self.log_text());
        }
    }
}

/// Every credential of the institution, through `GET /credentials` paging.
pub fn list_all(addr: SocketAddr, token: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(id) => format!("/credentials?limit=100&after={id}"),
            None => "/credentials?limit=100".to_owned(),
        };
        let reply = request(addr, "GET", &path, Some(token), None).unwrap();
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let page = reply.json();
        all.extend(page["credentials"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => return all,
        }
    }
}
