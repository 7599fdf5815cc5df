//! Moving a store's contents: `skillpass migrate` (sled into PostgreSQL, or any store into
//! another), `skillpass backup` and `skillpass restore` (docs/POSTGRES.md).
//!
//! Everything travels as a sequence of [`Item`]s in a fixed order (key custody, institutions,
//! secret keys, registry key, members, credentials in issue order, status counters, status
//! history, status lists, offers, audit trail), which [`Importer`] writes into an empty store
//! through the [`Store`] trait. Protocol tickets (minutes-long secrets of a wallet exchange in
//! progress) are not copied.
//!
//! - Every store hands out its items from one consistent view ([`Store::export`]): PostgreSQL
//!   in one `REPEATABLE READ` snapshot, so a backup taken while `serve` processes write is
//!   consistent; sled and memory under the store's write lock. A sled folder opens in one
//!   process only, so another process reads it with the service stopped (its lock refuses
//!   otherwise); the serving process itself exports it for an online backup
//!   (`GET /admin/backup`, [`crate::backup`]).
//! - A backup file is JSON Lines: a header (format, version, status list size), the items,
//!   and a trailer with their number and the SHA-256 of every line before it. Restore checks
//!   the trailer before writing anything, so a truncated or altered file is refused whole.
//!   Secret keys are in it as stored (sealed when the service has a master key): the file is
//!   written mode 0600.
//! - Restore and migrate refuse a target that holds anything (`--force` empties a PostgreSQL
//!   target first).

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{
    AuditEvent, Institution, Member, PostgresStore, SledStore, StaffAccount, StatusEvent,
    StatusListId, Store, StoreError, StoredCredential, StoredOffer, StoredPassport, StoredShare,
    STATUS_PURPOSES,
};

/// The backup file's format name and version.
const FORMAT: &str = "skillpass-backup";
const VERSION: u32 = 1;

/// Transfer errors.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}: {1}")]
    Io(String, io::Error),
    /// The backup file is not one, is damaged or truncated; nothing was written.
    #[error("the backup file is not usable: {0}")]
    BadBackup(String),
    /// The target store holds data already.
    #[error("the target store is not empty ({0}); restore into an empty store, or pass --force to empty a PostgreSQL database first")]
    NotEmpty(String),
}

/// One thing copied. Secrets are carried as stored (sealed when a master key is in use).
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Item {
    /// The key custody record ([`crate::keystore`]), base64.
    KeyCustody {
        record: String,
    },
    /// The API token scheme record ([`crate::api_tokens`]), base64.
    TokenScheme {
        record: String,
    },
    Institution {
        institution: Box<Institution>,
    },
    #[serde(rename_all = "camelCase")]
    SecretKey {
        institution: String,
        verification_method: String,
        secret: Zeroizing<String>,
    },
    RegistryKey {
        secret: Zeroizing<String>,
    },
    Member {
        member: Box<Member>,
    },
    Staff {
        account: Box<StaffAccount>,
    },
    Credential {
        credential: Box<StoredCredential>,
    },
    /// The next entry number of a pair: entries below it were handed out.
    Counter {
        institution: String,
        purpose: String,
        next: u64,
    },
    StatusEvent {
        credential: String,
        event: StatusEvent,
    },
    /// A list's bitstring, base64.
    StatusList {
        list: String,
        bits: String,
    },
    Offer {
        offer: Box<StoredOffer>,
    },
    Passport {
        passport: Box<StoredPassport>,
    },
    Share {
        share: Box<StoredShare>,
    },
    Audit {
        event: AuditEvent,
    },
}

/// How many of each kind were copied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub institutions: usize,
    pub secret_keys: usize,
    pub members: usize,
    pub credentials: usize,
    pub status_lists: usize,
    pub status_events: usize,
    pub offers: usize,
    pub staff: usize,
    pub passports: usize,
    pub shares: usize,
    pub audit_events: usize,
}

