//! The `skillpass` binary end to end: keygen → issue → verify → present, `did`, `canon`, and
//! the documented exit codes and one-line errors for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn skillpass(args: &[&str]) -> Output {
    run(args, None)
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    let out = child.wait_with_output().unwrap();
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

const ISSUER: &str = "keys-example/issuer.example.json";
const LEARNER: &str = "keys-example/learner.example.json";
const RECORD: &str = "examples/records/szpu-3d-animation-production.json";

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

#[test]
fn keygen_issue_verify_present_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("college.key.json");
    let key_arg = key.to_str().unwrap();

    let out = skillpass(&["keygen", "--out", key_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("did:key:z6Mk"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Never overwrite a key.
    let out = skillpass(&["keygen", "--out", key_arg]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("refusing to overwrite"),
        "{}",
        stderr(&out)
    );

    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let out = skillpass(&["issue", "--key", key_arg, "--suite", suite, RECORD]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let vc = stdout_json(&out);
        assert_eq!(vc["proof"][0]["cryptosuite"], suite);
        let vc_file = write(dir.path(), "vc.json", &vc);

        let out = skillpass(&["verify", vc_file.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
        let report = stdout_json(&out);
        assert_eq!(report["verified"], true);
        let names: Vec<&str> = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["check"].as_str().unwrap())
            .collect();
        for check in [
            "dataModel",
            "proof",
            "proofPurpose",
            "issuerBinding",
            "validityWindow",
            "schema",
        ] {
            assert!(names.contains(&check), "missing check {check}: {names:?}");
        }

        // Altered: exit 1, with the reason.
        let mut altered = vc.clone();
        altered["credentialSubject"]["creditsEarned"] = 60.into();
        let out = run(&["verify", "-"], Some(&altered.to_string()));
        assert_eq!(code(&out), 1);
        assert_eq!(stdout_json(&out)["verified"], false);
    }

    // The learner presents a credential about them to an employer.
    let learner_did = stdout_json(&skillpass(&["did", "--key", LEARNER]))["did"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(RECORD)).unwrap()).unwrap();
    record["learner"] = serde_json::json!({ "id": learner_did });
    let record_file = write(dir.path(), "record.json", &record);
    let out = skillpass(&["issue", "--key", ISSUER, record_file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let vc_file = write(dir.path(), "mine.json", &stdout_json(&out));
    let out = skillpass(&[
        "present",
        "--key",
        LEARNER,
        "--challenge",
        "ch-77",
        "--domain",
        "hr.example",
        vc_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let vp_file = write(dir.path(), "vp.json", &stdout_json(&out));
    let vp = vp_file.to_str().unwrap();
    let ok = skillpass(&[
        "verify",
        "--challenge",
        "ch-77",
        "--domain",
        "hr.example",
        vp,
    ]);
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stdout));
    let replay = skillpass(&[
        "verify",
        "--challenge",
        "other",
        "--domain",
        "hr.example",
        vp,
    ]);
    assert_eq!(code(&replay), 1);
    let no_challenge = skillpass(&["verify", vp]);
    assert_eq!(code(&no_challenge), 1);
}

#[test]
fn did_prints_the_did_document() {
    let out = skillpass(&["did", "--key", ISSUER]);
    assert_eq!(code(&out), 0);
    let doc = stdout_json(&out);
    let did = doc["did"].as_str().unwrap();
    assert!(did.starts_with("did:key:z6Mk"));
    assert_eq!(doc["didDocument"]["id"], did);
    assert_eq!(
        doc["didDocument"]["assertionMethod"][0],
        doc["verificationMethod"]
    );
    // Nothing secret in the output.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("secretKeyMultibase"));
}

#[test]
fn canon_prints_the_same_nquads_as_jsonld_js() {
    let out = skillpass(&["canon", "tests/fixtures/canon/learning-outcome.json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let want =
        std::fs::read_to_string(root().join("tests/fixtures/canon/learning-outcome.peer.nq"))
            .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}

#[test]
fn canon_takes_extra_contexts_from_files() {
    // The spec vector's examples context under a URL nothing bundles (the W3C examples context
    // itself is bundled now, as test vocabulary).
    const UNKNOWN: &str = "https://contexts.example/not-bundled/v1";
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("tests/vectors/unsigned.json"))
        .unwrap()
        .replace("https://www.w3.org/ns/credentials/examples/v2", UNKNOWN);
    let vector = dir.path().join("unsigned.json");
    std::fs::write(&vector, text).unwrap();
    let vector = vector.to_str().unwrap();
    let out = skillpass(&["canon", vector]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(UNKNOWN), "{}", stderr(&out));
    let mapping = format!("{UNKNOWN}=tests/vectors/contexts/credentials-examples-v2.json");
    let out = skillpass(&["canon", "--context", &mapping, vector]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let want =
        std::fs::read_to_string(root().join("tests/vectors/eddsa-rdfc-2022/canonDocDataInt.txt"))
            .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}

#[test]
fn malformed_json_is_one_line_with_its_position() {
    let out = run(
        &["issue", "--key", ISSUER, "-"],
        Some("{\n  \"learner\": ,\n}"),
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.starts_with("error: stdin is not valid JSON"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let out = run(&["verify", "-"], Some("not json"));
    assert_eq!(code(&out), 2);
}

#[test]
fn a_record_with_several_problems_gets_every_error_with_its_path() {
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(RECORD)).unwrap()).unwrap();
    record["achievement"]["fieldOfStudy"] = "9998".into();
    record["achievement"]["credits"]["value"] = (-3).into();
    record.as_object_mut().unwrap().remove("awardedDate");
    let out = run(&["issue", "--key", ISSUER, "-"], Some(&record.to_string()));
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    for path in [
        "/achievement/fieldOfStudy",
        "/achievement/credits/value",
        "awardedDate",
    ] {
        assert!(err.contains(path), "{path} not named in: {err}");
    }
}

#[test]
fn an_unknown_context_cannot_be_checked_and_names_the_url() {
    let mut vc: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/vectors/eddsa-rdfc-2022/signedDataInt.json"))
            .unwrap(),
    )
    .unwrap();
    vc["@context"][1] = "https://contexts.example/unknown/v1".into();
    let out = run(&["verify", "-"], Some(&vc.to_string()));
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("https://contexts.example/unknown/v1"),
        "{}",
        stderr(&out)
    );
}

#[test]
#[cfg(unix)]
fn a_secret_key_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.json");
    let out = skillpass(&["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = skillpass(&["issue", "--key", key.to_str().unwrap(), RECORD]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
}

#[test]
fn a_key_of_another_type_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A P-256 public Multikey where an Ed25519 key is expected.
    let key = write(
        dir.path(),
        "p256.json",
        &serde_json::json!({
            "type": "Multikey",
            "publicKeyMultibase": "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
        }),
    );
    let out = skillpass(&["did", "--key", key.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unsupported key type"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&skillpass(&["issue"])), 2);
    assert_eq!(code(&skillpass(&["frobnicate"])), 2);
    let out = skillpass(&["issue", "--key", ISSUER, "--suite", "rsa-2048", RECORD]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("eddsa-rdfc-2022"), "{}", stderr(&out));
    let out = skillpass(&["keygen", "--seed", "abc"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("64 hex digits"));
}

#[test]
fn demo_issues_and_verifies_a_sample_record() {
    let out = skillpass(&["demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("the credential is verified"));
}
