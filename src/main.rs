//! The `skillpass` binary. Run `skillpass --help`.

use std::process::ExitCode;

use clap::Parser;

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