impl Counts {
    fn count(&mut self, item: &Item) {
        match item {
            Item::Institution { .. } => self.institutions += 1,
            Item::SecretKey { .. } | Item::RegistryKey { .. } => self.secret_keys += 1,
            Item::Member { .. } => self.members += 1,
            Item::Credential { .. } => self.credentials += 1,
            Item::StatusList { .. } => self.status_lists += 1,
            Item::StatusEvent { .. } => self.status_events += 1,
            Item::Offer { .. } => self.offers += 1,
            Item::Audit { .. } => self.audit_events += 1,
            Item::Staff { .. } => self.staff += 1,
            Item::Passport { .. } => self.passports += 1,
            Item::Share { .. } => self.shares += 1,
            Item::KeyCustody { .. } | Item::TokenScheme { .. } | Item::Counter { .. } => {}
        }
    }
}

type Sink<'a> = dyn FnMut(Item) -> Result<(), TransferError> + 'a;

/// Where [`Store::export`] hands each item.
pub type ItemSink<'a> = dyn FnMut(Item) -> Result<(), StoreError> + 'a;

impl Item {
    /// The secret a key item carries, as stored (sealed, a token reference, or plaintext).
    pub fn secret(&self) -> Option<&str> {
        match self {
            Item::SecretKey { secret, .. } | Item::RegistryKey { secret } => Some(secret.as_str()),
            _ => None,
        }
    }
}

/// Runs [`Store::export`] with a sink whose errors are [`TransferError`]s (carried out beside
/// the store's error, so an I/O error stays one).
pub fn export_from(store: &dyn Store, sink: &mut Sink<'_>) -> Result<(), TransferError> {
    let mut failed: Option<TransferError> = None;
    let result = store.export(&mut |item| {
        sink(item).map_err(|e| {
            let message = e.to_string();
            failed = Some(e);
            StoreError::Backend(message)
        })
    });
    match (result, failed) {
        (_, Some(e)) => Err(e),
        (r, None) => Ok(r?),
    }
}

/// A store to read from or write to.
pub enum Opened {
    Sled(Box<SledStore>),
    Postgres(PostgresStore),
}

impl Opened {
    pub fn store(&self) -> &dyn Store {
        match self {
            Opened::Sled(s) => &**s,
            Opened::Postgres(p) => p,
        }
    }

    /// The status list size of the store.
    pub fn list_size(&self) -> u64 {
        self.store().status_list_size()
    }

    /// Every item of the store, in order, from one consistent view ([`Store::export`]).
    pub fn export(&self, sink: &mut Sink<'_>) -> Result<(), TransferError> {
        export_from(self.store(), sink)
    }

    /// What the store holds already, if anything (a refusal's reason).
    pub fn contents(&self) -> Result<Option<String>, StoreError> {
        let store = self.store();
        let institutions = store.list_institutions()?.len();
        let members = store.list_members()?.len();
        if institutions > 0 || members > 0 || store.registry_key()?.is_some() {
            return Ok(Some(format!(
                "{institutions} institutions, {members} registry members"
            )));
        }
        Ok(None)
    }
}

