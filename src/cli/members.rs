//! `skillpass registry …`: the alliance trust registry offline, over a JSON file.
//!
//! A registry file is `{"members": [...]}` (see `docs/REGISTRY.md`); `sign` turns it into the
//! signed document that `skillpass serve` publishes at `GET /registry`, and `verify` checks such
//! a document against the publisher DID the caller trusts. Exit codes as for `skillpass verify`:
//! 0 done (verified), 1 `verify` ran and the document is not verified, 2 anything else.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Duration, Utc};
use clap::Subcommand;
use serde_json::{json, Value};

use super::{print_json, read_json};
use crate::keys;
use crate::registry::{self, Member, Registry, RegistryError, TrustLookup};
use crate::verify::VerifyOptions;

/// The subcommands of `skillpass registry`.
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Add a member to a registry file, or replace the member with the same id (the file is
    /// created when missing).
    Add {
        /// The registry file (`{"members": [...]}`).
        file: PathBuf,
        /// The member (JSON), or `-` for stdin.
        member: String,
    },
    /// Remove a member from a registry file.
    Remove {
        /// The registry file.
        file: PathBuf,
        /// The member's id.
        id: String,
    },
    /// Print the members of a registry file or signed registry document, each with its
    /// standing (trusted, provisional or lapsed, and why).
    List {
        /// Judge standing at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        /// A registry file or a signed registry document.
        file: PathBuf,
    },
    /// Sign a registry file as the publisher whose key is given; prints the signed document
    /// (a VC 2.0 TrustRegistryCredential with an eddsa-rdfc-2022 proof).
    Sign {
        /// The publisher's signing key file; its did:key becomes the document's issuer.
        #[arg(long)]
        key: PathBuf,
        /// How many days the document stays valid.
        #[arg(long, default_value_t = registry::document::DEFAULT_DOCUMENT_VALIDITY_DAYS)]
        valid_days: i64,
        /// The registry file.
        file: PathBuf,
    },
    /// Verify a signed registry document from the publisher DID you trust; prints its members.
    /// Exit 0 verified, 1 not verified (or another publisher), 2 could not check.
    Verify {
        /// The DID the document must be signed by.
        #[arg(long)]
        publisher: String,
        /// Check the validity window at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        /// The signed registry document (JSON), or `-` for stdin.
        file: String,
    },
}

/// Runs a `skillpass registry` subcommand.
pub fn run(command: RegistryCommand) -> Result<ExitCode> {
    match command {
        RegistryCommand::Add { file, member } => {
            let mut registry = read_registry_file(&file, true)?;
            let member: Member = serde_json::from_value(read_json(&member)?)
                .map_err(|e| anyhow!("the member is not a registry member: {e}"))?;
            let id = member.id.clone();
            let created = registry.upsert(member)?;
            write_registry_file(&file, &registry)?;
            eprintln!(
                "{} {id} in {}",
                if created { "added" } else { "replaced" },
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Remove { file, id } => {
            let mut registry = read_registry_file(&file, false)?;
            if registry.remove(&id).is_none() {
                bail!("{} has no member {id:?}", file.display());
            }
            write_registry_file(&file, &registry)?;
            eprintln!("removed {id} from {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::List { now, file } => {
            let now = parse_now(now.as_deref())?;
            let document = read_json(&file.to_string_lossy())?;
            // A signed document carries its members in credentialSubject.
            let members = match document.get("credentialSubject") {
                Some(subject) => subject.get("members").cloned().unwrap_or(Value::Null),
                None => document.get("members").cloned().unwrap_or(Value::Null),
            };
            let members: Vec<Member> = serde_json::from_value(members)
                .map_err(|e| anyhow!("{}: members: {e}", file.display()))?;
            let listed: Vec<Value> = members.iter().map(|m| standing_json(m, now)).collect();
            print_json(&json!({ "at": now, "members": listed }))?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Sign {
            key,
            valid_days,
            file,
        } => {
            let key = keys::read_secret_key_file(&key)?;
            let registry = read_registry_file(&file, false)?;
            if !(1..=3660).contains(&valid_days) {
                bail!("--valid-days must be between 1 and 3660");
            }
            let signed = registry::document::sign_registry(
                &registry.members,
                &key,
                Utc::now(),
                Duration::days(valid_days),
            )?;
            print_json(&signed)?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Verify {
            publisher,
            now,
            file,
        } => {
            let now = parse_now(now.as_deref())?;
            let document = read_json(&file)?;
            match registry::document::verify_registry(
                &document,
                &publisher,
                &VerifyOptions::new(now),
            ) {
                Ok(members) => {
                    print_json(&json!({
                        "verified": true,
                        "publisher": publisher,
                        "members": members,
                    }))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(RegistryError::CannotCheck(why)) => {
                    bail!("could not check the registry document: {why}")
                }
                Err(e) => {
                    let reasons = match &e {
                        RegistryError::NotVerified(reasons) => reasons.clone(),
                        other => vec![other.to_string()],
                    };
                    print_json(&json!({ "verified": false, "reasons": reasons }))?;
                    eprintln!("{e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

fn standing_json(member: &Member, at: DateTime<Utc>) -> Value {
    let (standing, why) = match member.standing(at) {
        TrustLookup::Trusted {
            provisional: true, ..
        } => ("provisional", None),
        TrustLookup::Trusted { .. } => ("trusted", None),
        TrustLookup::Lapsed { why, .. } => ("lapsed", Some(why)),
        TrustLookup::NotListed => ("not listed", None),
    };
    let mut value = json!({
        "id": member.id,
        "name": member.name,
        "country": member.country,
        "dids": member.dids,
        "framework": member.framework,
        "accreditation": member.quality_assurance.status,
        "standing": standing,
    });
    if !member.nodes.is_empty() {
        value["nodes"] = json!(member.nodes);
    }
    if let Some(why) = why {
        value["why"] = why.into();
    }
    value
}

fn parse_now(now: Option<&str>) -> Result<DateTime<Utc>> {
    match now {
        Some(t) => Ok(DateTime::parse_from_rfc3339(t)
            .with_context(|| format!("--now {t:?} is not an RFC 3339 date-time"))?
            .with_timezone(&Utc)),
        None => Ok(Utc::now()),
    }
}

/// Reads and checks a registry file; a missing file is an empty registry when `may_be_new`.
fn read_registry_file(path: &Path, may_be_new: bool) -> Result<Registry> {
    if may_be_new && !path.exists() {
        return Ok(Registry::default());
    }
    let value = read_json(&path.to_string_lossy())?;
    let registry: Registry = serde_json::from_value(value).map_err(|e| {
        anyhow!(
            "{} is not a registry file ({{\"members\": [...]}}): {e}",
            path.display()
        )
    })?;
    Registry::new(registry.members).with_context(|| format!("{}", path.display()))
}

/// Writes the file whole, through a temporary file and a rename, so a crash never leaves
/// half a registry.
fn write_registry_file(path: &Path, registry: &Registry) -> Result<()> {
    let mut text = serde_json::to_string_pretty(registry)?;
    text.push('\n');
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{} is not a file path", path.display()))?;
    let tmp = path.with_file_name(format!(".{}.tmp", name.to_string_lossy()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}
