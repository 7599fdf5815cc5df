//! API tokens on PostgreSQL (a throwaway cluster, `common/postgres.rs`): processes that start
//! at once on a database whose tokens are still stored as plain SHA-256 (before issue 16)
//! re-hash them under the token secret once, not once each (an HMAC of an HMAC would lock
//! every institution out).

use std::sync::{Arc, Barrier};

use skillpass::api_tokens::{self, TokenHasher, TokenOpening, TokenSecretError};
use skillpass::service::{DidMethod, NewInstitution, Service, SystemClock};
use skillpass::store::{PostgresStore, Store};
use zeroize::Zeroizing;

#[path = "common/postgres.rs"]
mod pg;

/// Institutions per database: enough that a re-hash takes a while, so two unguarded starts
/// overlap.
const INSTITUTIONS: usize = 40;

fn connect(url: &str) -> Arc<dyn Store> {
    Arc::new(PostgresStore::connect(url).unwrap())
}

fn service(store: &Arc<dyn Store>) -> Service {
    Service::new(store.clone(), "https://pg.example", Arc::new(SystemClock))
}

/// A database as skillpass wrote it before issue 16: institutions whose token hashes are plain
/// SHA-256, and no token scheme record. Returns each institution's id and API token.
fn old_scheme_database(url: &str) -> Vec<(String, Zeroizing<String>)> {
    let store = connect(url);
    let old = service(&store);
    let registered = (0..INSTITUTIONS)
        .map(|i| {
            let (institution, token) = old
                .register_institution(
                    NewInstitution {
                        id: format!("inst-{i}"),
                        name: format!("Polytechnic {i}"),
                        country: "MY".into(),
                        url: None,
                        framework: "MQF".into(),
                        quality_assurance: None,
                        did_method: DidMethod::DidKey,
                    },
                    "t",
                )
                .unwrap();
            (institution.id, token)
        })
        .collect();
    store.flush().unwrap();
    assert!(store.token_scheme().unwrap().is_none());
    registered
}

/// Two starts at once (threads with their own connections, as two `skillpass serve` processes
/// have; each runs what `serve` runs at start, [`api_tokens::open`]) on an old-scheme database:
/// exactly one of them re-hashes, the other finds the record, and afterwards every token
/// authenticates its own institution through either process and a later start, while the
/// plain SHA-256 form no longer does. Several rounds, each on a fresh database.
#[test]
fn starts_at_once_rehash_old_tokens_once() {
    const SECRET: [u8; 32] = [7; 32];
    for round in 0..6 {
        let url = pg::shared().create_database();
        let tokens = old_scheme_database(&url);
        let barrier = Arc::new(Barrier::new(2));
        let starts: Vec<_> = (0..2)
            .map(|_| {
                let (url, barrier) = (url.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let store = connect(&url);
                    barrier.wait();
                    let (hasher, opening) =
                        api_tokens::open(store.as_ref(), Zeroizing::new(SECRET)).unwrap();
                    (store, hasher, opening)
                })
            })
            .collect();
        let started: Vec<(Arc<dyn Store>, TokenHasher, TokenOpening)> =
            starts.into_iter().map(|t| t.join().unwrap()).collect();
        let mut openings: Vec<TokenOpening> = started.iter().map(|s| s.2).collect();
        let later = connect(&url);
        let (hasher, opening) = api_tokens::open(later.as_ref(), Zeroizing::new(SECRET)).unwrap();
        assert_eq!(opening, TokenOpening::Keyed);
        let mut services: Vec<Service> = started
            .into_iter()
            .map(|(store, hasher, _)| service(&store).with_token_hasher(hasher))
            .collect();
        services.push(service(&later).with_token_hasher(hasher));
        for (id, token) in &tokens {
            for (n, service) in services.iter().enumerate() {
                let found = service.authenticate(token).unwrap();
                assert_eq!(
                    found.map(|i| i.id).as_deref(),
                    Some(id.as_str()),
                    "round {round}: {id}'s token through service {n}"
                );
            }
            // The old form is gone: the unkeyed hash finds nothing.
            assert!(service(&later).authenticate(token).unwrap().is_none());
        }
        openings.sort_by_key(|o| matches!(o, TokenOpening::Keyed));
        assert_eq!(
            openings,
            [TokenOpening::Migrated(INSTITUTIONS), TokenOpening::Keyed],
            "round {round}: one start re-hashes, the other finds it done"
        );

        // Another secret is refused, as before.
        assert!(matches!(
            api_tokens::open(later.as_ref(), Zeroizing::new([8; 32])),
            Err(TokenSecretError::WrongSecret)
        ));
    }
}