/// [`Store::export`] of a PostgreSQL store: everything from one `REPEATABLE READ` snapshot.
pub(crate) fn export_postgres(
    store: &PostgresStore,
    send: &mut ItemSink<'_>,
) -> Result<(), StoreError> {
    store.snapshot(|snap| {
        if let Some(record) = snap.key_custody()? {
            send(Item::KeyCustody {
                record: STANDARD.encode(record),
            })?;
        }
        if let Some(record) = snap.token_scheme()? {
            send(Item::TokenScheme {
                record: STANDARD.encode(record),
            })?;
        }
        for institution in snap.institutions()? {
            send(Item::Institution {
                institution: Box::new(institution),
            })?;
        }
        for account in snap.staff()? {
            send(Item::Staff {
                account: Box::new(account),
            })?;
        }
        for (institution, verification_method, secret) in snap.secret_keys()? {
            send(Item::SecretKey {
                institution,
                verification_method,
                secret,
            })?;
        }
        if let Some(secret) = snap.registry_key()? {
            send(Item::RegistryKey { secret })?;
        }
        for member in snap.members()? {
            send(Item::Member {
                member: Box::new(member),
            })?;
        }
        snap.credentials(&mut |credential| {
            send(Item::Credential {
                credential: Box::new(credential),
            })
        })?;
        for (institution, purpose, next) in snap.counters()? {
            send(Item::Counter {
                institution,
                purpose,
                next,
            })?;
        }
        for (credential, event) in snap.status_history()? {
            send(Item::StatusEvent { credential, event })?;
        }
        for (list, bits) in snap.status_lists()? {
            send(Item::StatusList {
                list,
                bits: STANDARD.encode(bits),
            })?;
        }
        for offer in snap.offers()? {
            send(Item::Offer {
                offer: Box::new(offer),
            })?;
        }
        for passport in snap.passports()? {
            send(Item::Passport {
                passport: Box::new(passport),
            })?;
        }
        for share in snap.shares()? {
            send(Item::Share {
                share: Box::new(share),
            })?;
        }
        for event in snap.audit()? {
            send(Item::Audit { event })?;
        }
        Ok(())
    })
}

/// What a store can list beyond the [`Store`] trait.
pub struct Extras {
    /// The status counters: they keep entries handed out to no stored credential from being
    /// handed out again.
    pub counters: Vec<(String, String, u64)>,
    pub passports: Vec<StoredPassport>,
    pub shares: Vec<StoredShare>,
}

