//! Service configuration: defaults, then a TOML file, then `SKILLPASS_*` environment variables.
//!
//! | setting | TOML key | environment | default |
//! |---|---|---|---|
//! | data folder (sled) | `data_dir` | `SKILLPASS_DATA_DIR` | `./data` |
//! | PostgreSQL database instead of sled (docs/POSTGRES.md) | `database_url` (no password in it) | `SKILLPASS_DATABASE_URL` | none: sled |
//! | listen address | `listen` | `SKILLPASS_LISTEN` | `127.0.0.1:8080` |
//! | public base URL (in credentials, QR codes, did:web) | `public_url` | `SKILLPASS_PUBLIC_URL` | `http://{listen}` |
//! | master key (signing keys at rest, docs/KEYS.md) | `master_key_file` | `SKILLPASS_MASTER_KEY_FILE` or `SKILLPASS_MASTER_PASSPHRASE` | development mode: `<data folder>.master-key`, made on first start |
//! | token secret (API tokens at rest: HMAC-SHA-256, src/api_tokens.rs) | `token_secret_file` | `SKILLPASS_TOKEN_SECRET_FILE` | development mode: `<data folder>.token-secret`, made on first start; otherwise required |
//! | PKCS#11 module institutions' HSM keys may load (docs/KEYS.md, "Keys in an HSM") | `pkcs11_module` | `SKILLPASS_PKCS11_MODULE` | none: no HSM keys |
//! | admin token (≥ 32 characters) | `admin_token_file` | `SKILLPASS_ADMIN_TOKEN` or `SKILLPASS_ADMIN_TOKEN_FILE` | development mode: random, printed once |
//! | largest request body, bytes | `max_body_bytes` | `SKILLPASS_MAX_BODY_BYTES` | 1 MiB |
//! | request timeout, seconds | `request_timeout_secs` | `SKILLPASS_REQUEST_TIMEOUT_SECS` | 30 |
//! | time a client has to send a request's headers, seconds | `header_timeout_secs` | `SKILLPASS_HEADER_TIMEOUT_SECS` | 10 |
//! | most connections served at once (more wait to be accepted) | `max_connections` | `SKILLPASS_MAX_CONNECTIONS` | 10,000 |
//! | default lifetime of a claim offer, days | `offer_ttl_days` | `SKILLPASS_OFFER_TTL_DAYS` | 30 |
//! | how long other verifiers may keep our status lists, seconds (`ttl`, `Cache-Control`) | `status_list_ttl_secs` | `SKILLPASS_STATUS_LIST_TTL_SECS` | 60 |
//! | hosts fetched from besides registry members' (`host` or `host:port`) | `fetch_allow_hosts` (list) | `SKILLPASS_FETCH_ALLOW_HOSTS` (comma-separated) | none |
//! | registry to subscribe to (another node's `GET /registry`) | `registry_url` | `SKILLPASS_REGISTRY_URL` | none |
//! | its publisher's DID (pinned; the other node's `GET /registry/did`) | `registry_publisher` | `SKILLPASS_REGISTRY_PUBLISHER` | none |
//! | how often the subscribed registry is fetched, seconds | `registry_refresh_secs` | `SKILLPASS_REGISTRY_REFRESH_SECS` | 600 |
//!
//! Secrets never sit in the TOML file itself: it can only point at a file holding them. With no
//! file, no variable and no admin token the service runs in *development mode*: data in
//! `./data`, the example institution from `keys-example/`, and a fresh admin token printed once.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroizing;

