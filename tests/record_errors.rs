//! Bad records are refused with every problem at once, each at its JSON Pointer, and malformed
//! JSON with its line and column.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use skillpass::record::{parse_record, parse_record_str, RecordError};
use skillpass::schema::Violation;

fn good() -> Value {
    json!({
        "recordId": "SZPU-2025S-NEV3104-0117",
        "learner": {"name": "Souksavanh Phommachanh", "identifier": {"value": "2024LA0117", "scheme": "student-number"}},
        "achievement": {
            "name": "NEV After-Sales Service",
            "description": "High-voltage safety and battery system diagnosis.",
            "criteria": {"narrative": "Pass the HV safety practical and the diagnostic case."},
            "learningOutcomes": [
                {"code": "NEV-1", "statement": "Isolate and lock out the HV system before work."},
                {"code": "NEV-2", "statement": "Measure insulation resistance of HV components."}
            ],
            "fieldOfStudy": "0716",
            "level": {"framework": "ISCED-2011", "code": "5"},
            "credits": {"value": 3, "system": "CN-credit"},
            "learningHours": 54,
            "humanCode": "NEV3104"
        },
        "awardedDate": "2025-07-11T16:30:00+08:00",
        "result": {"value": "B+", "resultType": "LetterGrade"},
        "issuer": {"name": "Shenzhen Polytechnic University", "url": "https://www.szpu.edu.cn/", "country": "CN"}
    })
}

fn violations(value: &Value) -> Vec<Violation> {
    match parse_record(value) {
        Err(RecordError::Invalid(v)) => v,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn paths(v: &[Violation]) -> BTreeSet<&str> {
    v.iter().map(|v| v.path.as_str()).collect()
}

#[test]
fn the_good_record_parses() {
    let record = parse_record(&good()).unwrap();
    assert_eq!(record.record_id.as_deref(), Some("SZPU-2025S-NEV3104-0117"));
    let text = serde_json::to_string_pretty(&good()).unwrap();
    assert_eq!(parse_record_str(&text).unwrap(), record);
}

#[test]
fn every_problem_is_reported_at_once_with_its_path() {
    let mut v = good();
    // A DID with a student number but no name is none of the learner forms.
    v["learner"]["id"] = json!("did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2");
    v["learner"].as_object_mut().unwrap().remove("name");
    let a = &mut v["achievement"];
    a.as_object_mut().unwrap().remove("criteria");
    a["learningOutcomes"] = json!([]);
    a["fieldOfStudy"] = json!("0217");
    a["level"] = json!({"framework": "MQF", "code": "9"});
    a["credits"]["value"] = json!(-1.5);
    a["learningHours"] = json!("54");
    a["achievementType"] = json!("Diplomma");
    // A date alone is accepted (issue 15); 11/07/2025 is not a date we read.
    v["awardedDate"] = json!("11/07/2025");
    v["result"]["value"] = json!("  ");
    v["issuer"]["url"] = json!("www.szpu.edu.cn");
    v["issuer"]["country"] = json!("China");
    v["issuer"]["id"] = json!("https://www.szpu.edu.cn/");
    v["grade"] = json!("B+");

    let found = violations(&v);
    assert_eq!(
        paths(&found),
        BTreeSet::from([
            "/achievement/achievementType",
            "/achievement/credits/value",
            "/achievement/criteria",
            "/achievement/fieldOfStudy",
            "/achievement/learningHours",
            "/achievement/learningOutcomes",
            "/achievement/level/code",
            "/awardedDate",
            "/grade",
            "/issuer/country",
            "/issuer/id",
            "/issuer/url",
            "/learner",
            "/result/value",
        ]),
        "{found:#?}"
    );
    // Sorted by path, so a registrar reads them top to bottom.
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted);
    let by_path = |p: &str| {
        found
            .iter()
            .filter(|v| v.path == p)
            .map(|v| v.message.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by_path("/achievement/criteria"),
        ["is required but missing"]
    );
    assert_eq!(by_path("/grade"), ["is not an allowed property here"]);
    assert_eq!(
        by_path("/achievement/achievementType"),
        ["must be exactly one of: an OB 3.0 AchievementType (Course, Certificate, Diploma, Competency, ...) or an extension type \"ext:Name\""]
    );

    // Display: a header, then one "path: message" line per violation.
    let text = RecordError::Invalid(found.clone()).to_string();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "invalid learning-outcome record ({} problems):",
            found.len()
        )
    );
    let rest: Vec<&str> = lines.collect();
    assert_eq!(rest.len(), found.len());
    assert!(rest.contains(&"  /achievement/criteria: is required but missing"));
}

