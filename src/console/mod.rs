//! The institution console's domain: staff accounts with roles, passwords hashed with
//! Argon2id, sign-in ([`accounts`]), and what the pages show of an institution's credentials —
//! the dashboard counts and the search ([`search`]) — and CSV uploads issued in the
//! background with their progress and row errors ([`uploads`]); one credential from the
//! console's form ([`single`]).
//!
//! The claim sheets of a class, with new claim offers for every learner, are [`claims`].
//!
//! Staff accounts belong to one institution (viewer, issuer, registrar) or, with no
//! institution, are the node's operators. HTTP lives in `crate::http::console`; sessions and
//! CSRF in [`crate::session`].

pub mod accounts;
pub mod claims;
pub mod search;
pub mod single;
pub mod uploads;

pub use accounts::{Account, AccountError, Role};
