//! Load generator: complete OpenID4VCI claims per second against a running `skillpass serve`.
//!
//! `benches/claims.sh` builds the release binary and runs this (`cargo bench --bench claims`).
//! It starts the server on loopback with a fresh data folder, registers an institution, issues
//! `CLAIMS` credentials with claim offers (`POST /records/batch?offer=true`, not timed), and
//! then, with `CONCURRENCY` wallets at once, claims every offer as an OpenID4VCI wallet does:
//!
//! 1. `GET` the credential offer (by reference),
//! 2. `POST` the token endpoint with the pre-authorized code and the one-time code,
//! 3. `POST` the nonce endpoint,
//! 4. `POST` the credential endpoint with an EdDSA key proof JWT (did:key) over that nonce.
//!
//! Metadata is fetched once, as a wallet caches it. Every claim must end with a credential
//! bound to the wallet's DID. It reports claims per second, the median and 95th percentile
//! of a whole claim, and the server's CPU milliseconds per claim (from /proc), which holds up
//! better than the rate when other processes share the cores — this generator among them.
//!
//! Environment: `SKILLPASS_BIN` (default `target/release/skillpass`), `CLAIMS` (2000),
//! `CONCURRENCY` (32).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

const PRE_AUTHORIZED: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's user + system CPU time so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let hz: u64 = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100);
    Duration::from_millis(ticks * 1000 / hz)
}

fn did_key(key: &SigningKey) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(key.verifying_key().as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

fn proof_jwt(key: &SigningKey, did: &str, audience: &str, nonce: &str) -> String {
    let fragment = did.strip_prefix("did:key:").unwrap();
    let header =
        json!({"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "kid": format!("{did}#{fragment}")});
    let iat = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({"aud": audience, "iat": iat, "nonce": nonce});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

async fn json_of(response: reqwest::Response, step: &str) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert!(status.is_success(), "{step}: {status} {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{step}: not JSON ({e}): {text}"))
}

/// The endpoints a wallet learns from the metadata.
struct Endpoints {
    issuer: String,
    token: String,
    nonce: String,
    credential: String,
}

async fn endpoints(http: &reqwest::Client, base: &str, institution: &str) -> Endpoints {
    let issuer_meta = json_of(
        http.get(format!(
            "{base}/.well-known/openid-credential-issuer/institutions/{institution}"
        ))
        .send()
        .await
        .unwrap(),
        "issuer metadata",
    )
    .await;
    let as_meta = json_of(
        http.get(format!(
            "{base}/.well-known/oauth-authorization-server/institutions/{institution}"
        ))
        .send()
        .await
        .unwrap(),
        "authorization server metadata",
    )
    .await;
    Endpoints {
        issuer: issuer_meta["credential_issuer"]
            .as_str()
            .unwrap()
            .to_owned(),
        token: as_meta["token_endpoint"].as_str().unwrap().to_owned(),
        nonce: issuer_meta["nonce_endpoint"].as_str().unwrap().to_owned(),
        credential: issuer_meta["credential_endpoint"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

/// One whole claim, as a wallet runs it.
async fn claim(
    http: &reqwest::Client,
    ends: &Endpoints,
    key: &SigningKey,
    did: &str,
    offer_uri: &str,
    tx_code: &str,
) {
    let offer = json_of(http.get(offer_uri).send().await.unwrap(), "offer").await;
    let code = offer["grants"][PRE_AUTHORIZED]["pre-authorized_code"]
        .as_str()
        .expect("pre-authorized code");
    let configuration = offer["credential_configuration_ids"][0].as_str().unwrap();
    let form = format!(
        "grant_type={}&pre-authorized_code={}&tx_code={}",
        PRE_AUTHORIZED.replace(':', "%3A"),
        code,
        tx_code
    );
    let token = json_of(
        http.post(&ends.token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap(),
        "token",
    )
    .await;
    let access = token["access_token"].as_str().unwrap();
    let nonce = json_of(http.post(&ends.nonce).send().await.unwrap(), "nonce").await;
    let jwt = proof_jwt(key, did, &ends.issuer, nonce["c_nonce"].as_str().unwrap());
    let body = json!({"credential_configuration_id": configuration, "proofs": {"jwt": [jwt]}});
    let issued = json_of(
        http.post(&ends.credential)
            .bearer_auth(access)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap(),
        "credential",
    )
    .await;
    assert_eq!(
        issued["credentials"][0]["credential"]["credentialSubject"]["id"], did,
        "the credential is bound to the wallet"
    );
}

fn start_server(bin: &str, port: u16, admin: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(bin)
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "skillpass=warn,tower_http=warn")
        .env("SKILLPASS_DATA_DIR", dir.path().join("data"))
        .env("SKILLPASS_LISTEN", format!("127.0.0.1:{port}"))
        .env("SKILLPASS_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("SKILLPASS_ADMIN_TOKEN", admin)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {bin} (build it with cargo build --release): {e}")
        });
    Server { child, _dir: dir }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let bin = std::env::var("SKILLPASS_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/skillpass").to_owned()
    });
    let claims = env_number("CLAIMS", 2000);
    let concurrency = env_number("CONCURRENCY", 32).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(&bin, claims, concurrency));
}

