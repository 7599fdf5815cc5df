//! libFuzzer target: [`skillpass_fuzz::canon_verify`] on every input. Errors are fine; a
//! panic, an abort or an input slower than `-timeout` is a bug.
//!
//! Run: see fuzz/README.md (`cargo fuzz run canon_verify …`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| skillpass_fuzz::canon_verify(data));
