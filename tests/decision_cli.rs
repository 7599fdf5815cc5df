//! `skillpass recognise` end to end: the short readable decision on stdout (the full JSON with
//! `--json`) and the exit codes — 0 recognised, 1 recognised with conditions, cannot be decided
//! automatically or not recognised, 2 could not check.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic on {args:?}: {stderr}");
    out
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {}", stderr(out)))
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

fn findings(answer: &Value) -> Vec<String> {
    answer["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["finding"].as_str().unwrap().to_owned())
        .collect()
}

const ISSUER_KEY: &str = "keys-example/issuer.example.json";
const LEARNER_KEY: &str = "keys-example/learner.example.json";
const ISSUER_DID: &str = "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";
const LEARNER_DID: &str = "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2";

/// A temporary folder with a credential issued by the example key from `record`, and a
/// registry file listing that issuer (accredited, MQF) and a receiving member (EQF).
struct Setup {
    _dir: tempfile::TempDir,
    path: PathBuf,
    credential: String,
    registry: String,
}

fn setup(record: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let out = run(&[
        "issue",
        "--key",
        ISSUER_KEY,
        &format!("examples/records/{record}"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let credential = write(&path, "credential.json", &stdout_json(&out));
    let member = |id: &str, did: &str, framework: &str| {
        json!({
            "id": id,
            "name": format!("{id} college"),
            "country": "MY",
            "dids": [did],
            "framework": framework,
            "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        })
    };
    let registry = write(
        &path,
        "registry.json",
        &json!({"members": [
            member("kolej-perabot", ISSUER_DID, "MQF"),
            member("receiver", LEARNER_DID, "EQF"),
        ]}),
    );
    Setup {
        _dir: dir,
        path,
        credential,
        registry,
    }
}

#[test]
fn recognised_exits_0_with_the_decision() {
    let s = setup("my-diploma-furniture-production.json");
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &s.registry,
        &s.credential,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let answer = stdout_json(&out);
    assert_eq!(answer["decision"]["outcome"], "recognised");
    assert_eq!(answer["trust"]["checked"], true);
    assert!(findings(&answer).contains(&"issuer-accredited".to_owned()));
    assert_eq!(answer["verification"]["verified"], true);
    assert_eq!(answer["assessment"]["receivingFramework"], "MQF");
    assert!(
        stderr(&out).contains("Recognised in MQF"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_a_registry_trust_is_unchecked_and_said_so() {
    let s = setup("my-diploma-furniture-production.json");
    let out = run(&["recognise", "--json", "--for", "MQF", &s.credential]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let answer = stdout_json(&out);
    assert_eq!(answer["decision"]["outcome"], "recognised-with-conditions");
    assert_eq!(answer["trust"]["checked"], false);
    assert!(answer["trust"]["note"]
        .as_str()
        .unwrap()
        .contains("not checked"));
    assert_eq!(findings(&answer)[1], "quality-assurance-not-checked");
    assert!(
        stderr(&out).contains("no --registry given"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn conditions_and_refusals_exit_1() {
    let s = setup("my-diploma-furniture-production.json");
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "EQF",
        "--registry",
        &s.registry,
        &s.credential,
    ]);
    assert_eq!(code(&out), 1);
    let answer = stdout_json(&out);
    assert_eq!(answer["decision"]["outcome"], "recognised-with-conditions");
    assert!(findings(&answer).contains(&"credits-range".to_owned()));

    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "TH-TQF",
        "--registry",
        &s.registry,
        &s.credential,
    ]);
    assert_eq!(code(&out), 1);
    let answer = stdout_json(&out);
    assert_eq!(
        answer["decision"]["outcome"],
        "cannot-be-decided-automatically"
    );
    assert!(findings(&answer).contains(&"level-no-path".to_owned()));

    // Decided before the credential was valid.
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &s.registry,
        "--now",
        "2001-01-01T00:00:00Z",
        &s.credential,
    ]);
    assert_eq!(code(&out), 1);
    assert!(findings(&stdout_json(&out)).contains(&"not-yet-valid".to_owned()));

    // An issuer the registry does not list.
    let other = write(&s.path, "other.json", &json!({"members": []}));
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &other,
        &s.credential,
    ]);
    assert_eq!(code(&out), 1);
    assert!(findings(&stdout_json(&out)).contains(&"issuer-unknown".to_owned()));
}

#[test]
fn for_names_a_registry_member_whose_framework_is_used() {
    let s = setup("my-diploma-furniture-production.json");
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "receiver",
        "--registry",
        &s.registry,
        &s.credential,
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["decision"]["receivingFramework"], "EQF");
    // Without a registry a member id means nothing.
    let out = run(&["recognise", "--json", "--for", "receiver", &s.credential]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no --registry FILE given"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_signed_registry_document_is_verified_against_its_publisher() {
    let s = setup("my-diploma-furniture-production.json");
    let out = run(&["registry", "sign", "--key", LEARNER_KEY, &s.registry]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let signed = write(&s.path, "signed.json", &stdout_json(&out));
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &signed,
        "--registry-publisher",
        LEARNER_DID,
        &s.credential,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["decision"]["outcome"], "recognised");

    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &signed,
        &s.credential,
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--registry-publisher"),
        "{}",
        stderr(&out)
    );

    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &signed,
        "--registry-publisher",
        ISSUER_DID,
        &s.credential,
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("not by the expected publisher"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn presentations_are_checked_against_the_challenge() {
    let s = setup("szpu-3d-animation-production.json");
    let out = run(&[
        "present",
        "--key",
        LEARNER_KEY,
        "--challenge",
        "c-9",
        &s.credential,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let vp = write(&s.path, "vp.json", &stdout_json(&out));
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &s.registry,
        "--challenge",
        "c-9",
        &vp,
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let answer = stdout_json(&out);
    assert_eq!(answer["decision"]["outcome"], "recognised-with-conditions");
    assert!(findings(&answer).contains(&"authentic".to_owned()));
    assert!(findings(&answer).contains(&"level-span".to_owned()));

    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &s.registry,
        &vp,
    ]);
    assert_eq!(code(&out), 1);
    let answer = stdout_json(&out);
    assert_eq!(answer["decision"]["outcome"], "not-recognised");
    assert!(findings(&answer).contains(&"presentation-invalid".to_owned()));
}

#[test]
fn what_cannot_be_checked_exits_2() {
    let s = setup("my-diploma-furniture-production.json");
    // Unknown framework (and no registry to look a member up in).
    let out = run(&["recognise", "--json", "--for", "XX-NQF", &s.credential]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("neither a framework"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());

    // Not JSON.
    let junk = s.path.join("junk.json");
    std::fs::write(&junk, "{ not json").unwrap();
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        &junk.to_string_lossy(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not valid JSON"),
        "{}",
        stderr(&out)
    );

    // A status entry but no status list to read it from.
    let mut vc: Value =
        serde_json::from_str(&std::fs::read_to_string(&s.credential).unwrap()).unwrap();
    vc["credentialStatus"] = json!({
        "id": "https://skillpass.test/status/x/revocation/0#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": "https://skillpass.test/status/x/revocation/0",
    });
    let with_status = write(&s.path, "status.json", &vc);
    let out = run(&["recognise", "--json", "--for", "MQF", &with_status]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("status"), "{}", stderr(&out));

    // A registry file that is not one.
    let bad = write(
        &s.path,
        "bad-registry.json",
        &json!({"members": [{"id": "x"}]}),
    );
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--registry",
        &bad,
        &s.credential,
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("not a registry file"),
        "{}",
        stderr(&out)
    );

    // A presentation with two credentials.
    let out = run(&[
        "present",
        "--key",
        LEARNER_KEY,
        "--challenge",
        "c",
        &s.credential,
        &s.credential,
    ]);
    let vp = write(&s.path, "vp2.json", &stdout_json(&out));
    let out = run(&[
        "recognise",
        "--json",
        "--for",
        "MQF",
        "--challenge",
        "c",
        &vp,
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("exactly one credential"),
        "{}",
        stderr(&out)
    );
}

// ------------------------------------------------------------------------------------------
// The readable decision (no --json)
// ------------------------------------------------------------------------------------------

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn on_a_terminal_the_decision_is_short_text_with_its_reasons() {
    let s = setup("my-diploma-furniture-production.json");
    let args = [
        "recognise",
        "--for",
        "EQF",
        "--registry",
        &s.registry,
        &s.credential,
    ];
    let out = run(&args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "not JSON: {text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "RECOGNISED WITH CONDITIONS in EQF");
    assert!(
        text.contains("  achievement \"Furniture Production Technology\""),
        "{text}"
    );
    assert!(text.contains("  level       MQF 4 → EQF 5"), "{text}");
    assert!(
        text.contains("  credits     3 MQF credit(s) → 4 ECTS credit(s) (range 4–4.8)"),
        "{text}"
    );
    // Every reason of the JSON decision, with its effect and element, in order.
    let mut json_args = args.to_vec();
    json_args.insert(1, "--json");
    let answer = stdout_json(&run(&json_args));
    let reasons = answer["decision"]["reasons"].as_array().unwrap();
    let listed: Vec<&str> = lines
        .iter()
        .copied()
        .skip_while(|l| *l != "Reasons")
        .skip(1)
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .collect();
    assert_eq!(listed.len(), reasons.len(), "{text}");
    for (line, reason) in listed.iter().zip(reasons) {
        let effect = reason["effect"]
            .as_str()
            .unwrap()
            .replace("not-met", "NOT MET");
        let element = reason["element"].as_str().unwrap().replace('-', " ");
        assert!(
            line.trim_start()
                .starts_with(&format!("{effect:<10} {element}")),
            "{line:?} for {reason}"
        );
    }
    // No line is longer than 100 characters unless one word is.
    for line in &lines {
        assert!(
            line.chars().count() <= 100 || !line.trim().contains(' '),
            "{line:?}"
        );
    }
    // A tenth of the JSON answer, or less.
    let json_size = run(&json_args).stdout.len();
    assert!(text.len() * 5 < json_size, "{} vs {json_size}", text.len());
}

/// The Malaysian MQF 4 diploma module for a Thai university (TQF): the text says it cannot be
/// decided automatically and names the missing link, and never "not recognised".
#[test]
fn a_missing_link_reads_cannot_be_decided_automatically() {
    let s = setup("my-diploma-furniture-production.json");
    let out = run(&[
        "recognise",
        "--for",
        "TH-TQF",
        "--registry",
        &s.registry,
        &s.credential,
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("CANNOT BE DECIDED AUTOMATICALLY in TH-TQF\n"),
        "{text}"
    );
    assert!(text.contains("  undecided  level"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("missing link: AQRF level 4 has no referenced counterpart in TH-TQF"),
        "{text}"
    );
    assert!(!flat.to_lowercase().contains("not recognised"), "{text}");
    // Without a registry, the text says trust was not checked.
    let out = run(&["recognise", "--for", "TH-TQF", &s.credential]);
    assert!(
        stdout(&out).contains("  trust       not checked"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("no --registry given"),
        "{}",
        stderr(&out)
    );
}
