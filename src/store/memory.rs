//! In-memory [`Store`] for tests: same rules as the sled store, nothing persisted.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use zeroize::Zeroizing;

use super::StaffAccount;
use super::TokenRehash;
use super::{
    allocation_high_water, check_allocated, check_member_batch, check_own_entry, entries, set_bit,
    validate_institution_id, validate_list_size, validate_purpose, AuditEvent, DurableFuture,
    Entity, Institution, KeySlot, Member, Reseal, StatusEvent, StatusListId, Store, StoreError,
    StoredCredential, StoredOffer, Ticket, STATUS_LIST_SIZE,
};
use super::{StoredPassport, StoredShare};

/// A [`Store`] kept in a mutex-guarded set of maps; `durable` resolves at once.
pub struct MemoryStore {
    list_size: u64,
    inner: Mutex<Inner>,
}

#[derive(Default, Clone)]
struct Inner {
    institutions: BTreeMap<String, Institution>,
    secrets: HashMap<(String, String), Zeroizing<String>>,
    credentials: HashMap<String, StoredCredential>,
    /// Credential ids per institution, in issue order.
    issued: HashMap<String, Vec<String>>,
    /// Credential id → position in `issued`.
    position: HashMap<String, usize>,
    by_record: HashMap<(String, String), String>,
    /// Next counter value per (institution, purpose).
    counters: HashMap<(String, String), u64>,
    bits: HashMap<String, Vec<u8>>,
    audit: Vec<AuditEvent>,
    /// Status changes per credential id, oldest first.
    status_history: HashMap<String, Vec<StatusEvent>>,
    members: BTreeMap<String, Member>,
    /// Issuer DID → id of the member listing it.
    member_dids: HashMap<String, String>,
    registry_key: Option<Zeroizing<String>>,
    key_custody: Option<Vec<u8>>,
    token_scheme: Option<Vec<u8>>,
    offers: HashMap<String, StoredOffer>,
    /// Offer ids per credential.
    offers_by_credential: HashMap<String, Vec<String>>,
    tickets: HashMap<String, Ticket>,
    staff: BTreeMap<String, StaffAccount>,
    passports: HashMap<String, StoredPassport>,
    shares: HashMap<String, StoredShare>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// An empty store with [`STATUS_LIST_SIZE`]-entry status lists.
    pub fn new() -> Self {
        MemoryStore {
            list_size: STATUS_LIST_SIZE,
            inner: Mutex::default(),
        }
    }

