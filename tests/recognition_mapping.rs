//! Level mapping: hand-checked cases, spans, missing links, status propagation, and properties
//! asserted for every level of every ordered pair of shipped frameworks.

use std::path::Path;

use skillpass::frameworks::{FrameworkRegistry, Status};
use skillpass::recognition::{
    map_level, Direction, LevelMapping, MappingOutcome, MissingKind, QueryError, MAX_STEPS,
};

fn registry() -> &'static FrameworkRegistry {
    FrameworkRegistry::bundled()
}

fn map(from: &str, level: &str, to: &str) -> LevelMapping {
    map_level(registry(), from, level, to).unwrap()
}

use MappingOutcome::{Mapped, Span};
use Status::{Example, Official, Provisional};

/// (issuer framework, level, receiving framework, outcome, receiving levels, status, path)
#[allow(clippy::type_complexity)]
const CASES: &[(&str, &str, &str, MappingOutcome, &[&str], Status, &[&str])] = &[
    // Official national table, both directions.
    (
        "MY-SKM",
        "4",
        "MQF",
        Mapped,
        &["4"],
        Official,
        &["MY-SKM", "MQF"],
    ),
    (
        "MQF",
        "5",
        "MY-SKM",
        Mapped,
        &["5"],
        Official,
        &["MQF", "MY-SKM"],
    ),
    // Official first link, provisional second: the chain is provisional.
    (
        "MY-SKM",
        "3",
        "AQRF",
        Mapped,
        &["3"],
        Provisional,
        &["MY-SKM", "MQF", "AQRF"],
    ),
    // Malaysia → Laos through the AQRF; Laos's referencing is example data.
    (
        "MQF",
        "4",
        "LA-NVQF",
        Mapped,
        &["4"],
        Example,
        &["MQF", "AQRF", "LA-NVQF"],
    ),
    (
        "LA-NVQF",
        "5",
        "MY-SKM",
        Mapped,
        &["5"],
        Example,
        &["LA-NVQF", "AQRF", "MQF", "MY-SKM"],
    ),
    // China's higher vocational associate spans MQF diploma and advanced diploma.
    (
        "CN-VOC",
        "associate",
        "MQF",
        Span,
        &["4", "5"],
        Example,
        &["CN-VOC", "SZ-Agreement", "AQRF", "MQF"],
    ),
    // SZPU records state ISCED 2011 level 5.
    (
        "ISCED-2011",
        "5",
        "MQF",
        Span,
        &["4", "5"],
        Example,
        &["ISCED-2011", "SZ-Agreement", "AQRF", "MQF"],
    ),
    // A direct provisional link beats a longer example chain.
    (
        "CN-VOC",
        "bachelor",
        "ISCED-2011",
        Mapped,
        &["6"],
        Provisional,
        &["CN-VOC", "ISCED-2011"],
    ),
    (
        "ISCED-2011",
        "3",
        "CN-VOC",
        Mapped,
        &["secondary"],
        Provisional,
        &["ISCED-2011", "CN-VOC"],
    ),
    // Thai graduate diploma spans; read backwards, AQRF 6 holds Thai bachelor and graduate diploma.
    (
        "TH-TQF",
        "3",
        "MQF",
        Span,
        &["6", "7"],
        Example,
        &["TH-TQF", "AQRF", "MQF"],
    ),
    (
        "MQF",
        "6",
        "TH-TQF",
        Span,
        &["2", "3"],
        Example,
        &["MQF", "AQRF", "TH-TQF"],
    ),
    // 1+X through the alliance framework.
    (
        "CN-1X",
        "intermediate",
        "CN-VOC",
        Mapped,
        &["associate"],
        Example,
        &["CN-1X", "SZ-Agreement", "CN-VOC"],
    ),
    // Africa: Ghana ↔ Zimbabwe through ACQF and SADCQF.
    (
        "GH-NTVETQF",
        "5",
        "ZNQF",
        Mapped,
        &["6"],
        Example,
        &["GH-NTVETQF", "ACQF", "SADCQF", "ZNQF"],
    ),
    (
        "ZNQF",
        "9",
        "EQF",
        Mapped,
        &["7"],
        Example,
        &["ZNQF", "SADCQF", "ACQF", "SZ-Agreement", "EQF"],
    ),
    // Europe ↔ ASEAN only through the (example) alliance framework.
    (
        "EQF",
        "5",
        "AQRF",
        Span,
        &["4", "5"],
        Example,
        &["EQF", "SZ-Agreement", "AQRF"],
    ),
    (
        "AQRF",
        "3",
        "EQF",
        Span,
        &["3", "4"],
        Example,
        &["AQRF", "SZ-Agreement", "EQF"],
    ),
    // Zimbabwe's solar record (ZNQF 4) for a Malaysian college.
    (
        "ZNQF",
        "4",
        "MQF",
        Mapped,
        &["3"],
        Example,
        &["ZNQF", "SADCQF", "ACQF", "SZ-Agreement", "AQRF", "MQF"],
    ),
];

