pub mod app;
pub mod browser;
pub mod console;
pub mod fixtures;
pub mod fonts;
pub mod passport;
pub mod peer;
pub mod postgres;
