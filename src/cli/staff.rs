//! `skillpass staff …`: console accounts from the command line, on a stopped service's sled
//! folder or on PostgreSQL (the same store `serve` uses; docs/CONSOLE.md).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Subcommand;

use super::StoreArg;
use crate::console::{accounts, Role};
use crate::store::{AuditEvent, Store};

/// `skillpass staff …`.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a console account. Prints a one-time password, or with --password-stdin takes the
    /// password from the first line of standard input.
    Add {
        #[command(flatten)]
        store: StoreArg,
        /// The institution's id; leave out for an operator of the node.
        #[arg(long)]
        institution: Option<String>,
        /// The e-mail address the person signs in with.
        #[arg(long)]
        email: String,
        /// viewer, issuer, registrar (may revoke) or operator.
        #[arg(long)]
        role: String,
        /// Read the password from standard input instead of making one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the console accounts (e-mail, institution, role, disabled).
    List {
        #[command(flatten)]
        store: StoreArg,
    },
}

pub fn run(command: StaffCommand) -> Result<ExitCode> {
    match command {
        StaffCommand::Add {
            store,
            institution,
            email,
            role,
            password_stdin,
        } => {
            let Some(role) = Role::parse(&role) else {
                bail!("role {role:?} is not one of viewer, issuer, registrar, operator");
            };
            let (password, made) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (accounts::one_time_password(), true)
            };
            let opened = store.location()?.open(None)?;
            let store = opened.store();
            let now = chrono::Utc::now();
            let account =
                accounts::create(store, &email, institution.as_deref(), role, &password, now)?;
            store.append_audit(&AuditEvent {
                at: now,
                actor: "cli".into(),
                institution: account.institution.clone(),
                action: "add-staff".into(),
                subject: Some(account.id.clone()),
            })?;
            Store::flush(store).context("final flush failed")?;
            eprintln!(
                "added {} ({}{})",
                account.email,
                account.role.name(),
                account
                    .institution
                    .as_deref()
                    .map(|i| format!(" of {i}"))
                    .unwrap_or_default()
            );
            if made {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{password}")?;
                eprintln!("the line above is a one-time password: hand it over and do not keep it");
            }
            Ok(ExitCode::SUCCESS)
        }
        StaffCommand::List { store } => {
            let opened = store.location()?.open(None)?;
            let mut out = std::io::stdout().lock();
            for a in opened.store().list_staff()? {
                writeln!(
                    out,
                    "{}\t{}\t{}{}",
                    a.email,
                    a.institution.as_deref().unwrap_or("-"),
                    a.role,
                    if a.disabled { "\tdisabled" } else { "" }
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
