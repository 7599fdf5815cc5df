//! `skillpass keys hsm-generate`: a new Ed25519 key in a PKCS#11 token, registered as a did:web
//! institution's signing key (docs/KEYS.md, "Keys in an HSM"). The work is
//! [`crate::keystore::register_hsm_key`]; this only reads the arguments.

use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::signing::pkcs11::{KeyReference, PinSource};

/// Arguments of `skillpass keys hsm-generate`.
#[derive(Debug, clap::Args)]
pub struct HsmGenerateArgs {
    /// The store of the stopped service: `sled:FOLDER` or a PostgreSQL URL. By default
    /// SKILLPASS_DATABASE_URL, else the sled folder SKILLPASS_DATA_DIR (default `data`).
    #[arg(long, value_name = "STORE", conflicts_with = "data_dir")]
    pub store: Option<String>,
    /// The data folder (sled) of the stopped service: the same as --store sled:FOLDER.
    #[arg(long, value_name = "FOLDER")]
    pub data_dir: Option<PathBuf>,
    /// The institution (did:web) whose signing key this becomes.
    #[arg(long)]
    pub institution: String,
    /// The PKCS#11 module (shared library), e.g. /usr/lib/softhsm/libsofthsm2.so. The service
    /// must be started with the same SKILLPASS_PKCS11_MODULE.
    #[arg(long, value_name = "LIBRARY")]
    pub module: PathBuf,
    /// The token's label.
    #[arg(long)]
    pub token: String,
    /// The new key's label in the token (unique).
    #[arg(long)]
    pub label: String,
    /// Read the user PIN from this environment variable (now, and at every service start).
    #[arg(long, value_name = "NAME", conflicts_with = "pin_file")]
    pub pin_env: Option<String>,
    /// Read the user PIN from this file (now, and at every service start).
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

/// Makes the key in the token and registers it; prints the new verification method.
pub fn hsm_generate(args: &HsmGenerateArgs) -> Result<()> {
    let pin = match (&args.pin_env, &args.pin_file) {
        (Some(name), None) => PinSource::Env(name.clone()),
        (None, Some(path)) => PinSource::File(path.clone()),
        _ => bail!("say where the token's PIN comes from: --pin-env NAME or --pin-file FILE"),
    };
    let reference = KeyReference {
        module: args.module.clone(),
        token: args.token.clone(),
        label: args.label.clone(),
        pin,
    };
    let location = super::key_store_location(args.store.as_deref(), args.data_dir.as_deref())?;
    let opened = super::open_stopped(&location)?;
    let institution = crate::keystore::register_hsm_key(
        opened.store(),
        &args.institution,
        &reference,
        chrono::Utc::now(),
    )?;
    let method = institution
        .keys
        .last()
        .map(|k| k.verification_method.clone())
        .unwrap_or_default();
    println!("{method}");
    eprintln!(
        "{}: signs with the key labelled {:?} on token {:?} from now on; start the service with SKILLPASS_PKCS11_MODULE={}",
        args.institution,
        args.label,
        args.token,
        args.module.display()
    );
    Ok(())
}
