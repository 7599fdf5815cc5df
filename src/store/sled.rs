//! [`Store`] on an embedded sled database — the only module that uses sled.
//!
//! Layout (one sled tree each; `\0` separates key parts, which is unambiguous because
//! institution ids are slugs and purposes are fixed words; numbers are big-endian so keys sort
//! numerically):
//!
//! | tree | key | value |
//! | --- | --- | --- |
//! | `meta` | `format`, `status_list_size`; `key_custody` | settings fixed at creation; the key custody record (no secret, see `keystore`) |
//! | `institutions` | id | JSON [`Institution`] |
//! | `token_hashes` | SHA-256 of the API token | institution id |
//! | `secret_keys` | institution `\0` verification method | multibase secret key |
//! | `credentials` | credential id | issue sequence (u64) + JSON [`StoredCredential`] |
//! | `record_ids` | institution `\0` record id | credential id |
//! | `issued` | institution `\0` issue sequence | credential id |
//! | `status_counters` | institution `\0` purpose | next entry number (u64) |
//! | `status_bits` | institution `\0` purpose `\0` list sequence (u64) | bitstring |
//! | `audit` | sequence (u64) | JSON [`AuditEvent`] |
//! | `audit_by_institution` | institution `\0` sequence | JSON [`AuditEvent`] |
//! | `status_history` | length of credential id (u32) + credential id + sequence | JSON [`StatusEvent`] |
//! | `registry_members` | member id | JSON [`Member`] |
//! | `registry_dids` | issuer DID | member id |
//! | `registry_keys` | `signing` | multibase secret key of the trust registry |
//! | `offers` | offer id | JSON [`StoredOffer`] |
//! | `offers_by_credential` | credential id `\0` offer id | empty |
//! | `tickets` | ticket key (`kind/hash`) | JSON [`Ticket`] |
//! | `staff` | e-mail | JSON [`StaffAccount`] (console accounts, password hashed) |
//! | `passports` | passport id | JSON [`StoredPassport`] (sealed parts stay sealed) |
//! | `shares` | share id | JSON [`StoredShare`] |
//! | `shares_by_passport` | passport id `\0` share id | empty |
//!
//! Writes that touch several keys run in one sled transaction (atomic across a crash) while
//! holding `writes`, a process-wide lock that makes their read-check-write sequences simple to
//! reason about; sled write transactions take a global lock anyway. Reads take no lock.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use ::sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use ::sled::{Db, IVec, Tree};
use zeroize::Zeroizing;

use super::TokenRehash;
use super::{
    allocation_high_water, check_allocated, check_member_batch, check_own_entry, corrupt, entries,
    set_bit, validate_institution_id, validate_list_size, validate_purpose, AuditEvent,
    DurableFuture, Entity, GroupCommit, Institution, KeySlot, Member, Reseal, StatusEvent,
    StatusListId, Store, StoreError, StoredCredential, StoredOffer, Ticket, STATUS_LIST_SIZE,
};
use super::{StoredPassport, StoredShare};

/// Key of the key custody record in `meta`.
const KEY_CUSTODY: &str = "key_custody";
/// Key of the API token scheme record in `meta` ([`crate::api_tokens`]).
const TOKEN_SCHEME: &str = "token_scheme";

/// Key of the registry's signing key in `registry_keys`.
const REGISTRY_SIGNING_KEY: &[u8] = b"signing";

/// Layout version written at creation; bumped on incompatible changes. (The registry trees
/// were added without a bump: a store written before them opens with an empty registry.)
const FORMAT: &[u8] = b"1";

/// The production [`Store`].
/// sled's page cache size.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

pub struct SledStore {
    db: Db,
    institutions: Tree,
    token_hashes: Tree,
    secret_keys: Tree,
    credentials: Tree,
    record_ids: Tree,
    issued: Tree,
    status_counters: Tree,
    status_bits: Tree,
    audit: Tree,
    audit_by_institution: Tree,
    status_history: Tree,
    registry_members: Tree,
    registry_dids: Tree,
    registry_keys: Tree,
    meta: Tree,
    offers: Tree,
    offers_by_credential: Tree,
    tickets: Tree,
    staff: Tree,
    passports: Tree,
    shares: Tree,
    shares_by_passport: Tree,
    list_size: u64,
    writes: Mutex<()>,
    commit: GroupCommit,
    /// The log file, fsynced after each sled flush (see [`durable_log`]).
    log: Arc<fs::File>,
}

fn backend(e: ::sled::Error) -> StoreError {
    match e {
        ::sled::Error::Corruption { .. } => StoreError::Corrupt(e.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
}

/// How long [`open_db`] waits for a lock its own process is still letting go of.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Opens the sled database at `path`.
///
/// sled holds an exclusive lock on its folder. Dropping a `Db` hands the lock back only when
/// sled's background I/O threads have finished with it, a moment after the drop returns, so
/// a store closed and reopened at once (a restart in-process, `restore` after a test server)
/// can find it still held. A held lock is retried for [`LOCK_WAIT`]; another process that
/// keeps the store open still gets a clear refusal after that.
fn open_db(path: &Path) -> Result<Db, StoreError> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        let config = ::sled::Config::new().path(path).cache_capacity(CACHE_BYTES);
        match config.open() {
            Ok(db) => return Ok(db),
            Err(::sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                if Instant::now() >= deadline {
                    return Err(StoreError::Backend(format!(
                        "the store at {} is in use by another process (is skillpass already \
                         running on it?)",
                        path.display()
                    )));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(backend(e)),
        }
    }
}

fn io_error(path: &Path, e: io::Error) -> StoreError {
    StoreError::Backend(format!("{}: {e}", path.display()))
}

/// Folds a transaction's outcome into a `StoreError`.
fn finish<T>(result: Result<T, TransactionError<StoreError>>) -> Result<T, StoreError> {
    result.map_err(|e| match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => backend(e),
    })
}

fn abort<T>(e: StoreError) -> Result<T, ConflictableTransactionError<StoreError>> {
    Err(ConflictableTransactionError::Abort(e))
}

fn key(parts: &[&[u8]]) -> Vec<u8> {
    let mut key = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push(0);
        }
        key.extend_from_slice(part);
    }
    key
}

/// Lookups by a non-slug institution id find nothing; checked so that such an id (say one
/// containing `\0`) cannot reach into another institution's keys.
fn is_slug(institution: &str) -> bool {
    validate_institution_id(institution).is_ok()
}

/// `institution \0`, the prefix of that institution's keys.
fn prefix(institution: &str) -> Vec<u8> {
    key(&[institution.as_bytes(), b""])
}

fn read_u64(value: Option<&IVec>, what: &str) -> Result<u64, StoreError> {
    match value {
        None => Ok(0),
        Some(v) => <[u8; 8]>::try_from(v.as_ref())
            .map(u64::from_be_bytes)
            .map_err(|_| StoreError::Corrupt(format!("{what} is not a 64-bit number"))),
    }
}

fn read_string(value: &IVec, what: &str) -> Result<String, StoreError> {
    String::from_utf8(value.to_vec())
        .map_err(|_| StoreError::Corrupt(format!("{what} is not UTF-8")))
}

