//! `skillpass serve`: start-up, development mode, graceful shutdown.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::api_tokens::{self, TokenHasher, TokenOpening};
use crate::config::{Config, ServeFlags};
use crate::fetch::{DocumentCache, FetchPolicy, Fetcher};
use crate::http::{self, AppState, Limits};
use crate::keys;
use crate::keystore::{create_master_key_file, Keystore, MasterKeySource, Opening};
use crate::registry::{AccreditationStatus, Member, MemberHosts, QualityAssurance};
use crate::service::{new_token, DidMethod, NewInstitution, Service, SystemClock};
use crate::store::{PostgresStore, SledStore, Store};
use crate::subscription::{registry_host, Subscription};

/// Id of the example institution registered in development mode.
pub const EXAMPLE_INSTITUTION: &str = "example-college";

/// Logs to stderr; `RUST_LOG` overrides the default `skillpass=info,tower_http=info`, and
/// `SKILLPASS_LOG_FORMAT=json` is not offered: one format keeps the never-log rules simple.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "skillpass=info,tower_http=info".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Every ten minutes, removes the wallet protocols' expired tickets (codes, tokens, nonces,
/// exchanges); an expired ticket is refused anyway, this only reclaims the space.
async fn purge_expired_tickets(store: Arc<dyn Store>) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        let store = store.clone();
        match tokio::task::spawn_blocking(move || store.purge_tickets(chrono::Utc::now())).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::debug!(purged = n, "expired wallet tickets removed"),
            Ok(Err(e)) => tracing::warn!(error = %e, "could not purge expired wallet tickets"),
            Err(e) => tracing::warn!(error = %e, "ticket purge task failed"),
        }
    }
}

/// Runs the service until ctrl-c or SIGTERM, then flushes the store.
pub fn serve(config_file: Option<&Path>, flags: &ServeFlags) -> Result<()> {
    init_tracing();
    let config = Config::load_with(config_file, flags)?;
    // Before anything is opened: a partial configuration says what is missing (and `--dev`).
    let existing_data = config.database_url.is_some() || config.data_dir.exists();
    config.check_complete(existing_data)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run(config))
}

async fn run(config: Config) -> Result<()> {
    let open_store = || -> Result<Arc<dyn Store>> {
        if let Some(url) = &config.database_url {
            // The URL may hold a password: the error names the database, not the URL.
            return Ok(Arc::new(
                PostgresStore::connect(url).context("cannot open the PostgreSQL database")?,
            ));
        }
        Ok(Arc::new(SledStore::open(&config.data_dir).with_context(
            || format!("cannot open the data folder {}", config.data_dir.display()),
        )?))
    };
    let mut store = open_store()?;
    let (mut keys, opening) = open_keys(&config, store.clone())?;
    if config.database_url.is_none() && matches!(opening, Opening::Migrated(n) if n > 0) {
        // sled keeps the overwritten plaintext in its log: rewrite the folder without it.
        drop(keys);
        drop(store);
        SledStore::rewrite_folder(&config.data_dir)
            .context("cannot rewrite the data folder after sealing its keys")?;
        store = open_store()?;
        keys = open_keys(&config, store.clone())?.0;
    }
    // Other nodes' documents are fetched only from registry members' hosts, the configured
    // ones and the subscribed registry's host (docs/REGISTRY.md, "The registry across nodes").
    let mut allowed = config.fetch_allow_hosts.clone();
    if let Some(host) = config.registry.as_ref().and_then(|r| registry_host(&r.url)) {
        allowed.push(host);
    }
    let hosts = Arc::new(MemberHosts::new(store.clone(), allowed));
    let fetcher = Fetcher::new(FetchPolicy::default(), hosts)
        .map_err(|e| anyhow::anyhow!("cannot set up the fetcher: {e}"))?;
    let documents = DocumentCache::new(fetcher.clone(), 4096, Arc::new(SystemClock));
    let service = Arc::new(
        Service::new(store.clone(), &config.public_url, Arc::new(SystemClock))
            .with_status_list_ttl(Duration::from_secs(config.status_list_ttl_secs))
            .with_document_cache(documents)
            .with_key_custody(keys)
            .with_token_hasher(open_tokens(&config, store.as_ref())?),
    );

    let admin_token = match (&config.admin_token, config.development) {
        (Some(token), _) => token.clone(),
        (None, true) => {
            let token = new_token();
            tracing::warn!(
                data_dir = %config.data_dir.display(),
                "DEVELOPMENT MODE: no configuration given; using ./data and the example institution \
                 signing with keys-example/issuer.example.json (a public key: never deploy)"
            );
            // Printed once, on stderr, for the developer; it changes on every start.
            eprintln!("development admin token: {}", token.as_str());
            development_institution(&service)?;
            token
        }
        (None, false) => bail!(
            "no admin token: set SKILLPASS_ADMIN_TOKEN_FILE to a file holding one \
             (generate it with `openssl rand -hex 32`)"
        ),
    };
    let state = AppState {
        service: service.clone(),
        admin_token_hash: service.token_hash(&admin_token),
        wallet: crate::wallet::WalletConfig {
            offer_ttl: chrono::Duration::days(config.offer_ttl_days.into()),
            ..Default::default()
        },
    };
    let limits = Limits {
        max_body_bytes: config.max_body_bytes,
        timeout: Duration::from_secs(config.request_timeout_secs),
        ..Limits::default()
    };
    tokio::spawn(purge_expired_tickets(store.clone()));
    let subscription = config.registry.as_ref().map(|r| {
        let subscription = Arc::new(Subscription::new(
            &r.url,
            &r.publisher,
            Duration::from_secs(r.refresh_secs),
        ));
        tracing::info!(url = %r.url, publisher = %r.publisher, every_secs = r.refresh_secs, "subscribing to the alliance registry");
        tokio::spawn(subscription.clone().run(service.clone(), fetcher.clone()));
        subscription
    });
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(listen = %config.listen, public_url = %config.public_url, "skillpass is serving");
    let mut app = http::app(state, limits);
    if let Some(subscription) = subscription {
        app = app.layer(axum::Extension(subscription));
    }
    let connections = ConnectionLimits {
        header_timeout: Duration::from_secs(config.header_timeout_secs),
        max_connections: config.max_connections,
    };
    serve_connections(listener, app, connections, shutdown_signal()).await;
    tracing::info!("shutting down: flushing the store");
    store.flush().context("final flush failed")?;
    Ok(())
}

