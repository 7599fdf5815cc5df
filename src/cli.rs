//! The `skillpass` command line: argument parsing and the commands.
//!
//! Exit codes: 0 success (for `verify`: verified), 1 `verify` ran and the document is not
//! verified, 2 usage errors and everything that could not be done or checked. Errors print as
//! one line on stderr; they never carry key material.

pub mod backup;
pub mod bench;
pub mod hsm;
pub mod members;
mod recognise;
pub mod staff;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, SubsecRound, Utc};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};

use crate::canon;
use crate::contexts::ContextRegistry;
use crate::credential;
use crate::did::{self, DidKeyResolver};
use crate::fetch::{
    DocumentCache, FetchPolicy, Fetcher, RemoteDidResolver, RemoteStatusLists, StaticHosts,
};
use crate::keys::{self, SecretKey};
use crate::presentation::{self, PresentOptions};
use crate::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use crate::verify::{self, LayeredStatusLists, LocalStatusLists, VerifyOptions};

/// Issue, hold and verify vocational learning-outcome credentials.
#[derive(Debug, Parser)]
#[command(name = "skillpass", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate an Ed25519 signing key (a Multikey key file, mode 0600).
    Keygen {
        /// Where to write the key file; without it the key file is printed on stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Derive the key from this 32-byte seed (64 hex digits) instead of the OS RNG.
        /// For tests and reproducible examples only.
        #[arg(long, value_name = "HEX")]
        seed: Option<String>,
    },
    /// Turn a learning-outcome record into a signed credential (printed on stdout).
    Issue {
        /// The institution's signing key file.
        #[arg(long)]
        key: PathBuf,
        /// The Data Integrity cryptosuite.
        #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = parse_suite)]
        suite: Cryptosuite,
        /// The record (JSON), or `-` for stdin.
        record: String,
    },
    /// Verify a credential or presentation; prints the JSON report.
    /// Exit 0 verified, 1 not verified, 2 could not check.
    Verify {
        /// The challenge the presentation must carry.
        #[arg(long)]
        challenge: Option<String>,
        /// The domain the presentation must be bound to.
        #[arg(long)]
        domain: Option<String>,
        /// Serve an extra JSON-LD context from a local file (repeatable).
        #[arg(long = "context", value_name = "URL=FILE")]
        contexts: Vec<String>,
        /// Check validity windows at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        /// A BitstringStatusListCredential (JSON file) for the credential's status entries
        /// (repeatable); served under its `id`, before anything is fetched.
        #[arg(long = "status-list", value_name = "FILE")]
        status_lists: Vec<PathBuf>,
        #[command(flatten)]
        fetch: FetchArgs,
        /// The document (JSON), or `-` for stdin.
        file: String,
    },
    /// Print a key's DID and DID document.
    Did {
        /// A key file (public-only key files work too).
        #[arg(long)]
        key: PathBuf,
    },
    /// Add your proof to a signed credential (printed on stdout): it joins the proof set, or,
    /// with --previous-proof, is chained to the named proofs (they become part of what it signs).
    /// The existing proofs must hold. E.g. an accreditation body countersigning a credential.
    Countersign {
        /// The countersigner's signing key file.
        #[arg(long)]
        key: PathBuf,
        /// The Data Integrity cryptosuite.
        #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = parse_suite)]
        suite: Cryptosuite,
        /// Chain the new proof to the existing proof with this id (repeatable).
        #[arg(long = "previous-proof")]
        previous_proof: Vec<String>,
        /// The signed credential (JSON), or `-` for stdin.
        credential: String,
    },
    /// Wrap credentials in a presentation signed by the holder (printed on stdout).
    Present {
        /// The holder's (learner's) key file.
        #[arg(long)]
        key: PathBuf,
        /// The verifier's challenge.
        #[arg(long)]
        challenge: String,
        /// The verifier's domain.
        #[arg(long)]
        domain: Option<String>,
        /// The Data Integrity cryptosuite.
        #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = parse_suite)]
        suite: Cryptosuite,
        /// Signed credentials (JSON files).
        #[arg(required = true)]
        credentials: Vec<PathBuf>,
    },
    /// Print a document's canonical N-Quads (RDFC-1.0, as eddsa-rdfc-2022 signs them).
    Canon {
        /// Serve an extra JSON-LD context from a local file (repeatable).
        #[arg(long = "context", value_name = "URL=FILE")]
        contexts: Vec<String>,
        /// The document (JSON), or `-` for stdin; its `proof` is left out.
        file: String,
    },
    /// Issue a credential for a sample record with the example key, verify it, and show both.
    Demo,
    /// Sign many records offline with a key file: one credential file per row in --out, plus
    /// results.jsonl with a result line per row. Exit 0 all rows issued or existing, 1 some rows
    /// had errors, 2 the batch could not run. See docs/BATCH.md.
    Batch {
        /// The institution's signing key file.
        #[arg(long)]
        key: PathBuf,
        /// The records: JSON Lines (.jsonl, .ndjson) or CSV (.csv), or `-` for stdin.
        #[arg(long)]
        input: PathBuf,
        /// The input format; by default from the input's extension.
        #[arg(long, value_enum)]
        format: Option<crate::batch::Format>,
        /// The output folder (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The Data Integrity cryptosuite.
        #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = parse_suite)]
        suite: Cryptosuite,
        /// Signing threads; by default one per CPU.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Run the HTTP issuer service. With no configuration at all it starts in development mode
    /// (data in ./data, the example institution, a printed admin token).
    Serve {
        /// A TOML configuration file (see `docs/CONFIGURATION.md`); `SKILLPASS_*` environment
        /// variables override it.
        #[arg(long, env = "SKILLPASS_CONFIG")]
        config: Option<PathBuf>,
        /// Development mode whatever else is configured: the example institution, a random
        /// admin token and an API token printed once, a master key and token secret made
        /// beside the data folder. Never for production.
        #[arg(long)]
        dev: bool,
        /// Listen on this address and port (overrides SKILLPASS_LISTEN and the file).
        #[arg(long, value_name = "ADDRESS:PORT")]
        listen: Option<std::net::SocketAddr>,
    },
    /// The service's signing keys at rest (docs/KEYS.md).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The alliance trust registry, offline: edit a registry file, sign it, verify a signed one.
    Registry {
        #[command(subcommand)]
        command: members::RegistryCommand,
    },
    /// Console accounts (docs/CONSOLE.md): add institution staff or the node's operators.
    Staff {
        #[command(subcommand)]
        command: staff::StaffCommand,
    },
    /// Decide whether a credential (or a presentation carrying one) is recognised in a framework:
    /// verify it, map its level and credits, and print the decision with its reasons (short
    /// text; the full answer as JSON with --json). Exit 0 recognised, 1 recognised with
    /// conditions, cannot be decided automatically or not recognised, 2 could not check.
    Recognise {
        /// The receiving framework id (e.g. EQF), or the id of a member of --registry (its
        /// framework is used).
        #[arg(long = "for", value_name = "FRAMEWORK|INSTITUTION")]
        receiving: String,
        /// The challenge the presentation must carry.
        #[arg(long)]
        challenge: Option<String>,
        /// The domain the presentation must be bound to.
        #[arg(long)]
        domain: Option<String>,
        /// The alliance registry: a registry file ({"members": [...]}) or a signed registry
        /// document. Without it the issuer's quality assurance is not checked (a condition).
        #[arg(long, value_name = "FILE")]
        registry: Option<PathBuf>,
        /// The DID a signed registry document must be published by.
        #[arg(long, value_name = "DID")]
        registry_publisher: Option<String>,
        /// A BitstringStatusListCredential (JSON file) for the credential's status entries
        /// (repeatable); served under its `id`, before anything is fetched.
        #[arg(long = "status-list", value_name = "FILE")]
        status_lists: Vec<PathBuf>,
        #[command(flatten)]
        fetch: FetchArgs,
        /// Decide at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        /// Print the full answer as JSON ({decision, verification, assessment, trust}) instead
        /// of the short readable decision.
        #[arg(long)]
        json: bool,
        /// The credential or presentation (JSON), or `-` for stdin.
        file: String,
    },
    /// Measure signing and verification throughput, like `openssl speed` (docs/BENCHMARKS.md).
    ///
    /// Signs and verifies --count copies of a record's credential per suite, on 1 and --threads
    /// threads, and prints credentials/s, the median µs per operation and where the time goes:
    /// JSON-LD expansion, toRdf, RDFC-1.0 (or JCS), SHA-256 and Ed25519.
    Bench {
        /// The learning-outcome record (JSON) whose credential is signed.
        #[arg(long, value_name = "FILE", default_value_t = bench::DEFAULT_RECORD.to_owned())]
        record: String,
        /// The cryptosuite: eddsa-rdfc-2022, eddsa-jcs-2022 or all.
        #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = bench::parse_suites)]
        suite: bench::Suites,
        /// Credentials signed (and verified) per run.
        #[arg(short = 'n', long, default_value_t = 1000,
              value_parser = clap::value_parser!(u64).range(1..=bench::MAX_COUNT))]
        count: u64,
        /// Threads sharing the work; above 1, a 1-thread run is added for the scaling ratio.
        #[arg(long, default_value_t = 1,
              value_parser = clap::value_parser!(u64).range(1..=bench::MAX_THREADS))]
        threads: u64,
        /// The signing key file.
        #[arg(long, value_name = "FILE", default_value_t = bench::DEFAULT_KEY.to_owned())]
        key: String,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy everything from one store into another, empty one (e.g. sled into PostgreSQL);
    /// the source service must be stopped when it is sled (docs/POSTGRES.md).
    Migrate {
        /// The source: `sled:FOLDER` or a PostgreSQL URL.
        #[arg(long, value_name = "STORE")]
        from: String,
        /// The target: `sled:FOLDER` or a PostgreSQL URL; must be empty.
        #[arg(long, value_name = "STORE")]
        to: String,
        /// Empty a PostgreSQL target that holds data first.
        #[arg(long)]
        force: bool,
    },
    /// Write a consistent backup of a store to FILE (mode 0600). PostgreSQL: while the
    /// service runs (one snapshot); sled: with the service stopped, or while it runs with
    /// --server (the node writes the backup from one consistent view).
    Backup {
        #[command(flatten)]
        store: StoreArg,
        /// Take the backup from this serving node (`GET /admin/backup`) instead of opening the
        /// store, e.g. http://127.0.0.1:8080 (plain http only to this machine).
        #[arg(long, value_name = "URL", conflicts_with = "store")]
        server: Option<String>,
        /// The file holding the node's admin token (for --server).
        #[arg(long, value_name = "FILE", env = "SKILLPASS_ADMIN_TOKEN_FILE")]
        token_file: Option<PathBuf>,
        /// The backup file to write.
        file: PathBuf,
    },
    /// Restore a backup into an empty store; the whole file is checked first.
    Restore {
        #[command(flatten)]
        store: StoreArg,
        /// Empty a PostgreSQL target that holds data first.
        #[arg(long)]
        force: bool,
        /// The backup file.
        file: PathBuf,
    },
    /// Make the QR code of a credential's verification URL (SVG on stdout by default).
    Qr {
        /// The URL to encode, e.g. https://skillpass.example.edu/verify/urn:uuid:…
        #[arg(long)]
        url: String,
        /// Write a PNG instead of an SVG.
        #[arg(long)]
        png: bool,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Where `migrate`, `backup` and `restore` find a store: `sled:FOLDER` or a PostgreSQL URL.
/// Without `--store`: SKILLPASS_DATABASE_URL if set, else the sled folder SKILLPASS_DATA_DIR
/// (default `data`), as `serve` does.
#[derive(Debug, clap::Args)]
pub struct StoreArg {
    /// `sled:FOLDER` or `postgres://…` / `postgresql:///DB?host=/socket/dir`.
    #[arg(long, value_name = "STORE")]
    store: Option<String>,
}

impl StoreArg {
    pub(crate) fn location(&self) -> Result<crate::store::transfer::Location> {
        use crate::store::transfer::Location;
        let text = match &self.store {
            Some(s) => s.clone(),
            None => match std::env::var("SKILLPASS_DATABASE_URL") {
                Ok(url) if !url.is_empty() => url,
                _ => format!(
                    "sled:{}",
                    std::env::var("SKILLPASS_DATA_DIR").unwrap_or_else(|_| "data".into())
                ),
            },
        };
        Ok(Location::parse(&text)?)
    }
}

fn migrate(from: &str, to: &str, force: bool) -> Result<()> {
    use crate::store::transfer::{self, Location};
    let (from, to) = (Location::parse(from)?, Location::parse(to)?);
    if from == to {
        bail!("--from and --to name the same store");
    }
    let source = from
        .open(None)
        .with_context(|| format!("cannot open {from}"))?;
    let target = to
        .open(Some(source.list_size()))
        .with_context(|| format!("cannot open {to}"))?;
    let counts = transfer::migrate(&source, &target, force)?;
    eprintln!(
        "copied {from} into {to}: {}",
        serde_json::to_string(&counts)?
    );
    Ok(())
}

fn backup(store: &StoreArg, file: &Path) -> Result<()> {
    use crate::store::transfer::Location;
    let location = store.location()?;
    let source = location.open(None).map_err(|e| {
        let message = e.to_string();
        match &location {
            // sled opens in one process only: a serving node backs itself up.
            Location::Sled(_) if message.contains("in use") => anyhow!(
                "cannot open {location}: the store is in use (is `skillpass serve` running on                  it?). Back up a serving node through it: skillpass backup --server                  http://127.0.0.1:PORT --token-file ADMIN_TOKEN_FILE {}",
                file.display()
            ),
            _ => anyhow!(e).context(format!("cannot open {location}")),
        }
    })?;
    let mut plaintext = 0usize;
    let counts = crate::store::transfer::backup(&source, file, &mut |item| {
        plaintext += usize::from(crate::backup::is_plaintext_key(item));
        Ok(())
    })?;
    if plaintext > 0 {
        eprintln!(
            "warning: {plaintext} signing key(s) in {location} are not sealed (the store was              never opened with a master key): the backup holds them in plaintext"
        );
    }
    eprintln!(
        "backed up {location} to {} (mode 0600: it holds the signing keys as stored): {}",
        file.display(),
        serde_json::to_string(&counts)?
    );
    Ok(())
}

fn backup_from_server(server: &str, token_file: Option<&Path>, file: &Path) -> Result<()> {
    let items = backup::download(server, token_file, file)?;
    eprintln!(
        "backed up {server} to {} ({items} items, checked; mode 0600: it holds the signing          keys sealed)",
        file.display()
    );
    Ok(())
}

fn restore(store: &StoreArg, file: &Path, force: bool) -> Result<()> {
    use crate::store::transfer;
    let location = store.location()?;
    let list_size = transfer::backup_list_size(file)?;
    let target = location
        .open(Some(list_size))
        .with_context(|| format!("cannot open {location}"))?;
    let counts = transfer::restore(&target, file, force)?;
    eprintln!(
        "restored {} into {location}: {}",
        file.display(),
        serde_json::to_string(&counts)?
    );
    Ok(())
}

/// `skillpass keys …`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Change the master key (key-encryption key) of a stopped service's store (every `serve`
    /// process stopped): the data keys are re-wrapped in one atomic write, the sealed signing
    /// keys are not touched.
    /// The current master key comes from SKILLPASS_MASTER_KEY_FILE or
    /// SKILLPASS_MASTER_PASSPHRASE (or, if neither is set, the development master key file
    /// beside a sled data folder); the new one from --new-key-file (made, mode 0600, if it
    /// does not exist) or SKILLPASS_NEW_MASTER_PASSPHRASE.
    Rekey {
        /// The store of the stopped service: `sled:FOLDER` or a PostgreSQL URL. By default
        /// SKILLPASS_DATABASE_URL, else the sled folder SKILLPASS_DATA_DIR (default `data`).
        #[arg(long, value_name = "STORE", conflicts_with = "data_dir")]
        store: Option<String>,
        /// The data folder (sled): the same as --store sled:FOLDER.
        #[arg(long, value_name = "FOLDER")]
        data_dir: Option<PathBuf>,
        /// The current master key file.
        #[arg(long, env = "SKILLPASS_MASTER_KEY_FILE", value_name = "FILE")]
        key_file: Option<PathBuf>,
        /// The new master key file.
        #[arg(long, value_name = "FILE")]
        new_key_file: Option<PathBuf>,
    },
    /// Make a new Ed25519 key in a PKCS#11 token (an HSM; SoftHSM2 for trials) and make it the
    /// signing key of a did:web institution of a stopped service's store (sled or PostgreSQL):
    /// a new verification method in its DID document; the previous key is retired, not
    /// removed. The private key never leaves the token (docs/KEYS.md, "Keys in an HSM").
    HsmGenerate(hsm::HsmGenerateArgs),
}