fn decode_institution(id: &[u8], value: &[u8]) -> Result<Institution, StoreError> {
    serde_json::from_slice(value)
        .map_err(|e| corrupt("institution", &String::from_utf8_lossy(id), &e))
}

/// Splits a `credentials` value into issue sequence and credential.
fn decode_credential(id: &[u8], value: &[u8]) -> Result<(u64, StoredCredential), StoreError> {
    let name = || String::from_utf8_lossy(id).into_owned();
    if value.len() < 8 {
        return Err(StoreError::Corrupt(format!(
            "credential {:?} is truncated",
            name()
        )));
    }
    let (seq, json) = value.split_at(8);
    let credential =
        serde_json::from_slice(json).map_err(|e| corrupt("credential", &name(), &e))?;
    Ok((
        u64::from_be_bytes(seq.try_into().expect("8 bytes")),
        credential,
    ))
}

fn decode_member(id: &[u8], value: &[u8]) -> Result<Member, StoreError> {
    serde_json::from_slice(value)
        .map_err(|e| corrupt("registry member", &String::from_utf8_lossy(id), &e))
}

/// The prefix of a credential's keys in `status_history`: the id's length first, so that no
/// credential id (whatever bytes it holds) is a prefix of another's keys.
fn history_prefix(credential: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(4 + credential.len() + 8);
    key.extend_from_slice(&(credential.len() as u32).to_be_bytes());
    key.extend_from_slice(credential.as_bytes());
    key
}

fn decode_audit(value: &[u8]) -> Result<AuditEvent, StoreError> {
    serde_json::from_slice(value).map_err(|e| corrupt("audit event", "", &e))
}

#[cfg(unix)]
fn create_private_dir(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            if meta.permissions().mode() & 0o077 != 0 {
                fs::set_permissions(path, fs::Permissions::from_mode(0o700))
                    .map_err(|e| io_error(path, e))?;
            }
            Ok(())
        }
        Ok(_) => Err(StoreError::Backend(format!(
            "{}: exists and is not a directory",
            path.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
            }
            fs::DirBuilder::new()
                .mode(0o700)
                .create(path)
                .map_err(|e| io_error(path, e))
        }
        Err(e) => Err(io_error(path, e)),
    }
}

#[cfg(not(unix))]
fn create_private_dir(path: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(path).map_err(|e| io_error(path, e))
}

/// `path` with `suffix` appended to its last component.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Makes the entries of directory `dir` durable (its files were synced by sled's flush).
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(dir, e))
}

/// The sled log file, for the group commit to fsync (see [`SledStore`]'s `commit`).
///
/// `Db::flush` in sled 0.34 ends with `sync_file_range` on Linux, which neither writes the
/// file's metadata (the log grows by appending, so its new length) nor flushes the disk's
/// write cache: a power cut could still lose a flushed write. sled itself fsyncs only every
/// 500 ms (its background flusher), so the group commit fsyncs the log after each flush. The
/// folder is synced once too, so the log file's own directory entry is durable.
fn durable_log(path: &Path) -> Result<fs::File, StoreError> {
    let log = path.join("db");
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&log)
        .map_err(|e| io_error(&log, e))?;
    #[cfg(unix)]
    fs::File::open(path)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| io_error(path, e))?;
    Ok(file)
}

fn sync_log(log: &fs::File) -> Result<(), StoreError> {
    log.sync_all()
        .map_err(|e| StoreError::Backend(format!("fsync of the sled log failed: {e}")))
}