/// Everything `skillpass serve` needs to start.
pub struct Config {
    pub data_dir: PathBuf,
    /// A PostgreSQL URL: the store is PostgreSQL instead of sled in `data_dir`. It may hold a
    /// password (from the environment only), so it is never logged.
    pub database_url: Option<Zeroizing<String>>,
    pub listen: SocketAddr,
    /// Without a trailing slash.
    pub public_url: String,
    /// `None` in development mode, where a random token is made at start-up.
    pub admin_token: Option<Zeroizing<String>>,
    pub max_body_bytes: usize,
    pub request_timeout_secs: u64,
    /// Seconds a connection may take to send a request's headers before it is closed (≥ 1).
    pub header_timeout_secs: u64,
    /// Connections served at once (≥ 1); further ones wait in the listen queue.
    pub max_connections: usize,
    /// Default lifetime of a claim offer, in days (1 to 366).
    pub offer_ttl_days: u32,
    /// How long other verifiers may keep our status lists, in seconds (1 to 86,400): the lists'
    /// `ttl` and their `Cache-Control: max-age`. A revocation reaches other nodes within it.
    pub status_list_ttl_secs: u64,
    /// Hosts (`host` or `host:port`, lower case) the fetcher may read from besides the
    /// registry members' ([`crate::registry::MemberHosts`]).
    pub fetch_allow_hosts: Vec<String>,
    /// The alliance registry this node subscribes to, if any ([`crate::subscription`]).
    pub registry: Option<RegistrySubscription>,
    /// The key-encryption key of the signing keys at rest ([`crate::keystore`]); in
    /// development mode without one, a master key file is made beside the data folder.
    pub master_key: Option<crate::keystore::MasterKeySource>,
    /// The file holding the secret API tokens are stored under ([`crate::api_tokens`]); in
    /// development mode without one, a file is made beside the data folder.
    pub token_secret_file: Option<PathBuf>,
    /// The one PKCS#11 module (shared library) the service may load for HSM-held keys.
    pub pkcs11_module: Option<PathBuf>,
    /// No configuration at all was given, or `serve --dev`: run with the example institution.
    pub development: bool,
    /// What was configured (the file and the `SKILLPASS_*` variables given), named in the
    /// error when a partial configuration turned development mode off.
    pub given: Vec<String>,
}

/// What `skillpass serve` was told on its command line; it wins over the file and the
/// environment.
#[derive(Debug, Clone, Default)]
pub struct ServeFlags {
    /// `--dev`: development mode whatever else is configured.
    pub dev: bool,
    /// `--listen`.
    pub listen: Option<SocketAddr>,
}

/// Whether a PostgreSQL URL carries a password (`user:password@` or `password=`).
fn database_url_has_password(url: &str) -> bool {
    let authority = url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?']).next().unwrap_or(""))
        .unwrap_or("");
    let userinfo = authority.rsplit_once('@').map(|(u, _)| u).unwrap_or("");
    userinfo.contains(':') || url.contains("password=")
}

/// Where the subscribed registry is published and who must have signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrySubscription {
    /// The URL of the publishing node's `GET /registry` (https).
    pub url: String,
    /// The DID the document must be signed by (pinned: a document signed by anyone else is
    /// refused).
    pub publisher: String,
    /// How often the document is fetched (10 to 86,400 seconds).
    pub refresh_secs: u64,
}

/// A configuration that cannot be used, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{name}={value:?} is not valid: {expected}")]
    Invalid {
        name: String,
        value: String,
        expected: &'static str,
    },
    #[error("cannot read the admin token from {path}: {source}")]
    SecretFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the admin token must be at least 32 characters; generate one with `openssl rand -hex 32`"
    )]
    WeakAdminToken,
    #[error("set either a master key file (SKILLPASS_MASTER_KEY_FILE, master_key_file) or SKILLPASS_MASTER_PASSPHRASE, not both")]
    TwoMasterKeys,
    #[error("set either SKILLPASS_ADMIN_TOKEN or SKILLPASS_ADMIN_TOKEN_FILE, not both")]
    TwoAdminTokens,
    #[error("the database_url in the config file holds a password: the file must not hold secrets; set SKILLPASS_DATABASE_URL in the environment instead, or connect over a Unix socket without one")]
    PasswordInFile,
    #[error("unknown environment variable {0}: see `skillpass serve --help` for the valid SKILLPASS_* names")]
    UnknownVariable(String),
    /// Some configuration was given, so development mode is off, but not all that a
    /// production start needs.
    #[error("{}", incomplete_message(given, missing))]
    Incomplete {
        given: Vec<String>,
        missing: Vec<&'static str>,
    },
}

/// The settings a start outside development mode cannot do without, each with how to set it.
const PRODUCTION_NEEDS: [(&str, &str); 3] = [
    (
        "admin token",
        "SKILLPASS_ADMIN_TOKEN_FILE (or admin_token_file): a file holding `openssl rand -hex 32`",
    ),
    (
        "token secret",
        "SKILLPASS_TOKEN_SECRET_FILE (or token_secret_file): a file of 64 hex digits, mode 0600",
    ),
    (
        "master key",
        "SKILLPASS_MASTER_KEY_FILE (or master_key_file) or SKILLPASS_MASTER_PASSPHRASE: it seals the signing keys (docs/KEYS.md)",
    ),
];

