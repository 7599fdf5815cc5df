pub mod app;
pub mod peer;
