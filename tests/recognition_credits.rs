//! Credit transfer: hand-checked conversions, ranges, rounding, the learning-hours preference,
//! failure paths, properties over every pair of shipped credit systems, and whole assessments
//! read from issued credentials.

#[path = "common/rng.rs"]
mod rng;

use std::path::Path;

use chrono::{TimeZone, Utc};
use serde_json::Value;
use skillpass::credential::{build_credential, IssueParams};
use skillpass::frameworks::{FrameworkRegistry, HoursBasis, Status};
use skillpass::recognition::{
    assess, award_in_range, ceil_to_step, floor_to_step, transfer_credits, AwardRule, CreditClaim,
    CreditOutcome, CreditTransfer, HoursSource, MappingOutcome, QueryError, Range,
    RecognitionRequest,
};
use skillpass::record::parse_record_str;

fn registry() -> &'static FrameworkRegistry {
    FrameworkRegistry::bundled()
}

fn claim(credits: f64, system: &str, hours: Option<f64>) -> CreditClaim {
    CreditClaim {
        credits,
        system: system.into(),
        learning_hours: hours,
        credits_available: None,
    }
}

fn convert(c: &CreditClaim, to: &str, rule: AwardRule) -> CreditTransfer {
    transfer_credits(registry(), c, to, rule).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

use AwardRule::{Conservative, Midpoint};
use HoursSource::{CredentialLearningHours, IssuingCreditRule};

/// (credits, system, learning hours, receiving, rule, hours min–max, credits min–max, awarded,
/// status, hours source)
#[allow(clippy::type_complexity)]
const CASES: &[(
    f64,
    &str,
    Option<f64>,
    &str,
    AwardRule,
    (f64, f64),
    (f64, f64),
    f64,
    Status,
    HoursSource,
)] = &[
    // ECTS 25–30 h into MQF 40 h: 125–150 h → 3.125–3.75. No whole credit lies inside, so the
    // award goes to a tenth and stays inside: 3.2 (was 3, below the range).
    (
        5.0,
        "ECTS",
        None,
        "MQF",
        Conservative,
        (125.0, 150.0),
        (3.125, 3.75),
        3.2,
        Status::Provisional,
        IssuingCreditRule,
    ),
    (
        5.0,
        "ECTS",
        None,
        "MQF",
        Midpoint,
        (125.0, 150.0),
        (3.125, 3.75),
        3.4,
        Status::Provisional,
        IssuingCreditRule,
    ),
    // Both rules official: ECTS → ZNQF 10 h, 12.5–15 → 13 (the lowest whole credit inside) or
    // 13 (midpoint 13.75 rounded down).
    (
        5.0,
        "ECTS",
        None,
        "ZNQF",
        Conservative,
        (125.0, 150.0),
        (12.5, 15.0),
        13.0,
        Status::Official,
        IssuingCreditRule,
    ),
    (
        5.0,
        "ECTS",
        None,
        "ZNQF",
        Midpoint,
        (125.0, 150.0),
        (12.5, 15.0),
        13.0,
        Status::Official,
        IssuingCreditRule,
    ),
    // Exact values stay exact.
    (
        12.0,
        "ZNQF",
        None,
        "MQF",
        Conservative,
        (120.0, 120.0),
        (3.0, 3.0),
        3.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
    (
        3.0,
        "MQF",
        None,
        "ZNQF",
        Conservative,
        (120.0, 120.0),
        (12.0, 12.0),
        12.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
    // Into a range: 120 h → 4–4.8 ECTS → 4.
    (
        3.0,
        "MQF",
        None,
        "ECTS",
        Conservative,
        (120.0, 120.0),
        (4.0, 4.8),
        4.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
    // Range to range: 3 Thai credits, 135–153 h → 4.5–6.12 ECTS; both rules give 5, the
    // "3 Thai credits ≈ 5 ECTS" practice [S40] (the conservative rule said 4, below the range).
    (
        3.0,
        "TH-credit",
        None,
        "ECTS",
        Conservative,
        (135.0, 153.0),
        (4.5, 6.12),
        5.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
    (
        3.0,
        "TH-credit",
        None,
        "ECTS",
        Midpoint,
        (135.0, 153.0),
        (4.5, 6.12),
        5.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
    // China's 16–18 class hours (contact) into ZNQF notional hours: provisional with a caveat.
    (
        4.0,
        "CN-credit",
        None,
        "ZNQF",
        Conservative,
        (64.0, 72.0),
        (6.4, 7.2),
        7.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
    // The credential's own learning hours win, and then only the receiving rule's status counts.
    (
        4.0,
        "CN-credit",
        Some(64.0),
        "ZNQF",
        Conservative,
        (64.0, 64.0),
        (6.4, 6.4),
        6.4,
        Status::Official,
        CredentialLearningHours,
    ),
    (
        3.0,
        "MQF",
        Some(120.0),
        "ECTS",
        Conservative,
        (120.0, 120.0),
        (4.0, 4.8),
        4.0,
        Status::Official,
        CredentialLearningHours,
    ),
    // ECVET points have no hours, but learning hours make them convertible: 750 h → 25–30 ECTS.
    (
        30.0,
        "ECVET",
        Some(750.0),
        "ECTS",
        Conservative,
        (750.0, 750.0),
        (25.0, 30.0),
        25.0,
        Status::Official,
        CredentialLearningHours,
    ),
    // An unknown credit system converts through learning hours alone.
    (
        6.0,
        "KH-credit",
        Some(90.0),
        "ZNQF",
        Conservative,
        (90.0, 90.0),
        (9.0, 9.0),
        9.0,
        Status::Official,
        CredentialLearningHours,
    ),
    // Zero credits are zero.
    (
        0.0,
        "ECTS",
        None,
        "MQF",
        Conservative,
        (0.0, 0.0),
        (0.0, 0.0),
        0.0,
        Status::Provisional,
        IssuingCreditRule,
    ),
];

#[test]
fn hand_checked_conversions() {
    for &(credits, system, hours, to, rule, h, c, awarded, status, source) in CASES {
        let t = convert(&claim(credits, system, hours), to, rule);
        let case = format!(
            "{credits} {system} ({hours:?} h) → {to} {rule:?}: {:#?}",
            t.explanation
        );
        assert_eq!(t.outcome, CreditOutcome::Converted, "{case}");
        let hr = t.hours.unwrap();
        assert!(
            close(hr.min, h.0) && close(hr.max, h.1),
            "{case}: hours {hr:?}"
        );
        let cr = t.credits_range.unwrap();
        assert!(
            close(cr.min, c.0) && close(cr.max, c.1),
            "{case}: credits {cr:?}"
        );
        assert_eq!(t.awarded, Some(awarded), "{case}");
        assert_eq!(t.status, Some(status), "{case}");
        assert_eq!(t.hours_source, Some(source), "{case}");
        assert_eq!(t.rule, rule);
        assert!(t.reason.is_none());
    }
}

#[test]
fn contact_hours_into_notional_hours_carry_a_caveat() {
    let t = convert(&claim(4.0, "CN-credit", None), "ZNQF", Conservative);
    assert_eq!(
        t.issuing_rule.as_ref().unwrap().hours_basis,
        HoursBasis::Contact
    );
    assert_eq!(t.caveats.len(), 1);
    assert!(
        t.caveats[0].contains("class (contact) hours"),
        "{:?}",
        t.caveats
    );
    assert!(t.explanation.iter().any(|e| e.starts_with("Caveat:")));
    // With learning hours the CN rule is not used, so no caveat.
    assert!(
        convert(&claim(4.0, "CN-credit", Some(64.0)), "ZNQF", Conservative)
            .caveats
            .is_empty()
    );
}

#[test]
fn the_explanation_says_which_hours_were_used() {
    let t = convert(&claim(3.0, "MQF", Some(120.0)), "ECTS", Conservative);
    let text = t.explanation.join("\n");
    assert!(
        text.contains("credential's own learningHours, 120 h"),
        "{text}"
    );
    assert!(text.contains("120 h ÷ 25–30 h per ECTS credit"), "{text}");
    assert!(text.contains("= 4–4.8 ECTS"), "{text}");
    assert!(
        text.contains("Awarded 4 ECTS credit(s); rule conservative"),
        "{text}"
    );
    let t = convert(&claim(5.0, "ECTS", None), "MQF", Conservative);
    let text = t.explanation.join("\n");
    assert!(
        text.contains("5 ECTS credit(s) × 25–30 h per credit"),
        "{text}"
    );
    assert!(text.contains("[S15][S14]"), "{text}");
}

#[test]
fn learning_hours_are_scaled_when_only_part_was_earned() {
    let c = CreditClaim {
        credits: 2.0,
        system: "CN-credit".into(),
        learning_hours: Some(64.0),
        credits_available: Some(4.0),
    };
    let t = convert(&c, "ZNQF", Conservative);
    assert_eq!(
        t.hours_source,
        Some(HoursSource::CredentialLearningHoursScaled)
    );
    assert!(close(t.hours.unwrap().min, 32.0));
    // 3.2 ZNQF credits exactly: no whole credit in [3.2, 3.2], so 3.2 to a tenth.
    assert_eq!(t.awarded, Some(3.2));
    assert_eq!(t.rounded_to, Some(0.1));
}

#[test]
fn same_system_is_not_converted_or_rounded() {
    let t = convert(&claim(7.5, "ECTS", Some(200.0)), "ECTS", Conservative);
    assert_eq!(t.hours_source, Some(HoursSource::SameCreditSystem));
    assert_eq!(t.awarded, Some(7.5));
    assert!(t.hours.is_none());
}

#[test]
fn not_convertible_says_why() {
    // ECVET points without learning hours.
    let t = convert(&claim(30.0, "ECVET", None), "ECTS", Conservative);
    assert_eq!(t.outcome, CreditOutcome::NotConvertible);
    assert!(t.awarded.is_none() && t.status.is_none());
    assert!(t
        .reason
        .as_deref()
        .unwrap()
        .contains("ECVET defines no hours per credit"));
    // Into ECVET: the receiving side has no hours.
    let t = convert(&claim(5.0, "ECTS", None), "ECVET", Conservative);
    assert_eq!(t.outcome, CreditOutcome::NotConvertible);
    assert!(t
        .reason
        .as_deref()
        .unwrap()
        .contains("receiving system ECVET"));
    // An unknown system without learning hours.
    let t = convert(&claim(5.0, "KH-credit", None), "MQF", Conservative);
    assert_eq!(t.outcome, CreditOutcome::NotConvertible);
    assert!(t
        .reason
        .as_deref()
        .unwrap()
        .contains("\"KH-credit\" is not in the framework registry"));
    assert!(t.issuing_rule.is_none());
}

#[test]
fn bad_input_is_an_error() {
    let r = registry();
    assert_eq!(
        transfer_credits(r, &claim(3.0, "MQF", None), "GH-credit", Conservative).unwrap_err(),
        QueryError::UnknownReceivingCreditSystem("GH-credit".into())
    );
    for bad in [
        claim(-1.0, "MQF", None),
        claim(f64::NAN, "MQF", None),
        claim(3.0, "MQF", Some(0.0)),
        claim(3.0, "MQF", Some(f64::INFINITY)),
    ] {
        assert!(matches!(
            transfer_credits(r, &bad, "ZNQF", Conservative),
            Err(QueryError::InvalidNumber(_))
        ));
    }
}

#[test]
fn rounding_to_a_half_step() {
    let extra = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recognition/half-step/half.json");
    let r = FrameworkRegistry::load_with_extra_paths(&[extra]).unwrap();
    // 5 ECTS = 125–150 h ÷ 20 h = 6.25–7.5.
    let t = transfer_credits(&r, &claim(5.0, "ECTS", None), "HALF-credit", Conservative).unwrap();
    assert_eq!(
        t.awarded,
        Some(6.5),
        "the lowest half credit inside 6.25–7.5"
    );
    let t = transfer_credits(&r, &claim(5.0, "ECTS", None), "HALF-credit", Midpoint).unwrap();
    assert_eq!(t.awarded, Some(6.5), "midpoint 6.875 rounds down to 6.5");
    // The receiving rule is example data, so the result is example.
    assert_eq!(t.status, Some(Status::Example));
    let t = transfer_credits(&r, &claim(3.0, "ZNQF", None), "HALF-credit", Conservative).unwrap();
    assert_eq!(t.awarded, Some(1.5));
}

#[test]
fn floor_to_step_ignores_float_noise() {
    assert_eq!(floor_to_step(2.999_999_999_99, 1.0), 3.0);
    assert_eq!(floor_to_step(2.99, 1.0), 2.0);
    assert_eq!(floor_to_step(0.1 + 0.2, 0.1), 0.3);
    assert_eq!(floor_to_step(7.49, 0.5), 7.0);
    assert_eq!(floor_to_step(7.5, 0.5), 7.5);
    assert_eq!(floor_to_step(0.0, 1.0), 0.0);
}

#[test]
fn ceil_to_step_ignores_float_noise() {
    assert_eq!(ceil_to_step(3.000_000_000_01, 1.0), 3.0);
    assert_eq!(ceil_to_step(3.01, 1.0), 4.0);
    assert_eq!(ceil_to_step(0.1 + 0.2, 0.1), 0.3);
    assert_eq!(ceil_to_step(6.25, 0.5), 6.5);
    assert_eq!(ceil_to_step(0.0, 1.0), 0.0);
}

/// Regression: the conservative rule rounded the lower bound *down*, so almost every award
/// lay below the range it was taken from (3 Thai credits = 4.5–6.12 ECTS awarded 4; 120 h =
/// 2.35–2.67 Thai credits awarded 2). Over many generated ranges and steps, both rules: the
/// award lies inside the range, and on the step whenever a multiple of the step fits.
#[test]
fn the_award_never_leaves_the_range() {
    let mut rng = rng::Rng(0x5eed_c0ed_1234_5678);
    let steps = [1.0, 0.5, 0.25, 2.0, 0.1, 5.0];
    for round in 0..20_000 {
        // Bounds with awkward fractions, exact values, tiny and large ranges.
        let scale = *rng.pick(&[0.01, 1.0, 10.0, 1000.0, 1e6]);
        let a = rng.next() as f64 / u64::MAX as f64 * scale;
        let width = match rng.below(4) {
            0 => 0.0,
            1 => 1e-7 * scale,
            _ => rng.next() as f64 / u64::MAX as f64 * scale,
        };
        let clean = |x: f64| (x * 1e9).round() / 1e9;
        let range = Range {
            min: clean(a),
            max: clean(a + width),
        };
        let step = *rng.pick(&steps);
        for rule in [Conservative, Midpoint] {
            let (v, grain) = award_in_range(range, step, rule);
            let case = format!("round {round}: {range:?} step {step} {rule:?} → {v} ({grain:?})");
            assert!(range.min <= v && v <= range.max, "{case}");
            let fits = ceil_to_step(range.min, step) <= range.max;
            if fits {
                assert_eq!(grain, Some(step), "{case}");
                assert!(close((v / step).round() * step, v), "{case}");
                if rule == Conservative {
                    assert!(v - step < range.min, "not the lowest multiple: {case}");
                }
            } else {
                assert_ne!(grain, Some(step), "{case}");
            }
            if let Some(g) = grain {
                assert!(close((v / g).round() * g, v), "not on its grain: {case}");
            }
        }
    }
}

/// The same property end to end: every amount from 0 to 200 credits (in halves) and learning
/// hours from 1 to 300, between every convertible pair of shipped systems.
#[test]
fn transferred_awards_stay_inside_their_ranges() {
    let r = registry();
    let systems: Vec<_> = r
        .credit_systems()
        .filter(|s| s.hours_per_credit.is_some())
        .collect();
    let mut checked = 0;
    for from in &systems {
        for to in &systems {
            for rule in [Conservative, Midpoint] {
                let mut check = |c: CreditClaim| {
                    let t = convert(&c, &to.id, rule);
                    let (range, a) = (t.credits_range.unwrap(), t.awarded.unwrap());
                    assert!(
                        range.min <= a && a <= range.max,
                        "{c:?} → {} {rule:?}: {a} outside {range:?}",
                        to.id
                    );
                    checked += 1;
                };
                for half in 0..=400 {
                    check(claim(half as f64 / 2.0, &from.id, None));
                }
                for hours in 1..=300 {
                    check(claim(3.0, &from.id, Some(hours as f64)));
                }
            }
        }
    }
    assert!(checked > 20_000, "{checked}");
}

/// Every ordered pair of shipped credit systems, several amounts, both rules.
#[test]
fn every_pair_of_shipped_credit_systems() {
    let r = registry();
    let systems: Vec<_> = r.credit_systems().collect();
    assert_eq!(
        systems.len(),
        6,
        "ECTS, ECVET, MQF, TH-credit, ZNQF, CN-credit"
    );
    let mut converted = 0;
    for from in &systems {
        for to in &systems {
            for credits in [0.0, 1.0, 3.0, 7.5, 60.0] {
                for rule in [Conservative, Midpoint] {
                    let t = convert(&claim(credits, &from.id, None), &to.id, rule);
                    let case = format!("{credits} {} → {} {rule:?}", from.id, to.id);
                    let roundtrip: CreditTransfer =
                        serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
                    assert_eq!(roundtrip, t, "{case}");
                    if from.id == to.id {
                        assert_eq!(t.awarded, Some(credits), "{case}");
                        continue;
                    }
                    let convertible =
                        from.hours_per_credit.is_some() && to.hours_per_credit.is_some();
                    if !convertible {
                        assert_eq!(t.outcome, CreditOutcome::NotConvertible, "{case}");
                        assert!(t.reason.is_some(), "{case}");
                        continue;
                    }
                    converted += 1;
                    let (h, c, a) = (
                        t.hours.unwrap(),
                        t.credits_range.unwrap(),
                        t.awarded.unwrap(),
                    );
                    let (flo, fhi) = from.hours_per_credit.unwrap().bounds();
                    let (tlo, thi) = to.hours_per_credit.unwrap().bounds();
                    assert!(
                        close(h.min, credits * flo) && close(h.max, credits * fhi),
                        "{case}"
                    );
                    assert!(
                        close(c.min, h.min / thi) && close(c.max, h.max / tlo),
                        "{case}"
                    );
                    assert!(c.min <= c.max + 1e-12, "{case}");
                    // Awarded: always inside the range; on the step when a multiple of the step
                    // lies inside, and then the lowest one (conservative) or one within a step
                    // of the midpoint.
                    assert!(c.min <= a && a <= c.max, "{case}: {a} outside {c:?}");
                    let on_step = ((c.min / to.step - 1e-9).ceil() * to.step) <= c.max + 1e-9;
                    if on_step {
                        assert_eq!(t.rounded_to, Some(to.step), "{case}");
                        assert!(close((a / to.step).round() * to.step, a), "{case}");
                        let point = match rule {
                            Conservative => c.min,
                            Midpoint => (c.min + c.max) / 2.0,
                        };
                        assert!((a - point).abs() < to.step + 1e-9, "{case}: {a}");
                        if rule == Conservative {
                            assert!(a - to.step < c.min, "{case}: not the lowest, {a}");
                        }
                    } else {
                        assert_ne!(t.rounded_to, Some(to.step), "{case}");
                    }
                    // Status: weakest rule, capped at provisional when hour bases differ.
                    let mut status = from.status.min(to.status);
                    if from.hours_basis != to.hours_basis {
                        status = status.min(Status::Provisional);
                        assert!(!t.caveats.is_empty(), "{case}");
                    }
                    assert_eq!(t.status, Some(status), "{case}");
                }
            }
        }
    }
    assert!(converted > 0);
}

// ------------------------------------------------------------------ whole assessments

fn credential(record_file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(record_file);
    let record = parse_record_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let params =
        IssueParams {
            id: uuid::Uuid::nil(),
            issuer: record.issuer.id.clone().unwrap_or_else(|| {
                "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd".into()
            }),
            valid_from: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        };
    build_credential(&record, &params).unwrap()
}

#[test]
fn a_malaysian_diploma_module_for_a_zimbabwean_college() {
    let cred = credential("my-diploma-furniture-production.json");
    let request = RecognitionRequest::from_credential(&cred, "ZNQF").unwrap();
    let level = request.level.clone().unwrap();
    assert_eq!(
        (level.framework.as_str(), level.code.as_str()),
        ("MQF", "4")
    );
    let credits = request.credits.clone().unwrap();
    assert_eq!(
        (
            credits.credits,
            credits.system.as_str(),
            credits.learning_hours
        ),
        (3.0, "MQF", Some(120.0))
    );
    let a = assess(registry(), &request).unwrap();
    let l = a.level.as_ref().unwrap();
    assert_eq!(l.outcome, MappingOutcome::Span);
    assert_eq!(l.codes(), ["5", "6"]);
    let c = a.credits.as_ref().unwrap();
    assert_eq!(c.receiving_system.as_deref(), Some("ZNQF"));
    assert_eq!(c.hours_source, Some(HoursSource::CredentialLearningHours));
    assert_eq!(c.awarded, Some(12.0));
    assert_eq!(c.status, Some(Status::Official));
    // Overall: the example level chain is the weakest part.
    assert_eq!(a.status, Some(Status::Example));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["credits"]["hoursSource"], "credential-learning-hours");
    assert_eq!(json["level"]["outcome"], "span");
    assert_eq!(json["status"], "example");
    assert!(json["explanation"].as_array().unwrap().len() >= 5);
}

#[test]
fn an_szpu_module_for_a_malaysian_college() {
    let cred = credential("szpu-3d-animation-production.json");
    let a = assess(
        registry(),
        &RecognitionRequest::from_credential(&cred, "MQF").unwrap(),
    )
    .unwrap();
    assert_eq!(a.level.as_ref().unwrap().codes(), ["4", "5"]);
    let c = a.credits.as_ref().unwrap();
    // 64 learning hours ÷ 40 h = 1.6 MQF credits exactly: no whole credit is inside, so 1.6
    // (it was 1, outside the computed range).
    assert_eq!(c.awarded, Some(1.6));
    assert_eq!(c.credits_range.unwrap().min, 1.6);
    assert_eq!(c.status, Some(Status::Provisional));
}

#[test]
fn a_receiving_framework_without_credits() {
    let cred = credential("zw-solar-pv-installation.json");
    let mut request = RecognitionRequest::from_credential(&cred, "AQRF").unwrap();
    let a = assess(registry(), &request).unwrap();
    let c = a.credits.as_ref().unwrap();
    assert_eq!(c.outcome, CreditOutcome::NotConvertible);
    assert_eq!(c.receiving_system, None);
    assert!(c
        .reason
        .as_deref()
        .unwrap()
        .contains("AQRF defines no credit system"));
    // Naming a credit system makes it convertible: 120 h → 4–4.8 ECTS.
    request.receiving_credit_system = Some("ECTS".into());
    let a = assess(registry(), &request).unwrap();
    assert_eq!(a.credits.unwrap().awarded, Some(4.0));
    request.receiving_credit_system = Some("XX-credit".into());
    assert_eq!(
        assess(registry(), &request).unwrap_err(),
        QueryError::UnknownReceivingCreditSystem("XX-credit".into())
    );
    request.receiving_framework = "XX".into();
    assert!(matches!(
        assess(registry(), &request),
        Err(QueryError::UnknownReceivingFramework(_))
    ));
}

#[test]
fn credentials_without_level_or_credits() {
    let mut cred = credential("zw-solar-pv-installation.json");
    let subject = cred["credentialSubject"].as_object_mut().unwrap();
    subject.remove("creditsEarned");
    let achievement = subject["achievement"].as_object_mut().unwrap();
    // The level: an `ext:FrameworkLevel` alignment (or `frameworkLevel` in v1 credentials).
    achievement.remove("frameworkLevel");
    if let Some(alignment) = achievement
        .get_mut("alignment")
        .and_then(Value::as_array_mut)
    {
        alignment.retain(|a| a["targetType"] != "ext:FrameworkLevel");
    }
    // creditsEarned falls back to creditsAvailable.
    let request = RecognitionRequest::from_credential(&cred, "MQF").unwrap();
    assert!(request.level.is_none());
    assert_eq!(request.credits.as_ref().unwrap().credits, 12.0);
    let a = assess(registry(), &request).unwrap();
    assert!(a.level.is_none());
    assert_eq!(a.credits.unwrap().awarded, Some(3.0));
    cred["credentialSubject"]["achievement"]
        .as_object_mut()
        .unwrap()
        .remove("creditSystem");
    assert_eq!(
        RecognitionRequest::from_credential(&cred, "MQF").unwrap_err(),
        QueryError::MissingInCredential(
            "a framework level (ext:FrameworkLevel alignment) or credits with a creditSystem"
        )
    );
    assert_eq!(
        RecognitionRequest::from_credential(&serde_json::json!({}), "MQF").unwrap_err(),
        QueryError::MissingInCredential("credentialSubject")
    );
}
