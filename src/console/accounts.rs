//! Staff accounts: roles, Argon2id password hashes, creation and sign-in.

use std::collections::HashMap;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use rand_core::OsRng;

use crate::store::{Entity, StaffAccount, Store, StoreError};
use crate::wallet::tickets::random_token;

/// What the audit trail puts before a staff account's id.
pub const ACTOR_PREFIX: &str = "console:";

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (Argon2 would take more, but a bound keeps the work bounded).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// What a staff member may do. Each role can do what the ones before it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Reads the dashboard, the search, credentials and the audit trail.
    Viewer,
    /// And issues credentials (one, or a CSV upload) and makes claim offers.
    Issuer,
    /// And revokes, suspends and reinstates credentials.
    Registrar,
    /// The node's operator: institutions, their keys, registry membership. No institution.
    Operator,
}

impl Role {
    pub const STAFF: [Role; 3] = [Role::Viewer, Role::Issuer, Role::Registrar];

    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Issuer => "issuer",
            Role::Registrar => "registrar",
            Role::Operator => "operator",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        [Role::Viewer, Role::Issuer, Role::Registrar, Role::Operator]
            .into_iter()
            .find(|r| r.name() == name)
    }

    /// May issue credentials and make offers.
    pub fn can_issue(self) -> bool {
        matches!(self, Role::Issuer | Role::Registrar)
    }

    /// May revoke, suspend and reinstate.
    pub fn can_change_status(self) -> bool {
        self == Role::Registrar
    }
}

/// A signed-in staff member, as the console uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The account's random id: what the audit trail records (never the e-mail).
    pub id: String,
    pub email: String,
    /// `None` for an operator.
    pub institution: Option<String>,
    pub role: Role,
}

impl Account {
    /// The actor named in the audit trail and the status history: `console:<account id>`.
    /// The console shows the e-mail in its place ([`Directory::actor`]).
    pub fn actor(&self) -> String {
        format!("{ACTOR_PREFIX}{}", self.id)
    }