/// How connections are admitted and how long they may idle.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Time a connection has to send a complete request head, counted from when the server
    /// starts reading it (a new connection, or a keep-alive one after its last response). A
    /// connection that has not finished by then is closed.
    pub header_timeout: Duration,
    /// Connections served at once. The next one is accepted only when one closes; until then
    /// it waits in the operating system's listen queue (and is refused when that is full).
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            max_connections: 10_000,
        }
    }
}

/// Serves `app` (HTTP/1.1) on `listener` until `shutdown` completes; then stops accepting,
/// asks every open connection to finish its request in progress and close, and returns when
/// all have. Each request carries the peer's [`ConnectInfo<std::net::SocketAddr>`].
///
/// `axum::serve` has neither a header timeout nor a connection cap, so idle connections there
/// are kept forever and each holds memory (issue 16); this loop has both.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Typically out of file descriptors: wait rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // Header timeouts, resets and malformed requests: the client's doing.
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("no longer accepting connections; waiting for open ones to finish");
    graceful.shutdown().await;
}

/// The master key file development mode uses: beside the data folder (`./data` →
/// `./data.master-key`), so a copy of the folder does not carry it.
pub fn development_master_key_file(data_dir: &Path) -> std::path::PathBuf {
    let mut name = data_dir
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "data".into());
    name.push(".master-key");
    data_dir.with_file_name(name)
}

/// Opens the signing keys (docs/KEYS.md): with the configured master key; in development
/// mode without one, with a master key file beside the data folder (made on first start).
/// Refuses to start when the keys are encrypted and no or a wrong master key is given.
fn open_keys(config: &Config, store: Arc<dyn Store>) -> Result<(Arc<Keystore>, Opening)> {
    let development_file;
    let source = match (&config.master_key, config.development) {
        (Some(source), _) => Some(source),
        (None, true) => {
            let path = development_master_key_file(&config.data_dir);
            if !path.exists() {
                create_master_key_file(&path)?;
                tracing::warn!(path = %path.display(), "DEVELOPMENT MODE: made a master key file (mode 0600) for the signing keys at rest; keep it with the data folder, or the keys cannot be opened");
            } else {
                tracing::info!(path = %path.display(), "development mode: signing keys at rest are sealed with this master key file");
            }
            development_file = MasterKeySource::File(path);
            Some(&development_file)
        }
        (None, false) => None,
    };
    let (keys, opening) = Keystore::open(store, source)?;
    match opening {
        Opening::Sealed => tracing::info!("signing keys at rest: sealed with the master key"),
        Opening::Migrated(n) => tracing::warn!(
            keys = n,
            "signing keys at rest: sealed the plaintext keys with the master key (migration)"
        ),
        // Outside development mode keys are never kept in plaintext (issue 16). (Development
        // mode always has a master key.) A folder with sealed keys and no master key was
        // refused by `Keystore::open` already; this refuses before any key is written.
        Opening::Plaintext => bail!(
            "no master key: outside development mode signing keys are kept only sealed. Set \
             SKILLPASS_MASTER_KEY_FILE (or master_key_file in the configuration file) to a file \
             of 64 hex digits, mode 0600 (`openssl rand -hex 32 > FILE && chmod 600 FILE`), or \
             SKILLPASS_MASTER_PASSPHRASE; keys already stored in plaintext are sealed at that \
             start (docs/KEYS.md)"
        ),
    }
    let keys = keys.with_pkcs11_module(config.pkcs11_module.clone());
    let in_hsm = keys.open_hsm_keys().context(
        "cannot open an institution's signing key kept in a PKCS#11 token (docs/KEYS.md, \"Keys in an HSM\")",
    )?;
    if in_hsm > 0 {
        tracing::info!(
            keys = in_hsm,
            "signing keys in PKCS#11 tokens: opened and checked"
        );
    }
    Ok((Arc::new(keys), opening))
}