/// The store `keys rekey` and `keys hsm-generate` work on: `--data-dir FOLDER` (sled),
/// `--store STORE`, else as `backup` and `serve` find it ([`StoreArg`]).
pub(crate) fn key_store_location(
    store: Option<&str>,
    data_dir: Option<&Path>,
) -> Result<crate::store::transfer::Location> {
    use crate::store::transfer::Location;
    match (store, data_dir) {
        (_, Some(folder)) => Ok(Location::Sled(folder.to_path_buf())),
        (store, None) => StoreArg {
            store: store.map(str::to_owned),
        }
        .location(),
    }
}

/// Opens the store of a stopped service for `keys …`.
pub(crate) fn open_stopped(
    location: &crate::store::transfer::Location,
) -> Result<crate::store::transfer::Opened> {
    location.open(None).with_context(|| {
        format!("cannot open {location} (is the service still running? stop it first)")
    })
}

fn rekey(
    store: Option<&str>,
    data_dir: Option<&Path>,
    key_file: Option<PathBuf>,
    new_key_file: Option<PathBuf>,
) -> Result<()> {
    use crate::keystore::{self, MasterKeySource};
    use crate::store::transfer::Location;
    let location = key_store_location(store, data_dir)?;
    let passphrase = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|p| !p.is_empty())
            .map(|p| MasterKeySource::Passphrase(zeroize::Zeroizing::new(p)))
    };
    let current = match (key_file, passphrase("SKILLPASS_MASTER_PASSPHRASE")) {
        (Some(_), Some(_)) => {
            bail!("set either SKILLPASS_MASTER_KEY_FILE or SKILLPASS_MASTER_PASSPHRASE, not both")
        }
        (Some(path), None) => Some(MasterKeySource::File(path)),
        (None, Some(p)) => Some(p),
        (None, None) => match &location {
            Location::Sled(data_dir) => {
                let development = crate::server::development_master_key_file(data_dir);
                development
                    .exists()
                    .then_some(MasterKeySource::File(development))
            }
            Location::Postgres(_) => None,
        },
    };
    let new = match (new_key_file, passphrase("SKILLPASS_NEW_MASTER_PASSPHRASE")) {
        (Some(_), Some(_)) => {
            bail!("give either --new-key-file or SKILLPASS_NEW_MASTER_PASSPHRASE, not both")
        }
        (Some(path), None) => {
            if !path.exists() {
                keystore::create_master_key_file(&path)?;
                eprintln!("made a new master key file {} (mode 0600)", path.display());
            }
            MasterKeySource::File(path)
        }
        (None, Some(p)) => p,
        (None, None) => {
            bail!("give the new master key: --new-key-file FILE or SKILLPASS_NEW_MASTER_PASSPHRASE")
        }
    };
    let opened = open_stopped(&location)?;
    let n = keystore::rekey(opened.store(), current.as_ref(), &new)?;
    opened.store().flush().context("final flush failed")?;
    drop(opened);
    match &location {
        // sled keeps the overwritten values (the data keys wrapped by the old master key) in
        // its log: rewrite the folder without them.
        Location::Sled(data_dir) => crate::store::SledStore::rewrite_folder(data_dir)
            .context("cannot rewrite the data folder after re-keying")?,
        // PostgreSQL keeps old row versions until they are vacuumed (docs/POSTGRES.md).
        Location::Postgres(_) => eprintln!(
            "PostgreSQL keeps the old row versions (data keys wrapped by the old master key)              until they are vacuumed: run VACUUM FULL secret_keys, registry_keys, skillpass_meta"
        ),
    }
    eprintln!("re-wrapped {n} signing key(s) for the new master key; start the service with it");
    Ok(())
}

