pub mod app;
pub mod fixtures;
pub mod peer;
