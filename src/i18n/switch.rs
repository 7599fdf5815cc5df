//! The language switch on every page: one link per language that keeps the page's path and
//! its other query parameters and sets `?lang=`.

use super::Lang;

/// One entry of the switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwitchLink {
    /// BCP 47 tag (`lang` and `hreflang` of the link).
    pub tag: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    /// The same page in that language (a relative URL: path and query).
    pub href: String,
    /// Whether it is the page's language (shown, not linked).
    pub current: bool,
}

/// The switch of one page, for `templates/i18n/switch.html`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LangSwitch {
    /// The switch's accessible name, in the page's language.
    pub label: String,
    pub links: Vec<SwitchLink>,
}

impl LangSwitch {
    /// The switch of the page at `path` (as requested, percent-encoded) with `query` (as
    /// requested, without `?`), now in `current`. Other query parameters stay as they were.
    pub fn new(current: Lang, path: &str, query: Option<&str>) -> LangSwitch {
        let kept: Vec<&str> = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && *p != "lang" && !p.starts_with("lang="))
            .collect();
        let links = Lang::ALL
            .iter()
            .map(|&lang| {
                let mut q = kept.clone();
                let set = format!("lang={}", lang.tag());
                q.push(&set);
                SwitchLink {
                    tag: lang.tag(),
                    name: lang.native_name(),
                    href: format!("{path}?{}", q.join("&")),
                    current: lang == current,
                }
            })
            .collect();
        LangSwitch {
            label: current.t("lang-switch-label"),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_path_and_other_parameters() {
        let s = LangSwitch::new(Lang::Th, "/claim/abc", Some("x=1&lang=en&y=%20"));
        assert_eq!(s.links.len(), Lang::ALL.len());
        let lo = s.links.iter().find(|l| l.tag == "lo").unwrap();
        assert_eq!(lo.href, "/claim/abc?x=1&y=%20&lang=lo");
        assert!(!lo.current);
        assert!(s.links.iter().find(|l| l.tag == "th").unwrap().current);
        assert_eq!(s.label, "ภาษา");
        let plain = LangSwitch::new(Lang::En, "/verify/1", None);
        assert_eq!(plain.links[1].href, "/verify/1?lang=zh-Hans");
    }
}
