//! [`Store`] on PostgreSQL — the only module that speaks SQL; for a node that serves many
//! institutions from several `skillpass serve` processes on one database (docs/POSTGRES.md).
//!
//! - **Layout**: versioned migrations (`postgres/migrations/NNNN_*.sql`, compiled in), applied
//!   at start in one transaction under an advisory lock, so processes starting together apply
//!   each once; a database migrated by a newer skillpass is refused.
//! - **One transaction per operation** wherever sled writes several trees: registration (the
//!   institution and its first key), a key rotation (the key and the institution's new public
//!   key), an issued credential with its record id and status counters, a status change and its
//!   history.
//! - **Across processes**: status entries come from `UPDATE … RETURNING` on the counter row
//!   (its row lock orders concurrent allocators, in any process); record ids are a unique
//!   constraint, so of two processes issuing for one record id one stores and the other gets
//!   `Conflict` naming the first credential; read-check-write updates lock their row
//!   (`SELECT … FOR UPDATE`), the registry's batch writes take a transaction advisory lock.
//! - **Durability**: as with sled, a write returns once it is visible, and
//!   [`Store::durable`] is what makes it durable. Sessions commit with
//!   `synchronous_commit = off`; `durable` runs one synchronous commit, which waits until the
//!   WAL is flushed up to it and so covers every earlier commit of every session, shared
//!   between concurrent callers through [`GroupCommit`]. A crash of the database server loses
//!   only unflushed commits, which nothing acknowledged yet; the WAL is flushed in order, so
//!   what survives is a prefix (a stored credential's status counter with it).
//! - **Threads**: see [`pool`]: the synchronous trait is served from any thread, inside an async
//!   runtime or not.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Config, IsolationLevel, Row};
use zeroize::Zeroizing;

use super::{
    allocation_high_water, check_allocated, check_member_batch, check_offer_update,
    check_own_entry, check_passport_update, check_share_update, corrupt, entries, set_bit,
    validate_institution_id, validate_list_size, validate_purpose, AuditEvent, DurableFuture,
    Entity, GroupCommit, Institution, KeySlot, Member, Reseal, StatusEvent, StatusListId, Store,
    StoreError, StoredCredential, StoredOffer, StoredPassport, StoredShare, Ticket,
    STATUS_LIST_SIZE,
};

mod pool;

use super::TokenRehash;
use pool::{wait, Conn, Pool};

/// The migrations, in order; version = position + 1. Never edit one that was released: add
/// the next.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("postgres/migrations/0001_init.sql"),
    ),
    (
        "0002_status_history",
        include_str!("postgres/migrations/0002_status_history.sql"),
    ),
    (
        "0003_passports",
        include_str!("postgres/migrations/0003_passports.sql"),
    ),
    (
        "0004_staff",
        include_str!("postgres/migrations/0004_staff.sql"),
    ),
];

/// Advisory lock key of the migrations ("skillpas" in ASCII).
const MIGRATION_LOCK: i64 = 0x736b_696c_6c70_6173;
/// Transaction advisory lock key of registry batch writes.
const REGISTRY_LOCK: i64 = 0x736b_696c_6c72_6567;

/// Key of the registry's signing key in `registry_keys`.
const REGISTRY_SIGNING_KEY: &str = "signing";

/// Connections per process unless the URL says otherwise (`pool_size=`).
pub const DEFAULT_POOL_SIZE: usize = 16;

/// The [`Store`] on a PostgreSQL database.
pub struct PostgresStore {
    pool: Arc<Pool>,
    list_size: u64,
    /// Shares one WAL flush between concurrent [`Store::durable`] callers.
    commit: GroupCommit,
}

/// Makes every commit so far durable: a transaction that commits synchronously writes a commit
/// record and waits until the WAL is flushed up to it, which covers every earlier record of
/// every session (the WAL is flushed in order).
fn flush_wal(pool: &Pool) -> Result<(), StoreError> {
    let conn = pool.get()?;
    wait(
        conn.batch_execute(
            "BEGIN; SET LOCAL synchronous_commit = on; SELECT txid_current(); COMMIT;",
        ),
    )
    .map_err(|e| StoreError::Backend(format!("WAL flush failed: {e}")))
}

fn db(e: tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        // The message names constraints and ids, never values other than keys.
        Some(d) => StoreError::Backend(format!("database: {} ({})", d.message(), d.code().code())),
        None => StoreError::Backend(format!("database: {e}")),
    }
}

fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// PostgreSQL text cannot hold NUL; such a key names nothing stored.
fn storable(s: &str) -> bool {
    !s.contains('\0')
}

fn refuse_nul(what: &str, s: &str) -> Result<(), StoreError> {
    if storable(s) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{what} contains a NUL character"
        )))
    }
}

fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Invalid(format!("{what} does not serialize: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(
    what: &str,
    key: &str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(what, key, &e))
}

fn to_i64(n: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Invalid(format!("{what} {n} is out of range")))
}

fn to_u64(n: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{what} {n} is negative")))
}

/// Replaces every institution's token hash `h` with `rehash(h)` in `tx` (rows locked);
/// returns how many.
fn rehash_tokens_in(
    tx: &tokio_postgres::Transaction<'_>,
    rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
) -> Result<usize, StoreError> {
    let rows = wait(tx.query(
        "SELECT id, data FROM institutions ORDER BY id FOR UPDATE",
        &[],
    ))
    .map_err(db)?;
    let mut rewritten = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut institution = institution_from_row(row)?;
        institution.token_hash = rehash(&institution.token_hash);
        rewritten.push(institution);
    }
    // One pass: a new hash (an HMAC of an old one) does not meet an old one in the
    // unique index.
    for institution in &rewritten {
        let data = to_json("institution", institution)?;
        wait(tx.execute(
            "UPDATE institutions SET token_hash = $2, data = $3 WHERE id = $1",
            &[&institution.id, &&institution.token_hash[..], &data],
        ))
        .map_err(db)?;
    }
    Ok(rewritten.len())
}

fn institution_from_row(row: &Row) -> Result<Institution, StoreError> {
    let id: &str = row.get("id");
    from_json("institution", id, row.get("data"))
}

fn credential_from_row(row: &Row) -> Result<StoredCredential, StoreError> {
    let id: &str = row.get("id");
    from_json("credential", id, row.get("data"))
}

fn member_from_row(row: &Row) -> Result<Member, StoreError> {
    let id: &str = row.get("id");
    from_json("registry member", id, row.get("data"))
}

fn offer_from_row(row: &Row) -> Result<StoredOffer, StoreError> {
    let id: &str = row.get("id");
    from_json("offer", id, row.get("data"))
}

fn passport_from_row(row: &Row) -> Result<StoredPassport, StoreError> {
    let id: &str = row.get("id");
    from_json("passport", id, row.get("data"))
}

fn share_from_row(row: &Row) -> Result<StoredShare, StoreError> {
    let id: &str = row.get("id");
    from_json("share", id, row.get("data"))
}