/// [`Store::export`] through the [`Store`] trait's reads, with what else the store can list:
/// for a store nothing writes to meanwhile (the caller holds its write lock, or a copy).
pub(crate) fn export_store(
    store: &dyn Store,
    extras: Extras,
    sink: &mut ItemSink<'_>,
) -> Result<(), StoreError> {
    if let Some(record) = store.key_custody()? {
        sink(Item::KeyCustody {
            record: STANDARD.encode(record),
        })?;
    }
    if let Some(record) = store.token_scheme()? {
        sink(Item::TokenScheme {
            record: STANDARD.encode(record),
        })?;
    }
    let institutions = store.list_institutions()?;
    for institution in &institutions {
        sink(Item::Institution {
            institution: Box::new(institution.clone()),
        })?;
    }
    for account in store.list_staff()? {
        sink(Item::Staff {
            account: Box::new(account),
        })?;
    }
    for institution in &institutions {
        for key in &institution.keys {
            if let Some(secret) = store.secret_key(&institution.id, &key.verification_method)? {
                sink(Item::SecretKey {
                    institution: institution.id.clone(),
                    verification_method: key.verification_method.clone(),
                    secret,
                })?;
            }
        }
    }
    if let Some(secret) = store.registry_key()? {
        sink(Item::RegistryKey { secret })?;
    }
    for member in store.list_members()? {
        sink(Item::Member {
            member: Box::new(member),
        })?;
    }
    let mut ids = Vec::new();
    for institution in &institutions {
        let mut after: Option<String> = None;
        loop {
            let page = store.list_credentials(&institution.id, after.as_deref(), 1000)?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            for credential in page {
                ids.push(credential.id.clone());
                sink(Item::Credential {
                    credential: Box::new(credential),
                })?;
            }
        }
    }
    for (institution, purpose, next) in extras.counters {
        sink(Item::Counter {
            institution,
            purpose,
            next,
        })?;
    }
    for id in &ids {
        for event in store.status_history(id)? {
            sink(Item::StatusEvent {
                credential: id.clone(),
                event,
            })?;
        }
    }
    for institution in &institutions {
        for purpose in STATUS_PURPOSES {
            for sequence in 0.. {
                let list = StatusListId {
                    institution: institution.id.clone(),
                    purpose: purpose.to_owned(),
                    sequence,
                }
                .to_string();
                match store.status_bits(&list) {
                    Ok(bits) => {
                        if bits.iter().any(|b| *b != 0) {
                            sink(Item::StatusList {
                                list,
                                bits: STANDARD.encode(bits),
                            })?;
                        }
                    }
                    Err(StoreError::NotFound { .. }) => break,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    for id in &ids {
        for offer in store.list_offers(id)? {
            sink(Item::Offer {
                offer: Box::new(offer),
            })?;
        }
    }
    for passport in extras.passports {
        sink(Item::Passport {
            passport: Box::new(passport),
        })?;
    }
    for share in extras.shares {
        sink(Item::Share {
            share: Box::new(share),
        })?;
    }
    for event in store.audit(None, usize::MAX)? {
        sink(Item::Audit { event })?;
    }
    Ok(())
}

/// Writes items, in export order, into an empty store.
pub struct Importer<'a> {
    store: &'a dyn Store,
    list_size: u64,
    /// Per (institution, purpose): the counter value the imported credentials raised it to.
    high: HashMap<(String, String), u64>,
    counts: Counts,
}

impl<'a> Importer<'a> {
    /// An importer into `store`, whose status lists have `list_size` entries.
    pub fn new(store: &'a dyn Store, list_size: u64) -> Self {
        Importer {
            store,
            list_size,
            high: HashMap::new(),
            counts: Counts::default(),
        }
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    pub fn import(&mut self, item: Item) -> Result<(), TransferError> {
        self.counts.count(&item);
        let store = self.store;
        match item {
            Item::KeyCustody { record } => {
                let record = STANDARD
                    .decode(record)
                    .map_err(|_| TransferError::BadBackup("key custody is not base64".into()))?;
                // No key is stored yet: this only sets the record.
                store.reseal_keys(&record, &mut |_, current| {
                    Ok(Zeroizing::new(current.to_owned()))
                })?;
            }
            Item::TokenScheme { record } => {
                let record = STANDARD
                    .decode(record)
                    .map_err(|_| TransferError::BadBackup("token scheme is not base64".into()))?;
                // Hashes are copied as they are: this only sets the record.
                store.rehash_tokens(&record, &mut |hash| *hash)?;
            }
            Item::Institution { institution } => store.insert_institution(&institution)?,
            Item::Staff { account } => store.insert_staff(&account)?,
            Item::Passport { passport } => store.insert_passport(&passport)?,
            Item::Share { share } => store.insert_share(&share)?,
            Item::SecretKey {
                institution,
                verification_method,
                secret,
            } => store.put_secret_key(&institution, &verification_method, &secret)?,
            Item::RegistryKey { secret } => {
                store.init_registry_key(&secret)?;
            }
            Item::Member { member } => {
                store.put_member(&member)?;
            }
            Item::Credential { credential } => {
                for a in &credential.status {
                    if let Some(id) = StatusListId::parse(&a.list) {
                        let end = id
                            .sequence
                            .saturating_mul(self.list_size)
                            .saturating_add(a.index + 1);
                        let high = self
                            .high
                            .entry((credential.institution.clone(), a.purpose.clone()))
                            .or_default();
                        *high = (*high).max(end);
                    }
                }
                store.insert_credential(&credential)?;
            }
            Item::Counter {
                institution,
                purpose,
                next,
            } => {
                let high = self
                    .high
                    .get(&(institution.clone(), purpose.clone()))
                    .copied()
                    .unwrap_or(0);
                if next > high {
                    // Entries handed out to no stored credential: handed out here again, so
                    // the counter ends where it was.
                    let count = usize::try_from(next - high).map_err(|_| {
                        TransferError::BadBackup("a status counter is out of range".into())
                    })?;
                    store.allocate_status_indices(&institution, &purpose, count)?;
                }
            }
            Item::StatusEvent { credential, event } => {
                let stored = store.get_credential(&credential)?.ok_or_else(|| {
                    TransferError::BadBackup(format!(
                        "status history of {credential}, which is not in the backup"
                    ))
                })?;
                let (purpose, value) = match event.action.as_str() {
                    "revoke" => ("revocation", true),
                    "suspend" => ("suspension", true),
                    "unsuspend" => ("suspension", false),
                    other => {
                        return Err(TransferError::BadBackup(format!(
                            "unknown status action {other:?}"
                        )))
                    }
                };
                let entry = stored
                    .status
                    .iter()
                    .find(|a| a.purpose == purpose)
                    .ok_or_else(|| {
                        TransferError::BadBackup(format!(
                            "credential {credential} has no {purpose} entry for its history"
                        ))
                    })?;
                store.change_status(&credential, &entry.list, entry.index, value, &event)?;
            }
            Item::StatusList { list, bits } => {
                let bits = STANDARD
                    .decode(bits)
                    .map_err(|_| TransferError::BadBackup(format!("{list} is not base64")))?;
                let current = store.status_bits(&list)?;
                if current.len() != bits.len() {
                    return Err(TransferError::BadBackup(format!(
                        "{list} has {} bytes, the store's lists {}",
                        bits.len(),
                        current.len()
                    )));
                }
                for (i, (want, have)) in bits.iter().zip(&current).enumerate() {
                    if want == have {
                        continue;
                    }
                    for bit in 0..8u64 {
                        let mask = 0x80u8 >> bit;
                        if want & mask != have & mask {
                            store.set_status_bit(&list, i as u64 * 8 + bit, want & mask != 0)?;
                        }
                    }
                }
            }
            Item::Offer { offer } => store.insert_offer(&offer)?,
            Item::Audit { event } => store.append_audit(&event)?,
        }
        Ok(())
    }
}

/// Where a store is: `sled:PATH` or a PostgreSQL URL (`postgres://…`, `postgresql://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sled(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    pub fn parse(s: &str) -> Result<Location, StoreError> {
        if let Some(path) = s.strip_prefix("sled:") {
            if path.is_empty() {
                return Err(StoreError::Invalid(
                    "sled: needs a folder, e.g. sled:./data".into(),
                ));
            }
            return Ok(Location::Sled(path.into()));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Location::Postgres(s.to_owned()));
        }
        Err(StoreError::Invalid(format!(
            "{s:?} is not a store: use sled:FOLDER or a postgres:// / postgresql:// URL"
        )))
    }

    /// Opens the store (creating an empty one if there is none), with `list_size` when given.
    pub fn open(&self, list_size: Option<u64>) -> Result<Opened, StoreError> {
        let size = list_size.unwrap_or(super::STATUS_LIST_SIZE);
        match self {
            Location::Sled(path) => Ok(Opened::Sled(Box::new(
                SledStore::open_with_list_size(path, size).map_err(|e| match e {
                    StoreError::Backend(m) => StoreError::Backend(format!(
                        "{m} (a sled folder opens in one process only: stop the service first)"
                    )),
                    other => other,
                })?,
            ))),
            Location::Postgres(url) => Ok(Opened::Postgres(PostgresStore::connect_with_list_size(
                url, size,
            )?)),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sled(path) => write!(f, "sled:{}", path.display()),
            // The URL may hold a password: only its scheme and host part are shown.
            Location::Postgres(url) => {
                let shown = url.split('@').next_back().unwrap_or(url);
                if shown.len() == url.len() {
                    f.write_str(url)
                } else {
                    write!(f, "postgres://…@{shown}")
                }
            }
        }
    }
}

/// Refuses a target that holds anything, unless `force` may empty it (PostgreSQL only).
fn prepare_target(target: &Opened, force: bool) -> Result<(), TransferError> {
    let Some(contents) = target.contents()? else {
        return Ok(());
    };
    match (target, force) {
        (Opened::Postgres(p), true) => Ok(p.clear()?),
        _ => Err(TransferError::NotEmpty(contents)),
    }
}

/// Copies everything from `source` into the empty `target`.
pub fn migrate(source: &Opened, target: &Opened, force: bool) -> Result<Counts, TransferError> {
    if source.list_size() != target.list_size() {
        return Err(TransferError::Store(StoreError::Invalid(format!(
            "the source's status lists have {} entries, the target's {}",
            source.list_size(),
            target.list_size()
        ))));
    }
    prepare_target(target, force)?;
    let mut importer = Importer::new(target.store(), target.list_size());
    source.export(&mut |item| importer.import(item))?;
    target.store().flush()?;
    Ok(importer.counts().clone())
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    format: String,
    version: u32,
    list_size: u64,
    created: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trailer {
    end: bool,
    items: u64,
    /// SHA-256 (hex) of every line before the trailer, newlines included.
    sha256: String,
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> TransferError + '_ {
    move |e| TransferError::Io(path.display().to_string(), e)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a backup of `source` to `path` (mode 0600, written beside it and renamed into
/// place once complete and synced).
/// `check` sees each item before it is written ([`write_backup`]).
pub fn backup(
    source: &Opened,
    path: &Path,
    check: &mut dyn FnMut(&Item) -> Result<(), TransferError>,
) -> Result<Counts, TransferError> {
    let partial = path.with_extension("partial");
    let file = create_private(&partial)?;
    let mut out = BufWriter::new(file);
    let counts = write_backup(
        source.store(),
        check,
        &mut out,
        &partial.display().to_string(),
    )?;
    let file = out
        .into_inner()
        .map_err(|e| TransferError::Io(partial.display().to_string(), e.into_error()))?;
    file.sync_all().map_err(io_err(&partial))?;
    fs::rename(&partial, path).map_err(io_err(path))?;
    Ok(counts)
}

/// Creates `path` for writing, mode 0600 (a backup holds the signing keys as stored).
pub fn create_private(path: &Path) -> Result<fs::File, TransferError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(io_err(path))
}

/// Writes a backup of `source` to `out` (named `name` in errors): the header, every item of
/// [`Store::export`] (one consistent view), the trailer. `check` sees each item before it is
/// written; its error stops the backup.
pub fn write_backup(
    source: &dyn Store,
    check: &mut dyn FnMut(&Item) -> Result<(), TransferError>,
    out: &mut dyn Write,
    name: &str,
) -> Result<Counts, TransferError> {
    let mut hash = Sha256::new();
    let mut items = 0u64;
    let mut counts = Counts::default();
    let io = |e: io::Error| TransferError::Io(name.to_owned(), e);
    let line = |value: &dyn erased::Line,
                hash: &mut Sha256,
                out: &mut dyn Write|
     -> Result<(), TransferError> {
        let mut text = value.to_line()?;
        text.push('\n');
        hash.update(text.as_bytes());
        out.write_all(text.as_bytes()).map_err(io)
    };
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        list_size: source.status_list_size(),
        created: chrono::Utc::now(),
    };
    line(&header, &mut hash, out)?;
    export_from(source, &mut |item| {
        check(&item)?;
        counts.count(&item);
        items += 1;
        line(&item, &mut hash, out)
    })?;
    let trailer = Trailer {
        end: true,
        items,
        sha256: hex(&hash.finalize()),
    };
    let mut text = serde_json::to_string(&trailer).expect("trailer serializes");
    text.push('\n');
    out.write_all(text.as_bytes()).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(counts)
}

mod erased {
    use super::{Item, StoreError, TransferError};

    /// A value written as one JSON line.
    pub trait Line {
        fn to_line(&self) -> Result<String, TransferError>;
    }

    impl Line for super::Header {
        fn to_line(&self) -> Result<String, TransferError> {
            serde_json::to_string(self).map_err(|e| StoreError::Invalid(e.to_string()).into())
        }
    }

    impl Line for Item {
        fn to_line(&self) -> Result<String, TransferError> {
            serde_json::to_string(self).map_err(|e| StoreError::Invalid(e.to_string()).into())
        }
    }
}

/// Checks a backup file whole (header, every line, trailer, checksum) without writing
/// anything; returns how many items it holds.
pub fn check_backup_file(path: &Path) -> Result<u64, TransferError> {
    Ok(check_backup(path)?.1)
}

/// Reads and checks a backup file's header and trailer; returns the header and the number
/// of items.
fn check_backup(path: &Path) -> Result<(Header, u64), TransferError> {
    let file = fs::File::open(path).map_err(io_err(path))?;
    let mut lines = BufReader::new(file);
    let mut hash = Sha256::new();
    let mut header: Option<Header> = None;
    let mut items = 0u64;
    let mut buf = String::new();
    loop {
        buf.clear();
        let n = lines
            .read_line(&mut buf)
            .map_err(|e| TransferError::BadBackup(format!("cannot read it as text: {e}")))?;
        if n == 0 {
            return Err(TransferError::BadBackup(
                "it ends before its trailer (truncated?)".into(),
            ));
        }
        if !buf.ends_with('\n') {
            return Err(TransferError::BadBackup("its last line is cut off".into()));
        }
        if header.is_none() {
            let h: Header = serde_json::from_str(&buf).map_err(|_| {
                TransferError::BadBackup("it has no skillpass backup header".into())
            })?;
            if h.format != FORMAT {
                return Err(TransferError::BadBackup(format!("format {:?}", h.format)));
            }
            if h.version != VERSION {
                return Err(TransferError::BadBackup(format!(
                    "version {} (this skillpass reads {VERSION})",
                    h.version
                )));
            }
            header = Some(h);
            hash.update(buf.as_bytes());
            continue;
        }
        if let Ok(trailer) = serde_json::from_str::<Trailer>(&buf) {
            if !trailer.end {
                return Err(TransferError::BadBackup("a malformed trailer".into()));
            }
            if trailer.items != items || trailer.sha256 != hex(&hash.finalize()) {
                return Err(TransferError::BadBackup(
                    "its contents do not match its checksum (altered or damaged)".into(),
                ));
            }
            let mut rest = String::new();
            if lines.read_line(&mut rest).map_err(io_err(path))? != 0 {
                return Err(TransferError::BadBackup("lines after its trailer".into()));
            }
            return Ok((header.expect("read first"), items));
        }
        hash.update(buf.as_bytes());
        items += 1;
    }
}

/// Restores the backup at `path` into `target`, which must be empty (`force`: a PostgreSQL
/// target is emptied first). The whole file is checked before anything is written.
pub fn restore(target: &Opened, path: &Path, force: bool) -> Result<Counts, TransferError> {
    let (header, _) = check_backup(path)?;
    if header.list_size != target.list_size() {
        return Err(TransferError::Store(StoreError::Invalid(format!(
            "the backup's status lists have {} entries, the target's {}",
            header.list_size,
            target.list_size()
        ))));
    }
    prepare_target(target, force)?;
    let file = fs::File::open(path).map_err(io_err(path))?;
    let mut importer = Importer::new(target.store(), target.list_size());
    let mut lines = BufReader::new(file).lines();
    lines.next(); // the header, checked above
                  // One line behind, so the last one (the trailer, checked above) is not imported.
    let mut previous: Option<String> = None;
    for line in lines {
        let line = line.map_err(io_err(path))?;
        if let Some(item) = previous.replace(line) {
            let item: Item = serde_json::from_str(&item)
                .map_err(|e| TransferError::BadBackup(format!("an item does not decode: {e}")))?;
            importer.import(item)?;
        }
    }
    target.store().flush()?;
    Ok(importer.counts().clone())
}

/// The status list size a backup file was written with (to open the target store with it).
pub fn backup_list_size(path: &Path) -> Result<u64, TransferError> {
    Ok(check_backup(path)?.0.list_size)
}
