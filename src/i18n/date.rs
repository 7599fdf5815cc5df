//! Dates and times in the reader's language. The patterns and month names are messages
//! (`date-long`, `date-time`, `month-1` … `month-12` in `locales/<tag>/common.ftl`), so a
//! translator sets the order of day, month and year.
//!
//! Thai readers get the Buddhist-era year (the Gregorian year + 543), the year of Thai
//! official documents, with the Gregorian year beside it, the year the credential itself
//! states (see docs/LANGUAGES.md). Every other language here counts years the Gregorian way.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::{Arg, Lang};

/// The Buddhist-era year of a Gregorian year, as Thailand counts it since 1941 (the year
/// begins on 1 January).
pub fn buddhist_era_year(gregorian: i32) -> i32 {
    gregorian + 543
}

/// A day in the reader's language, e.g. `7 December 2026`, `2026年12月7日`,
/// `7 ธันวาคม พ.ศ. 2569 (ค.ศ. 2026)`.
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    let month = lang.t(&format!("month-{}", date.month()));
    lang.t_args(
        "date-long",
        &[
            ("day", Arg::from(date.day().to_string())),
            ("month", Arg::from(month)),
            ("year", Arg::from(date.year().to_string())),
            (
                "year_be",
                Arg::from(buddhist_era_year(date.year()).to_string()),
            ),
        ],
    )
}

/// An instant, to the minute, in UTC: e.g. `7 December 2026, 08:05 UTC`.
pub fn date_time(lang: Lang, at: DateTime<Utc>) -> String {
    lang.t_args(
        "date-time",
        &[
            ("date", Arg::from(long_date(lang, at.date_naive()))),
            ("time", Arg::from(clock(at))),
        ],
    )
}

/// An instant to the second, in UTC: e.g. `7 December 2026, 08:05:09 UTC`.
pub fn date_time_seconds(lang: Lang, at: DateTime<Utc>) -> String {
    lang.t_args(
        "date-time",
        &[
            ("date", Arg::from(long_date(lang, at.date_naive()))),
            (
                "time",
                Arg::from(format!("{}:{:02}", clock(at), at.second())),
            ),
        ],
    )
}

/// `08:05`: a 24-hour clock, the same in every language here.
pub fn clock(at: DateTime<Utc>) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn every_language_writes_its_own_date() {
        assert_eq!(long_date(Lang::En, day()), "7 December 2026");
        assert_eq!(long_date(Lang::ZhHans, day()), "2026年12月7日");
        assert_eq!(long_date(Lang::Th, day()), "7 ธันวาคม พ.ศ. 2569 (ค.ศ. 2026)");
        assert_eq!(long_date(Lang::Lo, day()), "7 ທັນວາ 2026");
        assert_eq!(long_date(Lang::Ms, day()), "7 Disember 2026");
        assert_eq!(long_date(Lang::Km, day()), "7 ធ្នូ 2026");
    }

    #[test]
    fn times_are_utc() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T08:05:09Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date_time(Lang::En, at), "7 December 2026, 08:05 UTC");
        assert_eq!(
            date_time_seconds(Lang::En, at),
            "7 December 2026, 08:05:09 UTC"
        );
        assert_eq!(date_time(Lang::ZhHans, at), "2026年12月7日 08:05（UTC）");
        assert_eq!(
            date_time(Lang::Th, at),
            "7 ธันวาคม พ.ศ. 2569 (ค.ศ. 2026) เวลา 08:05 น. (UTC)"
        );
    }

    #[test]
    fn buddhist_era() {
        assert_eq!(buddhist_era_year(2026), 2569);
        assert_eq!(buddhist_era_year(1941), 2484);
    }
}
