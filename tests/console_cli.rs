//! `skillpass staff add` and `staff list` on a sled folder: a one-time password that signs in,
//! a password from standard input, refusals in plain words.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::json;
use skillpass::console::accounts;
use skillpass::service::{NewInstitution, Service, SystemClock};
use skillpass::store::{SledStore, Store};

fn skillpass(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(args)
        .env_remove("SKILLPASS_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn staff_add_prints_a_one_time_password_or_takes_one_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
        let service = Service::new(store.clone(), "https://node.test", Arc::new(SystemClock));
        let new: NewInstitution = serde_json::from_value(json!({
            "id": "szpu", "name": "Shenzhen Polytechnic University", "country": "CN",
            "framework": "CN-VOC",
        }))
        .unwrap();
        service.register_institution(new, "test").unwrap();
        store.flush().unwrap();
    }
    let location = format!("sled:{}", data.display());
    let out = skillpass(
        &[
            "staff",
            "add",
            "--store",
            &location,
            "--institution",
            "szpu",
            "--email",
            "Reg@SZPU.test",
            "--role",
            "registrar",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let password = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(password.len(), 16);

    let out = skillpass(
        &[
            "staff",
            "add",
            "--store",
            &location,
            "--email",
            "op@node.test",
            "--role",
            "operator",
            "--password-stdin",
        ],
        Some("operator password 2026\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "a given password is not printed");

    // Refused: unknown role, unknown institution, the same e-mail again, a short password.
    for (args, stdin, says) in [
        (
            vec![
                "--email",
                "x@szpu.test",
                "--role",
                "admin",
                "--institution",
                "szpu",
            ],
            None,
            "not one of",
        ),
        (
            vec![
                "--email",
                "x@szpu.test",
                "--role",
                "viewer",
                "--institution",
                "nowhere",
            ],
            None,
            "no institution nowhere",
        ),
        (
            vec![
                "--email",
                "reg@szpu.test",
                "--role",
                "viewer",
                "--institution",
                "szpu",
            ],
            None,
            "already exists",
        ),
        (
            vec![
                "--email",
                "y@szpu.test",
                "--role",
                "viewer",
                "--institution",
                "szpu",
                "--password-stdin",
            ],
            Some("short\n"),
            "12 to 256 characters",
        ),
    ] {
        let mut all = vec!["staff", "add", "--store", &location];
        all.extend(args);
        let out = skillpass(&all, stdin);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }

    let out = skillpass(&["staff", "list", "--store", &location], None);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "op@node.test\t-\toperator\nreg@szpu.test\tszpu\tregistrar\n"
    );

    let store = SledStore::open(&data).unwrap();
    assert!(accounts::sign_in(&store, "reg@szpu.test", &password)
        .unwrap()
        .is_some());
    assert!(
        accounts::sign_in(&store, "op@node.test", "operator password 2026")
            .unwrap()
            .is_some()
    );
    assert!(accounts::sign_in(&store, "op@node.test", &password)
        .unwrap()
        .is_none());
}