fn not_found(entity: Entity, id: &str) -> StoreError {
    StoreError::NotFound {
        entity,
        id: id.to_owned(),
    }
}

/// Connection settings from a `postgres://` / `postgresql://` URL or a `key=value` string,
/// and the pool size (`pool_size=N` in the URL's query, taken out before libpq parsing).
pub fn parse_url(url: &str) -> Result<(Config, usize), StoreError> {
    let mut pool_size = DEFAULT_POOL_SIZE;
    let mut kept = Vec::new();
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.strip_prefix("pool_size=") {
                Some(n) => {
                    pool_size = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        StoreError::Invalid(format!("pool_size {n:?} is not a positive number"))
                    })?
                }
                None => kept.push(pair),
            }
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config: Config = url
        .parse()
        .map_err(|e| StoreError::Invalid(format!("database URL does not parse: {e}")))?;
    if config.get_application_name().is_none() {
        config.application_name("skillpass");
    }
    Ok((config, pool_size))
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://…`, `postgresql:///db?host=/socket/dir`),
    /// applying migrations, with the standard status list size.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with_list_size(url, STATUS_LIST_SIZE)
    }

    /// Like [`connect`](Self::connect) with another status list size, fixed when the database
    /// is first used; a different one later is `Invalid` (entries handed out would move).
    pub fn connect_with_list_size(url: &str, list_size: u64) -> Result<Self, StoreError> {
        validate_list_size(list_size)?;
        let (mut config, pool_size) = parse_url(url)?;
        // Commits return before their WAL is flushed; [`Store::durable`] flushes once for all
        // of them, as sled's group commit does (nothing is acknowledged before it).
        config.options("-c synchronous_commit=off");
        let pool = Arc::new(Pool::new(config, pool_size)?);
        let flushing = Arc::clone(&pool);
        let store = PostgresStore {
            pool,
            list_size,
            commit: GroupCommit::new(move || flush_wal(&flushing)),
        };
        store.migrate()?;
        store.check_list_size()?;
        Ok(store)
    }

    /// The status list size this database uses.
    pub fn list_size(&self) -> u64 {
        self.list_size
    }

    fn conn(&self) -> Result<Conn<'_>, StoreError> {
        self.pool.get()
    }

    /// Applies the migrations this database lacks; returns how many.
    fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        wait(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])).map_err(db)?;
        wait(tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS skillpass_migrations (
                 version integer PRIMARY KEY,
                 name text NOT NULL,
                 applied timestamptz NOT NULL DEFAULT now())",
        ))
        .map_err(db)?;
        let applied: i32 = wait(tx.query_one(
            "SELECT coalesce(max(version), 0) FROM skillpass_migrations",
            &[],
        ))
        .map_err(db)?
        .get(0);
        let known = MIGRATIONS.len() as i32;
        if applied > known {
            return Err(StoreError::Invalid(format!(
                "the database has layout version {applied}, newer than this skillpass knows \
                 ({known}): upgrade skillpass"
            )));
        }
        let mut count = 0;
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
            let version = i as i32 + 1;
            wait(tx.batch_execute(sql)).map_err(db)?;
            wait(tx.execute(
                "INSERT INTO skillpass_migrations (version, name) VALUES ($1, $2)",
                &[&version, name],
            ))
            .map_err(db)?;
            tracing::info!(version, name, "database migrated");
            count += 1;
        }
        wait(tx.commit()).map_err(db)?;
        Ok(count)
    }

    fn check_list_size(&self) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let wanted = self.list_size.to_string();
        wait(conn.execute(
            "INSERT INTO skillpass_meta (key, value) VALUES ('status_list_size', $1)
             ON CONFLICT (key) DO NOTHING",
            &[&wanted.as_bytes()],
        ))
        .map_err(db)?;
        let row = wait(conn.query_one(
            "SELECT value FROM skillpass_meta WHERE key = 'status_list_size'",
            &[],
        ))
        .map_err(db)?;
        let stored: &[u8] = row.get(0);
        if stored != wanted.as_bytes() {
            return Err(StoreError::Invalid(format!(
                "the database uses status lists of {} entries, not {}",
                String::from_utf8_lossy(stored),
                self.list_size
            )));
        }
        Ok(())
    }

    /// Every table's rows in one consistent snapshot (a `REPEATABLE READ`, read-only
    /// transaction), for [`crate::store::transfer`]: `read` runs inside it, so it may take as
    /// long as it needs while other processes go on writing.
    pub fn snapshot<T>(
        &self,
        read: impl FnOnce(&Snapshot<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(
            conn.build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start(),
        )
        .map_err(db)?;
        let out = read(&Snapshot {
            tx: &tx,
            list_size: self.list_size,
        })?;
        wait(tx.commit()).map_err(db)?;
        Ok(out)
    }

    /// Whether the database holds no institution, credential, member or registry key.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        let row = wait(conn.query_one(
            "SELECT NOT EXISTS (SELECT 1 FROM institutions)
                AND NOT EXISTS (SELECT 1 FROM credentials)
                AND NOT EXISTS (SELECT 1 FROM registry_members)
                AND NOT EXISTS (SELECT 1 FROM registry_keys)",
            &[],
        ))
        .map_err(db)?;
        Ok(row.get(0))
    }

    /// Removes everything (for `restore --force`), in one transaction; the layout stays. Every
    /// table the migrations made is emptied, whichever migration made it.
    pub fn clear(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let tables: Vec<String> = wait(tx.query(
            "SELECT quote_ident(tablename) FROM pg_tables
             WHERE schemaname = current_schema()
               AND tablename NOT IN ('skillpass_migrations', 'skillpass_meta')",
            &[],
        ))
        .map_err(db)?
        .iter()
        .map(|r| r.get(0))
        .collect();
        if !tables.is_empty() {
            wait(tx.batch_execute(&format!("TRUNCATE {}", tables.join(", ")))).map_err(db)?;
        }
        wait(tx.execute(
            "DELETE FROM skillpass_meta WHERE key <> 'status_list_size'",
            &[],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)
    }

    /// Sets the status counter of a pair to at least `next` (restoring a backup).
    pub fn raise_counter(
        &self,
        institution: &str,
        purpose: &str,
        next: u64,
    ) -> Result<(), StoreError> {
        validate_purpose(purpose)?;
        let next = to_i64(next, "status counter")?;
        let conn = self.conn()?;
        wait(conn.execute(
            "INSERT INTO status_counters (institution, purpose, next) VALUES ($1, $2, $3)
             ON CONFLICT (institution, purpose)
             DO UPDATE SET next = greatest(status_counters.next, excluded.next)",
            &[&institution, &purpose, &next],
        ))
        .map_err(|e| {
            if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) {
                not_found(Entity::Institution, institution)
            } else {
                db(e)
            }
        })?;
        Ok(())
    }

    /// The institution with this id or token hash clashing with `institution`, as `Conflict`
    /// (after an insert that inserted nothing).
    fn institution_conflict(
        &self,
        client: &impl tokio_postgres::GenericClient,
        institution: &Institution,
    ) -> Result<StoreError, StoreError> {
        if wait(client.query_opt(
            "SELECT 1 FROM institutions WHERE id = $1",
            &[&institution.id],
        ))
        .map_err(db)?
        .is_some()
        {
            return Ok(StoreError::Conflict {
                entity: Entity::Institution,
                existing: institution.id.clone(),
            });
        }
        match wait(client.query_opt(
            "SELECT id FROM institutions WHERE token_hash = $1",
            &[&&institution.token_hash[..]],
        ))
        .map_err(db)?
        {
            Some(row) => Ok(StoreError::Conflict {
                entity: Entity::TokenHash,
                existing: row.get(0),
            }),
            None => Err(StoreError::Backend(
                "an institution insert conflicted with nothing now stored; try again".into(),
            )),
        }
    }

    fn insert_institution_in(
        &self,
        tx: &tokio_postgres::Transaction<'_>,
        institution: &Institution,
    ) -> Result<(), StoreError> {
        validate_institution_id(&institution.id)?;
        let data = to_json("institution", institution)?;
        let inserted = wait(tx.execute(
            "INSERT INTO institutions (id, token_hash, data) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&institution.id, &&institution.token_hash[..], &data],
        ))
        .map_err(db)?;
        if inserted == 0 {
            return Err(self.institution_conflict(tx, institution)?);
        }
        Ok(())
    }

    /// The counter of a pair (0 when nothing was allocated yet).
    fn counter(
        &self,
        client: &impl tokio_postgres::GenericClient,
        institution: &str,
        purpose: &str,
    ) -> Result<u64, StoreError> {
        match wait(client.query_opt(
            "SELECT next FROM status_counters WHERE institution = $1 AND purpose = $2",
            &[&institution, &purpose],
        ))
        .map_err(db)?
        {
            None => Ok(0),
            Some(row) => to_u64(row.get(0), "status counter"),
        }
    }

    /// The parsed id of `list`, once `index` (or, without one, any entry of it) is known to
    /// have been handed out.
    fn allocated_list(
        &self,
        client: &impl tokio_postgres::GenericClient,
        list: &str,
        index: Option<u64>,
    ) -> Result<StatusListId, StoreError> {
        let id = StatusListId::parse(list).ok_or_else(|| not_found(Entity::StatusList, list))?;
        let counter = self.counter(client, &id.institution, &id.purpose)?;
        check_allocated(&id, index, self.list_size, counter)?;
        Ok(id)
    }

    /// Sets a bit inside `tx`, with the list's row locked; returns the previous value.
    fn set_bit_in(
        &self,
        tx: &tokio_postgres::Transaction<'_>,
        id: &StatusListId,
        index: u64,
        value: bool,
    ) -> Result<bool, StoreError> {
        let sequence = to_i64(id.sequence, "status list sequence")?;
        let empty = vec![0u8; (self.list_size / 8) as usize];
        wait(tx.execute(
            "INSERT INTO status_bits (institution, purpose, sequence, bits)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&id.institution, &id.purpose, &sequence, &empty],
        ))
        .map_err(db)?;
        let row = wait(tx.query_one(
            "SELECT bits FROM status_bits
             WHERE institution = $1 AND purpose = $2 AND sequence = $3 FOR UPDATE",
            &[&id.institution, &id.purpose, &sequence],
        ))
        .map_err(db)?;
        let mut bits: Vec<u8> = row.get(0);
        if bits.len() as u64 != self.list_size / 8 {
            return Err(StoreError::Corrupt(format!(
                "status list {id} has the wrong length"
            )));
        }
        let previous = set_bit(&mut bits, index, value);
        if previous != value {
            wait(tx.execute(
                "UPDATE status_bits SET bits = $4
                 WHERE institution = $1 AND purpose = $2 AND sequence = $3",
                &[&id.institution, &id.purpose, &sequence, &bits],
            ))
            .map_err(db)?;
        }
        Ok(previous)
    }

    /// Reads, changes and writes back an institution inside `tx` (row locked).
    fn update_institution_in(
        &self,
        tx: &tokio_postgres::Transaction<'_>,
        id: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        let row = wait(tx.query_opt(
            "SELECT id, data FROM institutions WHERE id = $1 FOR UPDATE",
            &[&id],
        ))
        .map_err(db)?
        .ok_or_else(|| not_found(Entity::Institution, id))?;
        let current = institution_from_row(&row)?;
        let mut updated = current.clone();
        change(&mut updated)?;
        if updated.id != current.id {
            return Err(StoreError::Invalid(
                "an institution's id cannot change".into(),
            ));
        }
        if updated.token_hash != current.token_hash {
            if let Some(owner) = wait(tx.query_opt(
                "SELECT id FROM institutions WHERE token_hash = $1",
                &[&&updated.token_hash[..]],
            ))
            .map_err(db)?
            {
                return Err(StoreError::Conflict {
                    entity: Entity::TokenHash,
                    existing: owner.get(0),
                });
            }
        }
        let data = to_json("institution", &updated)?;
        wait(tx.execute(
            "UPDATE institutions SET token_hash = $2, data = $3 WHERE id = $1",
            &[&id, &&updated.token_hash[..], &data],
        ))
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict {
                    entity: Entity::TokenHash,
                    existing: "another institution".into(),
                }
            } else {
                db(e)
            }
        })?;
        Ok(updated)
    }
}

