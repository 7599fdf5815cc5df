//! `skillpass bench` end to end: small runs print their figures and exit 0; bad arguments give
//! one clear line and exit 2.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn bench(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .arg("bench")
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic on {args:?}: {stderr}");
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The rate of one table row: `suite threads sign/s verify/s sign-µs verify-µs`.
fn row(stdout: &str, suite: &str, threads: u32) -> Vec<f64> {
    let line = stdout
        .lines()
        .find(|l| {
            let mut words = l.split_whitespace();
            words.next() == Some(suite) && words.next() == Some(&threads.to_string())
        })
        .unwrap_or_else(|| panic!("no {suite} row for {threads} thread(s) in:\n{stdout}"));
    line.split_whitespace()
        .skip(2)
        .map(|w| w.parse().unwrap())
        .collect()
}

#[test]
fn jcs_table_has_rates_scaling_and_stages() {
    let out = bench(&["--suite", "eddsa-jcs-2022", "-n", "40", "--threads", "2"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    for threads in [1, 2] {
        let figures = row(&stdout, "eddsa-jcs-2022", threads);
        assert_eq!(figures.len(), 4, "{stdout}");
        assert!(figures.iter().all(|f| *f > 0.0), "{stdout}");
    }
    assert!(stdout.contains("2 threads sign"), "{stdout}");
    for stage in [
        "JCS canonicalization",
        "hashing (SHA-256)",
        "Ed25519 sign",
        "Ed25519 verify",
        "sum (sign)",
    ] {
        assert!(stdout.contains(stage), "no {stage:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("WARNING"), "{stdout}");
}

#[test]
fn json_output_covers_both_suites_and_every_rdfc_stage() {
    let out = bench(&["--suite", "all", "--count", "3", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["count"], 3);
    let suites = report["suites"].as_array().unwrap();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s["suite"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["eddsa-rdfc-2022", "eddsa-jcs-2022"]);
    for suite in suites {
        let run = &suite["runs"][0];
        assert_eq!(run["threads"], 1);
        assert!(run["sign"]["perSecond"].as_f64().unwrap() > 0.0);
        assert!(run["verify"]["perSecond"].as_f64().unwrap() > 0.0);
        assert_eq!(suite["breakdown"]["matchesRealPath"], true, "{suite}");
    }
    let rdfc_stages: Vec<&str> = suites[0]["breakdown"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        rdfc_stages,
        [
            "JSON-LD expansion",
            "toRdf",
            "RDFC-1.0",
            "hashing (SHA-256)",
            "Ed25519 sign",
            "Ed25519 verify"
        ]
    );
    assert!(suites[0]["breakdown"]["documentQuads"].as_u64().unwrap() > 10);
}

#[test]
fn bad_arguments_fail_with_one_clear_line() {
    let cases: &[(&[&str], &str)] = &[
        (&["--count", "0"], "--count"),
        (&["-n", "lots"], "--count"),
        (&["--threads", "0"], "--threads"),
        (&["--suite", "rsa-2048"], "unknown suite \"rsa-2048\""),
        (
            &["--suite", "eddsa-jcs-2022", "-n", "2", "--threads", "4"],
            "every thread needs at least one credential",
        ),
        (
            &[
                "--suite",
                "eddsa-jcs-2022",
                "--record",
                "no/such/record.json",
            ],
            "cannot read no/such/record.json",
        ),
        (
            &["--suite", "eddsa-jcs-2022", "--record", "Cargo.toml"],
            "is not valid JSON",
        ),
        (
            &["--suite", "eddsa-jcs-2022", "--key", "no/such/key.json"],
            "no/such/key.json",
        ),
    ];
    for (args, expected) in cases {
        let out = bench(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed a report");
    }
}
