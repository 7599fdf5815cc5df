//! Country names in the reader's language, for every page that shows a country to a person
//! (the employer page's issuer, the claim page, the certificate, the console).
//!
//! The alliance's countries (CN, LA, TH, MY, KH, GH, ZW: every country the frameworks data
//! names) and the rest of ASEAN have a message `country-XX` in every language
//! (`locales/<tag>/countries.ftl`). Other codes institutions may be in have an English name
//! here, shown in every language; any other ISO 3166-1 alpha-2 code is shown as the code.

use super::{messages, Lang};

/// English names of the countries skillpass institutions are in (China, South-East Asia,
/// Africa) and a few others.
const NAMES: &[(&str, &str)] = &[
    // East and South-East Asia
    ("BN", "Brunei"),
    ("CN", "China"),
    ("HK", "Hong Kong, China"),
    ("ID", "Indonesia"),
    ("JP", "Japan"),
    ("KH", "Cambodia"),
    ("KR", "Republic of Korea"),
    ("LA", "Laos"),
    ("MM", "Myanmar"),
    ("MN", "Mongolia"),
    ("MO", "Macao, China"),
    ("MY", "Malaysia"),
    ("PH", "Philippines"),
    ("SG", "Singapore"),
    ("TH", "Thailand"),
    ("TL", "Timor-Leste"),
    ("TW", "Taiwan, China"),
    ("VN", "Viet Nam"),
    // South Asia and beyond
    ("BD", "Bangladesh"),
    ("IN", "India"),
    ("LK", "Sri Lanka"),
    ("NP", "Nepal"),
    ("PK", "Pakistan"),
    ("AU", "Australia"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    // Africa
    ("AO", "Angola"),
    ("BF", "Burkina Faso"),
    ("BI", "Burundi"),
    ("BJ", "Benin"),
    ("BW", "Botswana"),
    ("CD", "DR Congo"),
    ("CF", "Central African Republic"),
    ("CG", "Congo"),
    ("CI", "Côte d'Ivoire"),
    ("CM", "Cameroon"),
    ("CV", "Cabo Verde"),
    ("DJ", "Djibouti"),
    ("DZ", "Algeria"),
    ("EG", "Egypt"),
    ("ER", "Eritrea"),
    ("ET", "Ethiopia"),
    ("GA", "Gabon"),
    ("GH", "Ghana"),
    ("GM", "Gambia"),
    ("GN", "Guinea"),
    ("GQ", "Equatorial Guinea"),
    ("GW", "Guinea-Bissau"),
    ("KE", "Kenya"),
    ("KM", "Comoros"),
    ("LR", "Liberia"),
    ("LS", "Lesotho"),
    ("LY", "Libya"),
    ("MA", "Morocco"),
    ("MG", "Madagascar"),
    ("ML", "Mali"),
    ("MR", "Mauritania"),
    ("MU", "Mauritius"),
    ("MW", "Malawi"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NE", "Niger"),
    ("NG", "Nigeria"),
    ("RW", "Rwanda"),
    ("SC", "Seychelles"),
    ("SD", "Sudan"),
    ("SL", "Sierra Leone"),
    ("SN", "Senegal"),
    ("SO", "Somalia"),
    ("SS", "South Sudan"),
    ("ST", "São Tomé and Príncipe"),
    ("SZ", "Eswatini"),
    ("TD", "Chad"),
    ("TG", "Togo"),
    ("TN", "Tunisia"),
    ("TZ", "Tanzania"),
    ("UG", "Uganda"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// The country's name in `lang`: its message, else its English name, else the code itself.
pub fn name(lang: Lang, code: &str) -> String {
    let code = code.trim();
    let id = format!("country-{}", code.to_ascii_uppercase());
    if code.len() == 2
        && code.bytes().all(|b| b.is_ascii_alphabetic())
        && messages::has(Lang::En, &id)
    {
        return messages::text(lang, &id, &[]);
    }
    match NAMES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)) {
        Some((_, name)) => (*name).to_owned(),
        None => code.to_owned(),
    }
}

/// `"Malaysia (MY)"` (in `lang`) for a known code, the code alone otherwise.
pub fn display(lang: Lang, code: &str) -> String {
    let shown = name(lang, code);
    if shown == code.trim() {
        shown
    } else {
        format!("{shown} ({})", code.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (code, name) in NAMES {
            assert!(code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(!name.is_empty());
            assert!(seen.insert(code), "duplicate {code}");
        }
    }

    #[test]
    fn names_follow_the_language_and_fall_back() {
        assert_eq!(display(Lang::En, "ZW"), "Zimbabwe (ZW)");
        assert_eq!(display(Lang::Th, "MY"), "มาเลเซีย (MY)");
        assert_eq!(name(Lang::ZhHans, "KH"), "柬埔寨");
        assert_eq!(name(Lang::Km, "KH"), "កម្ពុជា");
        assert_eq!(name(Lang::Lo, "LA"), "ລາວ");
        assert_eq!(name(Lang::Ms, "KH"), "Kemboja");
        // Every alliance country has its own name in every language.
        for code in ["CN", "LA", "TH", "MY", "KH", "GH", "ZW"] {
            for lang in Lang::ALL {
                let id = format!("country-{code}");
                assert!(messages::has(lang, &id), "{lang} lacks {id}");
            }
        }
        // A code without a message: its English name; an unknown code: the code.
        assert_eq!(display(Lang::Th, "KE"), "Kenya (KE)");
        assert_eq!(display(Lang::Km, "XK"), "XK");
        assert_eq!(name(Lang::Th, "<b>"), "<b>");
    }
}
