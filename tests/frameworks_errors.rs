//! Cross-check errors: one broken fixture set per error kind under
//! `tests/fixtures/recognition/<kind>/`, each asserting the kind, the file and the JSON Pointer.

use std::path::{Path, PathBuf};

use skillpass::frameworks::{
    FrameworkFile, FrameworkRegistry, LoadError, Problem, ProblemKind, Status,
};

fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/recognition/{kind}"))
}

fn files(kind: &str) -> Vec<FrameworkFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = format!("{kind}/{}", p.file_name().unwrap().to_string_lossy());
            FrameworkFile::new(name, std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

fn load_err(kind: &str) -> LoadError {
    FrameworkRegistry::from_files(&files(kind)).expect_err(kind)
}

/// The only problems are of `kind`; returns them.
fn only(err: &LoadError, kind: ProblemKind) -> Vec<Problem> {
    assert!(
        err.problems.iter().all(|p| p.kind == kind),
        "expected only {kind:?}: {err}"
    );
    assert!(!err.problems.is_empty());
    err.problems.clone()
}

fn find<'a>(problems: &'a [Problem], file: &str, path: &str) -> &'a Problem {
    problems
        .iter()
        .find(|p| p.file == file && p.path == path)
        .unwrap_or_else(|| panic!("no problem at {file} {path}: {problems:#?}"))
}

#[test]
fn the_valid_fixture_loads() {
    let r = FrameworkRegistry::from_files(&files("valid")).unwrap();
    assert_eq!(r.ids().collect::<Vec<_>>(), ["NAT", "REF"]);
    assert_eq!(r.credit_system("NAT-credit").unwrap().step, 1.0);
    assert_eq!(r.level("REF", "3").unwrap().name, "REF level 3");
}

#[test]
fn malformed_json_names_file_and_position() {
    let p = only(&load_err("json"), ProblemKind::Json);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].file, "json/broken.json");
    assert!(p[0].message.contains("line 3"), "{}", p[0].message);
}

#[test]
fn schema_problems_are_all_reported() {
    let p = only(&load_err("schema"), ProblemKind::Schema);
    find(&p, "schema/bad.json", "/status");
    find(&p, "schema/bad.json", "/levels");
    find(&p, "schema/bad.json", "/referencing/0/sources");
}

#[test]
fn duplicate_framework_ids() {
    let p = only(
        &load_err("duplicate-framework"),
        ProblemKind::DuplicateFramework,
    );
    let x = find(&p, "duplicate-framework/nat.json", "/id");
    assert!(
        x.message.contains("duplicate-framework/nat-copy.json"),
        "{x}"
    );
}

#[test]
fn duplicate_level_codes() {
    let p = only(&load_err("duplicate-level"), ProblemKind::DuplicateLevel);
    let x = find(&p, "duplicate-level/nat.json", "/levels/3/code");
    assert!(x.message.contains("\"b\""), "{x}");
}

#[test]
fn duplicate_credit_systems_across_files() {
    let p = only(
        &load_err("duplicate-credit-system"),
        ProblemKind::DuplicateCreditSystem,
    );
    let x = find(
        &p,
        "duplicate-credit-system/nat2.json",
        "/creditSystems/0/id",
    );
    assert!(
        x.message.contains("NAT-credit") && x.message.contains("NAT "),
        "{x}"
    );
}

#[test]
fn duplicate_mappings_and_targets() {
    let p = only(
        &load_err("duplicate-mapping"),
        ProblemKind::DuplicateMapping,
    );
    find(
        &p,
        "duplicate-mapping/nat.json",
        "/referencing/0/levels/2/targets/1",
    );
    let x = find(
        &p,
        "duplicate-mapping/nat.json",
        "/referencing/0/levels/3/level",
    );
    assert!(x.message.contains("/referencing/0/levels/0"), "{x}");
}

#[test]
fn unknown_framework() {
    let p = only(
        &load_err("unknown-framework"),
        ProblemKind::UnknownFramework,
    );
    let x = find(&p, "unknown-framework/nat.json", "/referencing/0/target");
    assert!(x.message.contains("\"NOPE\""), "{x}");
    assert_eq!(
        x.to_string(),
        format!(
            "unknown-framework/nat.json: /referencing/0/target: {}",
            x.message
        )
    );
}

#[test]
fn unknown_levels_on_both_sides() {
    let err = load_err("unknown-level");
    // Target level 9 is not a level of REF; source level z is not a level of NAT.
    let unknown: Vec<Problem> = err
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::UnknownLevel)
        .cloned()
        .collect();
    let target = find(
        &unknown,
        "unknown-level/nat.json",
        "/referencing/0/levels/2/targets/0",
    );
    assert!(
        target.message.contains("\"9\" is not a level of REF"),
        "{target}"
    );
    let source = find(
        &unknown,
        "unknown-level/nat.json",
        "/referencing/0/levels/3/level",
    );
    assert!(
        source.message.contains("\"z\" is not a level of NAT"),
        "{source}"
    );
    assert!(err
        .problems
        .iter()
        .all(|p| p.kind == ProblemKind::UnknownLevel));
}