/// Reads inside one consistent snapshot ([`PostgresStore::snapshot`]).
pub struct Snapshot<'a> {
    tx: &'a tokio_postgres::Transaction<'a>,
    list_size: u64,
}

/// A status counter: `(institution, purpose, next entry number)`.
pub type Counter = (String, String, u64);

impl Snapshot<'_> {
    /// The status list size.
    pub fn list_size(&self) -> u64 {
        self.list_size
    }

    fn rows(&self, sql: &str) -> Result<Vec<Row>, StoreError> {
        wait(self.tx.query(sql, &[])).map_err(db)
    }

    pub fn key_custody(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .rows("SELECT value FROM skillpass_meta WHERE key = 'key_custody'")?
            .first()
            .map(|r| r.get(0)))
    }

    pub fn token_scheme(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .rows("SELECT value FROM skillpass_meta WHERE key = 'token_scheme'")?
            .first()
            .map(|r| r.get(0)))
    }

    pub fn staff(&self) -> Result<Vec<super::StaffAccount>, StoreError> {
        self.rows("SELECT email, data FROM staff ORDER BY email")?
            .iter()
            .map(|r| from_json("staff account", r.get(0), r.get(1)))
            .collect()
    }

    pub fn institutions(&self) -> Result<Vec<Institution>, StoreError> {
        self.rows("SELECT id, data FROM institutions ORDER BY id")?
            .iter()
            .map(institution_from_row)
            .collect()
    }

    /// `(institution, verification method, stored secret)`.
    pub fn secret_keys(&self) -> Result<Vec<(String, String, Zeroizing<String>)>, StoreError> {
        Ok(self
            .rows(
                "SELECT institution, verification_method, secret FROM secret_keys
                 ORDER BY institution, verification_method",
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), Zeroizing::new(r.get(2))))
            .collect())
    }

    pub fn registry_key(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        Ok(self
            .rows("SELECT secret FROM registry_keys WHERE name = 'signing'")?
            .first()
            .map(|r| Zeroizing::new(r.get(0))))
    }

    pub fn members(&self) -> Result<Vec<Member>, StoreError> {
        self.rows("SELECT id, data FROM registry_members ORDER BY id")?
            .iter()
            .map(member_from_row)
            .collect()
    }

    /// Every credential, in issue order.
    pub fn credentials(
        &self,
        each: &mut dyn FnMut(StoredCredential) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // Paged, so a large store is not held in memory at once.
        let mut after = 0i64;
        loop {
            let rows = wait(self.tx.query(
                "SELECT seq, id, data FROM credentials WHERE seq > $1 ORDER BY seq LIMIT 1000",
                &[&after],
            ))
            .map_err(db)?;
            if rows.is_empty() {
                return Ok(());
            }
            for row in &rows {
                after = row.get(0);
                each(credential_from_row(row)?)?;
            }
        }
    }

    pub fn counters(&self) -> Result<Vec<Counter>, StoreError> {
        self.rows("SELECT institution, purpose, next FROM status_counters ORDER BY 1, 2")?
            .iter()
            .map(|r| Ok((r.get(0), r.get(1), to_u64(r.get(2), "status counter")?)))
            .collect()
    }

    /// `(list id, bitstring)` of every list with a bit ever set.
    pub fn status_lists(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.rows("SELECT institution, purpose, sequence, bits FROM status_bits ORDER BY 1, 2, 3")?
            .iter()
            .map(|r| {
                let id = StatusListId {
                    institution: r.get(0),
                    purpose: r.get(1),
                    sequence: to_u64(r.get(2), "status list sequence")?,
                };
                Ok((id.to_string(), r.get(3)))
            })
            .collect()
    }

    /// `(credential id, event)`, oldest first.
    pub fn status_history(&self) -> Result<Vec<(String, StatusEvent)>, StoreError> {
        self.rows("SELECT credential, data FROM status_history ORDER BY seq")?
            .iter()
            .map(|r| {
                let credential: String = r.get(0);
                let event = from_json("status event of", &credential, r.get(1))?;
                Ok((credential, event))
            })
            .collect()
    }

    pub fn offers(&self) -> Result<Vec<StoredOffer>, StoreError> {
        self.rows("SELECT id, data FROM offers ORDER BY id")?
            .iter()
            .map(offer_from_row)
            .collect()
    }

    pub fn passports(&self) -> Result<Vec<StoredPassport>, StoreError> {
        self.rows("SELECT id, data FROM passports ORDER BY id")?
            .iter()
            .map(passport_from_row)
            .collect()
    }

    pub fn shares(&self) -> Result<Vec<StoredShare>, StoreError> {
        self.rows("SELECT id, data FROM shares ORDER BY id")?
            .iter()
            .map(share_from_row)
            .collect()
    }

    pub fn audit(&self) -> Result<Vec<AuditEvent>, StoreError> {
        self.rows("SELECT data FROM audit ORDER BY seq")?
            .iter()
            .map(|r| from_json("audit event", "", r.get(0)))
            .collect()
    }
}

