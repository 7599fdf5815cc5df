//! The `skillpass` binary. Run `skillpass --help`.

use std::process::ExitCode;

use clap::Parser;

/// Signing and verifying allocate many small, short-lived strings and maps; mimalloc halves the
/// time glibc's allocator spends on them (criterion, `benches/credential.rs`: 262 → 138 µs per
/// eddsa-rdfc-2022 signature on one core).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = skillpass::cli::Cli::parse();
    match skillpass::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