#[test]
fn cycles_and_self_references() {
    let p = only(&load_err("cycle"), ProblemKind::Cycle);
    assert_eq!(p.len(), 2, "{p:#?}");
    let two = p.iter().find(|x| x.message.contains("NAT")).unwrap();
    assert!(
        two.message.contains("NAT → REF → NAT") || two.message.contains("REF → NAT → REF"),
        "{two}"
    );
    let own = find(&p, "cycle/self.json", "/referencing/0/target");
    assert!(
        own.message.contains("SELF is referenced to itself"),
        "{own}"
    );
}

#[test]
fn gaps_unless_declared() {
    let p = only(&load_err("gap"), ProblemKind::Gap);
    let x = find(&p, "gap/nat.json", "/referencing/0/levels");
    assert_eq!(
        x.message,
        "NAT level c has no counterpart in REF and is not listed in unreferenced"
    );
    // The same data with level c declared unreferenced (with a reason) loads.
    let r = FrameworkRegistry::from_files(&files("gap-declared")).unwrap();
    let link = r.framework("NAT").unwrap().referencing_to("REF").unwrap();
    assert!(link
        .unreferenced_reason("c")
        .unwrap()
        .contains("by decision"));
}

#[test]
fn non_monotonic_referencing() {
    let p = only(&load_err("non-monotonic"), ProblemKind::NonMonotonic);
    let x = find(&p, "non-monotonic/nat.json", "/referencing/0/levels/1");
    assert!(
        x.message.contains("\"b\"") && x.message.contains("\"a\""),
        "{x}"
    );
}

#[test]
fn impossible_hour_ranges() {
    let p = only(&load_err("bad-range"), ProblemKind::BadRange);
    let x = find(&p, "bad-range/nat.json", "/creditSystems/0/hoursPerCredit");
    assert!(x.message.contains("min 30 above max 25"), "{x}");
}

#[test]
fn the_error_lists_every_problem_in_order() {
    let mut all = files("gap");
    all.extend(
        files("bad-range")
            .into_iter()
            .filter(|f| f.name.ends_with("nat.json"))
            .map(|mut f| {
                f.text = f
                    .text
                    .replace("\"NAT\"", "\"NAT3\"")
                    .replace("NAT-credit", "NAT3-credit");
                f
            }),
    );
    let err = FrameworkRegistry::from_files(&all).unwrap_err();
    assert!(err.has(ProblemKind::Gap) && err.has(ProblemKind::BadRange));
    let text = err.to_string();
    assert!(
        text.starts_with("invalid framework data (2 problems):"),
        "{text}"
    );
    let mut sorted = err.problems.clone();
    sorted.sort();
    assert_eq!(sorted, err.problems);
}

#[test]
fn extra_files_replace_bundled_frameworks() {
    let path = dir("alliance-edit").join("sz-agreement.json");
    let r = FrameworkRegistry::load_with_extra_paths(&[&path]).unwrap();
    assert_eq!(r.replaced(), ["SZ-Agreement"]);
    let sz = r.framework("SZ-Agreement").unwrap();
    assert!(sz.name.contains("test edit"));
    assert_eq!(sz.file(), path.display().to_string());
    assert_eq!(sz.referencing_to("AQRF").unwrap().status, Status::Official);
    // The bundled registry is untouched.
    assert!(!FrameworkRegistry::bundled()
        .framework("SZ-Agreement")
        .unwrap()
        .name
        .contains("test edit"));
}

#[test]
fn an_edit_that_breaks_other_files_is_refused_naming_them() {
    let path = dir("alliance-edit-breaks").join("sz-agreement.json");
    let err = FrameworkRegistry::load_with_extra_paths(&[&path]).unwrap_err();
    // CN-VOC and CN-1X map their highest level to tier T4, which the edit removed.
    let p = only(&err, ProblemKind::UnknownLevel);
    let cn = find(
        &p,
        "schemas/frameworks/cn-voc.json",
        "/referencing/1/levels/2/targets/0",
    );
    assert!(
        cn.message.contains("\"T4\" is not a level of SZ-Agreement"),
        "{cn}"
    );
    assert!(cn.message.contains(&path.display().to_string()), "{cn}");
    find(
        &p,
        "schemas/frameworks/cn-1x.json",
        "/referencing/0/levels/2/targets/0",
    );
}

#[test]
fn two_extra_files_with_one_id_are_a_duplicate() {
    let f = files("alliance-edit");
    let err = FrameworkRegistry::load_with_extra(&[f[0].clone(), f[0].clone()]).unwrap_err();
    only(&err, ProblemKind::DuplicateFramework);
}

#[test]
fn unreadable_extra_files_are_reported() {
    let err =
        FrameworkRegistry::load_with_extra_paths(&[dir("valid").join("missing.json")]).unwrap_err();
    let p = only(&err, ProblemKind::Io);
    assert!(p[0].file.ends_with("missing.json"));
}
