//! What the console shows of an institution's credentials: one [`Row`] per credential (who,
//! what, when, its status now, whether the learner claimed it), the dashboard's [`Counts`] and
//! the search ([`Query`]) shown in [`Page`]s, newest first in a stable order.
//!
//! Rows are read from the store on every request, every page of a search too: every
//! credential of the institution, with each status list's bits read once. That is fine for
//! thousands of credentials (10,001 took 1.4 s in a debug build; the figures are in
//! docs/CONSOLE.md); tens of thousands per institution would want an index.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::store::{OfferState, Store, StoreError, StoredCredential};

/// Credentials read from the store per call of `list_credentials`.
const PAGE: usize = 1_000;

/// Where a credential stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Suspended,
    Revoked,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::Suspended, Status::Revoked];

    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One credential as the console lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub record_id: Option<String>,
    pub learner: String,
    /// The learner's local identifier (student number), when the credential carries one.
    pub student_number: Option<String>,
    pub achievement: String,
    pub issued: DateTime<Utc>,
    pub status: Status,
    /// Whether a claim offer of it was claimed into a wallet.
    pub claimed: bool,
}

/// The dashboard's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub issued: usize,
    pub claimed: usize,
    pub revoked: usize,
    pub suspended: usize,
}

/// A search: words matched (case-insensitively, each anywhere) against the record id, the
/// learner's name, the student number, the achievement and the credential id; a status; one
/// achievement by its exact name; and the days of issue (UTC, both ends included). A class's
/// claim sheet is made from such a search (an achievement and a day of issue).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub status: Option<Status>,
    pub achievement: Option<String>,
    pub issued_from: Option<NaiveDate>,
    pub issued_to: Option<NaiveDate>,
}

impl Query {
    pub fn matches(&self, row: &Row) -> bool {
        if self.status.is_some_and(|s| s != row.status) {
            return false;
        }
        if self
            .achievement
            .as_deref()
            .is_some_and(|a| a != row.achievement)
        {
            return false;
        }
        let day = row.issued.date_naive();
        if self.issued_from.is_some_and(|from| day < from)
            || self.issued_to.is_some_and(|to| day > to)
        {
            return false;
        }
        let haystack = [
            Some(row.id.as_str()),
            row.record_id.as_deref(),
            Some(row.learner.as_str()),
            row.student_number.as_deref(),
            Some(row.achievement.as_str()),
        ]
        .into_iter()
        .flatten()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("\n");
        self.text
            .to_lowercase()
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }
}

/// The learner's name and local identifier from `credentialSubject.identifier` (OB 3.0
/// IdentityObjects in plaintext), or the subject's `name`.
fn learner(subject: &Value) -> (String, Option<String>) {
    let mut name = subject
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut number = None;
    for identity in subject
        .get("identifier")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(kind), Some(value)) = (
            identity.get("identityType").and_then(Value::as_str),
            identity.get("identityHash").and_then(Value::as_str),
        ) else {
            continue;
        };
        if identity.get("hashed").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        if kind == "name" {
            name.get_or_insert_with(|| value.to_owned());
        } else if number.is_none() {
            number = Some(value.to_owned());
        }
    }
    (name.unwrap_or_default(), number)
}

/// Status bits read once per list.
struct Bits<'a> {
    store: &'a dyn Store,
    lists: HashMap<String, Vec<u8>>,
}