#[test]
fn hand_checked_mappings() {
    for &(from, level, to, outcome, levels, status, path) in CASES {
        let m = map(from, level, to);
        let case = format!("{from} {level} → {to}: {:#?}", m.explanation);
        assert_eq!(m.outcome, outcome, "{case}");
        assert_eq!(m.codes(), levels, "{case}");
        assert_eq!(m.status, Some(status), "{case}");
        assert_eq!(m.path, path, "{case}");
        assert!(m.missing.is_none(), "{case}");
    }
}

#[test]
fn steps_carry_direction_source_and_file() {
    let m = map("MY-SKM", "5", "AQRF");
    assert_eq!(m.steps.len(), 2);
    let s = &m.steps[0];
    assert_eq!(s.direction, Direction::ReferencedTo);
    assert_eq!(s.status, Official);
    assert_eq!(s.defined_in, "schemas/frameworks/my-skm.json");
    let refs: Vec<&str> = s.sources.iter().map(|x| x.reference.as_str()).collect();
    assert_eq!(refs, ["S34", "S36"]);
    assert_eq!(s.to_levels[0].code, "5");
    assert_eq!(s.to_levels[0].name.as_deref(), Some("MQF level 5"));
    assert_eq!(m.steps[1].status, Provisional);

    let back = map("AQRF", "5", "MY-SKM");
    assert!(back
        .steps
        .iter()
        .all(|s| s.direction == Direction::ReferencedFrom));
    assert_eq!(back.codes(), ["5"]);
    assert!(back.steps[0].sentence.contains("read backwards"));
}

#[test]
fn spans_are_reported_not_picked() {
    let m = map("CN-VOC", "associate", "MQF");
    assert_eq!(m.outcome, Span);
    assert_eq!(m.levels.len(), 2);
    let text = m.explanation.join("\n");
    assert!(text.contains("spans MQF levels 4 and 5"), "{text}");
    assert!(text.contains("does not decide between them"), "{text}");
    // The step that widened the result is marked as a span.
    assert!(m.steps[1].sentence.contains("(a span)"));
}

#[test]
fn missing_link_when_a_level_has_no_counterpart() {
    let m = map("MQF", "8", "LA-NVQF");
    assert_eq!(m.outcome, MappingOutcome::NoPath);
    assert!(m.levels.is_empty() && m.status.is_none());
    let missing = m.missing.as_ref().unwrap();
    assert_eq!(missing.kind, MissingKind::NoCounterpart);
    assert_eq!(missing.framework, "AQRF");
    assert_eq!(missing.levels, ["8"]);
    assert_eq!(missing.towards.as_deref(), Some("LA-NVQF"));
    assert!(missing.message.contains("schemas/frameworks/la-nvqf.json"));
    // The chain as far as it got: MQF 8 → AQRF 8, then nothing.
    assert_eq!(m.steps.len(), 2);
    assert_eq!(m.steps[0].to_levels[0].code, "8");
    assert!(m.steps[1].to_levels.is_empty());
    assert!(m.explanation.last().unwrap().contains("AQRF level 8"));
}

#[test]
fn missing_link_reports_every_chain_that_stops() {
    let m = map("ISCED-2011", "0", "MQF");
    let missing = m.missing.as_ref().unwrap();
    assert_eq!(missing.kind, MissingKind::NoCounterpart);
    assert_eq!(missing.framework, "ISCED-2011");
    let text = m.explanation.join("\n");
    assert!(
        text.contains("in CN-VOC") && text.contains("in SZ-Agreement"),
        "{text}"
    );
}

#[test]
fn unknown_issuer_framework_or_level_is_a_missing_link() {
    let m = map("TJ-NQF", "5", "MQF");
    assert_eq!(m.outcome, MappingOutcome::NoPath);
    assert_eq!(m.missing.unwrap().kind, MissingKind::UnknownFramework);
    let m = map("MQF", "9", "AQRF");
    let missing = m.missing.unwrap();
    assert_eq!(missing.kind, MissingKind::UnknownLevel);
    assert!(missing.message.contains("1, 2, 3, 4, 5, 6, 7, 8"));
}