impl Store for PostgresStore {
    fn insert_institution(&self, institution: &Institution) -> Result<(), StoreError> {
        validate_institution_id(&institution.id)?;
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        self.insert_institution_in(&tx, institution)?;
        wait(tx.commit()).map_err(db)
    }

    fn get_institution(&self, id: &str) -> Result<Option<Institution>, StoreError> {
        if !storable(id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT id, data FROM institutions WHERE id = $1", &[&id]))
            .map_err(db)?
            .map(|r| institution_from_row(&r))
            .transpose()
    }

    fn list_institutions(&self) -> Result<Vec<Institution>, StoreError> {
        let conn = self.conn()?;
        wait(conn.query("SELECT id, data FROM institutions ORDER BY id", &[]))
            .map_err(db)?
            .iter()
            .map(institution_from_row)
            .collect()
    }

    fn update_institution(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Institution, id));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let updated = self.update_institution_in(&tx, id, change)?;
        wait(tx.commit()).map_err(db)?;
        Ok(updated)
    }

    fn find_institution_by_token_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<Institution>, StoreError> {
        let conn = self.conn()?;
        wait(conn.query_opt(
            "SELECT id, data FROM institutions WHERE token_hash = $1",
            &[&&token_hash[..]],
        ))
        .map_err(db)?
        .map(|r| institution_from_row(&r))
        .transpose()
    }

    fn insert_institution_with_key(
        &self,
        institution: &Institution,
        verification_method: &str,
        secret: &str,
    ) -> Result<(), StoreError> {
        validate_institution_id(&institution.id)?;
        refuse_nul("verification method", verification_method)?;
        refuse_nul("secret key", secret)?;
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        self.insert_institution_in(&tx, institution)?;
        wait(tx.execute(
            "INSERT INTO secret_keys (institution, verification_method, secret)
             VALUES ($1, $2, $3)",
            &[&institution.id, &verification_method, &secret],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)
    }

    fn update_institution_with_key(
        &self,
        id: &str,
        verification_method: &str,
        secret: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Institution, id));
        }
        refuse_nul("verification method", verification_method)?;
        refuse_nul("secret key", secret)?;
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let updated = self.update_institution_in(&tx, id, change)?;
        let inserted = wait(tx.execute(
            "INSERT INTO secret_keys (institution, verification_method, secret)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&id, &verification_method, &secret],
        ))
        .map_err(db)?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::SecretKey,
                existing: verification_method.to_owned(),
            });
        }
        wait(tx.commit()).map_err(db)?;
        Ok(updated)
    }

    fn put_secret_key(
        &self,
        institution: &str,
        verification_method: &str,
        multibase_secret: &str,
    ) -> Result<(), StoreError> {
        if !storable(institution) {
            return Err(not_found(Entity::Institution, institution));
        }
        refuse_nul("verification method", verification_method)?;
        refuse_nul("secret key", multibase_secret)?;
        let conn = self.conn()?;
        let inserted = wait(conn.execute(
            "INSERT INTO secret_keys (institution, verification_method, secret)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&institution, &verification_method, &multibase_secret],
        ))
        .map_err(|e| {
            if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) {
                not_found(Entity::Institution, institution)
            } else {
                db(e)
            }
        })?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::SecretKey,
                existing: verification_method.to_owned(),
            });
        }
        Ok(())
    }

    fn secret_key(
        &self,
        institution: &str,
        verification_method: &str,
    ) -> Result<Option<Zeroizing<String>>, StoreError> {
        if !storable(institution) || !storable(verification_method) {
            return Ok(None);
        }
        let conn = self.conn()?;
        Ok(wait(conn.query_opt(
            "SELECT secret FROM secret_keys WHERE institution = $1 AND verification_method = $2",
            &[&institution, &verification_method],
        ))
        .map_err(db)?
        .map(|r| Zeroizing::new(r.get(0))))
    }

    fn key_custody(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let conn = self.conn()?;
        Ok(wait(conn.query_opt(
            "SELECT value FROM skillpass_meta WHERE key = 'key_custody'",
            &[],
        ))
        .map_err(db)?
        .map(|r| r.get(0)))
    }

    fn init_key_custody(&self, record: &[u8]) -> Result<Vec<u8>, StoreError> {
        let conn = self.conn()?;
        // The primary key orders concurrent inserts across processes: the first one's record
        // stays, the others insert nothing and read it back.
        wait(conn.execute(
            "INSERT INTO skillpass_meta (key, value) VALUES ('key_custody', $1)
             ON CONFLICT (key) DO NOTHING",
            &[&record],
        ))
        .map_err(db)?;
        drop(conn);
        self.key_custody()?
            .ok_or_else(|| StoreError::Corrupt("the key custody record vanished".into()))
    }

    fn token_scheme(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let conn = self.conn()?;
        Ok(wait(conn.query_opt(
            "SELECT value FROM skillpass_meta WHERE key = 'token_scheme'",
            &[],
        ))
        .map_err(db)?
        .map(|r| r.get(0)))
    }

    fn rehash_tokens(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let count = rehash_tokens_in(&tx, rehash)?;
        wait(tx.execute(
            "INSERT INTO skillpass_meta (key, value) VALUES ('token_scheme', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&record],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(count)
    }

    fn rehash_tokens_once(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<TokenRehash, StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        // Processes starting together queue here (the migrations' lock: start-up work); the
        // record is read after the lock is held, so a later one sees the first one's commit.
        wait(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])).map_err(db)?;
        if let Some(row) = wait(tx.query_opt(
            "SELECT value FROM skillpass_meta WHERE key = 'token_scheme'",
            &[],
        ))
        .map_err(db)?
        {
            return Ok(TokenRehash::Present(row.get(0)));
        }
        let count = rehash_tokens_in(&tx, rehash)?;
        // No ON CONFLICT: a record written meanwhile without the lock fails this write rather
        // than being re-hashed over.
        wait(tx.execute(
            "INSERT INTO skillpass_meta (key, value) VALUES ('token_scheme', $1)",
            &[&record],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(TokenRehash::Rehashed(count))
    }

    fn reseal_keys(&self, record: &[u8], reseal: &mut Reseal<'_>) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let mut count = 0;
        let rows = wait(tx.query(
            "SELECT institution, verification_method, secret FROM secret_keys
             ORDER BY institution, verification_method FOR UPDATE",
            &[],
        ))
        .map_err(db)?;
        for row in &rows {
            let institution: &str = row.get(0);
            let method: &str = row.get(1);
            let current = Zeroizing::new(row.get::<_, String>(2));
            let slot = KeySlot::Institution {
                institution,
                verification_method: method,
            };
            let next = reseal(slot, &current)?;
            refuse_nul("secret key", &next)?;
            wait(tx.execute(
                "UPDATE secret_keys SET secret = $3
                 WHERE institution = $1 AND verification_method = $2",
                &[&institution, &method, &next.as_str()],
            ))
            .map_err(db)?;
            count += 1;
        }
        if let Some(row) = wait(tx.query_opt(
            "SELECT secret FROM registry_keys WHERE name = $1 FOR UPDATE",
            &[&REGISTRY_SIGNING_KEY],
        ))
        .map_err(db)?
        {
            let current = Zeroizing::new(row.get::<_, String>(0));
            let next = reseal(KeySlot::Registry, &current)?;
            refuse_nul("secret key", &next)?;
            wait(tx.execute(
                "UPDATE registry_keys SET secret = $2 WHERE name = $1",
                &[&REGISTRY_SIGNING_KEY, &next.as_str()],
            ))
            .map_err(db)?;
            count += 1;
        }
        wait(tx.execute(
            "INSERT INTO skillpass_meta (key, value) VALUES ('key_custody', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&record],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(count)
    }

    fn insert_credential(&self, credential: &StoredCredential) -> Result<(), StoreError> {
        let high = allocation_high_water(credential, self.list_size)?;
        refuse_nul("credential id", &credential.id)?;
        if let Some(record) = &credential.record_id {
            refuse_nul("record id", record)?;
        }
        if !storable(&credential.institution) {
            return Err(not_found(Entity::Institution, &credential.institution));
        }
        let data = to_json("credential", credential)?;
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        if wait(tx.query_opt(
            "SELECT 1 FROM institutions WHERE id = $1",
            &[&credential.institution],
        ))
        .map_err(db)?
        .is_none()
        {
            return Err(not_found(Entity::Institution, &credential.institution));
        }
        // Any unique conflict (id, or institution and record id) inserts nothing; a concurrent
        // insert of the same record id in another process makes this wait for its outcome.
        let inserted = wait(tx.execute(
            "INSERT INTO credentials (id, institution, record_id, data) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[
                &credential.id,
                &credential.institution,
                &credential.record_id,
                &data,
            ],
        ))
        .map_err(db)?;
        if inserted == 0 {
            drop(tx);
            if wait(conn.query_opt("SELECT 1 FROM credentials WHERE id = $1", &[&credential.id]))
                .map_err(db)?
                .is_some()
            {
                return Err(StoreError::Conflict {
                    entity: Entity::Credential,
                    existing: credential.id.clone(),
                });
            }
            let existing = wait(conn.query_opt(
                "SELECT id FROM credentials WHERE institution = $1 AND record_id = $2",
                &[&credential.institution, &credential.record_id],
            ))
            .map_err(db)?;
            return Err(match existing {
                Some(row) => StoreError::Conflict {
                    entity: Entity::RecordId,
                    existing: row.get(0),
                },
                None => StoreError::Backend(
                    "a credential insert conflicted with nothing now stored; try again".into(),
                ),
            });
        }
        // Normally a no-op: the entries came from this counter. After a restore or a migration
        // it keeps the credential's entries from being handed out again.
        for (purpose, end) in &high {
            let end = to_i64(*end, "status counter")?;
            wait(tx.execute(
                "INSERT INTO status_counters (institution, purpose, next) VALUES ($1, $2, $3)
                 ON CONFLICT (institution, purpose)
                 DO UPDATE SET next = greatest(status_counters.next, excluded.next)",
                &[&credential.institution, purpose, &end],
            ))
            .map_err(db)?;
        }
        wait(tx.commit()).map_err(db)
    }

    fn get_credential(&self, id: &str) -> Result<Option<StoredCredential>, StoreError> {
        if !storable(id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT id, data FROM credentials WHERE id = $1", &[&id]))
            .map_err(db)?
            .map(|r| credential_from_row(&r))
            .transpose()
    }

    fn find_by_record_id(
        &self,
        institution: &str,
        record_id: &str,
    ) -> Result<Option<StoredCredential>, StoreError> {
        if !storable(institution) || !storable(record_id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt(
            "SELECT id, data FROM credentials WHERE institution = $1 AND record_id = $2",
            &[&institution, &record_id],
        ))
        .map_err(db)?
        .map(|r| credential_from_row(&r))
        .transpose()
    }

    fn list_credentials(
        &self,
        institution: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredCredential>, StoreError> {
        if !storable(institution) {
            return Ok(Vec::new());
        }
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let conn = self.conn()?;
        let from = match after {
            None => 0i64,
            Some(after) => {
                if !storable(after) {
                    return Err(not_found(Entity::Credential, after));
                }
                wait(conn.query_opt(
                    "SELECT seq FROM credentials WHERE id = $1 AND institution = $2",
                    &[&after, &institution],
                ))
                .map_err(db)?
                .ok_or_else(|| not_found(Entity::Credential, after))?
                .get(0)
            }
        };
        wait(conn.query(
            "SELECT id, data FROM credentials WHERE institution = $1 AND seq > $2
             ORDER BY seq LIMIT $3",
            &[&institution, &from, &limit],
        ))
        .map_err(db)?
        .iter()
        .map(credential_from_row)
        .collect()
    }

    fn allocate_status_indices(
        &self,
        institution: &str,
        purpose: &str,
        count: usize,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        validate_purpose(purpose)?;
        if !storable(institution) {
            return Err(not_found(Entity::Institution, institution));
        }
        let count_i = to_i64(count as u64, "status entry count")?;
        let conn = self.conn()?;
        // One statement, so one transaction: the row lock of the counter orders concurrent
        // allocators in every process, and the entries are committed before they are returned.
        let row = wait(conn.query_one(
            "INSERT INTO status_counters (institution, purpose, next) VALUES ($1, $2, $3)
             ON CONFLICT (institution, purpose) DO UPDATE SET next = status_counters.next + $3
             RETURNING next",
            &[&institution, &purpose, &count_i],
        ))
        .map_err(|e| match e.code() {
            Some(c) if *c == SqlState::FOREIGN_KEY_VIOLATION => {
                not_found(Entity::Institution, institution)
            }
            Some(c) if *c == SqlState::NUMERIC_VALUE_OUT_OF_RANGE => {
                StoreError::Invalid("status counter would overflow".into())
            }
            _ => db(e),
        })?;
        let to = to_u64(row.get(0), "status counter")?;
        let from = to - count as u64;
        Ok(entries(
            institution,
            purpose,
            self.list_size,
            from,
            count as u64,
        ))
    }

    fn set_status_bit(&self, list: &str, index: u64, value: bool) -> Result<bool, StoreError> {
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let id = self.allocated_list(&tx, list, Some(index))?;
        let previous = self.set_bit_in(&tx, &id, index, value)?;
        wait(tx.commit()).map_err(db)?;
        Ok(previous)
    }

    fn status_bits(&self, list: &str) -> Result<Vec<u8>, StoreError> {
        let conn = self.conn()?;
        let id = self.allocated_list(&*conn, list, None)?;
        let sequence = to_i64(id.sequence, "status list sequence")?;
        match wait(conn.query_opt(
            "SELECT bits FROM status_bits
             WHERE institution = $1 AND purpose = $2 AND sequence = $3",
            &[&id.institution, &id.purpose, &sequence],
        ))
        .map_err(db)?
        {
            None => Ok(vec![0; (self.list_size / 8) as usize]),
            Some(row) => {
                let bits: Vec<u8> = row.get(0);
                if bits.len() as u64 != self.list_size / 8 {
                    return Err(StoreError::Corrupt(format!(
                        "status list {list} has the wrong length"
                    )));
                }
                Ok(bits)
            }
        }
    }

    fn change_status(
        &self,
        credential: &str,
        list: &str,
        index: u64,
        value: bool,
        event: &StatusEvent,
    ) -> Result<bool, StoreError> {
        let record = to_json("status event", event)?;
        if !storable(credential) {
            return Err(not_found(Entity::Credential, credential));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let stored = wait(tx.query_opt(
            "SELECT id, data FROM credentials WHERE id = $1",
            &[&credential],
        ))
        .map_err(db)?
        .ok_or_else(|| not_found(Entity::Credential, credential))?;
        check_own_entry(&credential_from_row(&stored)?, list, index)?;
        let id = self.allocated_list(&tx, list, Some(index))?;
        let previous = self.set_bit_in(&tx, &id, index, value)?;
        if previous == value {
            return Ok(previous);
        }
        wait(tx.execute(
            "INSERT INTO status_history (credential, data) VALUES ($1, $2)",
            &[&credential, &record],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(previous)
    }

    fn status_history(&self, credential: &str) -> Result<Vec<StatusEvent>, StoreError> {
        if !storable(credential) {
            return Ok(Vec::new());
        }
        let conn = self.conn()?;
        wait(conn.query(
            "SELECT data FROM status_history WHERE credential = $1 ORDER BY seq",
            &[&credential],
        ))
        .map_err(db)?
        .iter()
        .map(|r| from_json("status event of", credential, r.get(0)))
        .collect()
    }

    fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        if let Some(institution) = &event.institution {
            validate_institution_id(institution)?;
        }
        let data = to_json("audit event", event)?;
        let conn = self.conn()?;
        wait(conn.execute(
            "INSERT INTO audit (institution, data) VALUES ($1, $2)",
            &[&event.institution, &data],
        ))
        .map_err(db)?;
        Ok(())
    }

    fn audit(
        &self,
        institution: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let conn = self.conn()?;
        let rows = match institution {
            Some(i) if !storable(i) => return Ok(Vec::new()),
            None => wait(conn.query(
                "SELECT data FROM audit ORDER BY seq DESC LIMIT $1",
                &[&limit],
            )),
            Some(i) => wait(conn.query(
                "SELECT data FROM audit WHERE institution = $1 ORDER BY seq DESC LIMIT $2",
                &[&i, &limit],
            )),
        }
        .map_err(db)?;
        let mut events = rows
            .iter()
            .map(|r| from_json("audit event", "", r.get(0)))
            .collect::<Result<Vec<AuditEvent>, _>>()?;
        events.reverse();
        Ok(events)
    }

    fn put_members(&self, members: &[Member]) -> Result<Vec<bool>, StoreError> {
        let values = members
            .iter()
            .map(|m| to_json("registry member", m))
            .collect::<Result<Vec<_>, _>>()?;
        for m in members {
            refuse_nul("member id", &m.id)?;
            for did in &m.dids {
                refuse_nul("DID", did)?;
            }
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        // Registry writes take turns (in every process): what is checked here stays current
        // until the commit.
        wait(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&REGISTRY_LOCK])).map_err(db)?;
        check_member_batch(members, |did| {
            Ok(
                wait(tx.query_opt("SELECT member FROM registry_dids WHERE did = $1", &[&did]))
                    .map_err(db)?
                    .map(|r| r.get(0)),
            )
        })?;
        let mut new = Vec::with_capacity(members.len());
        for (member, value) in members.iter().zip(&values) {
            // A replaced member's old DIDs are released.
            wait(tx.execute("DELETE FROM registry_dids WHERE member = $1", &[&member.id]))
                .map_err(db)?;
            let updated = wait(tx.execute(
                "UPDATE registry_members SET data = $2 WHERE id = $1",
                &[&member.id, value],
            ))
            .map_err(db)?;
            if updated == 0 {
                wait(tx.execute(
                    "INSERT INTO registry_members (id, data) VALUES ($1, $2)",
                    &[&member.id, value],
                ))
                .map_err(db)?;
            }
            new.push(updated == 0);
        }
        for member in members {
            for did in &member.dids {
                wait(tx.execute(
                    "INSERT INTO registry_dids (did, member) VALUES ($1, $2)",
                    &[did, &member.id],
                ))
                .map_err(db)?;
            }
        }
        wait(tx.commit()).map_err(db)?;
        Ok(new)
    }

    fn delete_member(&self, id: &str) -> Result<Member, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Member, id));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        wait(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&REGISTRY_LOCK])).map_err(db)?;
        let row = wait(tx.query_opt(
            "DELETE FROM registry_members WHERE id = $1 RETURNING id, data",
            &[&id],
        ))
        .map_err(db)?
        .ok_or_else(|| not_found(Entity::Member, id))?;
        let member = member_from_row(&row)?;
        wait(tx.commit()).map_err(db)?;
        Ok(member)
    }

    fn get_member(&self, id: &str) -> Result<Option<Member>, StoreError> {
        if !storable(id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt(
            "SELECT id, data FROM registry_members WHERE id = $1",
            &[&id],
        ))
        .map_err(db)?
        .map(|r| member_from_row(&r))
        .transpose()
    }

    fn list_members(&self) -> Result<Vec<Member>, StoreError> {
        let conn = self.conn()?;
        wait(conn.query("SELECT id, data FROM registry_members ORDER BY id", &[]))
            .map_err(db)?
            .iter()
            .map(member_from_row)
            .collect()
    }

    fn find_member_by_did(&self, did: &str) -> Result<Option<Member>, StoreError> {
        if !storable(did) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt(
            "SELECT m.id, m.data FROM registry_dids d JOIN registry_members m ON m.id = d.member
             WHERE d.did = $1",
            &[&did],
        ))
        .map_err(db)?
        .map(|r| member_from_row(&r))
        .transpose()
    }

    fn registry_key(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        let conn = self.conn()?;
        Ok(wait(conn.query_opt(
            "SELECT secret FROM registry_keys WHERE name = $1",
            &[&REGISTRY_SIGNING_KEY],
        ))
        .map_err(db)?
        .map(|r| Zeroizing::new(r.get(0))))
    }

    fn init_registry_key(&self, multibase_secret: &str) -> Result<Zeroizing<String>, StoreError> {
        refuse_nul("secret key", multibase_secret)?;
        let conn = self.conn()?;
        // The first key set is the one every caller gets, in any process.
        wait(conn.execute(
            "INSERT INTO registry_keys (name, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&REGISTRY_SIGNING_KEY, &multibase_secret],
        ))
        .map_err(db)?;
        drop(conn);
        self.registry_key()?
            .ok_or_else(|| StoreError::Corrupt("the registry signing key vanished".into()))
    }

    fn insert_offer(&self, offer: &StoredOffer) -> Result<(), StoreError> {
        let data = to_json("offer", offer)?;
        if !storable(&offer.credential) {
            return Err(not_found(Entity::Credential, &offer.credential));
        }
        refuse_nul("offer id", &offer.id)?;
        let conn = self.conn()?;
        let inserted = wait(conn.execute(
            "INSERT INTO offers (id, credential, data) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&offer.id, &offer.credential, &data],
        ))
        .map_err(|e| {
            if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) {
                not_found(Entity::Credential, &offer.credential)
            } else {
                db(e)
            }
        })?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::Offer,
                existing: offer.id.clone(),
            });
        }
        Ok(())
    }

    fn get_offer(&self, id: &str) -> Result<Option<StoredOffer>, StoreError> {
        if !storable(id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT id, data FROM offers WHERE id = $1", &[&id]))
            .map_err(db)?
            .map(|r| offer_from_row(&r))
            .transpose()
    }

    fn update_offer(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredOffer) -> Result<(), StoreError>,
    ) -> Result<StoredOffer, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Offer, id));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let row = wait(tx.query_opt(
            "SELECT id, data FROM offers WHERE id = $1 FOR UPDATE",
            &[&id],
        ))
        .map_err(db)?
        .ok_or_else(|| not_found(Entity::Offer, id))?;
        let current = offer_from_row(&row)?;
        let mut updated = current.clone();
        change(&mut updated)?;
        check_offer_update(&current, &updated)?;
        let data = to_json("offer", &updated)?;
        wait(tx.execute("UPDATE offers SET data = $2 WHERE id = $1", &[&id, &data])).map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(updated)
    }

    fn list_offers(&self, credential: &str) -> Result<Vec<StoredOffer>, StoreError> {
        if !storable(credential) {
            return Ok(Vec::new());
        }
        let conn = self.conn()?;
        let mut offers = wait(conn.query(
            "SELECT id, data FROM offers WHERE credential = $1",
            &[&credential],
        ))
        .map_err(db)?
        .iter()
        .map(offer_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        offers.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(offers)
    }

    fn put_ticket(&self, key: &str, ticket: &Ticket) -> Result<(), StoreError> {
        let data = to_json("ticket", ticket)?;
        refuse_nul("ticket key", key)?;
        let conn = self.conn()?;
        let inserted = wait(conn.execute(
            "INSERT INTO tickets (key, expires, data) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&key, &ticket.expires, &data],
        ))
        .map_err(db)?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::Ticket,
                existing: key.to_owned(),
            });
        }
        Ok(())
    }

    fn get_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError> {
        if !storable(key) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT data FROM tickets WHERE key = $1", &[&key]))
            .map_err(db)?
            .map(|r| from_json("ticket", key, r.get(0)))
            .transpose()
    }

    fn take_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError> {
        if !storable(key) {
            return Ok(None);
        }
        let conn = self.conn()?;
        // DELETE … RETURNING: of concurrent takers in any process, one gets the row.
        wait(conn.query_opt("DELETE FROM tickets WHERE key = $1 RETURNING data", &[&key]))
            .map_err(db)?
            .map(|r| from_json("ticket", key, r.get(0)))
            .transpose()
    }

    fn purge_tickets(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let conn = self.conn()?;
        let n =
            wait(conn.execute("DELETE FROM tickets WHERE expires < $1", &[&now])).map_err(db)?;
        Ok(n as usize)
    }

    fn insert_passport(&self, passport: &StoredPassport) -> Result<(), StoreError> {
        let data = to_json("passport", passport)?;
        refuse_nul("passport id", &passport.id)?;
        let conn = self.conn()?;
        let inserted = wait(conn.execute(
            "INSERT INTO passports (id, data) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&passport.id, &data],
        ))
        .map_err(db)?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::Passport,
                existing: passport.id.clone(),
            });
        }
        Ok(())
    }

    fn get_passport(&self, id: &str) -> Result<Option<StoredPassport>, StoreError> {
        if !storable(id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT data FROM passports WHERE id = $1", &[&id]))
            .map_err(db)?
            .map(|r| from_json("passport", id, r.get("data")))
            .transpose()
    }

    fn update_passport(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredPassport) -> Result<(), StoreError>,
    ) -> Result<StoredPassport, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Passport, id));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let row = wait(tx.query_opt(
            "SELECT data FROM passports WHERE id = $1 FOR UPDATE",
            &[&id],
        ))
        .map_err(db)?
        .ok_or_else(|| not_found(Entity::Passport, id))?;
        let current: StoredPassport = from_json("passport", id, row.get("data"))?;
        let mut updated = current.clone();
        change(&mut updated)?;
        check_passport_update(&current, &updated)?;
        let data = to_json("passport", &updated)?;
        wait(tx.execute(
            "UPDATE passports SET data = $2 WHERE id = $1",
            &[&id, &data],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(updated)
    }

    fn delete_passport(&self, id: &str) -> Result<usize, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Passport, id));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let shares =
            wait(tx.execute("DELETE FROM shares WHERE passport = $1", &[&id])).map_err(db)?;
        let removed =
            wait(tx.execute("DELETE FROM passports WHERE id = $1", &[&id])).map_err(db)?;
        if removed == 0 {
            return Err(not_found(Entity::Passport, id));
        }
        wait(tx.commit()).map_err(db)?;
        Ok(shares as usize)
    }

    fn insert_share(&self, share: &StoredShare) -> Result<(), StoreError> {
        let data = to_json("share", share)?;
        if !storable(&share.passport) {
            return Err(not_found(Entity::Passport, &share.passport));
        }
        refuse_nul("share id", &share.id)?;
        let conn = self.conn()?;
        let inserted = wait(conn.execute(
            "INSERT INTO shares (id, passport, data) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&share.id, &share.passport, &data],
        ))
        .map_err(|e| {
            if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) {
                not_found(Entity::Passport, &share.passport)
            } else {
                db(e)
            }
        })?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::Share,
                existing: share.id.clone(),
            });
        }
        Ok(())
    }

    fn get_share(&self, id: &str) -> Result<Option<StoredShare>, StoreError> {
        if !storable(id) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT data FROM shares WHERE id = $1", &[&id]))
            .map_err(db)?
            .map(|r| from_json("share", id, r.get("data")))
            .transpose()
    }

    fn update_share(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredShare) -> Result<(), StoreError>,
    ) -> Result<StoredShare, StoreError> {
        if !storable(id) {
            return Err(not_found(Entity::Share, id));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let row = wait(tx.query_opt("SELECT data FROM shares WHERE id = $1 FOR UPDATE", &[&id]))
            .map_err(db)?
            .ok_or_else(|| not_found(Entity::Share, id))?;
        let current: StoredShare = from_json("share", id, row.get("data"))?;
        let mut updated = current.clone();
        change(&mut updated)?;
        check_share_update(&current, &updated)?;
        let data = to_json("share", &updated)?;
        wait(tx.execute("UPDATE shares SET data = $2 WHERE id = $1", &[&id, &data])).map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(updated)
    }

    fn list_shares(&self, passport: &str) -> Result<Vec<StoredShare>, StoreError> {
        if !storable(passport) {
            return Ok(Vec::new());
        }
        let conn = self.conn()?;
        let mut shares = wait(conn.query(
            "SELECT id, data FROM shares WHERE passport = $1",
            &[&passport],
        ))
        .map_err(db)?
        .iter()
        .map(|r| from_json("share", r.get("id"), r.get("data")))
        .collect::<Result<Vec<StoredShare>, _>>()?;
        shares.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(shares)
    }

    fn insert_staff(&self, account: &super::StaffAccount) -> Result<(), StoreError> {
        let data = to_json("staff account", account)?;
        refuse_nul("e-mail", &account.email)?;
        if let Some(institution) = &account.institution {
            if !storable(institution) {
                return Err(not_found(Entity::Institution, institution));
            }
        }
        let conn = self.conn()?;
        let inserted = wait(conn.execute(
            "INSERT INTO staff (email, institution, data) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&account.email, &account.institution, &data],
        ))
        .map_err(|e| {
            if e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) {
                not_found(
                    Entity::Institution,
                    account.institution.as_deref().unwrap_or_default(),
                )
            } else {
                db(e)
            }
        })?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                entity: Entity::Staff,
                existing: account.email.clone(),
            });
        }
        Ok(())
    }

    fn get_staff(&self, email: &str) -> Result<Option<super::StaffAccount>, StoreError> {
        if !storable(email) {
            return Ok(None);
        }
        let conn = self.conn()?;
        wait(conn.query_opt("SELECT data FROM staff WHERE email = $1", &[&email]))
            .map_err(db)?
            .map(|r| from_json("staff account", email, r.get("data")))
            .transpose()
    }

    fn list_staff(&self) -> Result<Vec<super::StaffAccount>, StoreError> {
        let conn = self.conn()?;
        wait(conn.query("SELECT email, data FROM staff ORDER BY email", &[]))
            .map_err(db)?
            .iter()
            .map(|r| from_json("staff account", r.get("email"), r.get("data")))
            .collect()
    }

    fn update_staff(
        &self,
        email: &str,
        change: &mut dyn FnMut(&mut super::StaffAccount) -> Result<(), StoreError>,
    ) -> Result<super::StaffAccount, StoreError> {
        if !storable(email) {
            return Err(not_found(Entity::Staff, email));
        }
        let mut conn = self.conn()?;
        let tx = wait(conn.transaction()).map_err(db)?;
        let row = wait(tx.query_opt(
            "SELECT data FROM staff WHERE email = $1 FOR UPDATE",
            &[&email],
        ))
        .map_err(db)?
        .ok_or_else(|| not_found(Entity::Staff, email))?;
        let current: super::StaffAccount = from_json("staff account", email, row.get("data"))?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_staff_update(&current, &updated)?;
        let data = to_json("staff account", &updated)?;
        wait(tx.execute(
            "UPDATE staff SET data = $2 WHERE email = $1",
            &[&email, &data],
        ))
        .map_err(db)?;
        wait(tx.commit()).map_err(db)?;
        Ok(updated)
    }

    fn durable(&self) -> DurableFuture {
        self.commit.wait()
    }

    fn flush(&self) -> Result<(), StoreError> {
        flush_wal(&self.pool)
    }

    fn status_list_size(&self) -> u64 {
        self.list_size
    }

    fn export(&self, sink: &mut super::transfer::ItemSink<'_>) -> Result<(), StoreError> {
        super::transfer::export_postgres(self, sink)
    }
}
