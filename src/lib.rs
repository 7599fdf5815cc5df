//! skillpass: issue, hold and verify vocational learning-outcome credentials.
//!
//! The crate is organised after the specifications it implements:
//!
//! - [`keys`]: Ed25519 keys, Multikey encodings, key files.
//! - [`did`]: `did:key` identifiers, DID documents and verification-method resolution.
//! - [`contexts`]: the JSON-LD contexts bundled in the binary (nothing is fetched at run time).
//! - [`jsonld`]: our JSON-LD 1.1 → RDF engine, with processed contexts cached across documents.
//! - [`rdf`], [`rdfc`]: RDF quads and RDF Dataset Canonicalization (RDFC-1.0).
//! - [`canon`]: JSON-LD → RDF → RDFC-1.0 canonical N-Quads, strict (refuses what would go unsigned).
//! - [`jcs`]: RFC 8785 JSON Canonicalization Scheme.
//! - [`record`]: learning-outcome records (the input institutions hand us) and their JSON Schema.
//! - [`credential`]: record → Open Badges 3.0 `OpenBadgeCredential` (VC Data Model 2.0).
//! - [`vocab`]: skillpass's own few terms, as inline contexts (nothing to fetch).
//! - [`data_model`]: the VC data model's structural rules, checked before signing and verifying.
//! - [`schema`]: validation of issued credentials against the OB 3.0 JSON Schema.
//! - [`proof`]: Data Integrity proofs (`eddsa-rdfc-2022`, `eddsa-jcs-2022`, `Ed25519Signature2020`).
//! - [`presentation`]: Verifiable Presentations signed by a holder.
//! - [`verify`]: the verifier, producing a [`verify::VerificationReport`].
//! - [`registry`]: the alliance trust registry (members, standing, signed registry documents).
//! - [`fetch`]: the one guarded fetcher for other nodes' status lists, did:web documents and registry.
//! - [`subscription`]: following the alliance registry another node publishes (fetch, verify, import).
//! - [`wallet`]: delivery into learners' wallets: claim offers, OpenID4VCI, VC-API exchanges.
//! - [`passport`]: the learner's hosted skills passport (holder key, credentials, shares).

pub mod api_tokens;
pub mod backup;
pub mod batch;

pub mod canon;
pub mod cli;
pub mod config;
pub mod console;
pub mod contexts;
pub mod credential;
pub mod data_model;
pub mod decision;
pub mod did;
pub mod fetch;
pub mod frameworks;
pub mod http;
pub mod i18n;
pub mod jcs;
pub mod jsonld;
pub mod keys;
pub mod keystore;
pub mod limits;
pub mod passport;
pub mod presentation;
pub mod proof;
pub mod qr;
pub mod rdf;
pub mod rdfc;
pub mod recognition;
pub mod record;
pub mod registry;
pub mod schema;
pub mod server;
pub mod service;
pub mod session;
pub mod signing;
pub mod social;
pub mod status;
pub mod store;
pub mod subscription;
pub mod verifier;
pub mod verify;
pub mod vocab;
pub mod wallet;
