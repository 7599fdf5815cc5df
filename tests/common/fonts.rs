//! Which characters the installed fonts cover (fontconfig), for the page tests' missing-glyph
//! check: a character no font has shows as a box.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::process::Command;

/// Which characters the installed fonts cover, read from fontconfig (the font list Chromium
/// itself falls back through).
pub struct Coverage {
    ranges: Vec<(u32, u32)>,
}

impl Coverage {
    pub fn installed() -> Coverage {
        let out = Command::new("fc-list")
            .arg("--format=%{charset}\n")
            .output()
            .expect("fc-list (fontconfig) must be installed");
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        Coverage::parse(&text)
    }

    /// fontconfig's charset format: hexadecimal code points and ranges (`20-7e a0 e01-e3a`).
    pub fn parse(text: &str) -> Coverage {
        let mut ranges = Vec::new();
        for item in text.split_whitespace() {
            let (a, b) = item.split_once('-').unwrap_or((item, item));
            if let (Ok(a), Ok(b)) = (u32::from_str_radix(a, 16), u32::from_str_radix(b, 16)) {
                ranges.push((a, b));
            }
        }
        Coverage { ranges }
    }

    pub fn covers(&self, c: char) -> bool {
        let c = c as u32;
        self.ranges.iter().any(|(a, b)| (*a..=*b).contains(&c))
    }

    /// The characters of `text` that no installed font has (format and control characters,
    /// which draw nothing, aside).
    pub fn missing(&self, text: &str) -> BTreeSet<char> {
        text.chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|c| !matches!(*c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2069}'))
            .filter(|c| !self.covers(*c))
            .collect()
    }
}