fn incomplete_message(given: &[String], missing: &[&str]) -> String {
    let mut text = format!(
        "development mode is off because configuration was given ({}), but a production start also needs:",
        given.join(", ")
    );
    for name in missing {
        let how = PRODUCTION_NEEDS
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, how)| how);
        text.push_str(&format!("\n  - no {name}: set {how}"));
    }
    text.push_str(
        "\nTo try the service with these settings instead, start it in development mode: \
         `skillpass serve --dev` (add `--listen ADDRESS:PORT` for another address; the example \
         institution and printed tokens, never for production). docs/CONFIGURATION.md",
    );
    text
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    listen: Option<String>,
    public_url: Option<String>,
    admin_token_file: Option<PathBuf>,
    master_key_file: Option<PathBuf>,
    token_secret_file: Option<PathBuf>,
    pkcs11_module: Option<PathBuf>,
    max_body_bytes: Option<usize>,
    request_timeout_secs: Option<u64>,
    header_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
    offer_ttl_days: Option<u32>,
    status_list_ttl_secs: Option<u64>,
    fetch_allow_hosts: Option<Vec<String>>,
    registry_url: Option<String>,
    registry_publisher: Option<String>,
    registry_refresh_secs: Option<u64>,
}

const KNOWN_VARIABLES: &[&str] = &[
    "SKILLPASS_DATA_DIR",
    "SKILLPASS_DATABASE_URL",
    "SKILLPASS_LISTEN",
    "SKILLPASS_PUBLIC_URL",
    "SKILLPASS_ADMIN_TOKEN",
    "SKILLPASS_ADMIN_TOKEN_FILE",
    "SKILLPASS_MASTER_KEY_FILE",
    "SKILLPASS_MASTER_PASSPHRASE",
    "SKILLPASS_TOKEN_SECRET_FILE",
    "SKILLPASS_PKCS11_MODULE",
    "SKILLPASS_MAX_BODY_BYTES",
    "SKILLPASS_REQUEST_TIMEOUT_SECS",
    "SKILLPASS_HEADER_TIMEOUT_SECS",
    "SKILLPASS_MAX_CONNECTIONS",
    "SKILLPASS_OFFER_TTL_DAYS",
    "SKILLPASS_STATUS_LIST_TTL_SECS",
    "SKILLPASS_FETCH_ALLOW_HOSTS",
    "SKILLPASS_REGISTRY_URL",
    "SKILLPASS_REGISTRY_PUBLISHER",
    "SKILLPASS_REGISTRY_REFRESH_SECS",
    "SKILLPASS_CONFIG",
];

