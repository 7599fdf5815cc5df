//! Online backups of a serving node: `GET /admin/backup` (operators only) and its client,
//! `skillpass backup --server URL` (docs/POSTGRES.md, "Backup and restore").
//!
//! The file is the one `skillpass backup` writes ([`crate::store::transfer`]: JSON Lines, a
//! header, the items, a trailer with their number and SHA-256), so `skillpass restore` checks
//! and restores it as any other.
//!
//! - **One consistent view.** The items come from [`Store::export`]: sled reads them under the
//!   store's write lock, so no write lands between two of its reads (issuing waits meanwhile,
//!   reading does not); PostgreSQL reads them in one `REPEATABLE READ` snapshot. The view is
//!   written to a spool file first and streamed from there, so a slow download holds neither
//!   the lock nor the snapshot. Before the first byte is sent the store's `durable()` has
//!   returned: nothing in a backup can be lost by a crash of the node afterwards.
//! - **Keys only sealed.** Signing keys travel as stored: sealed under the master key, or
//!   references to keys in a PKCS#11 token. A store that keeps a key in plaintext (possible
//!   only for a service embedded without a master key; `skillpass serve` refuses to run so) is
//!   refused: a download must not carry a usable signing key.
//! - **The spool file** is made in the system's temporary folder (`TMPDIR`), mode 0600, and
//!   unlinked at once: it has no name while it is read, and its space is freed when the
//!   download ends or is abandoned.

use std::fs;
use std::io::{BufWriter, Seek, SeekFrom};
use std::path::Path;

use crate::keystore;
use crate::service::Service;
use crate::store::transfer::{self, Counts, TransferError};
use crate::store::{Store, StoreError};

/// Why a backup could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A signing key is kept in plaintext: it is not put in a backup taken over the network.
    #[error("the store keeps a signing key in plaintext ({0}); an online backup carries signing keys only sealed: start the service with a master key (docs/KEYS.md), which seals them")]
    PlaintextKey(String),
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error("the backup spool file in {dir}: {source}")]
    Spool { dir: String, source: std::io::Error },
}

/// A backup written to an unnamed temporary file, ready to be read from its start.
pub struct Spooled {
    pub file: fs::File,
    /// Its length in bytes.
    pub len: u64,
    pub counts: Counts,
}

/// Whether a stored key may travel in an online backup: sealed, or a token reference.
fn protected(stored: &str) -> bool {
    stored.starts_with(keystore::SEALED_PREFIX)
        || stored.starts_with(crate::signing::pkcs11::STORED_PREFIX)
}

/// An unnamed file in `dir`, mode 0600: created under a random name and unlinked at once.
fn unnamed_file(dir: &Path) -> Result<fs::File, BackupError> {
    let err = |source| BackupError::Spool {
        dir: dir.display().to_string(),
        source,
    };
    let path = dir.join(format!("skillpass-backup-{}.spool", uuid::Uuid::new_v4()));
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path).map_err(err)?;
    fs::remove_file(&path).map_err(err)?;
    Ok(file)
}

/// Writes a backup of `store` (one consistent view) into an unnamed file in `dir`. Refuses a
/// store that keeps a signing key in plaintext ([`BackupError::PlaintextKey`]).
pub fn spool(store: &dyn Store, dir: &Path) -> Result<Spooled, BackupError> {
    let file = unnamed_file(dir)?;
    let mut out = BufWriter::new(file);
    let mut plaintext: Option<String> = None;
    let written = transfer::write_backup(
        store,
        &mut |item| match item.secret() {
            Some(secret) if !protected(secret) => {
                let slot = match item {
                    transfer::Item::SecretKey {
                        verification_method,
                        ..
                    } => verification_method.clone(),
                    _ => "the trust registry's key".to_owned(),
                };
                plaintext = Some(slot);
                Err(StoreError::Invalid("a plaintext signing key".into()).into())
            }
            _ => Ok(()),
        },
        &mut out,
        "the backup spool file",
    );
    if let Some(slot) = plaintext {
        return Err(BackupError::PlaintextKey(slot));
    }
    let counts = written?;
    let mut file = out.into_inner().map_err(|e| BackupError::Spool {
        dir: dir.display().to_string(),
        source: e.into_error(),
    })?;
    let len = file
        .seek(SeekFrom::End(0))
        .and_then(|len| file.seek(SeekFrom::Start(0)).map(|_| len))
        .map_err(|source| BackupError::Spool {
            dir: dir.display().to_string(),
            source,
        })?;
    Ok(Spooled { file, len, counts })
}

/// An operator's online backup of the service's store, spooled in the temporary folder; the
/// audit trail records it (after the backup's view, so not in it).
pub fn take(service: &Service, actor: &str) -> Result<Spooled, BackupError> {
    let spooled = spool(service.store().as_ref(), &std::env::temp_dir())?;
    service
        .audit(actor, None, "backup", None)
        .map_err(|e| TransferError::Store(StoreError::Backend(e.to_string())))?;
    Ok(spooled)
}

/// Whether `item` carries a signing key in plaintext (for `skillpass backup`'s warning: a
/// backup of a stopped store carries keys as stored).
pub fn is_plaintext_key(item: &transfer::Item) -> bool {
    item.secret().is_some_and(|s| !protected(s))
}
