//! The one request skillpass makes to a node that is not another member's: the operator's
//! CLI asking its **own** node for something only an operator may have, with the admin token
//! (`skillpass backup --server`, `GET /admin/backup`).
//!
//! The guarded fetcher of this module reads small public documents from other nodes and
//! refuses exactly what this needs (loopback and private addresses, bodies of many megabytes,
//! a request carrying a secret), so this has rules of its own: the operator names the node;
//! plain `http` only to a loopback address (the token must not cross a network in clear); no
//! credentials in the URL; no redirects (the token goes to the named node only); no proxy from
//! the environment; a connect timeout and a read timeout but no total one (a large backup takes
//! as long as it takes).

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use reqwest::Url;

use crate::store::transfer::{self, TransferError};

/// Why the operator's node could not be asked, or did not answer with the file.
#[derive(Debug, thiserror::Error)]
pub enum OwnNodeError {
    /// The `--server` address is refused; the message says why and what to use.
    #[error("--server {server}: {why}")]
    Address { server: String, why: String },
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    #[error("cannot reach {url}: {source}")]
    Unreachable {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    /// The node answered, but not with the file (wrong token, plaintext keys, …).
    #[error("{url} refused the backup: HTTP {status}: {message}")]
    Refused {
        url: Url,
        status: reqwest::StatusCode,
        message: String,
    },
    #[error("the download from {url} broke off: {source}")]
    BrokeOff {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    #[error("the download from {url} ended after {written} of {expected} bytes")]
    Truncated {
        url: Url,
        written: u64,
        expected: u64,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    File(#[from] TransferError),
}

fn address(server: &str, why: impl Into<String>) -> OwnNodeError {
    OwnNodeError::Address {
        server: server.to_owned(),
        why: why.into(),
    }
}

/// How long the node may take to answer (it writes its consistent view first) and between two
/// chunks of the download.
const READ_TIMEOUT: Duration = Duration::from_secs(900);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The backup endpoint of `server` (`http(s)://host[:port][/prefix]`).
pub fn backup_url(server: &str) -> Result<Url, OwnNodeError> {
    let mut base = Url::parse(server).map_err(|e| address(server, format!("not a URL ({e})")))?;
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    let loopback = base.host_str().is_some_and(|host| {
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match base.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(address(
                server,
                "plain http only to this machine (127.0.0.1, [::1], localhost); the admin \
                 token must not cross a network unencrypted: use https",
            ))
        }
        other => return Err(address(server, format!("{other}: is not http or https"))),
    }
    if !base.username().is_empty() || base.password().is_some() {
        return Err(address(
            server,
            "must not carry credentials: the admin token comes from --token-file",
        ));
    }
    base.join("admin/backup")
        .map_err(|e| address(server, format!("cannot make the backup URL ({e})")))
}

/// Downloads `url` with the admin `token` into a new private file `partial`, synced.
pub async fn download(url: &Url, token: &str, partial: &Path) -> Result<(), OwnNodeError> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .build()
        .map_err(OwnNodeError::Client)?;
    let mut response = client
        .get(url.clone())
        .bearer_auth(token)
        .send()
        .await
        .map_err(|source| OwnNodeError::Unreachable {
            url: url.clone(),
            source,
        })?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        let body = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| body.chars().take(300).collect());
        return Err(OwnNodeError::Refused {
            url: url.clone(),
            status,
            message,
        });
    }
    let expected = response.content_length();
    let mut out = transfer::create_private(partial)?;
    let mut written = 0u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|source| OwnNodeError::BrokeOff {
            url: url.clone(),
            source,
        })?
    {
        out.write_all(&chunk).map_err(|e| write_error(partial, e))?;
        written += chunk.len() as u64;
    }
    if let Some(expected) = expected {
        if written != expected {
            return Err(OwnNodeError::Truncated {
                url: url.clone(),
                written,
                expected,
            });
        }
    }
    out.sync_all().map_err(|e| write_error(partial, e))?;
    Ok(())
}

fn write_error(path: &Path, source: std::io::Error) -> OwnNodeError {
    OwnNodeError::Write {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_crosses_no_network_in_clear() {
        assert_eq!(
            backup_url("http://127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080/admin/backup"
        );
        assert_eq!(
            backup_url("https://node.example/skillpass")
                .unwrap()
                .as_str(),
            "https://node.example/skillpass/admin/backup"
        );
        assert!(backup_url("http://localhost:8080/").is_ok());
        assert!(backup_url("http://[::1]:8080/").is_ok());
        assert!(backup_url("http://10.0.0.5:8080").is_err());
        assert!(backup_url("http://node.example").is_err());
        assert!(backup_url("ftp://node.example").is_err());
        assert!(backup_url("https://user:pw@node.example").is_err());
        assert!(backup_url("node.example").is_err());
    }
}