impl Config {
    /// Reads the optional TOML file and the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("SKILLPASS_"))
            .collect();
        Config::from_sources(file, &env)
    }

    /// [`Config::load`] with `serve`'s command-line flags on top.
    pub fn load_with(file: Option<&Path>, flags: &ServeFlags) -> Result<Config, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("SKILLPASS_"))
            .collect();
        Config::from_sources_with(file, &env, flags)
    }

    /// The layering itself, with the environment passed in so tests need not touch the process.
    pub fn from_sources(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
    ) -> Result<Config, ConfigError> {
        Config::from_sources_with(file, env, &ServeFlags::default())
    }

    /// What is missing for a start outside development mode (none in development mode):
    /// [`ConfigError::Incomplete`] names it and what turned development mode off, and points
    /// at `--dev`. With `existing_data` (a data folder or database that is already there) a
    /// missing master key is left to the keystore, which can say more (e.g. that the folder's
    /// keys are sealed).
    pub fn check_complete(&self, existing_data: bool) -> Result<(), ConfigError> {
        if self.development {
            return Ok(());
        }
        let mut missing = Vec::new();
        if self.admin_token.is_none() {
            missing.push(PRODUCTION_NEEDS[0].0);
        }
        if self.token_secret_file.is_none() {
            missing.push(PRODUCTION_NEEDS[1].0);
        }
        if self.master_key.is_none() && !existing_data {
            missing.push(PRODUCTION_NEEDS[2].0);
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(ConfigError::Incomplete {
            given: self.given.clone(),
            missing,
        })
    }

    /// [`Config::from_sources`] with `serve`'s flags on top.
    pub fn from_sources_with(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
        flags: &ServeFlags,
    ) -> Result<Config, ConfigError> {
        if let Some(unknown) = env.keys().find(|k| !KNOWN_VARIABLES.contains(&k.as_str())) {
            return Err(ConfigError::UnknownVariable(unknown.clone()));
        }
        let file_config = match file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
                        path: path.to_owned(),
                        source,
                    })?;
                toml::from_str::<FileConfig>(&text).map_err(|e| ConfigError::Parse {
                    path: path.to_owned(),
                    message: e.message().to_owned(),
                })?
            }
            None => FileConfig::default(),
        };
        let var = |name: &str| env.get(name).filter(|v| !v.is_empty()).cloned();

        let data_dir = var("SKILLPASS_DATA_DIR")
            .map(PathBuf::from)
            .or(file_config.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        if file_config
            .database_url
            .as_deref()
            .is_some_and(database_url_has_password)
        {
            return Err(ConfigError::PasswordInFile);
        }
        let database_url = var("SKILLPASS_DATABASE_URL")
            .or(file_config.database_url)
            .map(Zeroizing::new);
        if let Some(url) = &database_url {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError::Invalid {
                    name: "SKILLPASS_DATABASE_URL".into(),
                    value: "(not shown)".into(),
                    expected: "a postgres:// or postgresql:// URL, e.g. postgresql:///skillpass?host=/run/postgresql",
                });
            }
        }
        let listen_text = flags
            .listen
            .map(|a| a.to_string())
            .or_else(|| var("SKILLPASS_LISTEN"))
            .or(file_config.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_text.parse().map_err(|_| ConfigError::Invalid {
            name: "SKILLPASS_LISTEN".into(),
            value: listen_text.clone(),
            expected: "an IP address and port, e.g. 0.0.0.0:8080",
        })?;
        let public_url = var("SKILLPASS_PUBLIC_URL")
            .or(file_config.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        let public_url = public_url.trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
            || public_url.contains(['?', '#', ' '])
        {
            return Err(ConfigError::Invalid {
                name: "SKILLPASS_PUBLIC_URL".into(),
                value: public_url,
                expected:
                    "an http(s) URL without query or fragment, e.g. https://skillpass.example.edu",
            });
        }
        let max_body_bytes = parse_number(
            "SKILLPASS_MAX_BODY_BYTES",
            var("SKILLPASS_MAX_BODY_BYTES"),
            file_config.max_body_bytes,
            1 << 20,
        )?;
        let request_timeout_secs = parse_number(
            "SKILLPASS_REQUEST_TIMEOUT_SECS",
            var("SKILLPASS_REQUEST_TIMEOUT_SECS"),
            file_config.request_timeout_secs,
            30,
        )?;
        let header_timeout_secs = parse_number(
            "SKILLPASS_HEADER_TIMEOUT_SECS",
            var("SKILLPASS_HEADER_TIMEOUT_SECS"),
            file_config.header_timeout_secs,
            10,
        )?;
        let max_connections = parse_number(
            "SKILLPASS_MAX_CONNECTIONS",
            var("SKILLPASS_MAX_CONNECTIONS"),
            file_config.max_connections,
            10_000,
        )?;
        for (name, value) in [
            ("header_timeout_secs", header_timeout_secs as usize),
            ("max_connections", max_connections),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    name: name.into(),
                    value: "0".into(),
                    expected: "a positive whole number",
                });
            }
        }
        let offer_ttl_days = parse_number(
            "SKILLPASS_OFFER_TTL_DAYS",
            var("SKILLPASS_OFFER_TTL_DAYS"),
            file_config.offer_ttl_days,
            30,
        )?;
        if !(1..=366).contains(&offer_ttl_days) {
            return Err(ConfigError::Invalid {
                name: "SKILLPASS_OFFER_TTL_DAYS".into(),
                value: offer_ttl_days.to_string(),
                expected: "a number of days from 1 to 366",
            });
        }
        let status_list_ttl_secs = parse_number(
            "SKILLPASS_STATUS_LIST_TTL_SECS",
            var("SKILLPASS_STATUS_LIST_TTL_SECS"),
            file_config.status_list_ttl_secs,
            60,
        )?;
        if !(1..=86_400).contains(&status_list_ttl_secs) {
            return Err(ConfigError::Invalid {
                name: "SKILLPASS_STATUS_LIST_TTL_SECS".into(),
                value: status_list_ttl_secs.to_string(),
                expected: "a number of seconds from 1 to 86400",
            });
        }
        let fetch_allow_hosts: Vec<String> = match var("SKILLPASS_FETCH_ALLOW_HOSTS") {
            Some(list) => list
                .split(',')
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
            None => file_config
                .fetch_allow_hosts
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
        };
        for host in &fetch_allow_hosts {
            if crate::registry::check_origin(&format!("https://{host}")).is_err() {
                return Err(ConfigError::Invalid {
                    name: "SKILLPASS_FETCH_ALLOW_HOSTS".into(),
                    value: host.clone(),
                    expected: "host names or host:port pairs separated by commas, e.g. skillpass.kpm.edu.my,node.example:8443",
                });
            }
        }
        let registry = registry_subscription(
            var("SKILLPASS_REGISTRY_URL").or(file_config.registry_url),
            var("SKILLPASS_REGISTRY_PUBLISHER").or(file_config.registry_publisher),
            parse_number(
                "SKILLPASS_REGISTRY_REFRESH_SECS",
                var("SKILLPASS_REGISTRY_REFRESH_SECS"),
                file_config.registry_refresh_secs,
                600,
            )?,
        )?;

        let master_key = match (
            var("SKILLPASS_MASTER_KEY_FILE")
                .map(PathBuf::from)
                .or(file_config.master_key_file),
            var("SKILLPASS_MASTER_PASSPHRASE"),
        ) {
            (Some(_), Some(_)) => return Err(ConfigError::TwoMasterKeys),
            (Some(path), None) => Some(crate::keystore::MasterKeySource::File(path)),
            (None, Some(p)) => Some(crate::keystore::MasterKeySource::Passphrase(
                Zeroizing::new(p),
            )),
            (None, None) => None,
        };
        let token_file = var("SKILLPASS_ADMIN_TOKEN_FILE")
            .map(PathBuf::from)
            .or(file_config.admin_token_file);
        let admin_token = match (var("SKILLPASS_ADMIN_TOKEN"), token_file) {
            (Some(_), Some(_)) if env.contains_key("SKILLPASS_ADMIN_TOKEN_FILE") => {
                return Err(ConfigError::TwoAdminTokens)
            }
            (Some(token), _) => Some(Zeroizing::new(token)),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| ConfigError::SecretFile { path, source })?;
                Some(Zeroizing::new(text.trim().to_owned()))
            }
            (None, None) => None,
        };
        if admin_token.as_ref().is_some_and(|t| t.len() < 32) {
            return Err(ConfigError::WeakAdminToken);
        }
        let token_secret_file = var("SKILLPASS_TOKEN_SECRET_FILE")
            .map(PathBuf::from)
            .or(file_config.token_secret_file);
        let pkcs11_module = var("SKILLPASS_PKCS11_MODULE")
            .map(PathBuf::from)
            .or(file_config.pkcs11_module);
        let development = flags.dev || (file.is_none() && env.is_empty());
        let mut given: Vec<String> = file
            .map(|f| format!("the configuration file {}", f.display()))
            .into_iter()
            .collect();
        given.extend(env.keys().cloned());
        Ok(Config {
            data_dir,
            database_url,
            listen,
            public_url,
            admin_token,
            master_key,
            token_secret_file,
            pkcs11_module,
            max_body_bytes,
            request_timeout_secs,
            header_timeout_secs,
            max_connections,
            offer_ttl_days,
            status_list_ttl_secs,
            fetch_allow_hosts,
            registry,
            development,
            given,
        })
    }
}