#[test]
fn malformed_json_reports_line_and_column() {
    let text = "{\n  \"learner\": {\"id\": \"did:key:z6Mk\"},\n  \"awardedDate\": \"2025-07-11T16:30:00Z\",\n}\n";
    match parse_record_str(text) {
        Err(RecordError::Json {
            line,
            column,
            message,
        }) => {
            assert_eq!((line, column), (4, 1));
            assert_eq!(message, "trailing comma");
        }
        other => panic!("expected Json error, got {other:?}"),
    }
    let err = parse_record_str("{\"learner\": [1, 2}").unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Json {
                line: 1,
                column: 18,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "malformed JSON at line 1, column 18: expected `,` or `]`"
    );
    assert!(err.violations().is_empty());
    let err = parse_record_str("").unwrap_err();
    assert!(
        matches!(
            err,
            RecordError::Json {
                line: 1,
                column: 0,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn unknown_isced_code() {
    for code in ["0217", "0717", "11", "110", "1016"] {
        let mut v = good();
        v["achievement"]["fieldOfStudy"] = json!(code);
        let found = violations(&v);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "/achievement/fieldOfStudy");
        assert_eq!(
            found[0].message,
            format!("\"{code}\" is not in the list of 220 allowed codes")
        );
    }
    // Not even shaped like a code: the pattern and the list both object, at the same path.
    let mut v = good();
    v["achievement"]["fieldOfStudy"] = json!("Automotive");
    let found = violations(&v);
    assert_eq!(paths(&found), BTreeSet::from(["/achievement/fieldOfStudy"]));
    assert_eq!(found.len(), 2);
    // Broad (2-digit), narrow (3) and detailed (4) codes are all accepted.
    for code in ["07", "071", "0716", "9999"] {
        let mut v = good();
        v["achievement"]["fieldOfStudy"] = json!(code);
        parse_record(&v).unwrap();
    }
}

#[test]
fn missing_learner() {
    let mut v = good();
    v.as_object_mut().unwrap().remove("learner");
    assert_eq!(
        violations(&v),
        [Violation::new("/learner", "is required but missing")]
    );
}

#[test]
fn one_of_the_learner_forms() {
    let message = "must be exactly one of: {\"id\": DID} or {\"name\", \"identifier\"} or {\"id\": DID, \"name\", \"identifier\"?}";
    // The DID with the name and identifier is the third form (issue 11: a DID that names the person).
    let mut v = good();
    v["learner"]["id"] = json!("did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2");
    assert!(parse_record(&v).is_ok());

    for learner in [
        json!({}),
        json!({"name": "Tendai Moyo"}),
        json!({"identifier": {"value": "ZVP/2024/0457"}}),
        json!({"id": "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2", "identifier": {"value": "ZVP/2024/0457"}}),
    ] {
        v["learner"] = learner;
        assert_eq!(violations(&v), [Violation::new("/learner", message)]);
    }
}

#[test]
fn a_learner_of_the_right_shape_gets_the_precise_error() {
    let mut v = good();
    v["learner"] = json!({"id": "did:Key:not-a-did"});
    let found = violations(&v);
    assert_eq!(paths(&found), BTreeSet::from(["/learner/id"]), "{found:?}");

    v["learner"] =
        json!({"name": "Tendai Moyo", "identifier": {"value": "", "scheme": "has space"}});
    let found = violations(&v);
    assert_eq!(
        paths(&found),
        BTreeSet::from(["/learner/identifier/scheme", "/learner/identifier/value"]),
        "{found:?}"
    );
}

#[test]
fn negative_credits() {
    let mut v = good();
    v["achievement"]["credits"]["value"] = json!(-3);
    let found = violations(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/achievement/credits/value");
    assert!(
        found[0].message.contains("minimum of 0"),
        "{}",
        found[0].message
    );
    // Zero credits is a legitimate (non-credit-bearing) course; zero hours is not.
    v["achievement"]["credits"]["value"] = json!(0);
    parse_record(&v).unwrap();
    v["achievement"]["learningHours"] = json!(0);
    assert_eq!(
        paths(&violations(&v)),
        BTreeSet::from(["/achievement/learningHours"])
    );
}

#[test]
fn validity_and_issuer_rules() {
    let mut v = good();
    v["validUntil"] = json!("2025-07-11T08:30:00Z"); // the same instant as awardedDate
    v["issuer"]["email"] = json!("registrar at szpu");
    v["issuer"]["country"] = json!("cn");
    let found = violations(&v);
    assert_eq!(
        paths(&found),
        BTreeSet::from(["/issuer/country", "/issuer/email", "/validUntil"]),
        "{found:?}"
    );
    assert!(found
        .iter()
        .any(|f| f.path == "/validUntil" && f.message == "must be later than awardedDate"));
}

#[test]
fn non_object_record() {
    let found = violations(&json!(["not", "a", "record"]));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "");
    assert!(found[0].to_string().starts_with("(root): "));
}

/// Issue 15: a typo in a framework or level code is refused at issue time, with the valid
/// codes in words; the wrong case gets a hint.
#[test]
fn unknown_framework_or_level_is_refused_with_the_valid_codes() {
    let mut v = good();
    v["achievement"]["level"] = json!({"framework": "CN-VOC", "code": "Associate"});
    let found = violations(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/achievement/level/code");
    assert_eq!(
        found[0].message,
        "level `Associate` is not a level of framework CN-VOC (codes are case-sensitive: did you mean associate?); its levels are: secondary, associate, bachelor"
    );

    v["achievement"]["level"] = json!({"framework": "CN-VOCX", "code": "associate"});
    let found = violations(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/achievement/level/framework");
    assert!(
        found[0].message.starts_with(
            "framework `CN-VOCX` is not a framework skillpass knows; the frameworks are: "
        ),
        "{}",
        found[0].message
    );
    for known in ["CN-VOC", "EQF", "MQF", "TH-VOC", "ZNQF"] {
        assert!(found[0].message.contains(known), "{}", found[0].message);
    }
    v["achievement"]["level"] = json!({"framework": "mqf", "code": "4"});
    let found = violations(&v);
    assert!(
        found[0].message.contains("did you mean MQF?"),
        "{}",
        found[0].message
    );

    v["achievement"]["level"] = json!({"framework": "CN-VOC", "code": "associate"});
    parse_record(&v).unwrap();
}

/// Issue 15: `2025-07-11` is the start of that day in UTC; a non-date is refused in words.
#[test]
fn a_date_alone_is_the_start_of_that_day_in_utc() {
    let mut v = good();
    v["awardedDate"] = json!("2025-07-11");
    v["validUntil"] = json!("2030-07-11");
    let record = parse_record(&v).unwrap();
    assert_eq!(
        record.awarded_date.to_rfc3339(),
        "2025-07-11T00:00:00+00:00"
    );
    assert_eq!(
        record.valid_until.unwrap().to_rfc3339(),
        "2030-07-11T00:00:00+00:00"
    );
    // The same day as validUntil is not later than the award.
    v["validUntil"] = json!("2025-07-11");
    assert_eq!(paths(&violations(&v)), BTreeSet::from(["/validUntil"]));

    for bad in ["2025-02-30", "2025-7-11", "11/07/2025", "2025-07-11T16:30"] {
        let mut v = good();
        v["awardedDate"] = json!(bad);
        let found = violations(&v);
        assert_eq!(paths(&found), BTreeSet::from(["/awardedDate"]), "{bad}");
        for f in &found {
            assert!(
                f.message
                    .contains("is not a date (2025-07-11) or a date and time"),
                "{bad}: {}",
                f.message
            );
        }
    }
}

/// Issue 15: no message quotes a regular expression.
#[test]
fn messages_are_in_plain_words() {
    let mut v = good();
    v["recordId"] = json!("has space");
    v["issuer"]["country"] = json!("China");
    v["issuer"]["url"] = json!("www.szpu.edu.cn");
    v["achievement"]["humanCode"] = json!(" NEV3104");
    v["achievement"]["name"] = json!("   ");
    v["achievement"]["learningHours"] = json!("54");
    v["learner"]["identifier"]["scheme"] = json!("student number");
    let found = violations(&v);
    assert!(found.len() >= 6, "{found:#?}");
    for f in &found {
        for regex_sign in ["^", "$", "\\S", "[A-", "{0,", "\\x"] {
            assert!(
                !f.message.contains(regex_sign),
                "{}: {} quotes a pattern",
                f.path,
                f.message
            );
        }
    }
    let by_path = |p: &str| {
        found
            .iter()
            .find(|v| v.path == p)
            .unwrap_or_else(|| panic!("no violation at {p}: {found:#?}"))
            .message
            .clone()
    };
    assert_eq!(
        by_path("/issuer/country"),
        "\"China\" is not a two-letter ISO 3166 country code in capitals, such as CN, MY or TH"
    );
    assert_eq!(by_path("/achievement/learningHours"), "must be a number");
    assert_eq!(
        by_path("/achievement/name"),
        "must not be empty or only spaces"
    );
    assert!(by_path("/issuer/url").contains("such as https://www.example.edu/"));
    let text = RecordError::Invalid(found[..1].to_vec()).to_string();
    assert!(
        text.starts_with("invalid learning-outcome record (1 problem):"),
        "{text}"
    );
}
