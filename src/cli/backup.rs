//! `skillpass backup --server URL`: downloads an online backup from a serving node
//! (`GET /admin/backup`, [`crate::backup`]) into a file, checked whole before it is kept.
//!
//! This talks to the operator's own node, which the operator names, with the admin token. It
//! does not go through the guarded fetcher ([`crate::fetch`]): that one reads small public
//! documents from other nodes and refuses exactly what this needs (loopback and private
//! addresses, bodies over 1 MiB, a request carrying a secret). The rules here instead: plain
//! `http` only to a loopback address (the token must not cross a network in clear), no
//! redirects (the token goes to the named node only), no proxy from the environment, a connect
//! timeout and a read timeout but no total one (a large backup takes as long as it takes).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use reqwest::Url;

use crate::store::transfer;

/// How long the node may take to answer (it writes its consistent view first) and between two
/// chunks of the download.
const READ_TIMEOUT: Duration = Duration::from_secs(900);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The backup endpoint of `server` (`http(s)://host[:port][/prefix]`).
fn endpoint(server: &str) -> Result<Url> {
    let mut base =
        Url::parse(server).with_context(|| format!("--server {server:?} is not a URL"))?;
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
        "http" => bail!(
            "--server {server}: plain http only to this machine (127.0.0.1, [::1], localhost); \
             the admin token must not cross a network unencrypted: use https"
        ),
        other => bail!("--server {server}: {other}: is not http or https"),
    }
    if !base.username().is_empty() || base.password().is_some() {
        bail!("--server must not carry credentials: the admin token comes from --token-file");
    }
    base.join("admin/backup")
        .context("cannot make the backup URL")
}

fn read_token(path: &Path) -> Result<zeroize::Zeroizing<String>> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the admin token file {}", path.display()))?,
    );
    let token = text.trim();
    if token.is_empty() {
        bail!("the admin token file {} is empty", path.display());
    }
    Ok(zeroize::Zeroizing::new(token.to_owned()))
}

/// Downloads the backup of `server` into `file` (mode 0600; written beside it and renamed into
/// place once complete, synced and checked). Returns how many items it holds.
pub fn download(server: &str, token_file: Option<&Path>, file: &Path) -> Result<u64> {
    let url = endpoint(server)?;
    let token_file: PathBuf = token_file.map(Path::to_path_buf).ok_or_else(|| {
        anyhow!("--server needs the admin token: --token-file FILE (or SKILLPASS_ADMIN_TOKEN_FILE)")
    })?;
    let token = read_token(&token_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime for the download")?;
    let partial = file.with_extension("partial");
    let fetched = runtime.block_on(fetch(&url, &token, &partial));
    let checked = fetched.and_then(|()| {
        transfer::check_backup_file(&partial)
            .map_err(|e| anyhow!("the downloaded backup is not usable, so it was not kept: {e}"))
    });
    match checked {
        Ok(items) => {
            std::fs::rename(&partial, file)
                .with_context(|| format!("cannot rename it to {}", file.display()))?;
            Ok(items)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

async fn fetch(url: &Url, token: &str, partial: &Path) -> Result<()> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .build()
        .context("cannot set up the HTTP client")?;
    let mut response = client
        .get(url.clone())
        .bearer_auth(token)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        let body = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| body.chars().take(300).collect());
        bail!("{url} refused the backup: HTTP {status}: {message}");
    }
    let expected = response.content_length();
    let mut out = transfer::create_private(partial)?;
    let mut written = 0u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("the download from {url} broke off"))?
    {
        out.write_all(&chunk)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        written += chunk.len() as u64;
    }
    if let Some(expected) = expected {
        if written != expected {
            bail!("the download from {url} ended after {written} of {expected} bytes");
        }
    }
    out.sync_all()
        .with_context(|| format!("cannot sync {}", partial.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_crosses_no_network_in_clear() {
        assert_eq!(
            endpoint("http://127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080/admin/backup"
        );
        assert_eq!(
            endpoint("https://node.example/skillpass").unwrap().as_str(),
            "https://node.example/skillpass/admin/backup"
        );
        assert!(endpoint("http://localhost:8080/").is_ok());
        assert!(endpoint("http://[::1]:8080/").is_ok());
        assert!(endpoint("http://10.0.0.5:8080").is_err());
        assert!(endpoint("http://node.example").is_err());
        assert!(endpoint("ftp://node.example").is_err());
        assert!(endpoint("https://user:pw@node.example").is_err());
        assert!(endpoint("node.example").is_err());
    }
}