impl Bits<'_> {
    fn is_set(&mut self, credential: &StoredCredential, purpose: &str) -> Result<bool, StoreError> {
        for a in credential.status.iter().filter(|a| a.purpose == purpose) {
            if !self.lists.contains_key(&a.list) {
                let bits = self.store.status_bits(&a.list)?;
                self.lists.insert(a.list.clone(), bits);
            }
            let bits = &self.lists[&a.list];
            let byte = bits.get((a.index / 8) as usize).copied().unwrap_or(0);
            if byte & (0x80u8 >> (a.index % 8)) != 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The row of one stored credential.
fn row(store: &dyn Store, bits: &mut Bits<'_>, c: &StoredCredential) -> Result<Row, StoreError> {
    let vc = &c.credential;
    let subject = match vc.get("credentialSubject") {
        Some(Value::Array(a)) => a.first(),
        other => other,
    }
    .unwrap_or(&Value::Null);
    let (learner, student_number) = learner(subject);
    let achievement = subject
        .pointer("/achievement/name")
        .or_else(|| vc.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let status = if bits.is_set(c, "revocation")? {
        Status::Revoked
    } else if bits.is_set(c, "suspension")? {
        Status::Suspended
    } else {
        Status::Active
    };
    let claimed = store
        .list_offers(&c.id)?
        .iter()
        .any(|o| matches!(o.state, OfferState::Claimed { .. }));
    Ok(Row {
        id: c.id.clone(),
        record_id: c.record_id.clone(),
        learner,
        student_number,
        achievement,
        issued: c.issued,
        status,
        claimed,
    })
}

/// Every credential of `institution`, newest first: by time of issue, and credentials issued
/// at the same instant in the reverse of the order the store issued them, so the order is the
/// same on every request (the pages of a search rely on it).
pub fn rows(store: &dyn Store, institution: &str) -> Result<Vec<Row>, StoreError> {
    let mut bits = Bits {
        store,
        lists: HashMap::new(),
    };
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list_credentials(institution, after.as_deref(), PAGE)?;
        for c in &page {
            rows.push(row(store, &mut bits, c)?);
        }
        match page.last() {
            Some(last) if page.len() == PAGE => after = Some(last.id.clone()),
            _ => break,
        }
    }
    rows.reverse();
    // A stable sort: ties keep the reversed issue order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.issued));
    Ok(rows)
}

/// The achievements of `rows`, each once, in alphabetical order (the search form's choice).
pub fn achievements(rows: &[Row]) -> Vec<String> {
    let mut names: Vec<String> = rows
        .iter()
        .map(|r| r.achievement.clone())
        .filter(|a| !a.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// One page of a search's results: which rows to show, and whether there are pages before and
/// after it. Pages count from 1; a page past the end is the last page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub number: usize,
    pub pages: usize,
    pub start: usize,
    pub end: usize,
}

impl Page {
    pub fn of(found: usize, size: usize, asked: usize) -> Page {
        let pages = found.div_ceil(size).max(1);
        let number = asked.clamp(1, pages);
        let start = (number - 1) * size;
        Page {
            number,
            pages,
            start: start.min(found),
            end: (start + size).min(found),
        }
    }

    pub fn previous(&self) -> Option<usize> {
        (self.number > 1).then(|| self.number - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.number < self.pages).then(|| self.number + 1)
    }
}

/// The row of one credential of `institution`; `None` if it is not one of its credentials.
pub fn one(store: &dyn Store, institution: &str, id: &str) -> Result<Option<Row>, StoreError> {
    let Some(c) = store
        .get_credential(id)?
        .filter(|c| c.institution == institution)
    else {
        return Ok(None);
    };
    let mut bits = Bits {
        store,
        lists: HashMap::new(),
    };
    row(store, &mut bits, &c).map(Some)
}

/// The dashboard's figures over `rows`.
pub fn counts(rows: &[Row]) -> Counts {
    let mut counts = Counts {
        issued: rows.len(),
        ..Counts::default()
    };
    for r in rows {
        counts.claimed += usize::from(r.claimed);
        counts.revoked += usize::from(r.status == Status::Revoked);
        counts.suspended += usize::from(r.status == Status::Suspended);
    }
    counts
}

/// The rows matching `query`, in their order.
pub fn search<'a>(rows: &'a [Row], query: &Query) -> Vec<&'a Row> {
    rows.iter().filter(|r| query.matches(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn learner_name_and_number_come_from_identity_objects() {
        let subject = json!({"identifier": [
            {"type": "IdentityObject", "identityHash": "Li Wei", "identityType": "name", "hashed": false},
            {"type": "IdentityObject", "identityHash": "S-2024-001", "identityType": "ext:studentNumber", "hashed": false}
        ]});
        assert_eq!(
            learner(&subject),
            ("Li Wei".into(), Some("S-2024-001".into()))
        );
        let hashed = json!({"identifier": [
            {"identityHash": "sha256$abc", "identityType": "name", "hashed": true}
        ]});
        assert_eq!(learner(&hashed), (String::new(), None));
    }

    #[test]
    fn a_query_matches_every_word_and_the_status() {
        let row = Row {
            id: "urn:uuid:1".into(),
            record_id: Some("R-7".into()),
            learner: "Li Wei".into(),
            student_number: Some("S-2024-001".into()),
            achievement: "Vehicle Diagnostics".into(),
            issued: Utc::now(),
            status: Status::Revoked,
            claimed: false,
        };
        let q = |text: &str, status| Query {
            text: text.into(),
            status,
            ..Query::default()
        };
        assert!(q("", None).matches(&row));
        assert!(q("li diagnostics", None).matches(&row));
        assert!(q("s-2024", Some(Status::Revoked)).matches(&row));
        assert!(q("r-7", None).matches(&row));
        assert!(!q("li welding", None).matches(&row));
        assert!(!q("li", Some(Status::Active)).matches(&row));
        let day = |s: &str| Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        let issued = row.issued.date_naive().format("%Y-%m-%d").to_string();
        let on = Query {
            achievement: Some("Vehicle Diagnostics".into()),
            issued_from: day(&issued),
            issued_to: day(&issued),
            ..Query::default()
        };
        assert!(on.matches(&row));
        let other = Query {
            achievement: Some("Vehicle".into()),
            ..Query::default()
        };
        assert!(!other.matches(&row), "the achievement is matched whole");
        let later = Query {
            issued_from: Some(row.issued.date_naive().succ_opt().unwrap()),
            ..Query::default()
        };
        assert!(!later.matches(&row));
        let before = Query {
            issued_to: Some(row.issued.date_naive().pred_opt().unwrap()),
            ..Query::default()
        };
        assert!(!before.matches(&row));
        let c = counts(std::slice::from_ref(&row));
        assert_eq!((c.issued, c.revoked, c.suspended, c.claimed), (1, 1, 0, 0));
    }

    #[test]
    fn pages_hold_fifty_and_stay_in_range() {
        let p = Page::of(120, 50, 1);
        assert_eq!((p.start, p.end, p.pages), (0, 50, 3));
        assert_eq!((p.previous(), p.next()), (None, Some(2)));
        let p = Page::of(120, 50, 3);
        assert_eq!((p.start, p.end), (100, 120));
        assert_eq!((p.previous(), p.next()), (Some(2), None));
        let p = Page::of(120, 50, 99);
        assert_eq!(p.number, 3, "past the end is the last page");
        let p = Page::of(0, 50, 0);
        assert_eq!((p.number, p.pages, p.start, p.end), (1, 1, 0, 0));
        assert_eq!((p.previous(), p.next()), (None, None));
    }
}