#[test]
fn unknown_receiving_framework_is_an_error() {
    assert_eq!(
        map_level(registry(), "MQF", "4", "TJ-NQF").unwrap_err(),
        QueryError::UnknownReceivingFramework("TJ-NQF".into())
    );
}

#[test]
fn same_framework_keeps_the_level_and_its_status() {
    let m = map("EQF", "4", "EQF");
    assert_eq!(m.outcome, MappingOutcome::SameFramework);
    assert_eq!(m.codes(), ["4"]);
    assert_eq!(m.status, Some(Official));
    assert_eq!(
        map("SZ-Agreement", "T3", "SZ-Agreement").status,
        Some(Example)
    );
}

#[test]
fn a_framework_nobody_references_is_not_connected() {
    let extra = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recognition/isolated/isolated.json");
    let r = FrameworkRegistry::load_with_extra_paths(&[extra]).unwrap();
    let m = map_level(&r, "ISOLATED-TEST", "1", "MQF").unwrap();
    let missing = m.missing.unwrap();
    assert_eq!(missing.kind, MissingKind::NotConnected);
    assert!(
        missing
            .message
            .contains("ISOLATED-TEST reaches no other framework"),
        "{}",
        missing.message
    );
    let m = map_level(&r, "MQF", "4", "ISOLATED-TEST").unwrap();
    assert_eq!(m.missing.unwrap().kind, MissingKind::NotConnected);
}

#[test]
fn example_level_structure_weakens_an_official_link() {
    // The alliance edit makes SZ-Agreement → AQRF official, but the tiers are still example data.
    let extra = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recognition/alliance-edit/sz-agreement.json");
    let r = FrameworkRegistry::load_with_extra_paths(&[extra]).unwrap();
    let m = map_level(&r, "SZ-Agreement", "T3", "AQRF").unwrap();
    assert_eq!(m.codes(), ["5"], "the edit changed T3 → AQRF 5");
    assert_eq!(m.steps[0].status, Example);
    assert_eq!(m.status, Some(Example));
    // And the edit changes downstream results: CN associate now lands on MQF 5 only.
    let m = map_level(&r, "CN-VOC", "associate", "MQF").unwrap();
    assert_eq!(m.outcome, Mapped);
    assert_eq!(m.codes(), ["5"]);
}

#[test]
fn results_serialize_as_the_recognitions_answer() {
    let m = map("MY-SKM", "4", "AQRF");
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["outcome"], "mapped");
    assert_eq!(json["status"], "provisional");
    assert_eq!(json["receivingFramework"], "AQRF");
    assert_eq!(json["steps"][0]["fromFramework"], "MY-SKM");
    assert_eq!(json["steps"][0]["direction"], "referenced-to");
    assert_eq!(json["steps"][0]["sources"][0]["ref"], "S34");
    assert!(json["steps"][0]["sentence"].is_string());
    let back: LevelMapping = serde_json::from_value(json).unwrap();
    assert_eq!(back, m);
    let none = serde_json::to_value(map("MQF", "8", "LA-NVQF")).unwrap();
    assert_eq!(none["outcome"], "no-path");
    assert_eq!(none["missing"]["kind"], "no-counterpart");
    assert!(none.get("status").is_none());
}

/// Every level of every ordered pair of shipped frameworks.
#[test]
fn every_pair_of_shipped_frameworks() {
    let r = registry();
    let ids: Vec<&str> = r.ids().collect();
    let (mut mapped, mut spans, mut missing, mut pairs_with_path) = (0, 0, 0, 0);
    for from in &ids {
        for to in &ids {
            let mut pair_has_path = false;
            for level in &r.framework(from).unwrap().levels {
                let m = map_level(r, from, &level.code, to).unwrap();
                check_invariants(r, from, &level.code, to, &m);
                match m.outcome {
                    MappingOutcome::NoPath => missing += 1,
                    Span => {
                        spans += 1;
                        pair_has_path = true
                    }
                    _ => {
                        mapped += 1;
                        pair_has_path = true
                    }
                }
            }
            if pair_has_path {
                pairs_with_path += 1;
            }
        }
    }
    // All 14 shipped frameworks are connected, so every ordered pair has a path for some level.
    assert_eq!(pairs_with_path, ids.len() * ids.len());
    assert!(mapped > 0 && spans > 0 && missing > 0);
    let total: usize = ids
        .iter()
        .map(|id| r.framework(id).unwrap().levels.len() * ids.len())
        .sum();
    assert_eq!(mapped + spans + missing, total);
}

