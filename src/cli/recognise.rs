//! `skillpass recognise`: verify, assess and decide one credential from files on disk and print
//! the decision (the rules are in [`crate::decision`]).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{print_json, read_json, set_sources, write_stdout, FetchArgs};
use crate::decision::{recognise, render_text, Outcome};
use crate::frameworks::FrameworkRegistry;
use crate::registry::{self, Registry};
use crate::verify::{has_type, VerifyOptions};

/// The arguments of `skillpass recognise`.
#[derive(Debug, Clone)]
pub struct CliRecognise {
    /// A framework id, or the id of a member of `registry`.
    pub receiving: String,
    /// The credential or presentation (a file, or `-` for stdin).
    pub file: String,
    pub challenge: Option<String>,
    pub domain: Option<String>,
    /// A registry file (`{"members": [...]}`) or a signed registry document.
    pub registry: Option<PathBuf>,
    /// The DID a signed registry document must be published by.
    pub registry_publisher: Option<String>,
    /// Status list credentials for the credential's status entries.
    pub status_lists: Vec<PathBuf>,
    /// Whether and from where other nodes' status lists and did:web documents are fetched.
    pub fetch: FetchArgs,
    /// Decide at this time (RFC 3339) instead of now.
    pub now: Option<String>,
    /// Print `{decision, verification, assessment, trust}` as JSON instead of the short text.
    pub json: bool,
}

/// Runs `skillpass recognise`: prints the decision as short text ([`render_text`]), or with
/// `json` `{decision, verification, assessment, trust}`; exit 0 recognised, 1 recognised with
/// conditions, cannot be decided automatically or not recognised, 2 could not check (errors
/// are returned and printed by `main`, which exits 2).
pub fn run_cli(args: CliRecognise) -> anyhow::Result<ExitCode> {
    let now = match &args.now {
        Some(t) => DateTime::parse_from_rfc3339(t)
            .with_context(|| format!("--now {t:?} is not an RFC 3339 date-time"))?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    let mut options = VerifyOptions::new(now);
    options.challenge = args.challenge.clone();
    options.domain = args.domain.clone();
    let registry = match &args.registry {
        Some(path) => Some(load_registry(
            path,
            args.registry_publisher.as_deref(),
            now,
        )?),
        None => {
            if args.registry_publisher.is_some() {
                bail!("--registry-publisher needs --registry FILE");
            }
            None
        }
    };
    let frameworks = FrameworkRegistry::bundled();
    let receiving = match frameworks.framework(&args.receiving) {
        Some(f) => f.id.clone(),
        None => match registry.as_ref().and_then(|r| r.get(&args.receiving)) {
            Some(member) => member.framework.clone(),
            None => {
                let known: Vec<&str> = frameworks.ids().collect();
                bail!(
                    "--for {:?} is neither a framework ({}) nor a member of the registry{}",
                    args.receiving,
                    known.join(", "),
                    if registry.is_none() {
                        " (no --registry FILE given)"
                    } else {
                        ""
                    }
                );
            }
        },
    };
    let trust_note = match (&registry, &args.registry) {
        (Some(r), Some(path)) => json!({
            "checked": true,
            "registry": path.display().to_string(),
            "members": r.members.len(),
        }),
        _ => json!({
            "checked": false,
            "note": "no alliance registry given (--registry FILE): the issuer's quality assurance was not checked",
        }),
    };
    // The registry members' hosts (their did:web DIDs and nodes) may be fetched from.
    let hosts = registry
        .iter()
        .flat_map(|r| r.members.iter().flat_map(|m| m.hosts()))
        .collect();
    let _remote = set_sources(&mut options, &args.status_lists, &args.fetch, hosts)?;
    if let Some(r) = registry {
        options.trust = Some(Arc::new(r));
    }
    let document = read_json(&args.file)?;
    let recognition = recognise(&document, &receiving, frameworks, &options)?;
    if args.registry.is_none() {
        eprintln!("note: no --registry given; the issuer's quality assurance was not checked");
    }
    if args.json {
        let mut out = serde_json::to_value(&recognition)?;
        out["trust"] = trust_note;
        print_json(&out)?;
        eprintln!("{}", recognition.decision.summary);
    } else {
        write_stdout(render_text(&recognition, args.registry.is_some()).as_bytes())?;
    }
    Ok(match recognition.decision.outcome {
        Outcome::Recognised => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// A registry file (`{"members": [...]}`) or a signed registry document (which must verify as
/// published by `publisher`).
fn load_registry(
    path: &std::path::Path,
    publisher: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Registry> {
    let document = read_json(&path.to_string_lossy())?;
    let members = if has_type(&document, registry::document::REGISTRY_CREDENTIAL_TYPE) {
        let Some(publisher) = publisher else {
            bail!(
                "{} is a signed registry document: name its publisher with --registry-publisher DID",
                path.display()
            );
        };
        registry::document::verify_registry(&document, publisher, &VerifyOptions::new(now))
            .with_context(|| format!("{}", path.display()))?
    } else {
        let file: Registry = serde_json::from_value(document).map_err(|e| {
            anyhow!(
                "{} is not a registry file ({{\"members\": [...]}}): {e}",
                path.display()
            )
        })?;
        file.members
    };
    Registry::new(members).with_context(|| format!("{}", path.display()))
}