/// The subscription settings: a URL and a publisher, both or neither.
fn registry_subscription(
    url: Option<String>,
    publisher: Option<String>,
    refresh_secs: u64,
) -> Result<Option<RegistrySubscription>, ConfigError> {
    let invalid = |name: &str, value: &str, expected: &'static str| ConfigError::Invalid {
        name: name.into(),
        value: value.into(),
        expected,
    };
    let (url, publisher) = match (url, publisher) {
        (None, None) => return Ok(None),
        (Some(url), Some(publisher)) => (url, publisher),
        (Some(url), None) => {
            return Err(invalid(
                "SKILLPASS_REGISTRY_URL",
                &url,
                "set together with SKILLPASS_REGISTRY_PUBLISHER (the DID the registry must be signed by)",
            ))
        }
        (None, Some(publisher)) => {
            return Err(invalid(
                "SKILLPASS_REGISTRY_PUBLISHER",
                &publisher,
                "set together with SKILLPASS_REGISTRY_URL (where the registry is published)",
            ))
        }
    };
    // The fetcher reads https only (plain http is for loopback test nodes built in code).
    if !url.starts_with("https://") || crate::subscription::registry_host(&url).is_none() {
        return Err(invalid(
            "SKILLPASS_REGISTRY_URL",
            &url,
            "an https URL such as https://secretariat.example/registry",
        ));
    }
    if !crate::registry::is_did(&publisher) {
        return Err(invalid(
            "SKILLPASS_REGISTRY_PUBLISHER",
            &publisher,
            "the publisher's DID, e.g. did:key:z6Mk… (the publishing node's GET /registry/did)",
        ));
    }
    if !(10..=86_400).contains(&refresh_secs) {
        return Err(invalid(
            "SKILLPASS_REGISTRY_REFRESH_SECS",
            &refresh_secs.to_string(),
            "a number of seconds from 10 to 86400",
        ));
    }
    Ok(Some(RegistrySubscription {
        url,
        publisher,
        refresh_secs,
    }))
}

