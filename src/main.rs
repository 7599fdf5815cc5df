//! The `skillpass` binary. Run `skillpass --help`.

use std::process::ExitCode;

use clap::Parser;

/// Signing and verifying allocate many small, short-lived strings and maps. Measured with
/// `skillpass bench --suite all -n 10000` (one thread), mimalloc against glibc's allocator:
/// eddsa-rdfc-2022 signs 8,000/s instead of 5,850/s, eddsa-jcs-2022 20,900/s instead of 17,300/s.
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
