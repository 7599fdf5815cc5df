pub mod app;
pub mod browser;
pub mod fixtures;
pub mod peer;
pub mod postgres;
