//! Signing behind a trait (src/signing/): the issuing path signs through `Signer`, whichever
//! custody provides it, and a signer that fails is an error, not a credential.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;
use skillpass::keys::{PublicKey, SecretKey};
use skillpass::keystore::{KeyCustody, Keystore, KeystoreError};
use skillpass::proof::Cryptosuite;
use skillpass::service::{DidMethod, Issuance, NewInstitution, Service, ServiceError, SystemClock};
use skillpass::signing::{SignError, Signer};
use skillpass::store::{Institution, MemoryStore, Store, StoreError};

/// A signer that counts its signatures and can be told to fail, wrapping an in-process key.
struct Probe {
    key: SecretKey,
    signatures: AtomicUsize,
    fail: bool,
}

impl Signer for Probe {
    fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    fn sign(&self, message: &[u8]) -> Result<[u8; 64], SignError> {
        if self.fail {
            return Err(SignError::Device("the probe refuses".into()));
        }
        self.signatures.fetch_add(1, Ordering::SeqCst);
        Ok(self.key.sign(message))
    }
}

/// A custody that keeps registration in the store but answers every signing key with the probe.
struct ProbeCustody {
    inner: Keystore,
    probe: Arc<Probe>,
}

impl KeyCustody for ProbeCustody {
    fn register(
        &self,
        institution: &Institution,
        verification_method: &str,
        key: &SecretKey,
    ) -> Result<(), KeystoreError> {
        self.inner.register(institution, verification_method, key)
    }

    fn rotate(
        &self,
        institution: &str,
        method: &str,
        key: &SecretKey,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, KeystoreError> {
        self.inner.rotate(institution, method, key, change)
    }

    fn signing_key(
        &self,
        _institution: &str,
        _method: &str,
    ) -> Result<Option<Arc<dyn Signer>>, KeystoreError> {
        Ok(Some(self.probe.clone()))
    }

    fn registry_key(
        &self,
        _create: &mut dyn FnMut() -> SecretKey,
    ) -> Result<(Arc<dyn Signer>, bool), KeystoreError> {
        Ok((self.probe.clone(), false))
    }
}

fn setup(fail: bool) -> (Arc<Service>, Arc<Probe>, Institution) {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let probe = Arc::new(Probe {
        key: SecretKey::from_seed(&[0x42; 32]),
        signatures: AtomicUsize::new(0),
        fail,
    });
    let custody = ProbeCustody {
        inner: Keystore::plaintext(store.clone()),
        probe: probe.clone(),
    };
    let service = Service::new(store, "http://localhost", Arc::new(SystemClock))
        .with_key_custody(Arc::new(custody));
    let (institution, _) = service
        .register_with_key(
            NewInstitution {
                id: "probe".into(),
                name: "Probe College".into(),
                country: "MY".into(),
                url: None,
                framework: "MQF".into(),
                quality_assurance: None,
                did_method: DidMethod::DidKey,
            },
            SecretKey::from_seed(&[0x42; 32]),
            "test",
        )
        .unwrap();
    (Arc::new(service), probe, institution)
}

fn record() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/my-diploma-furniture-production.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record.as_object_mut().unwrap().remove("recordId");
    record
}

const ISSUANCE: Issuance = Issuance {
    suite: Cryptosuite::EddsaRdfc2022,
    suspendable: false,
};

/// Issuing, a status list and the registry document are all signed by the custody's
/// `Signer`, and what it signed verifies.
#[tokio::test]
async fn issuing_signs_through_the_custody_signer() {
    let (service, probe, institution) = setup(false);
    let vc = service
        .issue_record(&institution, &record(), ISSUANCE)
        .await
        .unwrap()
        .credential;
    assert_eq!(probe.signatures.load(Ordering::SeqCst), 1);
    let options = service.verify_options();
    let checked = vc.clone();
    let report = tokio::task::spawn_blocking(move || skillpass::verify::verify(&checked, &options))
        .await
        .unwrap()
        .unwrap();
    let report = serde_json::to_value(&report).unwrap();
    let checks = report["checks"].as_array().unwrap();
    assert!(
        checks
            .iter()
            .all(|c| c["verified"] == true || c["check"] == "trust"),
        "{report:#}"
    );
    assert!(checks
        .iter()
        .any(|c| c["check"] == "proof" && c["verified"] == true));

    let before = probe.signatures.load(Ordering::SeqCst);
    let document = service.registry_document().await.unwrap();
    assert!(document["proof"].is_object() || document["proof"].is_array());
    assert_eq!(probe.signatures.load(Ordering::SeqCst), before + 1);
}

/// A signer that fails makes issuing fail with an internal error naming the device; nothing
/// is stored.
#[tokio::test]
async fn a_failing_signer_is_an_error_not_a_credential() {
    let (service, probe, institution) = setup(true);
    let err = match service
        .issue_record(&institution, &record(), ISSUANCE)
        .await
    {
        Err(e) => e,
        Ok(_) => panic!("issued without a signature"),
    };
    assert!(
        matches!(&err, ServiceError::Internal(m) if m.contains("signing device failed") && m.contains("probe refuses")),
        "{err}"
    );
    assert_eq!(probe.signatures.load(Ordering::SeqCst), 0);
    assert!(service
        .store()
        .list_credentials(&institution.id, None, 10)
        .map(|l| l.is_empty())
        .unwrap_or(true));
}