/// The token secret file development mode uses: beside the data folder (`./data` →
/// `./data.token-secret`).
pub fn development_token_secret_file(data_dir: &Path) -> std::path::PathBuf {
    let mut name = data_dir
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "data".into());
    name.push(".token-secret");
    data_dir.with_file_name(name)
}

/// How API tokens are stored (src/api_tokens.rs): HMAC-SHA-256 under the configured token
/// secret; in development mode without one, under a file made beside the data folder. Tokens
/// stored before as plain SHA-256 are re-hashed now. Refuses to start without a secret
/// outside development mode, and with a secret other than the one the tokens were stored with.
fn open_tokens(config: &Config, store: &dyn Store) -> Result<TokenHasher> {
    let path = match (&config.token_secret_file, config.development) {
        (Some(path), _) => path.clone(),
        (None, true) => {
            let path = development_token_secret_file(&config.data_dir);
            if !path.exists() {
                api_tokens::create_secret_file(&path)?;
                tracing::warn!(path = %path.display(), "DEVELOPMENT MODE: made a token secret file (mode 0600); API tokens are stored as HMAC under it");
            }
            path
        }
        (None, false) => bail!(
            "no token secret: set SKILLPASS_TOKEN_SECRET_FILE (or token_secret_file in the \
             configuration file) to a file of 64 hex digits, mode 0600 \
             (`openssl rand -hex 32 > FILE && chmod 600 FILE`); API tokens are stored as \
             HMAC-SHA-256 under it (docs/CONFIGURATION.md)"
        ),
    };
    let secret = api_tokens::read_secret_file(&path)?;
    let (hasher, opening) = api_tokens::open(store, secret)?;
    match opening {
        TokenOpening::Keyed => tracing::info!("API tokens at rest: HMAC under the token secret"),
        TokenOpening::Migrated(n) => tracing::warn!(
            institutions = n,
            "API tokens at rest: re-hashed the stored SHA-256 token hashes under the token secret (migration)"
        ),
    }
    Ok(hasher)
}

/// Registers (once) the example institution with the example key and prints a fresh API token.
fn development_institution(service: &Service) -> Result<()> {
    let key_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys-example/issuer.example.json");
    if service
        .store()
        .get_institution(EXAMPLE_INSTITUTION)?
        .is_none()
    {
        let key = keys::read_secret_key_file(&key_path)?;
        let new = NewInstitution {
            id: EXAMPLE_INSTITUTION.into(),
            name: "Example Vocational College (development only)".into(),
            country: "CN".into(),
            url: None,
            framework: "CN-VOC".into(),
            quality_assurance: None,
            did_method: DidMethod::DidKey,
        };
        service.register_with_key(new, key, "development")?;
    }
    // The registry is the alliance's decision, so registering an institution does not list
    // it; in development the example institution is listed so the service trusts its own
    // credentials. Only once: a developer's later edits to the member stay.
    if service.store().get_member(EXAMPLE_INSTITUTION)?.is_none() {
        let institution = service.institution(EXAMPLE_INSTITUTION)?;
        service.store().put_member(&Member {
            id: EXAMPLE_INSTITUTION.into(),
            name: institution.name.clone(),
            country: institution.country.clone(),
            dids: vec![institution.did.clone()],
            nodes: vec![],
            framework: institution.framework.clone(),
            quality_assurance: QualityAssurance {
                body: "Example quality-assurance body (development only)".into(),
                status: AccreditationStatus::Accredited,
                reference: None,
            },
            valid_from: institution.created,
            valid_until: None,
        })?;
    }
    let token = service.rotate_token(EXAMPLE_INSTITUTION, "development")?;
    eprintln!(
        "development institution {EXAMPLE_INSTITUTION} API token: {}",
        token.as_str()
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