fn check_invariants(r: &FrameworkRegistry, from: &str, level: &str, to: &str, m: &LevelMapping) {
    let case = format!("{from} {level} → {to}");
    assert_eq!(m.from.framework, from, "{case}");
    assert_eq!(m.from.code, level, "{case}");
    assert!(!m.explanation.is_empty(), "{case}");
    let serialized = serde_json::to_string(m).unwrap();
    assert_eq!(
        &serde_json::from_str::<LevelMapping>(&serialized).unwrap(),
        m
    );
    match m.outcome {
        MappingOutcome::SameFramework => {
            assert_eq!(from, to);
            assert_eq!(m.codes(), [level]);
            assert!(m.steps.is_empty());
        }
        MappingOutcome::NoPath => {
            assert!(m.levels.is_empty() && m.status.is_none(), "{case}");
            let missing = m.missing.as_ref().expect("no-path says what is missing");
            assert!(r.framework(&missing.framework).is_some(), "{case}");
            assert_eq!(missing.kind, MissingKind::NoCounterpart, "{case}");
            let last = m.steps.last().expect("the chain that broke");
            assert!(last.to_levels.is_empty(), "{case}");
            assert_eq!(Some(last.to_framework.as_str()), missing.towards.as_deref());
        }
        Mapped | Span => {
            assert_ne!(from, to);
            assert!(m.missing.is_none());
            assert_eq!(m.outcome == Span, m.levels.len() > 1, "{case}");
            // Receiving levels exist, are unique and in level order.
            let target = r.framework(to).unwrap();
            let ranks: Vec<usize> = m
                .levels
                .iter()
                .map(|l| target.level_rank(&l.code).expect("a real level"))
                .collect();
            assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{case}");
            // The chain is continuous from the issuer's level to the receiving levels.
            assert!(!m.steps.is_empty() && m.steps.len() <= MAX_STEPS, "{case}");
            assert_eq!(m.path.len(), m.steps.len() + 1);
            assert_eq!(m.steps[0].from_framework, from);
            let first: Vec<&str> = m.steps[0]
                .from_levels
                .iter()
                .map(|l| l.code.as_str())
                .collect();
            assert_eq!(first, [level]);
            for w in m.steps.windows(2) {
                assert_eq!(w[0].to_framework, w[1].from_framework, "{case}");
                assert_eq!(w[0].to_levels, w[1].from_levels, "{case}");
            }
            let last = m.steps.last().unwrap();
            assert_eq!(last.to_framework, to);
            assert_eq!(last.to_levels, m.levels);
            for (i, s) in m.steps.iter().enumerate() {
                assert_eq!(m.path[i], s.from_framework);
                assert_eq!(m.path[i + 1], s.to_framework);
                // A step is never stronger than the level structures it joins.
                let fs = r.framework(&s.from_framework).unwrap().status;
                let ts = r.framework(&s.to_framework).unwrap().status;
                assert!(s.status <= fs && s.status <= ts, "{case}");
                if s.status != Example {
                    assert!(!s.sources.is_empty(), "{case}: sourced step without source");
                }
            }
            let mut seen = m.path.clone();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), m.path.len(), "{case}: a framework repeats");
            // Overall status is the weakest link.
            let weakest = m.steps.iter().map(|s| s.status).min();
            assert_eq!(m.status, weakest, "{case}");
            // Anything passing through the example alliance framework is example.
            if m.path.iter().any(|p| p == "SZ-Agreement") {
                assert_eq!(m.status, Some(Example), "{case}");
            }
            // Alternatives are never better than the chosen chain.
            for a in &m.alternatives {
                assert!(a.status <= m.status.unwrap(), "{case}");
                if a.status == m.status.unwrap() {
                    assert!(a.path.len() >= m.path.len(), "{case}");
                }
            }
            // A direct link, when chosen, gives exactly the published targets.
            if m.steps.len() == 1 && m.steps[0].direction == Direction::ReferencedTo {
                let link = r.framework(from).unwrap().referencing_to(to).unwrap();
                let targets: Vec<&str> = link
                    .mapping(level)
                    .unwrap()
                    .targets
                    .iter()
                    .map(String::as_str)
                    .collect();
                assert_eq!(m.codes(), targets, "{case}");
            }
        }
    }
}