impl SledStore {
    /// Opens (or creates, mode 0700: it holds secret keys) the database folder at `path`.
    /// Fails with `Backend` if another process has it open.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with_list_size(path, STATUS_LIST_SIZE)
    }

    /// Rewrites the (closed) database folder at `path` into a fresh one holding only the
    /// current values, then swaps it in. sled keeps overwritten values in its log until it
    /// reuses the space: after keys were sealed in place, this is what removes their
    /// plaintext from the disk. The swap is two renames (`path` → `path.pre-rewrite`, the
    /// fresh copy → `path`); [`recover_rewrite`](Self::recover_rewrite) finishes or undoes an
    /// interrupted one.
    pub fn rewrite_folder(path: &Path) -> Result<(), StoreError> {
        Self::recover_rewrite(path)?;
        let fresh = sibling(path, ".rewrite");
        let old = sibling(path, ".pre-rewrite");
        if fresh.exists() {
            fs::remove_dir_all(&fresh).map_err(|e| io_error(&fresh, e))?;
        }
        {
            let from = ::sled::Config::new().path(path).open().map_err(backend)?;
            create_private_dir(&fresh)?;
            let to = ::sled::Config::new().path(&fresh).open().map_err(backend)?;
            to.import(from.export());
            to.flush().map_err(backend)?;
        }
        sync_dir(&fresh)?;
        fs::rename(path, &old).map_err(|e| io_error(path, e))?;
        fs::rename(&fresh, path).map_err(|e| io_error(path, e))?;
        if let Some(parent) = path.parent() {
            sync_dir(parent)?;
        }
        fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))
    }

    /// Finishes a [`rewrite_folder`](Self::rewrite_folder) a crash interrupted. The fresh
    /// copy is renamed into place only once complete and synced, so if `path` is gone the
    /// fresh copy (when there) is put in place, else the previous copy is put back; a
    /// previous copy left beside a present `path` is removed.
    pub fn recover_rewrite(path: &Path) -> Result<(), StoreError> {
        let old = sibling(path, ".pre-rewrite");
        if !old.exists() {
            return Ok(());
        }
        if !path.exists() {
            let fresh = sibling(path, ".rewrite");
            let from = if fresh.exists() { &fresh } else { &old };
            fs::rename(from, path).map_err(|e| io_error(path, e))?;
        }
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
        }
        Ok(())
    }

    /// Like [`open`](Self::open) with another status list size (tests use small lists to
    /// reach a roll-over). The size is fixed when the database is created; opening it with a
    /// different one is `Invalid`, since entries already handed out would move.
    pub fn open_with_list_size(path: impl AsRef<Path>, list_size: u64) -> Result<Self, StoreError> {
        validate_list_size(list_size)?;
        let path = path.as_ref();
        Self::recover_rewrite(path)?;
        create_private_dir(path)?;
        // sled's page cache defaults to 1 GiB; a 100,000-row batch grew the server to 2.5 GB.
        // Credentials are written once and read rarely, so a small cache costs little.
        let db = open_db(path)?;
        let tree = |name: &str| db.open_tree(name).map_err(backend);
        let meta = tree("meta")?;
        match meta.get("status_list_size").map_err(backend)? {
            None => {
                meta.insert("format", FORMAT).map_err(backend)?;
                meta.insert("status_list_size", &list_size.to_be_bytes())
                    .map_err(backend)?;
            }
            Some(stored) => {
                let stored = read_u64(Some(&stored), "status list size")?;
                if stored != list_size {
                    return Err(StoreError::Invalid(format!(
                        "the store at {} uses status lists of {stored} entries, not {list_size}",
                        path.display()
                    )));
                }
                let format = meta.get("format").map_err(backend)?;
                if format.as_deref() != Some(FORMAT) {
                    return Err(StoreError::Corrupt(format!(
                        "the store at {} has an unknown layout version",
                        path.display()
                    )));
                }
            }
        }
        let flushing = db.clone();
        let log = Arc::new(durable_log(path)?);
        let syncing = Arc::clone(&log);
        Ok(SledStore {
            institutions: tree("institutions")?,
            token_hashes: tree("token_hashes")?,
            secret_keys: tree("secret_keys")?,
            credentials: tree("credentials")?,
            record_ids: tree("record_ids")?,
            issued: tree("issued")?,
            status_counters: tree("status_counters")?,
            status_bits: tree("status_bits")?,
            audit: tree("audit")?,
            audit_by_institution: tree("audit_by_institution")?,
            status_history: tree("status_history")?,
            registry_members: tree("registry_members")?,
            registry_dids: tree("registry_dids")?,
            registry_keys: tree("registry_keys")?,
            meta: meta.clone(),
            offers: tree("offers")?,
            offers_by_credential: tree("offers_by_credential")?,
            tickets: tree("tickets")?,
            staff: tree("staff")?,
            passports: tree("passports")?,
            shares: tree("shares")?,
            shares_by_passport: tree("shares_by_passport")?,
            list_size,
            writes: Mutex::new(()),
            commit: GroupCommit::new(move || {
                flushing.flush().map_err(backend)?;
                sync_log(&syncing)
            }),
            log,
            db,
        })
    }

    /// Every passport and every share, for [`super::transfer`] (the trait lists neither).
    pub fn passports_and_shares(
        &self,
    ) -> Result<(Vec<super::StoredPassport>, Vec<super::StoredShare>), StoreError> {
        let passports = self
            .passports
            .iter()
            .map(|entry| {
                let (k, v) = entry.map_err(backend)?;
                serde_json::from_slice(&v)
                    .map_err(|e| corrupt("passport", &String::from_utf8_lossy(&k), &e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let shares = self
            .shares
            .iter()
            .map(|entry| {
                let (k, v) = entry.map_err(backend)?;
                serde_json::from_slice(&v)
                    .map_err(|e| corrupt("share", &String::from_utf8_lossy(&k), &e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((passports, shares))
    }

    /// The status list size this store uses.
    pub fn list_size(&self) -> u64 {
        self.list_size
    }

    /// Every status counter, `(institution, purpose, next entry number)`: for
    /// [`super::transfer`], which copies them so that no entry is handed out twice after a
    /// migration or a restore.
    pub fn counters(&self) -> Result<Vec<(String, String, u64)>, StoreError> {
        self.status_counters
            .iter()
            .map(|entry| {
                let (k, v) = entry.map_err(backend)?;
                let split = k.iter().position(|b| *b == 0).ok_or_else(|| {
                    StoreError::Corrupt("a status counter key has no separator".into())
                })?;
                let institution = std::str::from_utf8(&k[..split]);
                let purpose = std::str::from_utf8(&k[split + 1..]);
                match (institution, purpose) {
                    (Ok(i), Ok(p)) => Ok((
                        i.to_owned(),
                        p.to_owned(),
                        read_u64(Some(&v), "status counter")?,
                    )),
                    _ => Err(StoreError::Corrupt(
                        "a status counter key is not UTF-8".into(),
                    )),
                }
            })
            .collect()
    }

    /// [`Store::rehash_tokens`] with the write lock held.
    fn rehash_tokens_locked(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<usize, StoreError> {
        // Read and rehashed before the transaction (sled transactions cannot iterate, and may
        // run their closure more than once); writers are held off by the caller's write lock.
        let mut rewritten = Vec::new();
        for entry in self.institutions.iter() {
            let (id, value) = entry.map_err(backend)?;
            let mut institution = decode_institution(&id, &value)?;
            let old = institution.token_hash;
            institution.token_hash = rehash(&old);
            let value = serde_json::to_vec(&institution)
                .map_err(|e| StoreError::Invalid(format!("institution does not serialize: {e}")))?;
            rewritten.push((id.to_vec(), old, institution.token_hash, value));
        }
        finish(
            (&self.meta, &self.institutions, &self.token_hashes).transaction(
                |(meta, institutions, tokens)| {
                    for (_, old, _, _) in &rewritten {
                        tokens.remove(&old[..])?;
                    }
                    for (id, _, new, value) in &rewritten {
                        tokens.insert(&new[..], id.as_slice())?;
                        institutions.insert(id.as_slice(), value.as_slice())?;
                    }
                    meta.insert(TOKEN_SCHEME, record)?;
                    Ok(())
                },
            ),
        )?;
        Ok(rewritten.len())
    }

    fn lock(&self) -> MutexGuard<'_, ()> {
        // Guards no data of its own; every change is one transaction.
        self.writes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn institution_exists(&self, id: &str) -> Result<(), StoreError> {
        if self.institutions.contains_key(id).map_err(backend)? {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                entity: Entity::Institution,
                id: id.to_owned(),
            })
        }
    }

    fn counter(&self, institution: &str, purpose: &str) -> Result<u64, StoreError> {
        let value = self
            .status_counters
            .get(key(&[institution.as_bytes(), purpose.as_bytes()]))
            .map_err(backend)?;
        read_u64(value.as_ref(), "status counter")
    }

    /// The member the DID index names for `did`: `Some(None)` when there is none, `None` when
    /// the index and the member disagree (a concurrent write, or damage).
    fn member_by_did(&self, did: &str) -> Result<Option<Option<Member>>, StoreError> {
        let Some(id) = self.registry_dids.get(did).map_err(backend)? else {
            return Ok(Some(None));
        };
        let id = read_string(&id, "registry DID index")?;
        Ok(match self.get_member(&id)? {
            Some(member) if member.dids.iter().any(|d| d == did) => Some(Some(member)),
            _ => None,
        })
    }

    /// The `status_bits` key of `list`, once `index` (or, without one, any entry of the list)
    /// is known to have been handed out.
    fn allocated_list(&self, list: &str, index: Option<u64>) -> Result<Vec<u8>, StoreError> {
        let id = StatusListId::parse(list).ok_or_else(|| StoreError::NotFound {
            entity: Entity::StatusList,
            id: list.to_owned(),
        })?;
        let counter = self.counter(&id.institution, &id.purpose)?;
        check_allocated(&id, index, self.list_size, counter)?;
        Ok(key(&[
            id.institution.as_bytes(),
            id.purpose.as_bytes(),
            &id.sequence.to_be_bytes(),
        ]))
    }
}

impl Store for SledStore {
    fn insert_institution(&self, institution: &Institution) -> Result<(), StoreError> {
        validate_institution_id(&institution.id)?;
        let value = serde_json::to_vec(institution)
            .map_err(|e| StoreError::Invalid(format!("institution does not serialize: {e}")))?;
        let _writes = self.lock();
        finish(
            (&self.institutions, &self.token_hashes).transaction(|(institutions, tokens)| {
                if institutions.get(institution.id.as_bytes())?.is_some() {
                    return abort(StoreError::Conflict {
                        entity: Entity::Institution,
                        existing: institution.id.clone(),
                    });
                }
                if let Some(owner) = tokens.get(institution.token_hash)? {
                    return abort(StoreError::Conflict {
                        entity: Entity::TokenHash,
                        existing: String::from_utf8_lossy(&owner).into_owned(),
                    });
                }
                tokens.insert(&institution.token_hash, institution.id.as_bytes())?;
                institutions.insert(institution.id.as_bytes(), value.as_slice())?;
                Ok(())
            }),
        )
    }

    fn insert_institution_with_key(
        &self,
        institution: &Institution,
        verification_method: &str,
        secret: &str,
    ) -> Result<(), StoreError> {
        validate_institution_id(&institution.id)?;
        let value = serde_json::to_vec(institution)
            .map_err(|e| StoreError::Invalid(format!("institution does not serialize: {e}")))?;
        let secret_key = key(&[institution.id.as_bytes(), verification_method.as_bytes()]);
        let _writes = self.lock();
        finish(
            (&self.institutions, &self.token_hashes, &self.secret_keys).transaction(
                |(institutions, tokens, secrets)| {
                    if institutions.get(institution.id.as_bytes())?.is_some() {
                        return abort(StoreError::Conflict {
                            entity: Entity::Institution,
                            existing: institution.id.clone(),
                        });
                    }
                    if let Some(owner) = tokens.get(institution.token_hash)? {
                        return abort(StoreError::Conflict {
                            entity: Entity::TokenHash,
                            existing: String::from_utf8_lossy(&owner).into_owned(),
                        });
                    }
                    tokens.insert(&institution.token_hash, institution.id.as_bytes())?;
                    institutions.insert(institution.id.as_bytes(), value.as_slice())?;
                    secrets.insert(secret_key.as_slice(), secret.as_bytes())?;
                    Ok(())
                },
            ),
        )
    }

    fn get_institution(&self, id: &str) -> Result<Option<Institution>, StoreError> {
        self.institutions
            .get(id)
            .map_err(backend)?
            .map(|v| decode_institution(id.as_bytes(), &v))
            .transpose()
    }

    fn list_institutions(&self) -> Result<Vec<Institution>, StoreError> {
        self.institutions
            .iter()
            .map(|entry| {
                let (id, value) = entry.map_err(backend)?;
                decode_institution(&id, &value)
            })
            .collect()
    }

    fn update_institution(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        let _writes = self.lock();
        let current = self
            .get_institution(id)?
            .ok_or_else(|| StoreError::NotFound {
                entity: Entity::Institution,
                id: id.to_owned(),
            })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        if updated.id != current.id {
            return Err(StoreError::Invalid(
                "an institution's id cannot change".into(),
            ));
        }
        let value = serde_json::to_vec(&updated)
            .map_err(|e| StoreError::Invalid(format!("institution does not serialize: {e}")))?;
        let new_token = updated.token_hash != current.token_hash;
        finish(
            (&self.institutions, &self.token_hashes).transaction(|(institutions, tokens)| {
                if new_token {
                    if let Some(owner) = tokens.get(updated.token_hash)? {
                        return abort(StoreError::Conflict {
                            entity: Entity::TokenHash,
                            existing: String::from_utf8_lossy(&owner).into_owned(),
                        });
                    }
                    tokens.remove(&current.token_hash)?;
                    tokens.insert(&updated.token_hash, id.as_bytes())?;
                }
                institutions.insert(id.as_bytes(), value.as_slice())?;
                Ok(())
            }),
        )?;
        Ok(updated)
    }

    fn update_institution_with_key(
        &self,
        id: &str,
        verification_method: &str,
        secret: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        let _writes = self.lock();
        let current = self
            .get_institution(id)?
            .ok_or_else(|| StoreError::NotFound {
                entity: Entity::Institution,
                id: id.to_owned(),
            })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        if updated.id != current.id {
            return Err(StoreError::Invalid(
                "an institution's id cannot change".into(),
            ));
        }
        let value = serde_json::to_vec(&updated)
            .map_err(|e| StoreError::Invalid(format!("institution does not serialize: {e}")))?;
        let new_token = updated.token_hash != current.token_hash;
        let secret_key = key(&[id.as_bytes(), verification_method.as_bytes()]);
        finish(
            (&self.institutions, &self.token_hashes, &self.secret_keys).transaction(
                |(institutions, tokens, secrets)| {
                    if new_token {
                        if let Some(owner) = tokens.get(updated.token_hash)? {
                            return abort(StoreError::Conflict {
                                entity: Entity::TokenHash,
                                existing: String::from_utf8_lossy(&owner).into_owned(),
                            });
                        }
                        tokens.remove(&current.token_hash)?;
                        tokens.insert(&updated.token_hash, id.as_bytes())?;
                    }
                    if secrets.get(secret_key.as_slice())?.is_some() {
                        return abort(StoreError::Conflict {
                            entity: Entity::SecretKey,
                            existing: verification_method.to_owned(),
                        });
                    }
                    secrets.insert(secret_key.as_slice(), secret.as_bytes())?;
                    institutions.insert(id.as_bytes(), value.as_slice())?;
                    Ok(())
                },
            ),
        )?;
        Ok(updated)
    }

    fn find_institution_by_token_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<Institution>, StoreError> {
        match self.token_hashes.get(token_hash).map_err(backend)? {
            None => Ok(None),
            Some(id) => {
                let institution = self.get_institution(&read_string(&id, "token owner")?)?;
                // A rotation between the two reads leaves a record with another hash.
                Ok(institution.filter(|i| &i.token_hash == token_hash))
            }
        }
    }

    fn put_secret_key(
        &self,
        institution: &str,
        verification_method: &str,
        multibase_secret: &str,
    ) -> Result<(), StoreError> {
        let _writes = self.lock();
        self.institution_exists(institution)?;
        let k = key(&[institution.as_bytes(), verification_method.as_bytes()]);
        // Compare-and-swap from "absent" so an existing key is never replaced.
        let swapped = self
            .secret_keys
            .compare_and_swap(k, None as Option<&[u8]>, Some(multibase_secret.as_bytes()))
            .map_err(backend)?;
        swapped.map_err(|_| StoreError::Conflict {
            entity: Entity::SecretKey,
            existing: verification_method.to_owned(),
        })
    }

    fn secret_key(
        &self,
        institution: &str,
        verification_method: &str,
    ) -> Result<Option<Zeroizing<String>>, StoreError> {
        if !is_slug(institution) {
            return Ok(None);
        }
        let k = key(&[institution.as_bytes(), verification_method.as_bytes()]);
        match self.secret_keys.get(k).map_err(backend)? {
            None => Ok(None),
            Some(v) => match std::str::from_utf8(&v) {
                Ok(s) => Ok(Some(Zeroizing::new(s.to_owned()))),
                Err(_) => Err(StoreError::Corrupt(format!(
                    "secret key of {verification_method} is not UTF-8"
                ))),
            },
        }
    }

    fn key_custody(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .meta
            .get(KEY_CUSTODY)
            .map_err(backend)?
            .map(|v| v.to_vec()))
    }

    fn init_key_custody(&self, record: &[u8]) -> Result<Vec<u8>, StoreError> {
        let _writes = self.lock();
        // Compare-and-swap from "absent": the first record set is the one every caller gets.
        let swapped = self
            .meta
            .compare_and_swap(KEY_CUSTODY, None as Option<&[u8]>, Some(record))
            .map_err(backend)?;
        match swapped {
            Ok(()) => Ok(record.to_vec()),
            Err(_) => self
                .key_custody()?
                .ok_or_else(|| StoreError::Corrupt("the key custody record vanished".into())),
        }
    }

    fn token_scheme(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .meta
            .get(TOKEN_SCHEME)
            .map_err(backend)?
            .map(|v| v.to_vec()))
    }

    fn rehash_tokens(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<usize, StoreError> {
        let _writes = self.lock();
        self.rehash_tokens_locked(record, rehash)
    }

    fn rehash_tokens_once(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<TokenRehash, StoreError> {
        // One process holds the database (sled's file lock), and every write of the record
        // holds the write lock: the check and the write are one step.
        let _writes = self.lock();
        if let Some(present) = self.token_scheme()? {
            return Ok(TokenRehash::Present(present));
        }
        Ok(TokenRehash::Rehashed(
            self.rehash_tokens_locked(record, rehash)?,
        ))
    }

    fn reseal_keys(&self, record: &[u8], reseal: &mut Reseal<'_>) -> Result<usize, StoreError> {
        let _writes = self.lock();
        // The key names, read before the transaction (sled transactions cannot iterate);
        // writers are held off by the write lock above.
        let mut names = Vec::new();
        for entry in self.secret_keys.iter() {
            let (k, _) = entry.map_err(backend)?;
            names.push(k.to_vec());
        }
        // sled may run the closure more than once and wants `Fn`.
        let cache = std::cell::RefCell::new(reseal);
        finish(
            (&self.meta, &self.secret_keys, &self.registry_keys).transaction(
                |(meta, secrets, registry)| {
                    let mut count = 0;
                    for name in &names {
                        let Some(split) = name.iter().position(|b| *b == 0) else {
                            return abort(StoreError::Corrupt(
                                "a secret key name has no separator".into(),
                            ));
                        };
                        let (Ok(institution), Ok(method)) = (
                            std::str::from_utf8(&name[..split]),
                            std::str::from_utf8(&name[split + 1..]),
                        ) else {
                            return abort(StoreError::Corrupt(
                                "a secret key name is not UTF-8".into(),
                            ));
                        };
                        let Some(current) = secrets.get(name)? else {
                            continue;
                        };
                        let current =
                            Zeroizing::new(String::from_utf8(current.to_vec()).map_err(|_| {
                                ConflictableTransactionError::Abort(StoreError::Corrupt(format!(
                                    "secret key of {method} is not UTF-8"
                                )))
                            })?);
                        let slot = KeySlot::Institution {
                            institution,
                            verification_method: method,
                        };
                        let next = match (cache.borrow_mut())(slot, &current) {
                            Ok(next) => next,
                            Err(e) => return abort(e),
                        };
                        secrets.insert(name.as_slice(), next.as_bytes())?;
                        count += 1;
                    }
                    if let Some(current) = registry.get(REGISTRY_SIGNING_KEY)? {
                        let current =
                            Zeroizing::new(String::from_utf8(current.to_vec()).map_err(|_| {
                                ConflictableTransactionError::Abort(StoreError::Corrupt(
                                    "the registry signing key is not UTF-8".into(),
                                ))
                            })?);
                        let next = match (cache.borrow_mut())(KeySlot::Registry, &current) {
                            Ok(next) => next,
                            Err(e) => return abort(e),
                        };
                        registry.insert(REGISTRY_SIGNING_KEY, next.as_bytes())?;
                        count += 1;
                    }
                    meta.insert(KEY_CUSTODY, record)?;
                    Ok(count)
                },
            ),
        )
    }

    fn insert_credential(&self, credential: &StoredCredential) -> Result<(), StoreError> {
        let high = allocation_high_water(credential, self.list_size)?;
        let json = serde_json::to_vec(credential)
            .map_err(|e| StoreError::Invalid(format!("credential does not serialize: {e}")))?;
        let institution = credential.institution.as_bytes();
        let id = credential.id.as_bytes();
        let record_key = credential
            .record_id
            .as_ref()
            .map(|r| key(&[institution, r.as_bytes()]));
        let _writes = self.lock();
        self.institution_exists(&credential.institution)?;
        let seq = self.db.generate_id().map_err(backend)?;
        let mut value = seq.to_be_bytes().to_vec();
        value.extend_from_slice(&json);
        let trees = (
            &self.credentials,
            &self.record_ids,
            &self.issued,
            &self.status_counters,
        );
        finish(
            trees.transaction(|(credentials, record_ids, issued, counters)| {
                if credentials.get(id)?.is_some() {
                    return abort(StoreError::Conflict {
                        entity: Entity::Credential,
                        existing: credential.id.clone(),
                    });
                }
                if let Some(record_key) = &record_key {
                    if let Some(existing) = record_ids.get(record_key)? {
                        return abort(StoreError::Conflict {
                            entity: Entity::RecordId,
                            existing: String::from_utf8_lossy(&existing).into_owned(),
                        });
                    }
                    record_ids.insert(record_key.as_slice(), id)?;
                }
                // Normally a no-op; after a crash that lost a counter update but kept this
                // credential, it keeps the credential's entries from being handed out again.
                for (purpose, end) in &high {
                    let k = key(&[institution, purpose.as_bytes()]);
                    let current = match read_u64(counters.get(&k)?.as_ref(), "status counter") {
                        Ok(n) => n,
                        Err(e) => return abort(e),
                    };
                    if current < *end {
                        counters.insert(k, &end.to_be_bytes())?;
                    }
                }
                issued.insert(key(&[institution, &seq.to_be_bytes()]), id)?;
                credentials.insert(id, value.as_slice())?;
                Ok(())
            }),
        )
    }

    fn get_credential(&self, id: &str) -> Result<Option<StoredCredential>, StoreError> {
        match self.credentials.get(id).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(decode_credential(id.as_bytes(), &v)?.1)),
        }
    }

    fn find_by_record_id(
        &self,
        institution: &str,
        record_id: &str,
    ) -> Result<Option<StoredCredential>, StoreError> {
        if !is_slug(institution) {
            return Ok(None);
        }
        let k = key(&[institution.as_bytes(), record_id.as_bytes()]);
        match self.record_ids.get(k).map_err(backend)? {
            None => Ok(None),
            Some(id) => {
                let id = read_string(&id, "record index")?;
                match self.get_credential(&id)? {
                    Some(c) => Ok(Some(c)),
                    None => Err(StoreError::Corrupt(format!(
                        "record index points to missing credential {id}"
                    ))),
                }
            }
        }
    }

    fn list_credentials(
        &self,
        institution: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredCredential>, StoreError> {
        if !is_slug(institution) {
            return Ok(Vec::new());
        }
        let start = prefix(institution);
        let mut end = start.clone();
        *end.last_mut().expect("non-empty prefix") = 1;
        let from = match after {
            None => start,
            Some(after) => {
                let not_found = || StoreError::NotFound {
                    entity: Entity::Credential,
                    id: after.to_owned(),
                };
                let value = self
                    .credentials
                    .get(after)
                    .map_err(backend)?
                    .ok_or_else(not_found)?;
                let (seq, credential) = decode_credential(after.as_bytes(), &value)?;
                if credential.institution != institution {
                    return Err(not_found());
                }
                key(&[institution.as_bytes(), &(seq + 1).to_be_bytes()])
            }
        };
        self.issued
            .range(from..end)
            .take(limit)
            .map(|entry| {
                let (_, id) = entry.map_err(backend)?;
                let id = read_string(&id, "issue index")?;
                self.get_credential(&id)?.ok_or_else(|| {
                    StoreError::Corrupt(format!("issue index points to missing credential {id}"))
                })
            })
            .collect()
    }

    fn allocate_status_indices(
        &self,
        institution: &str,
        purpose: &str,
        count: usize,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        validate_purpose(purpose)?;
        let _writes = self.lock();
        self.institution_exists(institution)?;
        let from = self.counter(institution, purpose)?;
        let to = from
            .checked_add(count as u64)
            .ok_or_else(|| StoreError::Invalid("status counter would overflow".into()))?;
        // Written before the entries are returned: a credential using them is written later,
        // so it cannot outlive this write in a crash (and re-raises the counter itself).
        self.status_counters
            .insert(
                key(&[institution.as_bytes(), purpose.as_bytes()]),
                &to.to_be_bytes(),
            )
            .map_err(backend)?;
        Ok(entries(
            institution,
            purpose,
            self.list_size,
            from,
            count as u64,
        ))
    }

    fn set_status_bit(&self, list: &str, index: u64, value: bool) -> Result<bool, StoreError> {
        let _writes = self.lock();
        let k = self.allocated_list(list, Some(index))?;
        let mut bits = match self.status_bits.get(&k).map_err(backend)? {
            Some(bits) if bits.len() as u64 == self.list_size / 8 => bits.to_vec(),
            Some(_) => {
                return Err(StoreError::Corrupt(format!(
                    "status list {list} has the wrong length"
                )))
            }
            None => vec![0; (self.list_size / 8) as usize],
        };
        let previous = set_bit(&mut bits, index, value);
        if previous != value {
            self.status_bits.insert(k, bits).map_err(backend)?;
        }
        Ok(previous)
    }

    fn change_status(
        &self,
        credential: &str,
        list: &str,
        index: u64,
        value: bool,
        event: &StatusEvent,
    ) -> Result<bool, StoreError> {
        let record = serde_json::to_vec(event)
            .map_err(|e| StoreError::Invalid(format!("status event does not serialize: {e}")))?;
        let _writes = self.lock();
        let stored = self
            .get_credential(credential)?
            .ok_or_else(|| StoreError::NotFound {
                entity: Entity::Credential,
                id: credential.to_owned(),
            })?;
        check_own_entry(&stored, list, index)?;
        let k = self.allocated_list(list, Some(index))?;
        let mut bits = match self.status_bits.get(&k).map_err(backend)? {
            Some(bits) if bits.len() as u64 == self.list_size / 8 => bits.to_vec(),
            Some(_) => {
                return Err(StoreError::Corrupt(format!(
                    "status list {list} has the wrong length"
                )))
            }
            None => vec![0; (self.list_size / 8) as usize],
        };
        let previous = set_bit(&mut bits, index, value);
        if previous == value {
            return Ok(previous);
        }
        // Ids are monotonic, also across restarts, so key order is the order of changes.
        let mut history_key = history_prefix(credential);
        history_key.extend_from_slice(&self.db.generate_id().map_err(backend)?.to_be_bytes());
        finish(
            (&self.status_bits, &self.status_history).transaction(|(status_bits, history)| {
                status_bits.insert(k.as_slice(), bits.as_slice())?;
                history.insert(history_key.as_slice(), record.as_slice())?;
                Ok(())
            }),
        )?;
        Ok(previous)
    }

    fn status_history(&self, credential: &str) -> Result<Vec<StatusEvent>, StoreError> {
        self.status_history
            .scan_prefix(history_prefix(credential))
            .map(|entry| {
                let (_, value) = entry.map_err(backend)?;
                serde_json::from_slice(&value)
                    .map_err(|e| corrupt("status event of", credential, &e))
            })
            .collect()
    }

    fn status_bits(&self, list: &str) -> Result<Vec<u8>, StoreError> {
        let k = self.allocated_list(list, None)?;
        match self.status_bits.get(&k).map_err(backend)? {
            Some(bits) if bits.len() as u64 == self.list_size / 8 => Ok(bits.to_vec()),
            Some(_) => Err(StoreError::Corrupt(format!(
                "status list {list} has the wrong length"
            ))),
            None => Ok(vec![0; (self.list_size / 8) as usize]),
        }
    }

    fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        if let Some(institution) = &event.institution {
            validate_institution_id(institution)?;
        }
        let value = serde_json::to_vec(event)
            .map_err(|e| StoreError::Invalid(format!("audit event does not serialize: {e}")))?;
        // Under the write lock so that an export (a backup) sees no audit line appear
        // between its reads.
        let _writes = self.lock();
        // Ids are monotonic, also across restarts, so key order is append order.
        let seq = self.db.generate_id().map_err(backend)?.to_be_bytes();
        finish(
            (&self.audit, &self.audit_by_institution).transaction(|(audit, by_institution)| {
                audit.insert(&seq, value.as_slice())?;
                if let Some(institution) = &event.institution {
                    by_institution
                        .insert(key(&[institution.as_bytes(), &seq]), value.as_slice())?;
                }
                Ok(())
            }),
        )
    }

    fn audit(
        &self,
        institution: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let entries = match institution {
            Some(institution) if !is_slug(institution) => return Ok(Vec::new()),
            None => self.audit.iter(),
            Some(institution) => self.audit_by_institution.scan_prefix(prefix(institution)),
        };
        let mut events = entries
            .rev()
            .take(limit)
            .map(|entry| decode_audit(&entry.map_err(backend)?.1))
            .collect::<Result<Vec<_>, _>>()?;
        events.reverse();
        Ok(events)
    }

    fn put_members(&self, members: &[Member]) -> Result<Vec<bool>, StoreError> {
        let values = members
            .iter()
            .map(|m| {
                serde_json::to_vec(m).map_err(|e| {
                    StoreError::Invalid(format!("registry member does not serialize: {e}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Readers take no lock, but every writer holds this one: what is read here stays
        // current until the transaction below commits.
        let _writes = self.lock();
        check_member_batch(members, |did| {
            self.registry_dids
                .get(did)
                .map_err(backend)?
                .map(|id| read_string(&id, "registry DID index"))
                .transpose()
        })?;
        let old = members
            .iter()
            .map(|m| self.get_member(&m.id))
            .collect::<Result<Vec<_>, _>>()?;
        finish(
            (&self.registry_members, &self.registry_dids).transaction(|(stored, dids)| {
                for did in old.iter().flatten().flat_map(|o| &o.dids) {
                    dids.remove(did.as_bytes())?;
                }
                for (member, value) in members.iter().zip(&values) {
                    for did in &member.dids {
                        dids.insert(did.as_bytes(), member.id.as_bytes())?;
                    }
                    stored.insert(member.id.as_bytes(), value.as_slice())?;
                }
                Ok(())
            }),
        )?;
        Ok(old.iter().map(Option::is_none).collect())
    }

    fn delete_member(&self, id: &str) -> Result<Member, StoreError> {
        let _writes = self.lock();
        let member = self.get_member(id)?.ok_or_else(|| StoreError::NotFound {
            entity: Entity::Member,
            id: id.to_owned(),
        })?;
        finish(
            (&self.registry_members, &self.registry_dids).transaction(|(stored, dids)| {
                for did in &member.dids {
                    dids.remove(did.as_bytes())?;
                }
                stored.remove(id.as_bytes())?;
                Ok(())
            }),
        )?;
        Ok(member)
    }

    fn get_member(&self, id: &str) -> Result<Option<Member>, StoreError> {
        self.registry_members
            .get(id)
            .map_err(backend)?
            .map(|v| decode_member(id.as_bytes(), &v))
            .transpose()
    }

    fn list_members(&self) -> Result<Vec<Member>, StoreError> {
        self.registry_members
            .iter()
            .map(|entry| {
                let (id, value) = entry.map_err(backend)?;
                decode_member(&id, &value)
            })
            .collect()
    }

    fn find_member_by_did(&self, did: &str) -> Result<Option<Member>, StoreError> {
        if let Some(found) = self.member_by_did(did)? {
            return Ok(found);
        }
        // A write moved the DID between the two reads; under the lock nothing moves.
        let _writes = self.lock();
        self.member_by_did(did)?.ok_or_else(|| {
            StoreError::Corrupt(format!(
                "the registry DID index points {did} at a member that does not list it"
            ))
        })
    }

    fn registry_key(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        match self
            .registry_keys
            .get(REGISTRY_SIGNING_KEY)
            .map_err(backend)?
        {
            None => Ok(None),
            Some(v) => match std::str::from_utf8(&v) {
                Ok(s) => Ok(Some(Zeroizing::new(s.to_owned()))),
                Err(_) => Err(StoreError::Corrupt(
                    "the registry signing key is not UTF-8".into(),
                )),
            },
        }
    }

    fn init_registry_key(&self, multibase_secret: &str) -> Result<Zeroizing<String>, StoreError> {
        let _writes = self.lock();
        // Compare-and-swap from "absent": the first key set is the one every caller gets.
        let swapped = self
            .registry_keys
            .compare_and_swap(
                REGISTRY_SIGNING_KEY,
                None as Option<&[u8]>,
                Some(multibase_secret.as_bytes()),
            )
            .map_err(backend)?;
        match swapped {
            Ok(()) => Ok(Zeroizing::new(multibase_secret.to_owned())),
            Err(_) => self
                .registry_key()?
                .ok_or_else(|| StoreError::Corrupt("the registry signing key vanished".into())),
        }
    }

    fn insert_offer(&self, offer: &StoredOffer) -> Result<(), StoreError> {
        let value = serde_json::to_vec(offer)
            .map_err(|e| StoreError::Invalid(format!("offer does not serialize: {e}")))?;
        let _writes = self.lock();
        if !self
            .credentials
            .contains_key(&offer.credential)
            .map_err(backend)?
        {
            return Err(StoreError::NotFound {
                entity: Entity::Credential,
                id: offer.credential.clone(),
            });
        }
        finish(
            (&self.offers, &self.offers_by_credential).transaction(|(offers, by_credential)| {
                if offers.get(&offer.id)?.is_some() {
                    return abort(StoreError::Conflict {
                        entity: Entity::Offer,
                        existing: offer.id.clone(),
                    });
                }
                offers.insert(offer.id.as_bytes(), value.as_slice())?;
                by_credential.insert(
                    key(&[offer.credential.as_bytes(), offer.id.as_bytes()]),
                    &[][..],
                )?;
                Ok(())
            }),
        )
    }

    fn get_offer(&self, id: &str) -> Result<Option<StoredOffer>, StoreError> {
        match self.offers.get(id).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(
                serde_json::from_slice(&v).map_err(|e| corrupt("offer", id, &e))?,
            )),
        }
    }

    fn update_offer(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredOffer) -> Result<(), StoreError>,
    ) -> Result<StoredOffer, StoreError> {
        let _writes = self.lock();
        let current = self.get_offer(id)?.ok_or_else(|| StoreError::NotFound {
            entity: Entity::Offer,
            id: id.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_offer_update(&current, &updated)?;
        let value = serde_json::to_vec(&updated)
            .map_err(|e| StoreError::Invalid(format!("offer does not serialize: {e}")))?;
        self.offers.insert(id.as_bytes(), value).map_err(backend)?;
        Ok(updated)
    }

    fn list_offers(&self, credential: &str) -> Result<Vec<StoredOffer>, StoreError> {
        let mut offers = Vec::new();
        for entry in self
            .offers_by_credential
            .scan_prefix(key(&[credential.as_bytes(), b""]))
        {
            let (k, _) = entry.map_err(backend)?;
            let id = &k[credential.len() + 1..];
            let id = std::str::from_utf8(id)
                .map_err(|_| StoreError::Corrupt("offer id is not UTF-8".into()))?;
            if let Some(offer) = self.get_offer(id)? {
                offers.push(offer);
            }
        }
        offers.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(offers)
    }

    fn put_ticket(&self, key: &str, ticket: &Ticket) -> Result<(), StoreError> {
        let value = serde_json::to_vec(ticket)
            .map_err(|e| StoreError::Invalid(format!("ticket does not serialize: {e}")))?;
        match self
            .tickets
            .compare_and_swap(key, None as Option<&[u8]>, Some(value))
            .map_err(backend)?
        {
            Ok(()) => Ok(()),
            Err(_) => Err(StoreError::Conflict {
                entity: Entity::Ticket,
                existing: key.to_owned(),
            }),
        }
    }

    fn get_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError> {
        match self.tickets.get(key).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(
                serde_json::from_slice(&v).map_err(|e| corrupt("ticket", key, &e))?,
            )),
        }
    }

    fn take_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError> {
        match self.tickets.remove(key).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(
                serde_json::from_slice(&v).map_err(|e| corrupt("ticket", key, &e))?,
            )),
        }
    }

    fn purge_tickets(&self, now: chrono::DateTime<chrono::Utc>) -> Result<usize, StoreError> {
        let mut purged = 0;
        for entry in self.tickets.iter() {
            let (k, v) = entry.map_err(backend)?;
            let expired = match serde_json::from_slice::<Ticket>(&v) {
                Ok(t) => t.expires < now,
                Err(_) => true,
            };
            // Only the value read is removed: a ticket put again meanwhile stays.
            if expired
                && self
                    .tickets
                    .compare_and_swap(&k, Some(&v), None as Option<&[u8]>)
                    .map_err(backend)?
                    .is_ok()
            {
                purged += 1;
            }
        }
        Ok(purged)
    }

    fn insert_passport(&self, passport: &StoredPassport) -> Result<(), StoreError> {
        let value = serde_json::to_vec(passport)
            .map_err(|e| StoreError::Invalid(format!("passport does not serialize: {e}")))?;
        let _writes = self.lock();
        self.passports
            .compare_and_swap(passport.id.as_bytes(), None as Option<&[u8]>, Some(value))
            .map_err(backend)?
            .map_err(|_| StoreError::Conflict {
                entity: Entity::Passport,
                existing: passport.id.clone(),
            })
    }

    fn get_passport(&self, id: &str) -> Result<Option<StoredPassport>, StoreError> {
        match self.passports.get(id).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(
                serde_json::from_slice(&v).map_err(|e| corrupt("passport", id, &e))?,
            )),
        }
    }

    fn update_passport(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredPassport) -> Result<(), StoreError>,
    ) -> Result<StoredPassport, StoreError> {
        let _writes = self.lock();
        let current = self.get_passport(id)?.ok_or_else(|| StoreError::NotFound {
            entity: Entity::Passport,
            id: id.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_passport_update(&current, &updated)?;
        let value = serde_json::to_vec(&updated)
            .map_err(|e| StoreError::Invalid(format!("passport does not serialize: {e}")))?;
        self.passports
            .insert(id.as_bytes(), value)
            .map_err(backend)?;
        Ok(updated)
    }

    fn delete_passport(&self, id: &str) -> Result<usize, StoreError> {
        let _writes = self.lock();
        if !self.passports.contains_key(id).map_err(backend)? {
            return Err(StoreError::NotFound {
                entity: Entity::Passport,
                id: id.to_owned(),
            });
        }
        let mut shares = Vec::new();
        for entry in self
            .shares_by_passport
            .scan_prefix(key(&[id.as_bytes(), b""]))
        {
            let (k, _) = entry.map_err(backend)?;
            shares.push(k.to_vec());
        }
        let prefix = id.len() + 1;
        finish(
            (&self.passports, &self.shares, &self.shares_by_passport).transaction(
                |(passports, all, by_passport)| {
                    passports.remove(id.as_bytes())?;
                    for k in &shares {
                        all.remove(&k[prefix..])?;
                        by_passport.remove(k.as_slice())?;
                    }
                    Ok(())
                },
            ),
        )?;
        Ok(shares.len())
    }

    fn insert_share(&self, share: &StoredShare) -> Result<(), StoreError> {
        let value = serde_json::to_vec(share)
            .map_err(|e| StoreError::Invalid(format!("share does not serialize: {e}")))?;
        let _writes = self.lock();
        if !self
            .passports
            .contains_key(&share.passport)
            .map_err(backend)?
        {
            return Err(StoreError::NotFound {
                entity: Entity::Passport,
                id: share.passport.clone(),
            });
        }
        finish(
            (&self.shares, &self.shares_by_passport).transaction(|(shares, by_passport)| {
                if shares.get(&share.id)?.is_some() {
                    return abort(StoreError::Conflict {
                        entity: Entity::Share,
                        existing: share.id.clone(),
                    });
                }
                shares.insert(share.id.as_bytes(), value.as_slice())?;
                by_passport.insert(
                    key(&[share.passport.as_bytes(), share.id.as_bytes()]),
                    &[][..],
                )?;
                Ok(())
            }),
        )
    }

    fn get_share(&self, id: &str) -> Result<Option<StoredShare>, StoreError> {
        match self.shares.get(id).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(
                serde_json::from_slice(&v).map_err(|e| corrupt("share", id, &e))?,
            )),
        }
    }

    fn update_share(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredShare) -> Result<(), StoreError>,
    ) -> Result<StoredShare, StoreError> {
        let _writes = self.lock();
        let current = self.get_share(id)?.ok_or_else(|| StoreError::NotFound {
            entity: Entity::Share,
            id: id.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_share_update(&current, &updated)?;
        let value = serde_json::to_vec(&updated)
            .map_err(|e| StoreError::Invalid(format!("share does not serialize: {e}")))?;
        self.shares.insert(id.as_bytes(), value).map_err(backend)?;
        Ok(updated)
    }

    fn list_shares(&self, passport: &str) -> Result<Vec<StoredShare>, StoreError> {
        let mut shares = Vec::new();
        for entry in self
            .shares_by_passport
            .scan_prefix(key(&[passport.as_bytes(), b""]))
        {
            let (k, _) = entry.map_err(backend)?;
            let id = std::str::from_utf8(&k[passport.len() + 1..])
                .map_err(|_| StoreError::Corrupt("share id is not UTF-8".into()))?;
            if let Some(share) = self.get_share(id)? {
                shares.push(share);
            }
        }
        shares.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(shares)
    }

    fn insert_staff(&self, account: &super::StaffAccount) -> Result<(), StoreError> {
        let value = serde_json::to_vec(account)
            .map_err(|e| StoreError::Invalid(format!("staff account does not serialize: {e}")))?;
        let _writes = self.lock();
        if let Some(institution) = &account.institution {
            self.institution_exists(institution)?;
        }
        self.staff
            .compare_and_swap(account.email.as_bytes(), None as Option<&[u8]>, Some(value))
            .map_err(backend)?
            .map_err(|_| StoreError::Conflict {
                entity: Entity::Staff,
                existing: account.email.clone(),
            })
    }

    fn get_staff(&self, email: &str) -> Result<Option<super::StaffAccount>, StoreError> {
        match self.staff.get(email).map_err(backend)? {
            None => Ok(None),
            Some(v) => Ok(Some(
                serde_json::from_slice(&v).map_err(|e| corrupt("staff account", email, &e))?,
            )),
        }
    }

    fn list_staff(&self) -> Result<Vec<super::StaffAccount>, StoreError> {
        let mut accounts = Vec::new();
        for entry in self.staff.iter() {
            let (k, v) = entry.map_err(backend)?;
            let email = String::from_utf8_lossy(&k).into_owned();
            accounts.push(
                serde_json::from_slice(&v).map_err(|e| corrupt("staff account", &email, &e))?,
            );
        }
        Ok(accounts)
    }

    fn update_staff(
        &self,
        email: &str,
        change: &mut dyn FnMut(&mut super::StaffAccount) -> Result<(), StoreError>,
    ) -> Result<super::StaffAccount, StoreError> {
        let _writes = self.lock();
        let current = self.get_staff(email)?.ok_or_else(|| StoreError::NotFound {
            entity: Entity::Staff,
            id: email.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_staff_update(&current, &updated)?;
        let value = serde_json::to_vec(&updated)
            .map_err(|e| StoreError::Invalid(format!("staff account does not serialize: {e}")))?;
        self.staff
            .insert(email.as_bytes(), value)
            .map_err(backend)?;
        Ok(updated)
    }

    fn durable(&self) -> DurableFuture {
        self.commit.wait()
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(backend)?;
        sync_log(&self.log)
    }

    fn status_list_size(&self) -> u64 {
        self.list_size
    }

    /// Consistent because every write of what a backup holds runs under `writes` (the
    /// multi-key ones in one transaction; audit appends and the registry key's first set take
    /// it too), and every read below is of committed state: holding `writes` for the whole
    /// export, no write lands between two reads. Tickets, which are not exported, are written
    /// without it. Writers wait meanwhile; readers do not.
    fn export(&self, sink: &mut super::transfer::ItemSink<'_>) -> Result<(), StoreError> {
        let _writes = self.lock();
        let (passports, shares) = self.passports_and_shares()?;
        let extras = super::transfer::Extras {
            counters: self.counters()?,
            passports,
            shares,
        };
        super::transfer::export_store(self, extras, sink)
    }
}
