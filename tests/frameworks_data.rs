//! The bundled framework files: each valid against the schema, consistent with the ids and level
//! ranges learning-outcome records use, and honest about what is not public.

use std::collections::BTreeSet;

use serde_json::Value;
use skillpass::frameworks::{
    parse_file, FrameworkFile, FrameworkRegistry, HoursBasis, HoursPerCredit, Kind, ProblemKind,
    Status, BUNDLED_FILES, FRAMEWORK_SCHEMA,
};

fn bundled(file: &str) -> &'static str {
    BUNDLED_FILES
        .iter()
        .find(|(name, _)| name.ends_with(&format!("/{file}")))
        .map(|(_, text)| *text)
        .unwrap()
}

fn registry() -> &'static FrameworkRegistry {
    FrameworkRegistry::bundled()
}

#[test]
fn every_bundled_file_is_valid_against_the_schema() {
    assert_eq!(BUNDLED_FILES.len(), 16);
    for (name, text) in BUNDLED_FILES {
        let f = parse_file(&FrameworkFile::new(*name, *text))
            .unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(f.file(), *name);
    }
    // And the files on disk are the ones compiled in (nothing left out of BUNDLED_FILES).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/frameworks");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let bundled: BTreeSet<String> = BUNDLED_FILES
        .iter()
        .map(|(n, _)| n.trim_start_matches("schemas/frameworks/").to_owned())
        .collect();
    assert_eq!(on_disk, bundled);
}

#[test]
fn the_schema_is_json_schema_2020_12() {
    let schema: Value = serde_json::from_str(FRAMEWORK_SCHEMA).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn the_bundled_set_loads_and_cross_checks() {
    let r = FrameworkRegistry::load_bundled().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = r.ids().collect();
    assert_eq!(
        ids,
        [
            "ACQF",
            "AQRF",
            "CN-1X",
            "CN-VOC",
            "EQF",
            "GH-NTVETQF",
            "ISCED-2011",
            "KH-CQF",
            "LA-NVQF",
            "MQF",
            "MY-SKM",
            "SADCQF",
            "SZ-Agreement",
            "TH-TQF",
            "TH-VOC",
            "ZNQF"
        ]
    );
    assert!(r.replaced().is_empty());
}

/// The record schema range-checks levels of some frameworks; our ids and codes must agree.
#[test]
fn ids_and_levels_match_the_record_schema() {
    let schema: Value = serde_json::from_str(skillpass::record::RECORD_SCHEMA).unwrap();
    let rules = schema
        .pointer("/properties/achievement/properties/level/allOf")
        .and_then(Value::as_array)
        .unwrap();
    assert!(rules.len() >= 11);
    for rule in rules {
        let id = rule
            .pointer("/if/properties/framework/const")
            .and_then(Value::as_str)
            .unwrap();
        let codes: Vec<&str> = rule
            .pointer("/then/properties/code/enum")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let f = registry()
            .framework(id)
            .unwrap_or_else(|| panic!("record schema framework {id} is not shipped"));
        let ours: Vec<&str> = f.levels.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(ours, codes, "levels of {id}");
        assert!(
            skillpass::credential::framework_name(id).is_some(),
            "{id} has a display name in credential.rs"
        );
    }
}

#[test]
fn credit_systems_of_the_example_records_are_known() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/records");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let record: Value = serde_json::from_str(&text).unwrap();
        let system = record["achievement"]["credits"]["system"].as_str().unwrap();
        assert!(registry().credit_system(system).is_some(), "{system}");
        let level = &record["achievement"]["level"];
        let (f, c) = (
            level["framework"].as_str().unwrap(),
            level["code"].as_str().unwrap(),
        );
        assert!(registry().level(f, c).is_some(), "{f} {c}");
        seen += 1;
    }
    assert!(seen >= 4);
}

#[test]
fn sourced_facts_match_the_reference() {
    let r = registry();
    let ects = r.credit_system("ECTS").unwrap();
    assert_eq!(
        ects.hours_per_credit,
        Some(HoursPerCredit::Range {
            min: 25.0,
            max: 30.0
        })
    );
    assert_eq!(ects.status, Status::Official);
    assert_eq!(r.credit_system_framework("ECTS").unwrap().id, "EQF");
    let znqf = r.credit_system("ZNQF").unwrap();
    assert_eq!(
        znqf.hours_per_credit,
        Some(HoursPerCredit::Value { value: 10.0 })
    );
    assert_eq!(znqf.status, Status::Official);
    // ECVET has no hours per point.
    assert_eq!(r.credit_system("ECVET").unwrap().hours_per_credit, None);
    // MQF 40 h is secondary only.
    assert_eq!(r.credit_system("MQF").unwrap().status, Status::Provisional);
    // China: class hours, secondary source, never official.
    let cn = r.credit_system("CN-credit").unwrap();
    assert_eq!(cn.status, Status::Provisional);
    assert_eq!(cn.hours_basis, HoursBasis::Contact);
    assert_eq!(
        cn.hours_per_credit,
        Some(HoursPerCredit::Range {
            min: 16.0,
            max: 18.0
        })
    );
    // Level counts [S3][S12][S21][S23][S24][S34][S36][S37][S41][S45][S47].
    for (id, n) in [
        ("AQRF", 8),
        ("EQF", 8),
        ("ACQF", 10),
        ("SADCQF", 10),
        ("ISCED-2011", 9),
        ("MQF", 8),
        ("MY-SKM", 5),
        ("TH-TQF", 6),
        ("LA-NVQF", 5),
        ("GH-NTVETQF", 8),
        ("ZNQF", 10),
        ("CN-VOC", 3),
        ("CN-1X", 3),
        ("TH-VOC", 3),
    ] {
        assert_eq!(r.framework(id).unwrap().levels.len(), n, "{id}");
    }
    assert_eq!(r.level("ZNQF", "9").unwrap().name, "Masters");
    assert_eq!(
        r.level("ZNQF", "1").unwrap().name,
        "Primary Level Certificate"
    );
    assert!(r.level("MY-SKM", "4").unwrap().name.contains("DKM"));
    // The one official level referencing in the sources: SKM → MQF.
    assert_eq!(
        r.framework("MY-SKM")
            .unwrap()
            .referencing_to("MQF")
            .unwrap()
            .status,
        Status::Official
    );
}

