//! Every fixed word of the printable certificate, in one place (a language is one more
//! [`PrintMessages`] value).

/// The certificate's words in one language.
#[derive(Clone, Copy)]
pub struct PrintMessages {
    pub lang: &'static str,
    /// `{achievement}`.
    pub title: &'static str,
    pub heading: &'static str,
    pub awarded_to: &'static str,
    pub for_achievement: &'static str,
    pub awarded_on: &'static str,
    pub verify_title: &'static str,
    pub verify_text: &'static str,
    pub qr_alt: &'static str,
    pub print_hint: &'static str,
    pub linkedin: &'static str,
    /// When the credential does not say.
    pub not_stated: &'static str,
    pub date_format: &'static str,
}

pub const EN: PrintMessages = PrintMessages {
    lang: "en",
    title: "Certificate: {achievement}",
    heading: "Certificate",
    awarded_to: "This certifies that",
    for_achievement: "has achieved",
    awarded_on: "Awarded on",
    verify_title: "Check this certificate",
    verify_text: "Scan the code or open the address below: it shows whether the signed credential behind this paper is genuine and still valid today.",
    qr_alt: "QR code of the credential's verification page",
    print_hint: "Print this page on A4 (one page).",
    linkedin: "Add to LinkedIn profile",
    not_stated: "(not stated)",
    date_format: "%-d %B %Y",
};