    /// An empty store with smaller status lists, so tests can reach a list roll-over.
    pub fn with_list_size(list_size: u64) -> Result<Self, StoreError> {
        validate_list_size(list_size)?;
        Ok(MemoryStore {
            list_size,
            inner: Mutex::default(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every method checks before it changes anything, so a panic leaves no half update.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn institution_missing(id: &str) -> StoreError {
    StoreError::NotFound {
        entity: Entity::Institution,
        id: id.to_owned(),
    }
}

/// Inserts `institution` (the checks of [`Store::insert_institution`]) under a held lock.
fn insert_institution_locked(
    inner: &mut Inner,
    institution: &Institution,
) -> Result<(), StoreError> {
    validate_institution_id(&institution.id)?;
    if inner.institutions.contains_key(&institution.id) {
        return Err(StoreError::Conflict {
            entity: Entity::Institution,
            existing: institution.id.clone(),
        });
    }
    if let Some(other) = inner
        .institutions
        .values()
        .find(|i| i.token_hash == institution.token_hash)
    {
        return Err(StoreError::Conflict {
            entity: Entity::TokenHash,
            existing: other.id.clone(),
        });
    }
    inner
        .institutions
        .insert(institution.id.clone(), institution.clone());
    Ok(())
}

impl Store for MemoryStore {
    fn insert_institution(&self, institution: &Institution) -> Result<(), StoreError> {
        insert_institution_locked(&mut self.lock(), institution)
    }

    fn get_institution(&self, id: &str) -> Result<Option<Institution>, StoreError> {
        Ok(self.lock().institutions.get(id).cloned())
    }

    fn list_institutions(&self) -> Result<Vec<Institution>, StoreError> {
        Ok(self.lock().institutions.values().cloned().collect())
    }

    fn update_institution(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        let mut inner = self.lock();
        let mut updated = inner
            .institutions
            .get(id)
            .cloned()
            .ok_or_else(|| institution_missing(id))?;
        change(&mut updated)?;
        if updated.id != id {
            return Err(StoreError::Invalid(
                "an institution's id cannot change".into(),
            ));
        }
        if let Some(other) = inner
            .institutions
            .values()
            .find(|i| i.id != id && i.token_hash == updated.token_hash)
        {
            return Err(StoreError::Conflict {
                entity: Entity::TokenHash,
                existing: other.id.clone(),
            });
        }
        inner.institutions.insert(id.to_owned(), updated.clone());
        Ok(updated)
    }

    fn find_institution_by_token_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<Institution>, StoreError> {
        Ok(self
            .lock()
            .institutions
            .values()
            .find(|i| &i.token_hash == token_hash)
            .cloned())
    }

    fn insert_institution_with_key(
        &self,
        institution: &Institution,
        verification_method: &str,
        secret: &str,
    ) -> Result<(), StoreError> {
        // One lock for both: no reader sees the institution without its key.
        let mut inner = self.lock();
        insert_institution_locked(&mut inner, institution)?;
        inner.secrets.insert(
            (institution.id.clone(), verification_method.to_owned()),
            Zeroizing::new(secret.to_owned()),
        );
        Ok(())
    }

    fn update_institution_with_key(
        &self,
        id: &str,
        verification_method: &str,
        secret: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError> {
        let mut inner = self.lock();
        let mut updated = inner
            .institutions
            .get(id)
            .cloned()
            .ok_or_else(|| institution_missing(id))?;
        change(&mut updated)?;
        if updated.id != id {
            return Err(StoreError::Invalid(
                "an institution's id cannot change".into(),
            ));
        }
        if let Some(other) = inner
            .institutions
            .values()
            .find(|i| i.id != id && i.token_hash == updated.token_hash)
        {
            return Err(StoreError::Conflict {
                entity: Entity::TokenHash,
                existing: other.id.clone(),
            });
        }
        let key = (id.to_owned(), verification_method.to_owned());
        if inner.secrets.contains_key(&key) {
            return Err(StoreError::Conflict {
                entity: Entity::SecretKey,
                existing: verification_method.to_owned(),
            });
        }
        inner.secrets.insert(key, Zeroizing::new(secret.to_owned()));
        inner.institutions.insert(id.to_owned(), updated.clone());
        Ok(updated)
    }

    fn put_secret_key(
        &self,
        institution: &str,
        verification_method: &str,
        multibase_secret: &str,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if !inner.institutions.contains_key(institution) {
            return Err(institution_missing(institution));
        }
        let key = (institution.to_owned(), verification_method.to_owned());
        if inner.secrets.contains_key(&key) {
            return Err(StoreError::Conflict {
                entity: Entity::SecretKey,
                existing: verification_method.to_owned(),
            });
        }
        inner
            .secrets
            .insert(key, Zeroizing::new(multibase_secret.to_owned()));
        Ok(())
    }

    fn secret_key(
        &self,
        institution: &str,
        verification_method: &str,
    ) -> Result<Option<Zeroizing<String>>, StoreError> {
        let key = (institution.to_owned(), verification_method.to_owned());
        Ok(self.lock().secrets.get(&key).cloned())
    }

    fn key_custody(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock().key_custody.clone())
    }

    fn init_key_custody(&self, record: &[u8]) -> Result<Vec<u8>, StoreError> {
        Ok(self
            .lock()
            .key_custody
            .get_or_insert_with(|| record.to_vec())
            .clone())
    }

    fn token_scheme(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock().token_scheme.clone())
    }

    fn rehash_tokens(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<usize, StoreError> {
        let mut inner = self.lock();
        let mut count = 0;
        for institution in inner.institutions.values_mut() {
            institution.token_hash = rehash(&institution.token_hash);
            count += 1;
        }
        inner.token_scheme = Some(record.to_vec());
        Ok(count)
    }

    fn rehash_tokens_once(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<TokenRehash, StoreError> {
        let mut inner = self.lock();
        if let Some(present) = &inner.token_scheme {
            return Ok(TokenRehash::Present(present.clone()));
        }
        let mut count = 0;
        for institution in inner.institutions.values_mut() {
            institution.token_hash = rehash(&institution.token_hash);
            count += 1;
        }
        inner.token_scheme = Some(record.to_vec());
        Ok(TokenRehash::Rehashed(count))
    }

    fn reseal_keys(&self, record: &[u8], reseal: &mut Reseal<'_>) -> Result<usize, StoreError> {
        let mut inner = self.lock();
        // All or nothing: the new values are collected first.
        let mut secrets = HashMap::new();
        for ((institution, method), current) in &inner.secrets {
            let slot = KeySlot::Institution {
                institution,
                verification_method: method,
            };
            secrets.insert(
                (institution.clone(), method.clone()),
                reseal(slot, current)?,
            );
        }
        let registry = match &inner.registry_key {
            Some(current) => Some(reseal(KeySlot::Registry, current)?),
            None => None,
        };
        let count = secrets.len() + usize::from(registry.is_some());
        inner.secrets = secrets;
        inner.registry_key = registry;
        inner.key_custody = Some(record.to_vec());
        Ok(count)
    }

    fn insert_credential(&self, credential: &StoredCredential) -> Result<(), StoreError> {
        let high = allocation_high_water(credential, self.list_size)?;
        let mut inner = self.lock();
        if !inner.institutions.contains_key(&credential.institution) {
            return Err(institution_missing(&credential.institution));
        }
        if inner.credentials.contains_key(&credential.id) {
            return Err(StoreError::Conflict {
                entity: Entity::Credential,
                existing: credential.id.clone(),
            });
        }
        if let Some(record) = &credential.record_id {
            let key = (credential.institution.clone(), record.clone());
            if let Some(existing) = inner.by_record.get(&key) {
                return Err(StoreError::Conflict {
                    entity: Entity::RecordId,
                    existing: existing.clone(),
                });
            }
            inner.by_record.insert(key, credential.id.clone());
        }
        for (purpose, end) in high {
            let counter = inner
                .counters
                .entry((credential.institution.clone(), purpose))
                .or_default();
            *counter = (*counter).max(end);
        }
        let issued = inner
            .issued
            .entry(credential.institution.clone())
            .or_default();
        issued.push(credential.id.clone());
        let position = issued.len() - 1;
        inner.position.insert(credential.id.clone(), position);
        inner
            .credentials
            .insert(credential.id.clone(), credential.clone());
        Ok(())
    }

    fn get_credential(&self, id: &str) -> Result<Option<StoredCredential>, StoreError> {
        Ok(self.lock().credentials.get(id).cloned())
    }

    fn find_by_record_id(
        &self,
        institution: &str,
        record_id: &str,
    ) -> Result<Option<StoredCredential>, StoreError> {
        let inner = self.lock();
        let key = (institution.to_owned(), record_id.to_owned());
        Ok(inner
            .by_record
            .get(&key)
            .and_then(|id| inner.credentials.get(id))
            .cloned())
    }

    fn list_credentials(
        &self,
        institution: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredCredential>, StoreError> {
        let inner = self.lock();
        let start = match after {
            None => 0,
            Some(after) => match inner.credentials.get(after) {
                Some(c) if c.institution == institution => inner.position[after] + 1,
                _ => {
                    return Err(StoreError::NotFound {
                        entity: Entity::Credential,
                        id: after.to_owned(),
                    })
                }
            },
        };
        let ids = inner.issued.get(institution).map_or(&[][..], |v| &v[..]);
        Ok(ids
            .iter()
            .skip(start)
            .take(limit)
            .map(|id| inner.credentials[id].clone())
            .collect())
    }

    fn allocate_status_indices(
        &self,
        institution: &str,
        purpose: &str,
        count: usize,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        validate_purpose(purpose)?;
        let mut inner = self.lock();
        if !inner.institutions.contains_key(institution) {
            return Err(institution_missing(institution));
        }
        let counter = inner
            .counters
            .entry((institution.to_owned(), purpose.to_owned()))
            .or_default();
        let from = *counter;
        *counter += count as u64;
        Ok(entries(
            institution,
            purpose,
            self.list_size,
            from,
            count as u64,
        ))
    }

    fn set_status_bit(&self, list: &str, index: u64, value: bool) -> Result<bool, StoreError> {
        let id = parse_list(list)?;
        let mut inner = self.lock();
        let counter = counter(&inner, &id);
        check_allocated(&id, Some(index), self.list_size, counter)?;
        let bits = inner
            .bits
            .entry(list.to_owned())
            .or_insert_with(|| vec![0; (self.list_size / 8) as usize]);
        Ok(set_bit(bits, index, value))
    }

    fn change_status(
        &self,
        credential: &str,
        list: &str,
        index: u64,
        value: bool,
        event: &StatusEvent,
    ) -> Result<bool, StoreError> {
        let id = parse_list(list)?;
        let mut inner = self.lock();
        let stored = inner
            .credentials
            .get(credential)
            .ok_or_else(|| StoreError::NotFound {
                entity: Entity::Credential,
                id: credential.to_owned(),
            })?;
        check_own_entry(stored, list, index)?;
        let counter = counter(&inner, &id);
        check_allocated(&id, Some(index), self.list_size, counter)?;
        let list_bytes = (self.list_size / 8) as usize;
        let bits = inner
            .bits
            .entry(list.to_owned())
            .or_insert_with(|| vec![0; list_bytes]);
        let previous = set_bit(bits, index, value);
        if previous != value {
            inner
                .status_history
                .entry(credential.to_owned())
                .or_default()
                .push(event.clone());
        }
        Ok(previous)
    }

    fn status_history(&self, credential: &str) -> Result<Vec<StatusEvent>, StoreError> {
        Ok(self
            .lock()
            .status_history
            .get(credential)
            .cloned()
            .unwrap_or_default())
    }

    fn status_bits(&self, list: &str) -> Result<Vec<u8>, StoreError> {
        let id = parse_list(list)?;
        let inner = self.lock();
        check_allocated(&id, None, self.list_size, counter(&inner, &id))?;
        Ok(inner
            .bits
            .get(list)
            .cloned()
            .unwrap_or_else(|| vec![0; (self.list_size / 8) as usize]))
    }

    fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        if let Some(institution) = &event.institution {
            validate_institution_id(institution)?;
        }
        self.lock().audit.push(event.clone());
        Ok(())
    }

    fn audit(
        &self,
        institution: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let inner = self.lock();
        let mut events: Vec<AuditEvent> = inner
            .audit
            .iter()
            .rev()
            .filter(|e| institution.is_none() || e.institution.as_deref() == institution)
            .take(limit)
            .cloned()
            .collect();
        events.reverse();
        Ok(events)
    }

    fn put_members(&self, members: &[Member]) -> Result<Vec<bool>, StoreError> {
        let mut inner = self.lock();
        check_member_batch(members, |did| Ok(inner.member_dids.get(did).cloned()))?;
        let mut created = Vec::with_capacity(members.len());
        for member in members {
            let old = inner.members.get(&member.id).cloned();
            created.push(old.is_none());
            for did in old.iter().flat_map(|o| &o.dids) {
                inner.member_dids.remove(did);
            }
        }
        for member in members {
            for did in &member.dids {
                inner.member_dids.insert(did.clone(), member.id.clone());
            }
            inner.members.insert(member.id.clone(), member.clone());
        }
        Ok(created)
    }

    fn delete_member(&self, id: &str) -> Result<Member, StoreError> {
        let mut inner = self.lock();
        let member = inner
            .members
            .remove(id)
            .ok_or_else(|| StoreError::NotFound {
                entity: Entity::Member,
                id: id.to_owned(),
            })?;
        for did in &member.dids {
            inner.member_dids.remove(did);
        }
        Ok(member)
    }

    fn get_member(&self, id: &str) -> Result<Option<Member>, StoreError> {
        Ok(self.lock().members.get(id).cloned())
    }

    fn list_members(&self) -> Result<Vec<Member>, StoreError> {
        Ok(self.lock().members.values().cloned().collect())
    }

    fn find_member_by_did(&self, did: &str) -> Result<Option<Member>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .member_dids
            .get(did)
            .and_then(|id| inner.members.get(id))
            .cloned())
    }

    fn registry_key(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        Ok(self.lock().registry_key.clone())
    }

    fn init_registry_key(&self, multibase_secret: &str) -> Result<Zeroizing<String>, StoreError> {
        Ok(self
            .lock()
            .registry_key
            .get_or_insert_with(|| Zeroizing::new(multibase_secret.to_owned()))
            .clone())
    }

    fn insert_offer(&self, offer: &StoredOffer) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.offers.contains_key(&offer.id) {
            return Err(StoreError::Conflict {
                entity: Entity::Offer,
                existing: offer.id.clone(),
            });
        }
        if !inner.credentials.contains_key(&offer.credential) {
            return Err(StoreError::NotFound {
                entity: Entity::Credential,
                id: offer.credential.clone(),
            });
        }
        inner
            .offers_by_credential
            .entry(offer.credential.clone())
            .or_default()
            .push(offer.id.clone());
        inner.offers.insert(offer.id.clone(), offer.clone());
        Ok(())
    }

    fn get_offer(&self, id: &str) -> Result<Option<StoredOffer>, StoreError> {
        Ok(self.lock().offers.get(id).cloned())
    }

    fn update_offer(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredOffer) -> Result<(), StoreError>,
    ) -> Result<StoredOffer, StoreError> {
        let mut inner = self.lock();
        let current = inner.offers.get(id).ok_or_else(|| StoreError::NotFound {
            entity: Entity::Offer,
            id: id.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_offer_update(current, &updated)?;
        inner.offers.insert(id.to_owned(), updated.clone());
        Ok(updated)
    }

    fn list_offers(&self, credential: &str) -> Result<Vec<StoredOffer>, StoreError> {
        let inner = self.lock();
        let mut offers: Vec<StoredOffer> = inner
            .offers_by_credential
            .get(credential)
            .into_iter()
            .flatten()
            .filter_map(|id| inner.offers.get(id).cloned())
            .collect();
        offers.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(offers)
    }

    fn put_ticket(&self, key: &str, ticket: &Ticket) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.tickets.contains_key(key) {
            return Err(StoreError::Conflict {
                entity: Entity::Ticket,
                existing: key.to_owned(),
            });
        }
        inner.tickets.insert(key.to_owned(), ticket.clone());
        Ok(())
    }

    fn get_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError> {
        Ok(self.lock().tickets.get(key).cloned())
    }

    fn take_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError> {
        Ok(self.lock().tickets.remove(key))
    }

    fn purge_tickets(&self, now: chrono::DateTime<chrono::Utc>) -> Result<usize, StoreError> {
        let mut inner = self.lock();
        let before = inner.tickets.len();
        inner.tickets.retain(|_, t| t.expires >= now);
        Ok(before - inner.tickets.len())
    }

    fn insert_passport(&self, passport: &StoredPassport) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.passports.contains_key(&passport.id) {
            return Err(StoreError::Conflict {
                entity: Entity::Passport,
                existing: passport.id.clone(),
            });
        }
        inner
            .passports
            .insert(passport.id.clone(), passport.clone());
        Ok(())
    }

    fn get_passport(&self, id: &str) -> Result<Option<StoredPassport>, StoreError> {
        Ok(self.lock().passports.get(id).cloned())
    }

    fn update_passport(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredPassport) -> Result<(), StoreError>,
    ) -> Result<StoredPassport, StoreError> {
        let mut inner = self.lock();
        let current = inner
            .passports
            .get(id)
            .ok_or_else(|| StoreError::NotFound {
                entity: Entity::Passport,
                id: id.to_owned(),
            })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_passport_update(current, &updated)?;
        inner.passports.insert(id.to_owned(), updated.clone());
        Ok(updated)
    }

    fn delete_passport(&self, id: &str) -> Result<usize, StoreError> {
        let mut inner = self.lock();
        if inner.passports.remove(id).is_none() {
            return Err(StoreError::NotFound {
                entity: Entity::Passport,
                id: id.to_owned(),
            });
        }
        let before = inner.shares.len();
        inner.shares.retain(|_, s| s.passport != id);
        Ok(before - inner.shares.len())
    }

    fn insert_share(&self, share: &StoredShare) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.shares.contains_key(&share.id) {
            return Err(StoreError::Conflict {
                entity: Entity::Share,
                existing: share.id.clone(),
            });
        }
        if !inner.passports.contains_key(&share.passport) {
            return Err(StoreError::NotFound {
                entity: Entity::Passport,
                id: share.passport.clone(),
            });
        }
        inner.shares.insert(share.id.clone(), share.clone());
        Ok(())
    }