#[test]
fn what_is_not_public_is_labelled_example_or_provisional() {
    let r = registry();
    let sz = r.framework("SZ-Agreement").unwrap();
    assert_eq!(sz.kind, Kind::Alliance);
    assert_eq!(sz.status, Status::Example);
    assert!(sz.referencing.iter().all(|x| x.status == Status::Example));
    assert!(sz.credit_systems.is_empty(), "no credit rule is public");
    assert!(sz.not_public.len() >= 3);
    for id in ["CN-VOC", "CN-1X"] {
        assert_ne!(r.framework(id).unwrap().status, Status::Official, "{id}");
    }
    // No referencing decision that is not public may claim to be official.
    for (from, to) in [
        ("LA-NVQF", "AQRF"),
        ("TH-TQF", "AQRF"),
        ("GH-NTVETQF", "ACQF"),
        ("ZNQF", "SADCQF"),
        ("SADCQF", "ACQF"),
        ("CN-VOC", "SZ-Agreement"),
        ("CN-1X", "SZ-Agreement"),
        ("KH-CQF", "AQRF"),
        ("TH-VOC", "AQRF"),
    ] {
        let link = r.framework(from).unwrap().referencing_to(to).unwrap();
        assert_eq!(link.status, Status::Example, "{from} → {to}");
    }
    // Endorsed report, but its level table not retrieved: provisional, not official.
    assert_eq!(
        r.framework("MQF")
            .unwrap()
            .referencing_to("AQRF")
            .unwrap()
            .status,
        Status::Provisional
    );
    // Every framework says what was not found, or has nothing missing on record.
    for f in r.frameworks() {
        if f.status != Status::Official {
            assert!(!f.not_public.is_empty(), "{} lists no missing facts", f.id);
        }
    }
}

#[test]
fn everything_official_or_provisional_cites_a_source_with_a_url() {
    for f in registry().frameworks() {
        let check = |what: &str, status: Status, sources: &[skillpass::frameworks::Source]| {
            if status != Status::Example {
                assert!(!sources.is_empty(), "{}: {what} has no source", f.id);
            }
            for s in sources {
                assert!(
                    s.reference.starts_with('S') || s.reference.starts_with('X'),
                    "{}: {what}: {}",
                    f.id,
                    s.reference
                );
                let url = s.url.as_deref().unwrap_or_default();
                assert!(url.starts_with("http"), "{}: {what} {s:?}", f.id);
            }
        };
        check("framework", f.status, &f.sources);
        for cs in &f.credit_systems {
            check(&cs.id, cs.status, &cs.sources);
        }
        for r in &f.referencing {
            check(&r.target, r.status, &r.sources);
            if r.status == Status::Example {
                assert!(
                    r.note.is_some(),
                    "{} → {}: example data must say so",
                    f.id,
                    r.target
                );
            }
        }
    }
}

#[test]
fn schema_violations_are_reported_with_file_and_pointer() {
    let mut doc: Value = serde_json::from_str(bundled("mqf.json")).unwrap();
    doc["referencing"][0]["status"] = "endorsed".into();
    doc["creditSystems"][0]["hoursPerCredit"] = serde_json::json!({"value": -1});
    doc["levels"][0]
        .as_object_mut()
        .unwrap()
        .remove("typicalQualifications");
    doc["kind"] = "national".into();
    doc.as_object_mut().unwrap().remove("country");
    let problems = parse_file(&FrameworkFile::new("edited/mqf.json", doc.to_string())).unwrap_err();
    let at: Vec<(&str, ProblemKind)> = problems.iter().map(|p| (p.path.as_str(), p.kind)).collect();
    for path in [
        "/referencing/0/status",
        "/creditSystems/0/hoursPerCredit/value",
        "/levels/0/typicalQualifications",
        "/country",
    ] {
        assert!(
            at.contains(&(path, ProblemKind::Schema)),
            "{path} missing from {problems:#?}"
        );
    }
    assert!(problems
        .iter()
        .all(|p| p.to_string().starts_with("edited/mqf.json: /")));
}

#[test]
fn official_data_without_a_source_breaks_the_schema() {
    let mut doc: Value = serde_json::from_str(bundled("my-skm.json")).unwrap();
    doc["referencing"][0]["sources"] = serde_json::json!([]);
    let problems = parse_file(&FrameworkFile::new("my-skm.json", doc.to_string())).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.path == "/referencing/0/sources" && p.kind == ProblemKind::Schema),
        "{problems:#?}"
    );
    // As example data it may go unsourced.
    doc["referencing"][0]["status"] = "example".into();
    parse_file(&FrameworkFile::new("my-skm.json", doc.to_string())).unwrap();
}