async fn run(bin: &str, claims: usize, concurrency: usize) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let admin = "bench-admin-token-0123456789abcdef0123456789abcdef";
    let server = start_server(bin, port, admin);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    for _ in 0..200 {
        if http.get(format!("{base}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let registered = json_of(
        http.post(format!("{base}/admin/institutions"))
            .bearer_auth(admin)
            .header("content-type", "application/json")
            .body(
                json!({"id": "bench", "name": "Bench Polytechnic", "country": "LA", "framework": "LQF"})
                    .to_string(),
            )
            .send()
            .await
            .unwrap(),
        "register",
    )
    .await;
    let token = registered["token"].as_str().unwrap().to_owned();

    // Issue the credentials with their offers (not timed).
    let record_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/records/szpu-nev-after-sales-service.json"
    );
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(record_path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    let mut lines = String::new();
    for n in 0..claims {
        record["recordId"] = json!(format!("bench-{n}"));
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    let started = Instant::now();
    let response = http
        .post(format!("{base}/records/batch?offer=true"))
        .bearer_auth(&token)
        .header("content-type", "application/x-ndjson")
        .body(lines)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let mut offers = Vec::with_capacity(claims);
    for line in text.lines() {
        let result: Value = serde_json::from_str(line).unwrap();
        if let Some(offer) = result.get("offer") {
            offers.push((
                offer["credentialOfferUri"].as_str().unwrap().to_owned(),
                offer["txCode"].as_str().unwrap().to_owned(),
            ));
        }
    }
    assert_eq!(
        offers.len(),
        claims,
        "every row issued with an offer: {text:.500}"
    );
    eprintln!(
        "set-up: {claims} credentials with offers in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let ends = Arc::new(endpoints(&http, &base, "bench").await);
    let queue = Arc::new(std::sync::Mutex::new(offers));
    let cpu_before = cpu_time(server.child.id());
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|n| {
            let (http, ends, queue) = (http.clone(), ends.clone(), queue.clone());
            tokio::spawn(async move {
                let key = SigningKey::from_bytes(&[n as u8 + 1; 32]);
                let did = did_key(&key);
                let mut times = Vec::new();
                loop {
                    let next = queue.lock().unwrap().pop();
                    let Some((uri, code)) = next else { break };
                    let one = Instant::now();
                    claim(&http, &ends, &key, &did, &uri, &code).await;
                    times.push(one.elapsed());
                }
                times
            })
        })
        .collect();
    let mut times = Vec::with_capacity(claims);
    for worker in workers {
        times.extend(worker.await.unwrap());
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time(server.child.id()) - cpu_before;
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "OpenID4VCI claims: {claims} in {:.2} s with {concurrency} wallets at once: {:.0} claims/s; \
         claim latency median {:.1} ms, p95 {:.1} ms; server CPU {:.2} ms per claim ({:.2} cores)",
        elapsed.as_secs_f64(),
        claims as f64 / elapsed.as_secs_f64(),
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.95).as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0 / claims as f64,
        cpu.as_secs_f64() / elapsed.as_secs_f64(),
    );
    drop(server);
}