    fn get_share(&self, id: &str) -> Result<Option<StoredShare>, StoreError> {
        Ok(self.lock().shares.get(id).cloned())
    }

    fn update_share(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredShare) -> Result<(), StoreError>,
    ) -> Result<StoredShare, StoreError> {
        let mut inner = self.lock();
        let current = inner.shares.get(id).ok_or_else(|| StoreError::NotFound {
            entity: Entity::Share,
            id: id.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_share_update(current, &updated)?;
        inner.shares.insert(id.to_owned(), updated.clone());
        Ok(updated)
    }

    fn list_shares(&self, passport: &str) -> Result<Vec<StoredShare>, StoreError> {
        let inner = self.lock();
        let mut shares: Vec<StoredShare> = inner
            .shares
            .values()
            .filter(|s| s.passport == passport)
            .cloned()
            .collect();
        shares.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(shares)
    }

    fn insert_staff(&self, account: &StaffAccount) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if let Some(institution) = &account.institution {
            if !inner.institutions.contains_key(institution) {
                return Err(StoreError::NotFound {
                    entity: Entity::Institution,
                    id: institution.clone(),
                });
            }
        }
        if inner.staff.contains_key(&account.email) {
            return Err(StoreError::Conflict {
                entity: Entity::Staff,
                existing: account.email.clone(),
            });
        }
        inner.staff.insert(account.email.clone(), account.clone());
        Ok(())
    }

    fn get_staff(&self, email: &str) -> Result<Option<StaffAccount>, StoreError> {
        Ok(self.lock().staff.get(email).cloned())
    }

    fn list_staff(&self) -> Result<Vec<StaffAccount>, StoreError> {
        Ok(self.lock().staff.values().cloned().collect())
    }

    fn update_staff(
        &self,
        email: &str,
        change: &mut dyn FnMut(&mut StaffAccount) -> Result<(), StoreError>,
    ) -> Result<StaffAccount, StoreError> {
        let mut inner = self.lock();
        let current = inner.staff.get(email).ok_or_else(|| StoreError::NotFound {
            entity: Entity::Staff,
            id: email.to_owned(),
        })?;
        let mut updated = current.clone();
        change(&mut updated)?;
        super::check_staff_update(current, &updated)?;
        inner.staff.insert(email.to_owned(), updated.clone());
        Ok(updated)
    }

    fn durable(&self) -> DurableFuture {
        Box::pin(std::future::ready(Ok(())))
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn status_list_size(&self) -> u64 {
        self.list_size
    }

    fn export(&self, sink: &mut super::transfer::ItemSink<'_>) -> Result<(), StoreError> {
        // A copy taken under the lock is the consistent view; it is read without the lock.
        let copy = MemoryStore {
            list_size: self.list_size,
            inner: Mutex::new(self.lock().clone()),
        };
        let extras = {
            let inner = copy.lock();
            let mut counters: Vec<(String, String, u64)> = inner
                .counters
                .iter()
                .map(|((i, p), n)| (i.clone(), p.clone(), *n))
                .collect();
            counters.sort();
            let mut passports: Vec<StoredPassport> = inner.passports.values().cloned().collect();
            passports.sort_by(|a, b| a.id.cmp(&b.id));
            let mut shares: Vec<StoredShare> = inner.shares.values().cloned().collect();
            shares.sort_by(|a, b| a.id.cmp(&b.id));
            super::transfer::Extras {
                counters,
                passports,
                shares,
            }
        };
        super::transfer::export_store(&copy, extras, sink)
    }
}

fn parse_list(list: &str) -> Result<StatusListId, StoreError> {
    StatusListId::parse(list).ok_or_else(|| StoreError::NotFound {
        entity: Entity::StatusList,
        id: list.to_owned(),
    })
}

fn counter(inner: &Inner, id: &StatusListId) -> u64 {
    inner
        .counters
        .get(&(id.institution.clone(), id.purpose.clone()))
        .copied()
        .unwrap_or(0)
}
