//! A tiny HTML writer that is safe by construction: markup can only be added from `&'static str`
//! literals written in this crate, and every other string goes through [`escape`].

/// Escapes text for HTML element content and double- or single-quoted attribute values.
///
/// C0 control characters other than tab and newline, and DEL, are dropped: they have no visible
/// form and some browsers treat them inconsistently.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() && (c as u32) < 0xA0 => {}
            c => out.push(c),
        }
    }
    out
}

/// An HTML document being written.
#[derive(Default)]
pub struct Html(String);

impl Html {
    pub fn new() -> Self {
        Html(String::with_capacity(8 * 1024))
    }

    /// Markup written by this crate (a literal, so never data from a credential).
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.0.push_str(&escape(text));
        self
    }

    /// Text from a credential, escaped and wrapped in `<bdi>` so right-to-left override
    /// characters inside it cannot reorder the words around it.
    pub fn data(&mut self, text: &str) -> &mut Self {
        self.raw("<bdi>").text(text).raw("</bdi>")
    }

    pub fn into_string(self) -> String {
        self.0
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
    }

    #[test]
    fn drops_invisible_control_characters() {
        assert_eq!(
            escape("a\u{0}b\u{1b}[31mc\u{7f}d\u{85}e\tf\ng"),
            "ab[31mcde\tf\ng"
        );
    }

    #[test]
    fn data_is_isolated_and_escaped() {
        let mut h = Html::new();
        h.raw("<p>").data("\u{202e}<b>").raw("</p>");
        assert_eq!(h.into_string(), "<p><bdi>\u{202e}&lt;b&gt;</bdi></p>");
    }
}
