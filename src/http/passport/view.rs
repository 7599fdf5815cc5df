//! The passport and share pages' view models and templates (`templates/passport/`,
//! `templates/share/`); every fixed word is a message in the page's language (the passport's
//! pages ask `lang.t(…)`, the share page reads [`ShareMessages`]), every value is escaped by
//! the page escaper. The share page embeds the employer page's checked-credential sections
//! ([`crate::http::page`]), which askama rendered and escaped already.

use askama::Template;

use super::messages::ShareMessages;
use crate::i18n::{Lang, LangSwitch};

/// Sign in, create, recover (and a claim waiting for a passport).
#[derive(Template)]
#[template(path = "passport/signin.html")]
pub struct SignInPage {
    pub lang: Lang,
    pub switch: LangSwitch,
    /// Whether `switch` is a claim's switch (forms that post the claim again in another
    /// language) rather than links.
    pub claim_switch: bool,
    pub problem: Option<String>,
    /// An offer (and its code) to claim once signed in.
    pub claim: Option<(String, String)>,
    /// A passport page to go on to once signed in (answering a request).
    pub next: Option<String>,
    /// The shortest passphrase (`minlength`).
    pub min_passphrase: usize,
    /// What a passphrase needs, in the page's language.
    pub passphrase_hint: String,
}

/// The recovery code, shown once.
#[derive(Template)]
#[template(path = "passport/recovery.html")]
pub struct RecoveryPage {
    pub lang: Lang,
    pub switch: LangSwitch,
    pub code: String,
}

/// A message with reasons (an import refused, an error, a deletion).
#[derive(Template)]
#[template(path = "passport/message.html")]
pub struct MessagePage {
    pub lang: Lang,
    pub switch: LangSwitch,
    pub title: String,
    pub text: String,
    pub reasons: Vec<String>,
    pub back: bool,
}

/// One credential on the passport page.
pub struct Item {
    pub entry: String,
    pub name: String,
    pub status: &'static str,
    pub status_class: &'static str,
    /// "Added 7 December 2026 (claimed)", in the page's language.
    pub added: String,
}

/// Credentials of one level of one institution.
pub struct LevelGroup {
    pub words: String,
    pub references: Vec<String>,
    pub items: Vec<Item>,
}

/// Credentials of one institution.
pub struct Group {
    pub institution: String,
    pub levels: Vec<LevelGroup>,
}

/// A share on the passport page.
pub struct ShareItem {
    pub id: String,
    pub url: String,
    /// Active, expired or withdrawn, in words.
    pub state: String,
    pub active: bool,
    /// "Works until …".
    pub until: String,
    /// When it was opened, or that it was not yet.
    pub opened: String,
    /// "2 credentials".
    pub credentials: String,
    pub note: Option<String>,
}

/// A share just made: its link and QR code.
pub struct NewShareView {
    pub url: String,
    pub qr: Option<String>,
    /// "Works until …".
    pub until: String,
}

/// The signed-in passport page.
#[derive(Template)]
#[template(path = "passport/page.html")]
pub struct PassportPage {
    pub lang: Lang,
    pub switch: LangSwitch,
    pub csrf: String,
    pub holder: String,
    pub groups: Vec<Group>,
    pub shares: Vec<ShareItem>,
    pub new_share: Option<NewShareView>,
    pub default_days: i64,
    pub max_days: i64,
}

/// What the recognition engine says for one credential in the reader's framework.
pub struct Meaning {
    pub achievement: String,
    pub summary: String,
    pub levels: Vec<String>,
    pub credits: Option<String>,
    pub conditions: Vec<String>,
}

/// A framework the reader can pick.
pub struct FrameworkChoice {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

/// The share page: the employer's view.
#[derive(Template)]
#[template(path = "share/page.html")]
pub struct SharePage {
    pub m: &'static ShareMessages,
    /// The language switch: links to this page in every language.
    pub switch: LangSwitch,
    pub note: Option<String>,
    pub expires: String,
    pub holder: String,
    pub signature_ok: bool,
    pub all_bound: bool,
    /// Each credential checked now, as the employer page renders it (escaped HTML).
    pub sections: Vec<String>,
    pub frameworks: Vec<FrameworkChoice>,
    pub meanings: Vec<Meaning>,
}

/// A share that shows nothing.
#[derive(Template)]
#[template(path = "share/gone.html")]
pub struct GonePage {
    pub m: &'static ShareMessages,
    /// The language switch: links to this page in every language.
    pub switch: LangSwitch,
}

/// A credential that answers a verifier's question, to tick.
pub struct AnswerChoice {
    pub entry: String,
    pub name: String,
    pub institution: String,
    pub level: String,
}

/// Answer a verifier's request: the question and the matching credentials.
#[derive(Template)]
#[template(path = "passport/answer.html")]
pub struct AnswerPage {
    pub lang: Lang,
    pub switch: LangSwitch,
    /// Where the form posts (`/passport/answer/{request}`).
    pub action: String,
    pub asked: Vec<String>,
    pub csrf: String,
    pub problem: Option<String>,
    pub choices: Vec<AnswerChoice>,
}