fn parse_number<T: std::str::FromStr + Copy>(
    name: &str,
    env: Option<String>,
    file: Option<T>,
    default: T,
) -> Result<T, ConfigError> {
    match env {
        Some(text) => text.parse().map_err(|_| ConfigError::Invalid {
            name: name.into(),
            value: text,
            expected: "a positive whole number",
        }),
        None => Ok(file.unwrap_or(default)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_offer_lifetime_is_a_number_of_days_within_a_year() {
        let config =
            Config::from_sources(None, &env(&[("SKILLPASS_OFFER_TTL_DAYS", "7")])).unwrap();
        assert_eq!(config.offer_ttl_days, 7);
        assert_eq!(
            Config::from_sources(None, &env(&[]))
                .unwrap()
                .offer_ttl_days,
            30
        );
        for bad in ["0", "367", "-1", "soon"] {
            let err = Config::from_sources(None, &env(&[("SKILLPASS_OFFER_TTL_DAYS", bad)]))
                .err()
                .unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(
                err.to_string().contains("SKILLPASS_OFFER_TTL_DAYS"),
                "{err}"
            );
        }
    }

    #[test]
    fn the_status_list_ttl_is_a_number_of_seconds_up_to_a_day() {
        assert_eq!(
            Config::from_sources(None, &env(&[]))
                .unwrap()
                .status_list_ttl_secs,
            60
        );
        let c =
            Config::from_sources(None, &env(&[("SKILLPASS_STATUS_LIST_TTL_SECS", "5")])).unwrap();
        assert_eq!(c.status_list_ttl_secs, 5);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("skillpass.toml");
        std::fs::write(&file, "status_list_ttl_secs = 300\n").unwrap();
        let c = Config::from_sources(Some(&file), &env(&[])).unwrap();
        assert_eq!(c.status_list_ttl_secs, 300);
        for bad in ["0", "86401", "-1", "a minute"] {
            let err = Config::from_sources(None, &env(&[("SKILLPASS_STATUS_LIST_TTL_SECS", bad)]))
                .err()
                .unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(
                err.to_string().contains("SKILLPASS_STATUS_LIST_TTL_SECS"),
                "{err}"
            );
        }
    }

    #[test]
    fn the_registry_subscription_needs_a_url_and_a_publisher() {
        let c = Config::from_sources(None, &env(&[])).unwrap();
        assert!(c.registry.is_none());
        assert!(c.fetch_allow_hosts.is_empty());
        let did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        let c = Config::from_sources(
            None,
            &env(&[
                ("SKILLPASS_REGISTRY_URL", "https://sec.example/registry"),
                ("SKILLPASS_REGISTRY_PUBLISHER", did),
                ("SKILLPASS_FETCH_ALLOW_HOSTS", "A.example, b.example:8443,"),
            ]),
        )
        .unwrap();
        assert_eq!(
            c.registry,
            Some(RegistrySubscription {
                url: "https://sec.example/registry".into(),
                publisher: did.into(),
                refresh_secs: 600,
            })
        );
        assert_eq!(c.fetch_allow_hosts, ["a.example", "b.example:8443"]);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("skillpass.toml");
        std::fs::write(
            &file,
            format!(
                "registry_url = \"https://sec.example/registry\"\nregistry_publisher = \"{did}\"\n\
                 registry_refresh_secs = 60\nfetch_allow_hosts = [\"c.example\"]\n"
            ),
        )
        .unwrap();
        let c = Config::from_sources(Some(&file), &env(&[])).unwrap();
        assert_eq!(c.registry.unwrap().refresh_secs, 60);
        assert_eq!(c.fetch_allow_hosts, ["c.example"]);

        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("SKILLPASS_REGISTRY_URL", "https://sec.example/registry")],
                "SKILLPASS_REGISTRY_URL",
            ),
            (
                &[("SKILLPASS_REGISTRY_PUBLISHER", did)],
                "SKILLPASS_REGISTRY_PUBLISHER",
            ),
            (
                &[
                    ("SKILLPASS_REGISTRY_URL", "ftp://sec.example/r"),
                    ("SKILLPASS_REGISTRY_PUBLISHER", did),
                ],
                "SKILLPASS_REGISTRY_URL",
            ),
            (
                &[
                    ("SKILLPASS_REGISTRY_URL", "http://127.0.0.1:8080/registry"),
                    ("SKILLPASS_REGISTRY_PUBLISHER", did),
                ],
                "SKILLPASS_REGISTRY_URL",
            ),
            (
                &[
                    ("SKILLPASS_REGISTRY_URL", "https://sec.example/r"),
                    ("SKILLPASS_REGISTRY_PUBLISHER", "someone"),
                ],
                "SKILLPASS_REGISTRY_PUBLISHER",
            ),
            (
                &[
                    ("SKILLPASS_REGISTRY_URL", "https://sec.example/r"),
                    ("SKILLPASS_REGISTRY_PUBLISHER", did),
                    ("SKILLPASS_REGISTRY_REFRESH_SECS", "5"),
                ],
                "SKILLPASS_REGISTRY_REFRESH_SECS",
            ),
            (
                &[("SKILLPASS_FETCH_ALLOW_HOSTS", "a.example/path")],
                "SKILLPASS_FETCH_ALLOW_HOSTS",
            ),
        ];
        for (vars, name) in cases {
            let err = Config::from_sources(None, &env(vars))
                .err()
                .unwrap_or_else(|| panic!("{vars:?} was accepted"));
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    /// Issue 15: a partial configuration says what turned development mode off, what is
    /// missing and that `--dev` runs development mode with these settings.
    #[test]
    fn a_partial_configuration_names_what_is_missing_and_dev() {
        let c =
            Config::from_sources(None, &env(&[("SKILLPASS_LISTEN", "127.0.0.1:9000")])).unwrap();
        assert!(!c.development);
        let text = c.check_complete(false).unwrap_err().to_string();
        for needle in [
            "development mode is off because configuration was given (SKILLPASS_LISTEN)",
            "no admin token: set SKILLPASS_ADMIN_TOKEN_FILE",
            "no token secret: set SKILLPASS_TOKEN_SECRET_FILE",
            "no master key: set SKILLPASS_MASTER_KEY_FILE",
            "`skillpass serve --dev`",
            "--listen",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        // Only what is missing is listed.
        let c = Config::from_sources(
            None,
            &env(&[
                ("SKILLPASS_LISTEN", "127.0.0.1:9000"),
                ("SKILLPASS_ADMIN_TOKEN", &"a".repeat(32)),
                (
                    "SKILLPASS_MASTER_PASSPHRASE",
                    "correct horse battery staple",
                ),
            ]),
        )
        .unwrap();
        let text = c.check_complete(false).unwrap_err().to_string();
        assert!(text.contains("no token secret"), "{text}");
        assert!(!text.contains("no admin token"), "{text}");
        assert!(!text.contains("no master key"), "{text}");
        assert!(!text.contains("aaaa"), "no secrets' values: {text}");
        assert!(!text.contains("horse"), "no secrets' values: {text}");
        // With data already there, the keystore speaks about the master key.
        let c =
            Config::from_sources(None, &env(&[("SKILLPASS_LISTEN", "127.0.0.1:9000")])).unwrap();
        let text = c.check_complete(true).unwrap_err().to_string();
        assert!(!text.contains("no master key"), "{text}");
        assert!(text.contains("no admin token"), "{text}");
        // Complete: fine. No configuration: development mode, fine.
        let c = Config::from_sources(
            None,
            &env(&[
                ("SKILLPASS_ADMIN_TOKEN", &"a".repeat(32)),
                (
                    "SKILLPASS_MASTER_PASSPHRASE",
                    "correct horse battery staple",
                ),
                ("SKILLPASS_TOKEN_SECRET_FILE", "/run/secrets/token"),
            ]),
        )
        .unwrap();
        c.check_complete(false).unwrap();
        Config::from_sources(None, &env(&[]))
            .unwrap()
            .check_complete(false)
            .unwrap();
    }

    #[test]
    fn dev_flag_is_development_mode_with_other_settings() {
        let flags = ServeFlags {
            dev: true,
            listen: Some("127.0.0.1:9123".parse().unwrap()),
        };
        let c = Config::from_sources_with(
            None,
            &env(&[
                ("SKILLPASS_LISTEN", "127.0.0.1:9000"),
                ("SKILLPASS_DATA_DIR", "/tmp/x"),
            ]),
            &flags,
        )
        .unwrap();
        assert!(c.development);
        assert_eq!(c.listen, "127.0.0.1:9123".parse().unwrap(), "--listen wins");
        assert_eq!(c.public_url, "http://127.0.0.1:9123");
        assert_eq!(c.data_dir, PathBuf::from("/tmp/x"));
        c.check_complete(false).unwrap();
    }

    #[test]
    fn no_configuration_is_development_mode_with_defaults() {
        let c = Config::from_sources(None, &env(&[])).unwrap();
        assert!(c.development);
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(c.admin_token.is_none());
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("skillpass.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\npublic_url = \"https://a.example/\"\ndata_dir = \"/srv/a\"\n",
        )
        .unwrap();
        let c = Config::from_sources(
            Some(&file),
            &env(&[("SKILLPASS_PUBLIC_URL", "https://b.example")]),
        )
        .unwrap();
        assert!(!c.development);
        assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(c.public_url, "https://b.example");
        assert_eq!(c.data_dir, PathBuf::from("/srv/a"));
    }

    #[test]
    fn admin_token_from_a_file_is_trimmed_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let token = dir.path().join("token");
        std::fs::write(&token, format!("{}\n", "t".repeat(40))).unwrap();
        let path = token.to_str().unwrap();
        let c = Config::from_sources(None, &env(&[("SKILLPASS_ADMIN_TOKEN_FILE", path)])).unwrap();
        assert_eq!(c.admin_token.unwrap().as_str(), "t".repeat(40));

        std::fs::write(&token, "short").unwrap();
        let err = Config::from_sources(None, &env(&[("SKILLPASS_ADMIN_TOKEN_FILE", path)]))
            .err()
            .unwrap();
        assert!(matches!(err, ConfigError::WeakAdminToken));
        // The message says how to make a good one and never echoes the token.
        assert!(err.to_string().contains("openssl rand"));
        assert!(!err.to_string().contains("short"));
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::from_sources(None, &env(&[("SKILLPASS_LISTEN", "localhost")]))
            .err()
            .unwrap();
        assert!(err.to_string().contains("SKILLPASS_LISTEN"), "{err}");
        let err = Config::from_sources(None, &env(&[("SKILLPASS_PUBLIC_URL", "ftp://x")]))
            .err()
            .unwrap();
        assert!(err.to_string().contains("SKILLPASS_PUBLIC_URL"), "{err}");
        let err = Config::from_sources(None, &env(&[("SKILLPASS_LISTN", "x")]))
            .err()
            .unwrap();
        assert!(matches!(err, ConfigError::UnknownVariable(_)));
        let err = Config::from_sources(None, &env(&[("SKILLPASS_MAX_BODY_BYTES", "lots")]))
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("SKILLPASS_MAX_BODY_BYTES"),
            "{err}"
        );
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("skillpass.toml");
        std::fs::write(&file, "admin_token = \"inline secrets are not allowed\"\n").unwrap();
        let err = Config::from_sources(Some(&file), &env(&[])).err().unwrap();
        assert!(matches!(err, ConfigError::Parse { .. }), "{err}");
        assert!(!err.to_string().contains("inline secrets"), "{err}");
    }

    #[test]
    fn both_token_sources_are_refused() {
        let err = Config::from_sources(
            None,
            &env(&[
                ("SKILLPASS_ADMIN_TOKEN", &"a".repeat(40)),
                ("SKILLPASS_ADMIN_TOKEN_FILE", "/nonexistent"),
            ]),
        )
        .err()
        .unwrap();
        assert!(matches!(err, ConfigError::TwoAdminTokens));
    }

    #[test]
    fn the_database_url_chooses_postgres_and_keeps_passwords_out_of_the_file() {
        assert!(Config::from_sources(None, &env(&[]))
            .unwrap()
            .database_url
            .is_none());
        let url = "postgresql:///skillpass?host=/run/postgresql";
        let c = Config::from_sources(None, &env(&[("SKILLPASS_DATABASE_URL", url)])).unwrap();
        assert_eq!(c.database_url.as_deref().map(String::as_str), Some(url));
        let bad = Config::from_sources(None, &env(&[("SKILLPASS_DATABASE_URL", "mysql://x/y")]))
            .err()
            .unwrap();
        assert!(bad.to_string().contains("SKILLPASS_DATABASE_URL"), "{bad}");
        assert!(
            !bad.to_string().contains("mysql"),
            "the value is not echoed: {bad}"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("skillpass.toml");
        std::fs::write(&file, format!("database_url = \"{url}\"\n")).unwrap();
        let c = Config::from_sources(Some(&file), &env(&[])).unwrap();
        assert_eq!(c.database_url.as_deref().map(String::as_str), Some(url));
        for with_password in [
            "postgres://app:secret@db.example/skillpass",
            "postgresql:///skillpass?host=/run/postgresql&password=secret",
        ] {
            std::fs::write(&file, format!("database_url = \"{with_password}\"\n")).unwrap();
            let err = Config::from_sources(Some(&file), &env(&[])).err().unwrap();
            assert!(
                matches!(err, ConfigError::PasswordInFile),
                "{with_password}"
            );
        }
        assert!(!database_url_has_password(
            "postgres://app@db.example/skillpass"
        ));
    }
}
