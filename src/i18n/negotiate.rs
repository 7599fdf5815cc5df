//! Which language a page is written in (see the order in [`super`]).

use super::Lang;

/// What a request asks for, before the issuer is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requested {
    /// `?lang=` of the URL.
    pub query: Option<String>,
    /// The `lang` cookie.
    pub cookie: Option<String>,
    /// The `Accept-Language` header as sent.
    pub accept_language: Option<String>,
}

impl Requested {
    /// The language a valid `?lang=` picks, if any (the page then sets the cookie).
    pub fn chosen(&self) -> Option<Lang> {
        self.query.as_deref().and_then(Lang::from_tag)
    }
}

/// The page's language: `?lang=`, then the cookie, then `Accept-Language`, then the issuer's
/// default, then English. A value naming a language the service lacks is passed over.
pub fn negotiate(requested: &Requested, issuer_default: Option<Lang>) -> Lang {
    requested
        .chosen()
        .or_else(|| requested.cookie.as_deref().and_then(Lang::from_tag))
        .or_else(|| {
            requested
                .accept_language
                .as_deref()
                .and_then(|h| parse_accept_language(h).into_iter().next())
        })
        .or(issuer_default)
        .unwrap_or(Lang::En)
}

/// The service's languages an `Accept-Language` header asks for, best first (RFC 9110
/// §12.5.4: by q-value, ties in the order written; `q=0` means "not this one"; `*` and
/// languages the service lacks are passed over). A malformed entry is skipped, not an error.
pub fn parse_accept_language(header: &str) -> Vec<Lang> {
    let mut ranked: Vec<(u16, usize, Lang)> = Vec::new();
    let mut refused: Vec<Lang> = Vec::new();
    for (i, entry) in header.split(',').enumerate().take(32) {
        let mut parts = entry.split(';');
        let range = parts.next().unwrap_or("").trim();
        let mut q = 1000u16;
        for param in parts {
            let param = param.trim();
            if let Some(v) = param
                .strip_prefix("q=")
                .or_else(|| param.strip_prefix("Q="))
            {
                match parse_q(v.trim()) {
                    Some(value) => q = value,
                    None => q = 0,
                }
            }
        }
        let Some(lang) = Lang::from_tag(range) else {
            continue;
        };
        if q == 0 {
            refused.push(lang);
        } else {
            ranked.push((q, i, lang));
        }
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = Vec::new();
    for (_, _, lang) in ranked {
        if !out.contains(&lang) && !refused.contains(&lang) {
            out.push(lang);
        }
    }
    out
}

/// A q-value (`0`, `0.5`, `1.000`) in thousandths; `None` when malformed.
fn parse_q(v: &str) -> Option<u16> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value = format!("{frac:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_values_order_the_languages() {
        assert_eq!(
            parse_accept_language("en;q=0.5, th-TH, lo;q=0.8"),
            vec![Lang::Th, Lang::Lo, Lang::En]
        );
        assert_eq!(parse_accept_language("fr, de;q=0.9, *;q=0.1"), vec![]);
        assert_eq!(parse_accept_language("zh-CN,zh;q=0.9"), vec![Lang::ZhHans]);
        assert_eq!(parse_accept_language("km;q=0, en"), vec![Lang::En]);
        assert_eq!(
            parse_accept_language("ms;q=1.5, km;q=abc, lo"),
            vec![Lang::Lo]
        );
        assert_eq!(parse_accept_language(""), vec![]);
    }

    #[test]
    fn order_is_query_cookie_header_issuer_english() {
        let all = Requested {
            query: Some("km".into()),
            cookie: Some("lo".into()),
            accept_language: Some("th".into()),
        };
        assert_eq!(negotiate(&all, Some(Lang::Ms)), Lang::Km);
        let no_query = Requested {
            query: Some("xx".into()),
            ..all.clone()
        };
        assert_eq!(negotiate(&no_query, Some(Lang::Ms)), Lang::Lo);
        let header_only = Requested {
            accept_language: Some("fr, th;q=0.3".into()),
            ..Requested::default()
        };
        assert_eq!(negotiate(&header_only, Some(Lang::Ms)), Lang::Th);
        let unknown_header = Requested {
            accept_language: Some("fr".into()),
            ..Requested::default()
        };
        assert_eq!(negotiate(&unknown_header, Some(Lang::Ms)), Lang::Ms);
        assert_eq!(negotiate(&Requested::default(), None), Lang::En);
    }
}
