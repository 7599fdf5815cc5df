//! `skillpass batch` end to end: a credential file per row, `results.jsonl`, exit codes,
//! idempotent re-runs, CSV input and the failures that stop a batch.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::did::DidKeyResolver;
use skillpass::proof::verify_proofs;

const ISSUER: &str = "keys-example/issuer.example.json";
const EXAMPLES: [&str; 4] = [
    "my-diploma-furniture-production.json",
    "szpu-3d-animation-production.json",
    "szpu-nev-after-sales-service.json",
    "zw-solar-pv-installation.json",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example(i: usize) -> Value {
    let path = root()
        .join("examples/records")
        .join(EXAMPLES[i % EXAMPLES.len()]);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn batch(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .arg("batch")
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        // A batch refused before reading stdin closes it early.
        let _ = pipe.write_all(text.as_bytes());
    }
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    assert!(
        !stderr(&out).contains("panicked"),
        "panic: {}",
        stderr(&out)
    );
    out
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `results.jsonl`: the row lines and the summary.
fn results(out_dir: &Path) -> (Vec<Value>, Value) {
    let text = std::fs::read_to_string(out_dir.join("results.jsonl")).unwrap();
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = lines.pop().unwrap()["summary"].clone();
    (lines, summary)
}

fn credential_files(out_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_verifies(vc: &Value) {
    let checks = verify_proofs(
        vc,
        &DidKeyResolver,
        &ContextRegistry::bundled(),
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(checks.len(), 1);
    assert!(checks[0].holds(), "{:?}", checks[0].failures);
}

#[test]
fn two_hundred_rows_signed_to_files_then_rerun_without_resigning() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.jsonl");
    let out = dir.path().join("out");
    let mut lines = Vec::new();
    for i in 0..202 {
        let mut r = example(i);
        r["recordId"] = json!(format!("BATCH/{i:03}"));
        lines.push(match i {
            50 => "{\"recordId\": \"BATCH/050\"".to_owned(),
            120 => {
                r["awardedDate"] = json!("yesterday");
                r.to_string()
            }
            _ => r.to_string(),
        });
    }
    std::fs::write(&input, lines.join("\n")).unwrap();

    let args = [
        "--key",
        ISSUER,
        "--input",
        path_str(&input),
        "--out",
        path_str(&out),
    ];
    let run = batch(&args, None);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    // stderr is not a terminal: no progress bar, just the closing line.
    assert_eq!(
        stderr(&run).trim(),
        format!(
            "batch: 202 rows: 200 issued, 0 existing, 2 errors; results in {}",
            out.join("results.jsonl").display()
        )
    );

    let (rows, summary) = results(&out);
    assert_eq!(
        summary,
        json!({"rows": 202, "issued": 200, "existing": 0, "errors": 2, "skipped": 0, "complete": true})
    );
    assert_eq!(rows.len(), 202);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["row"], i as u64 + 1, "rows come back in input order");
    }
    assert_eq!(rows[50]["status"], "error");
    assert!(rows[50]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("malformed JSON"));
    assert_eq!(rows[120]["status"], "error");
    assert_eq!(rows[120]["recordId"], "BATCH/120");
    assert_eq!(rows[120]["errors"][0]["path"], "/awardedDate");

    let files = credential_files(&out);
    assert_eq!(files.len(), 200);
    for row in rows.iter().filter(|r| r["status"] == "issued") {
        let name = row["recordId"].as_str().unwrap().replace('/', "%2F");
        let vc = read_json(&out.join(format!("{name}.json")));
        assert_eq!(vc["id"], row["credentialId"]);
        assert_verifies(&vc);
    }
    assert!(!out.join("BATCH%2F050.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // Again: nothing is re-signed; files are untouched.
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let again = batch(&args, None);
    assert_eq!(code(&again), 1, "{}", stderr(&again));
    let (rows_again, summary) = results(&out);
    assert_eq!(
        summary,
        json!({"rows": 202, "issued": 0, "existing": 200, "errors": 2, "skipped": 0, "complete": true})
    );
    for (first, second) in rows.iter().zip(&rows_again) {
        assert_eq!(first["credentialId"], second["credentialId"]);
    }
    let after: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(before == after, "credential files changed on a re-run");

    // A missing file and a torn one are issued again; the rest stay.
    std::fs::remove_file(out.join("BATCH%2F007.json")).unwrap();
    std::fs::write(out.join("BATCH%2F008.json"), "{\"@context\": [").unwrap();
    let third = batch(&args, None);
    assert_eq!(code(&third), 1);
    let (rows_third, summary) = results(&out);
    assert_eq!(summary["issued"], 2);
    assert_eq!(summary["existing"], 198);
    assert_eq!(rows_third[7]["status"], "issued");
    assert_eq!(rows_third[8]["status"], "issued");
    assert_verifies(&read_json(&out.join("BATCH%2F008.json")));
}

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The solar PV example (a learner without a DID, no result) as CSV.
fn solar_csv(record_ids: &[&str]) -> String {
    let r = example(3);
    let a = &r["achievement"];
    let outcomes: Vec<String> = a["learningOutcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["statement"].as_str().unwrap().replace(';', "\\;"))
        .collect();
    let mut csv = String::from(
        "recordId,learnerName,learnerIdentifier,achievementName,achievementDescription,criteria,outcomes,fieldOfStudy,levelFramework,levelCode,credits,creditSystem,learningHours,achievementType,awardedDate,validUntil,issuerName,issuerUrl,issuerCountry\n",
    );
    for id in record_ids {
        let cells = [
            id.to_string(),
            r["learner"]["name"].as_str().unwrap().into(),
            r["learner"]["identifier"]["value"].as_str().unwrap().into(),
            a["name"].as_str().unwrap().into(),
            a["description"].as_str().unwrap().into(),
            a["criteria"]["narrative"].as_str().unwrap().into(),
            outcomes.join(";"),
            a["fieldOfStudy"].as_str().unwrap().into(),
            a["level"]["framework"].as_str().unwrap().into(),
            a["level"]["code"].as_str().unwrap().into(),
            a["credits"]["value"].to_string(),
            a["credits"]["system"].as_str().unwrap().into(),
            a["learningHours"].to_string(),
            a["achievementType"].as_str().unwrap().into(),
            r["awardedDate"].as_str().unwrap().into(),
            r["validUntil"].as_str().unwrap().into(),
            r["issuer"]["name"].as_str().unwrap().into(),
            r["issuer"]["url"].as_str().unwrap().into(),
            r["issuer"]["country"].as_str().unwrap().into(),
        ];
        csv.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push('\n');
    }
    csv
}

#[test]
fn csv_by_extension_all_good_exits_0_and_rows_without_record_id_use_row_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.CSV");
    let out = dir.path().join("out");
    std::fs::write(&input, solar_csv(&["ZVP-1", "ZVP-2", ""])).unwrap();
    let args = [
        "--key",
        ISSUER,
        "--input",
        path_str(&input),
        "--out",
        path_str(&out),
        "--jobs",
        "3",
    ];
    let run = batch(&args, None);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let (rows, summary) = results(&out);
    assert_eq!(summary["issued"], 3);
    assert_eq!(rows[2]["recordId"], Value::Null);
    let names: Vec<String> = credential_files(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["ZVP-1.json", "ZVP-2.json", "row-3.json"]);
    let vc = read_json(&out.join("ZVP-1.json"));
    assert_verifies(&vc);
    assert_eq!(vc["validUntil"], "2030-04-25T00:00:00+02:00");
    let subject = &vc["credentialSubject"];
    assert_eq!(
        subject["achievement"]["name"],
        example(3)["achievement"]["name"]
    );

    // Record ids make re-runs idempotent; a row without one is signed again.
    let again = batch(&args, None);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let (rows_again, summary) = results(&out);
    assert_eq!(
        (summary["existing"].as_u64(), summary["issued"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(rows_again[0]["credentialId"], rows[0]["credentialId"]);
    assert_ne!(rows_again[2]["credentialId"], rows[2]["credentialId"]);
}

#[test]
fn stdin_needs_a_format_and_works_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut r = example(1);
    r["recordId"] = json!("STDIN-1");
    let line = format!("{r}\n");
    let args = ["--key", ISSUER, "--input", "-", "--out", path_str(&out)];
    let refused = batch(&args, Some(&line));
    assert_eq!(code(&refused), 2);
    assert!(
        stderr(&refused).contains("pass --format"),
        "{}",
        stderr(&refused)
    );

    let mut with_format = args.to_vec();
    with_format.extend(["--format", "jsonl", "--suite", "eddsa-jcs-2022"]);
    let run = batch(&with_format, Some(&line));
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let vc = read_json(&out.join("STDIN-1.json"));
    assert_eq!(vc["proof"][0]["cryptosuite"], "eddsa-jcs-2022");
    assert_verifies(&vc);
}

#[test]
fn batches_that_cannot_run_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let jsonl = dir.path().join("r.jsonl");
    std::fs::write(&jsonl, format!("{}\n", example(0))).unwrap();
    let txt = dir.path().join("r.txt");
    std::fs::write(&txt, "").unwrap();
    let bad_header = dir.path().join("r.csv");
    std::fs::write(&bad_header, "recordId,name\nR1,x\n").unwrap();
    let missing = dir.path().join("absent.jsonl");

    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec![
                "--key",
                "keys-example/nope.json",
                "--input",
                path_str(&jsonl),
                "--out",
                path_str(&out),
            ],
            "nope.json",
        ),
        (
            vec![
                "--key",
                ISSUER,
                "--input",
                path_str(&txt),
                "--out",
                path_str(&out),
            ],
            "pass --format",
        ),
        (
            vec![
                "--key",
                ISSUER,
                "--input",
                path_str(&bad_header),
                "--out",
                path_str(&out),
            ],
            "unknown column \"name\"",
        ),
        (
            vec![
                "--key",
                ISSUER,
                "--input",
                path_str(&missing),
                "--out",
                path_str(&out),
            ],
            "cannot open",
        ),
    ];
    for (args, expected) in cases {
        let run = batch(&args, None);
        assert_eq!(code(&run), 2, "{args:?}: {}", stderr(&run));
        let err = stderr(&run);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: ") && err.contains(expected),
            "{args:?}: {err}"
        );
    }
    assert!(!out.join("R1.json").exists());
}
