//! `skillpass backup --server URL`: downloads an online backup from a serving node
//! (`GET /admin/backup`, [`crate::backup`]) into a file, checked whole before it is kept.
//!
//! The request itself, with its own rules (the operator's node, the admin token), is
//! [`crate::fetch::own_node`].

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

use crate::fetch::own_node;
use crate::store::transfer;

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
    let url = own_node::backup_url(server)?;
    let token_file: PathBuf = token_file.map(Path::to_path_buf).ok_or_else(|| {
        anyhow!("--server needs the admin token: --token-file FILE (or SKILLPASS_ADMIN_TOKEN_FILE)")
    })?;
    let token = read_token(&token_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime for the download")?;
    let partial = file.with_extension("partial");
    let fetched = runtime
        .block_on(own_node::download(&url, &token, &partial))
        .map_err(anyhow::Error::from);
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
