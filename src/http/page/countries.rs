//! English names of the countries skillpass institutions are in (China, South-East Asia, Africa)
//! and a few others; any other ISO 3166-1 alpha-2 code is shown as the code itself.

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

/// `"Malaysia (MY)"` for a known code, the code alone otherwise.
pub fn display(code: &str) -> String {
    match NAMES.iter().find(|(c, _)| *c == code) {
        Some((_, name)) => format!("{name} ({code})"),
        None => code.to_owned(),
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
        assert_eq!(display("ZW"), "Zimbabwe (ZW)");
        assert_eq!(display("XK"), "XK");
    }
}
