//! The escaper of the page's templates (`askama.toml` maps `.html` templates to [`PageHtml`]):
//! every value a template prints goes through [`escape`], so no string from a credential or a
//! message can become markup.

use std::fmt::{self, Write};

/// Writes `text` escaped for HTML element content and double- or single-quoted attribute values.
///
/// `&`, `<`, `>`, `"` and `'` become entities. C0 control characters other than tab and newline,
/// and DEL and the C1 controls, are dropped: they have no visible form and some browsers treat
/// them inconsistently.
pub fn write_escaped(mut out: impl Write, text: &str) -> fmt::Result {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            '\t' | '\n' => continue,
            c if c.is_control() && (c as u32) < 0xA0 => "",
            _ => continue,
        };
        out.write_str(&text[start..i])?;
        out.write_str(replacement)?;
        start = i + c.len_utf8();
    }
    out.write_str(&text[start..])
}

/// [`write_escaped`] into a new string.
#[cfg(test)]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_escaped(&mut out, text).expect("writing to a String");
    out
}

/// The askama escaper of the employer page's templates.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageHtml;

impl askama::filters::Escaper for PageHtml {
    fn write_escaped_str<W: Write>(&self, dest: W, string: &str) -> fmt::Result {
        write_escaped(dest, string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("三维动画 ✓"), "三维动画 ✓");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn drops_invisible_control_characters() {
        assert_eq!(
            escape("a\u{0}b\u{1b}[31mc\u{7f}d\u{85}e\tf\ng"),
            "ab[31mcde\tf\ng"
        );
    }
}