    fn from_stored(stored: &StaffAccount) -> Option<Account> {
        Some(Account {
            id: stored.id.clone(),
            email: stored.email.clone(),
            institution: stored.institution.clone(),
            role: Role::parse(&stored.role)?,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("an account with the e-mail address {0} already exists")]
    Exists(String),
    #[error("no institution {0}")]
    NoInstitution(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An e-mail address as the account id: trimmed and lowercased; refused unless it looks like
/// one (`local@domain`, no spaces or controls, at most 254 characters).
pub fn normalize_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    let ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(email.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.contains('@'));
    if ok {
        Ok(email)
    } else {
        Err(AccountError::Invalid(format!(
            "{email:?} is not an e-mail address"
        )))
    }
}

fn check_password(password: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        return Err(AccountError::Invalid(format!(
            "a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters; this one has {n}"
        )));
    }
    Ok(())
}

/// The Argon2id PHC string of `password` with a fresh salt (argon2's defaults: Argon2id v19,
/// m = 19 MiB, t = 2, p = 1, OWASP's minimum).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2id with default parameters")
        .to_string()
}

fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to check against when there is no account, so that a wrong e-mail costs the same
/// time as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("no account has this password"));

/// A random one-time password (16 characters, base64url) for a new account.
pub fn one_time_password() -> String {
    random_token(12)
}

/// Creates an account; `institution` `None` with [`Role::Operator`] only.
pub fn create(
    store: &dyn Store,
    email: &str,
    institution: Option<&str>,
    role: Role,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Account, AccountError> {
    let email = normalize_email(email)?;
    check_password(password)?;
    if (role == Role::Operator) != institution.is_none() {
        return Err(AccountError::Invalid(
            "an operator has no institution; every other role has one".into(),
        ));
    }
    let stored = StaffAccount {
        email: email.clone(),
        id: new_id(),
        institution: institution.map(str::to_owned),
        role: role.name().into(),
        password_hash: hash_password(password),
        created: now,
        disabled: false,
    };
    match store.insert_staff(&stored) {
        Ok(()) => {}
        Err(StoreError::Conflict {
            entity: Entity::Staff,
            ..
        }) => return Err(AccountError::Exists(email)),
        Err(StoreError::NotFound {
            entity: Entity::Institution,
            id,
        }) => return Err(AccountError::NoInstitution(id)),
        Err(e) => return Err(e.into()),
    }
    Ok(Account::from_stored(&stored).expect("a known role"))
}

/// Sets a new password.
pub fn set_password(store: &dyn Store, email: &str, password: &str) -> Result<(), AccountError> {
    check_password(password)?;
    let email = normalize_email(email)?;
    let hash = hash_password(password);
    store.update_staff(&email, &mut |a| {
        a.password_hash = hash.clone();
        Ok(())
    })?;
    Ok(())
}

/// The account when `password` is its password and it is not disabled; `None` otherwise
/// (unknown e-mail, wrong password, disabled), each after the same Argon2id work.
pub fn sign_in(
    store: &dyn Store,
    email: &str,
    password: &str,
) -> Result<Option<Account>, StoreError> {
    let Ok(email) = normalize_email(email) else {
        password_matches(&DUMMY_HASH, password);
        return Ok(None);
    };
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Ok(None);
    }
    let stored = store.get_staff(&email)?;
    let hash = stored
        .as_ref()
        .map(|s| s.password_hash.as_str())
        .unwrap_or(&DUMMY_HASH);
    let matches = password_matches(hash, password);
    Ok(stored
        .filter(|s| matches && !s.disabled)
        .and_then(|s| Account::from_stored(&s)))
}

/// A new account id: 96 random bits, base64url (16 characters).
pub fn new_id() -> String {
    random_token(12)
}

/// The account as stored now (role changes and disabling apply to open sessions at once). An
/// account stored before accounts had ids gets one here, once.
pub fn current(store: &dyn Store, email: &str) -> Result<Option<Account>, StoreError> {
    let Some(mut stored) = store.get_staff(email)?.filter(|s| !s.disabled) else {
        return Ok(None);
    };
    if stored.id.is_empty() {
        let id = new_id();
        stored = store.update_staff(email, &mut |a| {
            if a.id.is_empty() {
                a.id = id.clone();
            }
            Ok(())
        })?;
    }
    Ok(Account::from_stored(&stored))
}

/// Every account's e-mail by id, to show people in the audit trail: the trail keeps only ids
/// (`console:<id>`), so that an e-mail address is personal data kept in one place, the account.
pub struct Directory(HashMap<String, String>);

impl Directory {
    pub fn load(store: &dyn Store) -> Result<Directory, StoreError> {
        Ok(Directory(
            store
                .list_staff()?
                .into_iter()
                .filter(|a| !a.id.is_empty())
                .map(|a| (a.id, a.email))
                .collect(),
        ))
    }

    /// The e-mail of the account with this id.
    pub fn email(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }

    /// An actor as people read it: `console:<id>` becomes the account's e-mail, or stays as
    /// it is when there is no such account any more; other actors (`admin`, an institution id,
    /// `cli`, `wallet`) are unchanged.
    pub fn actor(&self, actor: &str) -> String {
        actor
            .strip_prefix(ACTOR_PREFIX)
            .and_then(|id| self.email(id))
            .map_or_else(|| actor.to_owned(), str::to_owned)
    }
}

/// The accounts of an institution (or, with `None`, the operators), ordered by e-mail.
pub fn list(store: &dyn Store, institution: Option<&str>) -> Result<Vec<StaffAccount>, StoreError> {
    Ok(store
        .list_staff()?
        .into_iter()
        .filter(|a| a.institution.as_deref() == institution)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use chrono::TimeZone;

    #[test]
    fn passwords_are_argon2id_and_sign_in_checks_them() {
        let store = MemoryStore::new();
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap();
        let op = create(
            &store,
            " Op@Node.Test ",
            None,
            Role::Operator,
            "correct horse battery",
            now,
        )
        .unwrap();
        assert_eq!(op.email, "op@node.test");
        assert_eq!(op.id.len(), 16);
        assert_eq!(op.actor(), format!("console:{}", op.id));
        assert!(!op.actor().contains('@'), "the audit records no e-mail");
        let stored = store.get_staff("op@node.test").unwrap().unwrap();
        assert_eq!(stored.id, op.id);
        assert!(stored
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!stored.password_hash.contains("correct horse"));
        assert_eq!(
            sign_in(&store, "OP@node.test", "correct horse battery").unwrap(),
            Some(op.clone())
        );
        assert_eq!(
            sign_in(&store, "op@node.test", "wrong horse battery").unwrap(),
            None
        );
        assert_eq!(
            sign_in(&store, "no@node.test", "correct horse battery").unwrap(),
            None
        );
        assert_eq!(
            sign_in(&store, "not an email", "correct horse battery").unwrap(),
            None
        );
        assert!(matches!(
            create(
                &store,
                "op@node.test",
                None,
                Role::Operator,
                "another password",
                now
            ),
            Err(AccountError::Exists(_))
        ));
        assert!(matches!(
            create(&store, "x@node.test", None, Role::Operator, "short", now),
            Err(AccountError::Invalid(_))
        ));
        assert!(matches!(
            create(
                &store,
                "x@node.test",
                None,
                Role::Viewer,
                "long enough password",
                now
            ),
            Err(AccountError::Invalid(_))
        ));
        assert!(matches!(
            create(
                &store,
                "x@node.test",
                Some("nowhere"),
                Role::Viewer,
                "long enough password",
                now
            ),
            Err(AccountError::NoInstitution(_))
        ));
        set_password(&store, "op@node.test", "a brand new password").unwrap();
        assert_eq!(
            sign_in(&store, "op@node.test", "correct horse battery").unwrap(),
            None
        );
        assert!(sign_in(&store, "op@node.test", "a brand new password")
            .unwrap()
            .is_some());
        // A disabled account cannot sign in.
        store
            .update_staff("op@node.test", &mut |a| {
                a.disabled = true;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            sign_in(&store, "op@node.test", "a brand new password").unwrap(),
            None
        );
        assert_eq!(current(&store, "op@node.test").unwrap(), None);
    }

    #[test]
    fn an_account_without_an_id_gets_one_and_the_directory_names_people() {
        let store = MemoryStore::new();
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap();
        store
            .insert_staff(&StaffAccount {
                email: "old@node.test".into(),
                id: String::new(),
                institution: None,
                role: "operator".into(),
                password_hash: hash_password("an old long password"),
                created: now,
                disabled: false,
            })
            .unwrap();
        let account = current(&store, "old@node.test").unwrap().unwrap();
        assert_eq!(account.id.len(), 16);
        assert_eq!(
            current(&store, "old@node.test").unwrap().unwrap().id,
            account.id
        );
        let directory = Directory::load(&store).unwrap();
        assert_eq!(directory.actor(&account.actor()), "old@node.test");
        assert_eq!(
            directory.actor("console:gone-account"),
            "console:gone-account"
        );
        assert_eq!(directory.actor("admin"), "admin");
    }

    #[test]
    fn roles_grow() {
        assert!(!Role::Viewer.can_issue() && !Role::Viewer.can_change_status());
        assert!(Role::Issuer.can_issue() && !Role::Issuer.can_change_status());
        assert!(Role::Registrar.can_issue() && Role::Registrar.can_change_status());
        assert_eq!(Role::parse("registrar"), Some(Role::Registrar));
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(one_time_password().len(), 16);
    }
}