/// How `verify` and `recognise` read other nodes' status lists and did:web documents: through
/// the service's guarded fetcher and its rules ([`crate::fetch`]), from allowed hosts only,
/// unless `--offline`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FetchArgs {
    /// Fetch nothing: status lists only from --status-list files, did:web DIDs not resolved
    /// (so a credential that needs either cannot be checked).
    #[arg(long)]
    pub offline: bool,
    /// Allow fetching from this host (`host` or `host:port`, repeatable). Without it only the
    /// hosts of --registry members (their did:web DIDs and nodes) are fetched from.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
    /// Tests only: plain http to loopback addresses (a node under test on 127.0.0.1).
    #[arg(long, hide = true)]
    pub allow_http_loopback: bool,
}

/// The network side of one CLI verification: the runtime the fetcher runs on. Keep it alive
/// until the verification is done.
pub struct CliRemote {
    _runtime: tokio::runtime::Runtime,
}

/// Sets where `options` reads status lists and DID documents from: the `--status-list` files
/// first, then (unless `--offline`) the guarded fetcher, allowed `hosts` (e.g. registry
/// members') and `--allow-host`s. Returns what must stay alive while verifying.
pub fn set_sources(
    options: &mut VerifyOptions,
    status_files: &[PathBuf],
    fetch: &FetchArgs,
    hosts: Vec<String>,
) -> Result<Option<CliRemote>> {
    let given = local_status_lists(status_files)?;
    if fetch.offline {
        if !given.0.is_empty() {
            options.status_lists = Some(std::sync::Arc::new(given));
        }
        return Ok(None);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the runtime for fetching")?;
    let mut allowed: Vec<String> = fetch
        .allow_hosts
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    allowed.extend(hosts);
    let policy = FetchPolicy {
        allow_http_loopback: fetch.allow_http_loopback,
        ..FetchPolicy::default()
    };
    let fetcher = Fetcher::new(policy, std::sync::Arc::new(StaticHosts(allowed)))
        .map_err(|e| anyhow!("cannot set up fetching: {e}"))?;
    let cache = DocumentCache::new(
        fetcher,
        256,
        std::sync::Arc::new(crate::service::SystemClock),
    );
    let handle = runtime.handle().clone();
    options.status_lists = Some(std::sync::Arc::new(LayeredStatusLists {
        given,
        fallback: Some(std::sync::Arc::new(RemoteStatusLists::new(
            cache.clone(),
            handle.clone(),
        ))),
    }));
    options.resolver = std::sync::Arc::new(RemoteDidResolver::new(cache, handle));
    Ok(Some(CliRemote { _runtime: runtime }))
}

fn parse_suite(s: &str) -> Result<Cryptosuite, String> {
    s.parse().map_err(|e: proof::ProofError| e.to_string())
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Keygen { out, seed } => keygen(out.as_deref(), seed.as_deref()),
        Command::Issue { key, suite, record } => {
            let key = keys::read_secret_key_file(&key)?;
            let record = read_json(&record)?;
            let signed = credential::issue_offline(&record, &key, suite, Utc::now())?;
            print_json(&signed)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            challenge,
            domain,
            contexts,
            now,
            status_lists,
            fetch,
            file,
        } => {
            let now = match now {
                Some(t) => DateTime::parse_from_rfc3339(&t)
                    .with_context(|| format!("--now {t:?} is not an RFC 3339 date-time"))?
                    .with_timezone(&Utc),
                None => Utc::now(),
            };
            let mut options = VerifyOptions::new(now);
            options.challenge = challenge;
            options.domain = domain;
            options.contexts = registry_with(&contexts)?;
            let _remote = set_sources(&mut options, &status_lists, &fetch, Vec::new())?;
            let document = read_json(&file)?;
            let report = verify::verify(&document, &options)?;
            print_json(&serde_json::to_value(&report)?)?;
            Ok(if report.verified {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Did { key } => {
            let public = keys::read_public_key_file(&key)?;
            print_json(&json!({
                "did": public.did_key(),
                "verificationMethod": public.verification_method_id(),
                "didDocument": did::did_document(&public),
            }))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Countersign {
            key,
            suite,
            previous_proof,
            credential,
        } => {
            let key = keys::read_secret_key_file(&key)?;
            let document = read_json(&credential)?;
            let contexts = ContextRegistry::bundled();
            let now = Utc::now().trunc_subsecs(0);
            let checks = proof::verify_proofs(&document, &DidKeyResolver, &contexts, now)?;
            if checks.is_empty() {
                bail!("{credential} carries no proof to countersign");
            }
            let failures: Vec<String> = checks.into_iter().flat_map(|c| c.failures).collect();
            if !failures.is_empty() {
                bail!(
                    "the existing proofs do not hold, so {credential} cannot be countersigned: {}",
                    failures.join("; ")
                );
            }
            let public = key.public_key();
            let options = ProofOptions {
                suite,
                verification_method: public.verification_method_id(),
                purpose: ProofPurpose::AssertionMethod,
                created: now,
                challenge: None,
                domain: None,
            };
            let link = proof::ProofLink {
                id: Some(format!("urn:uuid:{}", uuid::Uuid::new_v4())),
                previous_proof,
            };
            print_json(&proof::add_proof(
                &document, &key, &options, &link, &contexts,
            )?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Present {
            key,
            challenge,
            domain,
            suite,
            credentials,
        } => {
            let key = keys::read_secret_key_file(&key)?;
            let credentials = credentials
                .iter()
                .map(|p| read_json(&p.to_string_lossy()))
                .collect::<Result<Vec<_>>>()?;
            let options = PresentOptions {
                suite,
                challenge,
                domain,
                created: Utc::now().trunc_subsecs(0),
                id: format!("urn:uuid:{}", uuid::Uuid::new_v4()),
            };
            let vp =
                presentation::present(&credentials, &key, &options, &ContextRegistry::bundled())?;
            print_json(&vp)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Canon { contexts, file } => {
            let registry = registry_with(&contexts)?;
            let mut document = read_json(&file)?;
            if let Some(map) = document.as_object_mut() {
                map.remove("proof");
            }
            let nquads = canon::canonicalize(&document, &registry)?;
            write_stdout(nquads.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => demo(),
        Command::Batch {
            key,
            input,
            format,
            out,
            suite,
            jobs,
        } => crate::batch::run_cli(crate::batch::CliBatch {
            key,
            input,
            format,
            out,
            suite,
            jobs,
        }),
        Command::Serve {
            config,
            dev,
            listen,
        } => {
            let flags = crate::config::ServeFlags { dev, listen };
            crate::server::serve(config.as_deref(), &flags)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Registry { command } => members::run(command),
        Command::Staff { command } => staff::run(command),
        Command::Migrate { from, to, force } => {
            migrate(&from, &to, force)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup {
            store,
            server,
            token_file,
            file,
        } => {
            match server {
                Some(server) => backup_from_server(&server, token_file.as_deref(), &file)?,
                None => backup(&store, &file)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { store, force, file } => {
            restore(&store, &file, force)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys {
            command:
                KeysCommand::Rekey {
                    store,
                    data_dir,
                    key_file,
                    new_key_file,
                },
        } => {
            rekey(
                store.as_deref(),
                data_dir.as_deref(),
                key_file,
                new_key_file,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys {
            command: KeysCommand::HsmGenerate(args),
        } => {
            hsm::hsm_generate(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Recognise {
            receiving,
            challenge,
            domain,
            registry,
            registry_publisher,
            status_lists,
            fetch,
            now,
            json,
            file,
        } => recognise::run_cli(recognise::CliRecognise {
            receiving,
            file,
            challenge,
            domain,
            registry,
            registry_publisher,
            status_lists,
            fetch,
            now,
            json,
        }),
        Command::Bench {
            record,
            suite,
            count,
            threads,
            key,
            json,
        } => {
            let report = bench::run_cli(bench::CliBench {
                record: record.into(),
                suites: suite,
                count,
                threads,
                key: key.into(),
                json,
            })?;
            write_stdout(report.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Qr { url, png, out } => {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                bail!(
                    "--url must be an http:// or https:// URL (the credential's verification page)"
                );
            }
            let bytes = if png {
                crate::qr::png(&url)?
            } else {
                crate::qr::svg(&url)?.into_bytes()
            };
            match out {
                Some(path) => std::fs::write(&path, &bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None if png && std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
                    bail!("a PNG is binary: pass --out FILE or redirect stdout to a file")
                }
                None => write_stdout(&bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn keygen(out: Option<&Path>, seed: Option<&str>) -> Result<ExitCode> {
    let key = match seed {
        Some(hex) => SecretKey::from_seed(&parse_seed(hex)?),
        None => SecretKey::generate(&mut rand_core::OsRng),
    };
    let public = key.public_key();
    match out {
        Some(path) => {
            keys::write_secret_key_file(path, &key)?;
            eprintln!("wrote {} (mode 0600)", path.display());
        }
        None => {
            // Same shape as a key file; the buffer is wiped once written.
            let secret = key.to_multibase();
            let text = zeroize::Zeroizing::new(format!(
                "{{\n  \"type\": \"Multikey\",\n  \"id\": \"{}\",\n  \"controller\": \"{}\",\n  \"publicKeyMultibase\": \"{}\",\n  \"secretKeyMultibase\": \"{}\"\n}}\n",
                public.verification_method_id(),
                public.did_key(),
                public.to_multibase(),
                secret.as_str()
            ));
            write_stdout(text.as_bytes())?;
        }
    }
    eprintln!("{}", public.did_key());
    Ok(ExitCode::SUCCESS)
}

fn parse_seed(hex: &str) -> Result<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("--seed must be 64 hex digits (32 bytes)");
    }
    let mut seed = [0u8; 32];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("checked hex digits");
    }
    Ok(seed)
}

fn demo() -> Result<ExitCode> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let key_path = root.join("keys-example/issuer.example.json");
    let record_path = root.join("examples/records/szpu-3d-animation-production.json");
    let key = keys::read_secret_key_file(&key_path)?;
    let record = read_json(&record_path.to_string_lossy())?;
    eprintln!(
        "demo: issuing {} with the EXAMPLE key {}",
        record_path.display(),
        key_path.display()
    );
    let signed = credential::issue_offline(&record, &key, Cryptosuite::EddsaRdfc2022, Utc::now())?;
    print_json(&signed)?;
    let report = verify::verify(&signed, &VerifyOptions::new(Utc::now()))?;
    print_json(&serde_json::to_value(&report)?)?;
    eprintln!(
        "demo: the credential is {}",
        if report.verified {
            "verified"
        } else {
            "NOT verified"
        }
    );
    Ok(if report.verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The bundled contexts plus `URL=FILE` pairs from the command line.
fn registry_with(pairs: &[String]) -> Result<ContextRegistry> {
    let mut registry = ContextRegistry::bundled();
    for pair in pairs {
        let (url, file) = pair
            .split_once('=')
            .ok_or_else(|| anyhow!("--context {pair:?} must be URL=FILE"))?;
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read context file {file}"))?;
        registry.insert(url, &text)?;
    }
    Ok(registry)
}

/// Status list credentials from `--status-list FILE` arguments, served under their `id`s.
fn local_status_lists(paths: &[PathBuf]) -> Result<LocalStatusLists> {
    let mut lists = LocalStatusLists::default();
    for path in paths {
        let list = read_json(&path.to_string_lossy())?;
        let id = list
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("status list {} has no id", path.display()))?
            .to_owned();
        lists.0.insert(id, list);
    }
    Ok(lists)
}

/// Reads and parses JSON from a file, or from stdin for `-`.
pub(crate) fn read_json(source: &str) -> Result<Value> {
    let text = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read stdin")?;
        text
    } else {
        std::fs::read_to_string(source).with_context(|| format!("cannot read {source}"))?
    };
    let name = if source == "-" { "stdin" } else { source };
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{name} is not valid JSON: {} at line {} column {}",
            json_error_kind(&e),
            e.line(),
            e.column()
        )
    })
}

fn json_error_kind(e: &serde_json::Error) -> String {
    // serde_json's Display appends " at line L column C"; keep only the description.
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    }
}

pub(crate) fn print_json(value: &Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    write_stdout(text.as_bytes())
}

pub(crate) fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`skillpass … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn seed_must_be_64_hex_digits() {
        assert!(parse_seed("00").is_err());
        assert!(parse_seed(&"zz".repeat(32)).is_err());
        assert_eq!(parse_seed(&"01".repeat(32)).unwrap(), [1u8; 32]);
    }
}
