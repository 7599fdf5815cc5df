//! Batch issuance: many learning-outcome records in, one result line per row out, in input
//! order, then a summary line. Shared by `POST /records/batch` ([`ServiceBatch`]) and
//! `skillpass batch` ([`run_cli`]); the formats and result lines are described in
//! `docs/BATCH.md`.
//!
//! Input is read incrementally: [`RowParser`] takes the bytes in chunks of any size and hands
//! out complete rows, holding at most one row (capped at [`MAX_ROW_BYTES`]) in memory. A row
//! that is too long, is not JSON, or breaks the record schema becomes an `error` result for
//! that row; the rows after it are processed as usual.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use chrono::Utc;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use serde_json::{json, Map, Number, Value};
use sha2::{Digest, Sha256};

use crate::keys::{self, SecretKey};
use crate::proof::Cryptosuite;
use crate::record::RecordError;
use crate::service::{Issuance, Service, ServiceError};
use crate::store::Institution;
use crate::wallet::offer::{self, NewOffer, OfferOptions};
use crate::wallet::WalletConfig;

/// Longest accepted row: a JSON line, or a CSV record's unescaped cell data (1 MiB).
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// Largest request body `POST /records/batch` reads (256 MiB).
pub const MAX_HTTP_BATCH_BYTES: u64 = 256 << 20;

/// Most cells a CSV record may have.
pub const MAX_CSV_FIELDS: usize = 256;

/// Rows the HTTP endpoint works on at once, per request, at least.
const MIN_HTTP_CONCURRENCY: usize = 16;

/// The input format of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON Lines: one record (a JSON object) per line.
    Jsonl,
    /// CSV with a header row naming the columns of [`CSV_COLUMNS`].
    Csv,
}

impl Format {
    /// The format of a `Content-Type` (parameters such as `charset=utf-8` are allowed; any
    /// charset other than UTF-8 is refused).
    pub fn from_media_type(content_type: &str) -> Option<Format> {
        let mut parts = content_type.split(';');
        let essence = parts.next()?.trim().to_ascii_lowercase();
        for param in parts {
            if let Some((name, value)) = param.split_once('=') {
                if name.trim().eq_ignore_ascii_case("charset")
                    && !value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
                {
                    return None;
                }
            }
        }
        match essence.as_str() {
            "application/x-ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines" => Some(Format::Jsonl),
            "text/csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format a file name implies: `.jsonl`/`.ndjson`, or `.csv`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// One problem with a row. `path` is a JSON Pointer into the record when the problem has a
/// place; `column` names the CSV column that holds it.
///
/// `message` is the English sentence the API and the CLI give; `kind` and `args` are the same
/// problem in structured form for the console's pages (as [`crate::schema::Violation`]), not
/// serialized: `""` when the problem has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message: String,
    #[serde(skip)]
    pub kind: &'static str,
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

impl RowError {
    fn new(message: impl Into<String>) -> Self {
        RowError {
            path: None,
            column: None,
            message: message.into(),
            kind: "",
            args: Vec::new(),
        }
    }

    fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        RowError {
            path: Some(path.into()),
            ..RowError::new(message)
        }
    }

    /// With its structured form.
    fn kind(mut self, kind: &'static str, args: Vec<(&'static str, String)>) -> Self {
        self.kind = kind;
        self.args = args;
        self
    }

    /// A violation of the record checks, at its path.
    pub fn from_violation(v: crate::schema::Violation) -> Self {
        RowError::at(v.path, v.message).kind(v.kind, v.args)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(
                f,
                "{}: {}",
                if p.is_empty() { "(root)" } else { p },
                self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowStatus {
    /// A credential was issued for it now.
    Issued,
    /// Its `recordId` had been issued before; nothing new was signed.
    Existing,
    /// Nothing was issued; `errors` says why.
    Error,
}

/// The result line of one row.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowResult {
    pub row: u64,
    pub record_id: Option<String>,
    pub status: RowStatus,
    pub credential_id: Option<String>,
    pub errors: Vec<RowError>,
    /// The credential's employer page, what to print as a QR code: `POST /records/batch` only
    /// (`null` offline and for a refused row).
    pub verify_url: Option<String>,
    /// The learner's claim page, when an offer was made for the credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_url: Option<String>,
    /// The claim offer made for a newly issued credential, when the batch asked for offers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<Box<NewOffer>>,
}

impl RowResult {
    fn failed(row: u64, record_id: Option<String>, errors: Vec<RowError>) -> Self {
        RowResult {
            row,
            record_id,
            status: RowStatus::Error,
            credential_id: None,
            errors,
            verify_url: None,
            claim_url: None,
            offer: None,
        }
    }

    fn done(row: u64, record_id: Option<String>, created: bool, credential: &Value) -> Self {
        RowResult {
            row,
            record_id,
            status: if created {
                RowStatus::Issued
            } else {
                RowStatus::Existing
            },
            credential_id: credential
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            errors: Vec::new(),
            verify_url: None,
            claim_url: None,
            offer: None,
        }
    }

    /// The result as one JSON line, newline included.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("a row result serializes");
        line.push('\n');
        line
    }
}

/// Counts over a whole batch; the last line of the output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Result lines written (= issued + existing + errors).
    pub rows: u64,
    pub issued: u64,
    pub existing: u64,
    pub errors: u64,
    /// Blank JSONL lines, which are not rows and get no result line.
    pub skipped: u64,
    /// `false` when the batch stopped early (an `error` line precedes the summary).
    pub complete: bool,
}

impl Summary {
    pub fn count(&mut self, result: &RowResult) {
        self.rows += 1;
        match result.status {
            RowStatus::Issued => self.issued += 1,
            RowStatus::Existing => self.existing += 1,
            RowStatus::Error => self.errors += 1,
        }
    }

    pub fn to_line(&self) -> String {
        let mut line = json!({ "summary": self }).to_string();
        line.push('\n');
        line
    }
}

/// Why a batch could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The CSV header row is unusable (unknown, repeated or missing columns).
    #[error("CSV header: {0}")]
    Header(String),
    /// The input is larger than the limit.
    #[error("the batch is larger than {limit} bytes; split it into smaller batches")]
    TooLarge { limit: u64 },
    /// The input could not be read.
    #[error("could not read the batch: {0}")]
    Read(String),
}

impl BatchError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            BatchError::Header(_) | BatchError::Read(_) => 400,
            BatchError::TooLarge { .. } => 413,
        }
    }

    /// An `{"error": {...}}` line in the API's error envelope shape, for a stream that already
    /// started.
    pub fn to_line(&self) -> String {
        let code = match self {
            BatchError::TooLarge { .. } => "payload_too_large",
            _ => "bad_request",
        };
        let mut line = json!({
            "error": {"status": self.status(), "code": code, "message": self.to_string()}
        })
        .to_string();
        line.push('\n');
        line
    }
}

// ---------------------------------------------------------------------------------------------
// Rows

/// A row read from the input: its number, its `recordId` (when it has a string one) and the
/// record, or why it could not be read.
#[derive(Debug)]
pub struct InputRow {
    /// JSONL: the 1-based line number. CSV: the 1-based data record number (header excluded).
    pub row: u64,
    pub record_id: Option<String>,
    pub record: Result<Value, Vec<RowError>>,
}

/// Splits bytes into rows and parses them, whatever the chunk boundaries.
pub struct RowParser {
    format: Format,
    lines: LineSplitter,
    csv: CsvSplitter,
    /// `recordId` → the row that used it first in this batch.
    seen: HashMap<String, u64>,
    skipped: u64,
}

impl RowParser {
    pub fn new(format: Format) -> Self {
        RowParser {
            format,
            lines: LineSplitter::default(),
            csv: CsvSplitter::new(),
            seen: HashMap::new(),
            skipped: 0,
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Blank JSONL lines seen so far.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Whether what comes next is data rows (the CSV header has been read; always for JSONL).
    pub fn header_done(&self) -> bool {
        self.format == Format::Jsonl || self.csv.header.is_some()
    }

    /// Feeds the next chunk; complete rows are appended to `out`.
    pub fn push(&mut self, chunk: &[u8], out: &mut VecDeque<InputRow>) -> Result<(), BatchError> {
        self.feed(chunk, false, out)
    }

    /// Ends the input; the last row (without a final newline) is appended to `out`.
    pub fn finish(&mut self, out: &mut VecDeque<InputRow>) -> Result<(), BatchError> {
        self.feed(&[], true, out)
    }

    fn feed(
        &mut self,
        chunk: &[u8],
        eof: bool,
        out: &mut VecDeque<InputRow>,
    ) -> Result<(), BatchError> {
        let start = out.len();
        match self.format {
            Format::Jsonl => {
                let skipped = &mut self.skipped;
                let mut emit = |line: u64, text: Line| match parse_json_line(line, text) {
                    Some(row) => out.push_back(row),
                    None => *skipped += 1,
                };
                self.lines.push(chunk, &mut emit);
                if eof {
                    self.lines.finish(&mut emit);
                }
            }
            Format::Csv => self.csv.push(chunk, eof, out)?,
        }
        for row in out.iter_mut().skip(start) {
            self.check_duplicate(row);
        }
        Ok(())
    }

    /// A `recordId` used twice in one batch is an error on the later rows: the registrar
    /// should decide which record is right.
    fn check_duplicate(&mut self, row: &mut InputRow) {
        let (Some(id), Ok(_)) = (&row.record_id, &row.record) else {
            return;
        };
        match self.seen.get(id) {
            Some(first) => {
                row.record = Err(vec![RowError::at(
                    "/recordId",
                    format!("recordId {id:?} already appears in row {first} of this batch"),
                )
                .kind(
                    "duplicate-record-id",
                    vec![("id", id.clone()), ("row", first.to_string())],
                )]);
            }
            None => {
                self.seen.insert(id.clone(), row.row);
            }
        }
    }
}

/// A line of JSONL input.
enum Line<'a> {
    Text(&'a [u8]),
    TooLong(usize),
}

/// Splits on `\n`, keeping at most [`MAX_ROW_BYTES`] of the current line.
#[derive(Default)]
struct LineSplitter {
    buf: Vec<u8>,
    /// Bytes of the current line when it went over the limit (the rest is skipped).
    too_long: Option<usize>,
    /// Lines completed so far.
    line: u64,
    /// Whether anything of the current line has been seen.
    open: bool,
}

impl LineSplitter {
    fn push(&mut self, mut chunk: &[u8], emit: &mut impl FnMut(u64, Line)) {
        while let Some(pos) = chunk.iter().position(|&b| b == b'\n') {
            self.take(&chunk[..pos]);
            self.end_line(emit);
            chunk = &chunk[pos + 1..];
        }
        self.take(chunk);
    }

    fn finish(&mut self, emit: &mut impl FnMut(u64, Line)) {
        if self.open {
            self.end_line(emit);
        }
    }

    fn take(&mut self, part: &[u8]) {
        if part.is_empty() {
            return;
        }
        self.open = true;
        match &mut self.too_long {
            Some(n) => *n += part.len(),
            None if self.buf.len() + part.len() > MAX_ROW_BYTES => {
                self.too_long = Some(self.buf.len() + part.len());
                self.buf.clear();
            }
            None => self.buf.extend_from_slice(part),
        }
    }

    fn end_line(&mut self, emit: &mut impl FnMut(u64, Line)) {
        self.line += 1;
        match self.too_long.take() {
            Some(n) => emit(self.line, Line::TooLong(n)),
            None => emit(self.line, Line::Text(&self.buf)),
        }
        self.buf.clear();
        self.open = false;
    }
}

fn too_long(len: usize) -> RowError {
    RowError::new(format!(
        "row is {len} bytes long; rows may be at most {MAX_ROW_BYTES} bytes"
    ))
    .kind(
        "row-too-long",
        vec![
            ("bytes", len.to_string()),
            ("max", MAX_ROW_BYTES.to_string()),
        ],
    )
}

/// `None` for a blank line (skipped).
fn parse_json_line(line: u64, text: Line) -> Option<InputRow> {
    let text = match text {
        Line::TooLong(n) => {
            return Some(InputRow {
                row: line,
                record_id: None,
                record: Err(vec![too_long(n)]),
            })
        }
        Line::Text(t) => t,
    };
    let text = if line == 1 {
        text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text)
    } else {
        text
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let record = serde_json::from_slice::<Value>(text).map_err(|e| {
        let full = e.to_string();
        let kind = full
            .rfind(" at line ")
            .map_or(full.as_str(), |i| &full[..i]);
        vec![RowError::new(format!(
            "malformed JSON at column {}: {kind}",
            e.column()
        ))]
    });
    let record_id = record
        .as_ref()
        .ok()
        .and_then(|v| v.get("recordId"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some(InputRow {
        row: line,
        record_id,
        record,
    })
}

// ---------------------------------------------------------------------------------------------
// CSV

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    Number,
    Outcomes,
}

/// One CSV column: its header name and the record field (JSON Pointer) it fills.
pub struct CsvColumn {
    pub name: &'static str,
    pub pointer: &'static str,
    kind: Cell,
}

const fn col(name: &'static str, pointer: &'static str, kind: Cell) -> CsvColumn {
    CsvColumn {
        name,
        pointer,
        kind,
    }
}

/// The CSV columns, in the documented order (any order is accepted in a file).
pub const CSV_COLUMNS: &[CsvColumn] = &[
    col("recordId", "/recordId", Cell::Text),
    col("learnerDid", "/learner/id", Cell::Text),
    col("learnerName", "/learner/name", Cell::Text),
    col("learnerNativeName", "/learner/nativeName", Cell::Text),
    col("learnerIdentifier", "/learner/identifier/value", Cell::Text),
    col(
        "learnerIdentifierScheme",
        "/learner/identifier/scheme",
        Cell::Text,
    ),
    col("achievementId", "/achievement/id", Cell::Text),
    col("inLanguage", "/achievement/inLanguage", Cell::Text),
    col("achievementName", "/achievement/name", Cell::Text),
    col(
        "achievementDescription",
        "/achievement/description",
        Cell::Text,
    ),
    col("criteria", "/achievement/criteria/narrative", Cell::Text),
    col("outcomes", "/achievement/learningOutcomes", Cell::Outcomes),
    col("fieldOfStudy", "/achievement/fieldOfStudy", Cell::Text),
    col("levelFramework", "/achievement/level/framework", Cell::Text),
    col("levelCode", "/achievement/level/code", Cell::Text),
    col("levelUrl", "/achievement/level/url", Cell::Text),
    col("credits", "/achievement/credits/value", Cell::Number),
    col("creditSystem", "/achievement/credits/system", Cell::Text),
    col("learningHours", "/achievement/learningHours", Cell::Number),
    col("humanCode", "/achievement/humanCode", Cell::Text),
    col(
        "achievementType",
        "/achievement/achievementType",
        Cell::Text,
    ),
    col("awardedDate", "/awardedDate", Cell::Text),
    col("validUntil", "/validUntil", Cell::Text),
    col("resultValue", "/result/value", Cell::Text),
    col("resultScale", "/result/scale", Cell::Text),
    col("resultType", "/result/resultType", Cell::Text),
    col("issuerDid", "/issuer/id", Cell::Text),
    col("issuerName", "/issuer/name", Cell::Text),
    col("issuerUrl", "/issuer/url", Cell::Text),
    col("issuerEmail", "/issuer/email", Cell::Text),
    col("issuerCountry", "/issuer/country", Cell::Text),
];

/// The columns that take a translation: `achievementName@th` holds the achievement's name in
/// Thai (`achievement.translations.th.name`), `outcomes@th` the outcomes' statements in Thai, in
/// the order of `outcomes` (`achievement.learningOutcomes[i].translations.th`). The tag is a
/// BCP 47 language tag as the record schema reads it ([`is_language_tag`]).
pub const TRANSLATED_COLUMNS: &[(&str, &str)] = &[
    ("achievementName", "name"),
    ("achievementDescription", "description"),
    ("criteria", "criteria"),
    ("outcomes", ""),
];

/// Whether `tag` is a language tag as the record's translations take it (BCP 47, the form the
/// record schema checks): a language of 2 or 3 small letters, then optionally a script
/// (`Hans`) and a region (`BR`, `419`): `th`, `km`, `zh-Hans`, `pt-BR`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let mut rest: Vec<&str> = parts.collect();
    if let Some(script) = rest.first() {
        let b = script.as_bytes();
        if b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase) {
            rest.remove(0);
        }
    }
    match rest.as_slice() {
        [] => true,
        [region] => {
            (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase()))
                || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit()))
        }
        _ => false,
    }
}

/// A column of a CSV header: one of [`CSV_COLUMNS`] (by index), or a translation column
/// `name@tag` ([`TRANSLATED_COLUMNS`], by index).
#[derive(Clone, Debug, PartialEq, Eq)]
enum HeaderColumn {
    Fixed(usize),
    Translated { field: usize, tag: String },
}

impl HeaderColumn {
    fn name(&self) -> String {
        match self {
            HeaderColumn::Fixed(i) => CSV_COLUMNS[*i].name.to_owned(),
            HeaderColumn::Translated { field, tag } => {
                format!("{}@{tag}", TRANSLATED_COLUMNS[*field].0)
            }
        }
    }
}

/// Columns a CSV header must have (besides the learner's: `learnerDid`, or `learnerName` and
/// `learnerIdentifier`).
const REQUIRED_COLUMNS: &[&str] = &[
    "achievementName",
    "achievementDescription",
    "criteria",
    "outcomes",
    "fieldOfStudy",
    "levelFramework",
    "levelCode",
    "credits",
    "creditSystem",
    "learningHours",
    "awardedDate",
    "issuerName",
    "issuerUrl",
    "issuerCountry",
];

/// A CSV file to start from (the console offers it as the download template, and
/// `docs/examples/records.csv` is it): the header with every column in the documented order and
/// two example rows that issue as they are (learners named by name and student number, so a
/// claim offer can bind each to a wallet), one dated with a day alone, one with a time. The
/// first is in English with its name in Chinese and Lao and its outcomes in Lao (translation
/// columns, [`TRANSLATED_COLUMNS`]) and the learner's name in Lao script.
pub fn csv_template() -> String {
    let mut header: Vec<&str> = CSV_COLUMNS.iter().map(|c| c.name).collect();
    header.extend([
        "achievementName@zh-Hans",
        "achievementName@lo",
        "outcomes@lo",
    ]);
    let rows: [&[(&str, &str)]; 2] = [
        &[
            ("recordId", "EXAMPLE-2025S-NEV3104-0117"),
            ("learnerName", "Souksavanh Phommachanh"),
            ("learnerNativeName", "ສຸກສະຫວັນ ພົມມະຈັນ"),
            ("learnerIdentifier", "2024LA0117"),
            ("inLanguage", "en"),
            ("learnerIdentifierScheme", "student-number"),
            ("achievementName", "NEV After-Sales Service"),
            (
                "achievementDescription",
                "High-voltage safety and battery system diagnosis for new-energy vehicles.",
            ),
            (
                "criteria",
                "Pass the HV safety practical and the diagnostic case study.",
            ),
            (
                "outcomes",
                "NEV-1|Isolate and lock out the HV system before work;NEV-2|Measure insulation resistance of HV components",
            ),
            ("fieldOfStudy", "0716"),
            ("levelFramework", "CN-VOC"),
            ("levelCode", "associate"),
            ("credits", "3"),
            ("creditSystem", "CN-credit"),
            ("learningHours", "54"),
            ("humanCode", "NEV3104"),
            ("achievementType", "Course"),
            ("awardedDate", "2025-07-11"),
            ("resultValue", "B+"),
            ("resultType", "LetterGrade"),
            ("issuerName", "Example Vocational College"),
            ("issuerUrl", "https://college.example/"),
            ("issuerCountry", "CN"),
            ("achievementName@zh-Hans", "新能源汽车售后服务"),
            ("achievementName@lo", "ການບໍລິການຫຼັງການຂາຍລົດພະລັງງານໃໝ່"),
            (
                "outcomes@lo",
                "ຕັດແຍກ ແລະ ລັອກລະບົບໄຟຟ້າແຮງສູງກ່ອນເລີ່ມວຽກ;ວັດແທກຄວາມຕ້ານທານສນວນຂອງອຸປະກອນໄຟຟ້າແຮງສູງ",
            ),
        ],
        &[
            ("recordId", "EXAMPLE-2025S-PV2201-0042"),
            ("learnerName", "Tendai Moyo"),
            ("learnerIdentifier", "ZW-2025-0042"),
            ("achievementName", "Solar PV Installation"),
            (
                "achievementDescription",
                "Sizing, mounting and wiring small grid-tied photovoltaic systems.",
            ),
            ("criteria", "Install and commission a 3 kW system under supervision."),
            (
                "outcomes",
                "PV-1|Size a PV array for a given load;PV-2|Wire and commission an inverter safely",
            ),
            ("fieldOfStudy", "0713"),
            ("levelFramework", "ISCED-2011"),
            ("levelCode", "4"),
            ("credits", "12"),
            ("creditSystem", "ZNQF"),
            ("learningHours", "120"),
            ("awardedDate", "2025-04-25T14:00:00+02:00"),
            ("issuerName", "Example Vocational College"),
            ("issuerUrl", "https://college.example/"),
            ("issuerCountry", "CN"),
        ],
    ];
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = header
            .iter()
            .map(|name| {
                let value = row.iter().find(|(n, _)| n == name).map_or("", |(_, v)| *v);
                if value.contains([',', '"', '\n']) {
                    format!("\"{}\"", value.replace('"', "\"\""))
                } else {
                    value.to_owned()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The CSV column that holds the value at `path` (a JSON Pointer into the record), if one does:
/// `/achievement/translations/th/name` is in `achievementName@th`.
pub fn csv_column_for(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match segments.as_slice() {
        ["achievement", "translations", tag] => return Some(format!("achievementName@{tag}")),
        ["achievement", "translations", tag, key, ..] => {
            let field = TRANSLATED_COLUMNS
                .iter()
                .find(|(_, k)| k == key)
                .map_or("achievementName", |(f, _)| *f);
            return Some(format!("{field}@{tag}"));
        }
        ["achievement", "learningOutcomes", _, "translations", tag, ..] => {
            return Some(format!("outcomes@{tag}"))
        }
        _ => {}
    }
    CSV_COLUMNS
        .iter()
        .filter(|c| {
            path == c.pointer
                || path
                    .strip_prefix(c.pointer)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|c| c.pointer.len())
        .map(|c| c.name.to_owned())
}

/// Reads CSV records with `csv_core`, incrementally, and maps data records to record JSON.
struct CsvSplitter {
    reader: csv_core::Reader,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// The current record went over [`MAX_ROW_BYTES`] or [`MAX_CSV_FIELDS`].
    oversize: Option<String>,
    /// Bytes of cell data in the current record (counted on after going over the limit).
    record_bytes: usize,
    /// The column of each field of the header.
    header: Option<Vec<HeaderColumn>>,
    /// Data records completed.
    records: u64,
}

impl CsvSplitter {
    fn new() -> Self {
        CsvSplitter {
            reader: csv_core::Reader::new(),
            out: vec![0; 64 * 1024],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            oversize: None,
            record_bytes: 0,
            header: None,
            records: 0,
        }
    }

    fn push(
        &mut self,
        mut input: &[u8],
        eof: bool,
        out: &mut VecDeque<InputRow>,
    ) -> Result<(), BatchError> {
        use csv_core::ReadRecordResult as R;
        loop {
            let (result, nin, nout, nend) = self.reader.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            self.record_bytes += nout;
            match result {
                R::InputEmpty => {
                    if !eof {
                        return Ok(());
                    }
                }
                R::OutputFull => {
                    if self.out.len() < MAX_ROW_BYTES {
                        let grown = (self.out.len() * 2).min(MAX_ROW_BYTES);
                        self.out.resize(grown, 0);
                    } else {
                        // Keep parsing to find the record's end, dropping its data.
                        self.oversize.get_or_insert_with(String::new);
                        self.out_len = 0;
                    }
                }
                R::OutputEndsFull => {
                    if self.ends.len() < MAX_CSV_FIELDS {
                        let grown = (self.ends.len() * 2).min(MAX_CSV_FIELDS);
                        self.ends.resize(grown, 0);
                    } else {
                        self.oversize = Some(format!("row has more than {MAX_CSV_FIELDS} cells"));
                        self.ends_len = 0;
                    }
                }
                R::Record => {
                    let record = self.take_record()?;
                    if let Some(row) = record {
                        out.push_back(row);
                    }
                }
                R::End => return Ok(()),
            }
        }
    }

    /// The completed record: the header (`None`), or a data row.
    fn take_record(&mut self) -> Result<Option<InputRow>, BatchError> {
        let oversize = self.oversize.take();
        let bytes = std::mem::take(&mut self.record_bytes);
        let (out_len, ends_len) = (self.out_len, self.ends_len);
        self.out_len = 0;
        self.ends_len = 0;
        let Some(header) = &self.header else {
            if oversize.is_some() {
                return Err(BatchError::Header("the header row is too long".into()));
            }
            let cells = cells(&self.out[..out_len], &self.ends[..ends_len])
                .map_err(|_| BatchError::Header("the header row is not UTF-8".into()))?;
            self.header = Some(parse_header(&cells)?);
            return Ok(None);
        };
        self.records += 1;
        let row = self.records;
        let record = match oversize {
            Some(m) if !m.is_empty() => Err(vec![RowError::new(m)]),
            Some(_) => Err(vec![too_long(bytes)]),
            None => match cells(&self.out[..out_len], &self.ends[..ends_len]) {
                Err(i) => Err(vec![RowError {
                    column: header.get(i).map(|c| c.name()),
                    ..RowError::new(format!("cell {} is not UTF-8 text", i + 1))
                        .kind("cell-not-utf8", vec![("cell", (i + 1).to_string())])
                }]),
                Ok(cells) => csv_record(header, &cells),
            },
        };
        let record_id = record
            .as_ref()
            .ok()
            .and_then(|v| v.get("recordId"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Some(InputRow {
            row,
            record_id,
            record,
        }))
    }
}

/// The record's cells as text; `Err(i)` if cell `i` is not UTF-8.
fn cells<'a>(data: &'a [u8], ends: &[usize]) -> Result<Vec<&'a str>, usize> {
    let mut start = 0;
    ends.iter()
        .enumerate()
        .map(|(i, &end)| {
            let cell = std::str::from_utf8(&data[start..end]).map_err(|_| i);
            start = end;
            cell
        })
        .collect()
}

fn parse_header(cells: &[&str]) -> Result<Vec<HeaderColumn>, BatchError> {
    let mut columns = Vec::with_capacity(cells.len());
    for (i, cell) in cells.iter().enumerate() {
        let mut name = cell.trim();
        if i == 0 {
            name = name.trim_start_matches('\u{feff}');
        }
        if let Some((field, tag)) = name.split_once('@') {
            let column = translation_column(name, i + 1, field, tag)?;
            if columns.contains(&column) {
                return Err(BatchError::Header(format!("column {name:?} appears twice")));
            }
            columns.push(column);
            continue;
        }
        let Some(index) = CSV_COLUMNS.iter().position(|c| c.name == name) else {
            let known: Vec<&str> = CSV_COLUMNS.iter().map(|c| c.name).collect();
            return Err(BatchError::Header(format!(
                "unknown column {name:?} (column {}); the columns are: {}; and translations, such as achievementName@th (docs/BATCH.md)",
                i + 1,
                known.join(",")
            )));
        };
        let index = HeaderColumn::Fixed(index);
        if columns.contains(&index) {
            return Err(BatchError::Header(format!("column {name:?} appears twice")));
        }
        columns.push(index);
    }
    let has = |name: &str| {
        columns
            .iter()
            .any(|c| matches!(c, HeaderColumn::Fixed(i) if CSV_COLUMNS[*i].name == name))
    };
    let mut missing: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .copied()
        .filter(|n| !has(n))
        .collect();
    let learner = has("learnerDid") || (has("learnerName") && has("learnerIdentifier"));
    if !learner {
        missing.push("learnerDid (or learnerName and learnerIdentifier)");
    }
    if !missing.is_empty() {
        return Err(BatchError::Header(format!(
            "missing column(s): {}",
            missing.join(", ")
        )));
    }
    Ok(columns)
}

/// The translation column `name` (`field@tag`, the `position`th column), or why the header
/// cannot have it.
fn translation_column(
    name: &str,
    position: usize,
    field: &str,
    tag: &str,
) -> Result<HeaderColumn, BatchError> {
    let Some(field) = TRANSLATED_COLUMNS.iter().position(|(f, _)| *f == field) else {
        let fields: Vec<&str> = TRANSLATED_COLUMNS.iter().map(|(f, _)| *f).collect();
        let native = if field.starts_with("learner") {
            "; the learner's name in the script of their own language goes in learnerNativeName"
        } else {
            ""
        };
        return Err(BatchError::Header(format!(
            "column {name:?} (column {position}): {field:?} has no translations; only {} take a language (such as achievementName@th){native}",
            fields.join(", ")
        )));
    };
    if !is_language_tag(tag) {
        return Err(BatchError::Header(format!(
            "column {name:?} (column {position}): {tag:?} is not a language tag; write the language in small letters, then a script or a region if needed, such as th, km, zh-Hans or pt-BR"
        )));
    }
    Ok(HeaderColumn::Translated {
        field,
        tag: tag.to_owned(),
    })
}

/// The statements of an `outcomes@tag` cell: separated by `;`, with `\;` and `\\` standing
/// for the characters themselves. Empty statements (a trailing `;`) are ignored.
fn statements(cell: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.last_mut().expect("one statement").push(next);
                }
            }
            ';' => out.push(String::new()),
            c => out.last_mut().expect("one statement").push(c),
        }
    }
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Maps one CSV data record to record JSON. Empty cells leave their field out.
fn csv_record(header: &[HeaderColumn], cells: &[&str]) -> Result<Value, Vec<RowError>> {
    if cells.len() != header.len() {
        return Err(vec![RowError::new(format!(
            "row has {} cells, the header has {}",
            cells.len(),
            header.len()
        ))
        .kind(
            "row-cells",
            vec![
                ("cells", cells.len().to_string()),
                ("header", header.len().to_string()),
            ],
        )]);
    }
    let mut record = Value::Object(Map::new());
    let mut translated = Vec::new();
    for (column, cell) in header.iter().zip(cells) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let column = match column {
            HeaderColumn::Fixed(i) => &CSV_COLUMNS[*i],
            HeaderColumn::Translated { field, tag } => {
                translated.push((*field, tag, cell));
                continue;
            }
        };
        let value = match column.kind {
            Cell::Text => Value::String(cell.to_owned()),
            // Left as text when it is not a JSON number, so the schema names the problem.
            Cell::Number => cell
                .parse::<Number>()
                .map(Value::Number)
                .unwrap_or_else(|_| Value::String(cell.to_owned())),
            Cell::Outcomes => outcomes(cell),
        };
        insert_at(&mut record, column.pointer, value);
    }
    // After the columns they translate, whatever the order of the header.
    let mut errors = Vec::new();
    for (field, tag, cell) in translated {
        let (name, key) = TRANSLATED_COLUMNS[field];
        if !key.is_empty() {
            let pointer = format!("/achievement/translations/{tag}/{key}");
            insert_at(&mut record, &pointer, Value::String(cell.to_owned()));
            continue;
        }
        let said = statements(cell);
        let outcomes = record
            .pointer_mut("/achievement/learningOutcomes")
            .and_then(Value::as_array_mut);
        let count = outcomes.as_ref().map_or(0, |o| o.len());
        match outcomes {
            Some(outcomes) if count == said.len() => {
                for (outcome, statement) in outcomes.iter_mut().zip(said) {
                    if let Some(o) = outcome.as_object_mut() {
                        let map = o
                            .entry("translations")
                            .or_insert_with(|| Value::Object(Map::new()));
                        if let Some(map) = map.as_object_mut() {
                            map.insert(tag.clone(), Value::String(statement));
                        }
                    }
                }
            }
            _ => {
                let column = format!("{name}@{tag}");
                errors.push(RowError {
                    column: Some(column.clone()),
                    ..RowError::new(format!(
                        "{column} has {} statements and outcomes has {count} outcomes: write one statement for each outcome, in the same order, separated by ;",
                        said.len()
                    ))
                    .kind(
                        "outcome-count",
                        vec![
                            ("column", column),
                            ("count", said.len().to_string()),
                            ("outcomes", count.to_string()),
                        ],
                    )
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(record)
    } else {
        Err(errors)
    }
}

/// Sets `value` at a JSON Pointer of plain object keys, creating objects on the way.
fn insert_at(root: &mut Value, pointer: &str, value: Value) {
    let mut node = root;
    let mut keys = pointer.trim_start_matches('/').split('/').peekable();
    while let Some(key) = keys.next() {
        let map = node
            .as_object_mut()
            .expect("CSV columns only build objects");
        if keys.peek().is_none() {
            map.insert(key.to_owned(), value);
            return;
        }
        node = map
            .entry(key.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// The `outcomes` cell: outcomes separated by `;`, each `statement`, `code|statement` or
/// `code|statement|url`; `\;`, `\|` and `\\` stand for the characters themselves. Empty
/// outcomes (a trailing `;`) are ignored.
fn outcomes(cell: &str) -> Value {
    let mut items = Vec::new();
    let mut parts = vec![String::new()];
    let mut chars = cell.chars();
    let mut flush = |parts: &mut Vec<String>| {
        let fields: Vec<String> = parts.drain(..).map(|p| p.trim().to_owned()).collect();
        parts.push(String::new());
        if fields.iter().all(String::is_empty) {
            return;
        }
        let mut outcome = Map::new();
        let (code, statement, url) = match fields.as_slice() {
            [s] => (None, Some(s), None),
            [c, s] => (Some(c), Some(s), None),
            [c, s, u, ..] => (Some(c), Some(s), Some(u)),
            [] => (None, None, None),
        };
        for (key, v) in [("code", code), ("statement", statement), ("url", url)] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                outcome.insert(key.into(), Value::String(v.clone()));
            }
        }
        if fields.len() > 3 {
            // Kept so the schema reports it rather than dropping text silently.
            outcome.insert("extra".into(), Value::String(fields[3..].join("|")));
        }
        items.push(Value::Object(outcome));
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    parts.last_mut().expect("one part").push(next);
                }
            }
            '|' => parts.push(String::new()),
            ';' => flush(&mut parts),
            c => parts.last_mut().expect("one part").push(c),
        }
    }
    flush(&mut parts);
    Value::Array(items)
}

/// Names the CSV column of each error that has a path.
fn annotate_columns(errors: &mut [RowError]) {
    for e in errors {
        if e.column.is_none() {
            e.column = e.path.as_deref().and_then(csv_column_for);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP: issuing through the service

/// Errors of the service for one row, as row errors. Internal failures are logged and reported
/// without their details, as the API does everywhere.
pub fn service_errors(e: ServiceError) -> Vec<RowError> {
    match e {
        ServiceError::Record(RecordError::Invalid(violations)) => violations
            .into_iter()
            .map(RowError::from_violation)
            .collect(),
        ServiceError::Internal(cause) => {
            tracing::error!(error = %cause, "internal error in a batch row");
            vec![RowError::new(
                "internal error; the server log has the details",
            )]
        }
        other => vec![RowError::new(other.to_string())],
    }
}

/// Issues one row through the service.
pub async fn issue_row(
    service: &Service,
    institution: &Institution,
    issuance: Issuance,
    offers: Option<&Offers>,
    format: Format,
    row: InputRow,
) -> RowResult {
    let mut result = match row.record {
        Err(errors) => RowResult::failed(row.row, row.record_id, errors),
        Ok(record) => match service.issue_record(institution, &record, issuance).await {
            Ok(issued) => {
                let mut done =
                    RowResult::done(row.row, row.record_id, issued.created, &issued.credential);
                done.verify_url = done
                    .credential_id
                    .as_deref()
                    .map(|id| service.verify_page_url(id));
                if let (Some(offers), true, Some(id)) =
                    (offers, issued.created, done.credential_id.clone())
                {
                    match offer::create(service, &offers.config, institution, &id, &offers.options)
                        .await
                    {
                        Ok(made) => {
                            done.claim_url = Some(made.links.claim_url.clone());
                            done.offer = Some(Box::new(made));
                        }
                        Err(e) => done.errors.push(RowError::new(format!(
                            "the credential was issued, but no claim offer could be made ({e}); make one with POST /credentials/{{id}}/offers"
                        ))),
                    }
                }
                done
            }
            Err(e) => RowResult::failed(row.row, row.record_id, service_errors(e)),
        },
    };
    if format == Format::Csv {
        annotate_columns(&mut result.errors);
    }
    result
}

/// Claim offers to make for each newly issued row.
#[derive(Clone, Debug)]
pub struct Offers {
    pub config: WalletConfig,
    pub options: OfferOptions,
}

/// A batch issued through the [`Service`] from a stream of body chunks (`POST /records/batch`).
pub struct ServiceBatch<S> {
    service: Arc<Service>,
    institution: Arc<Institution>,
    issuance: Issuance,
    offers: Option<Arc<Offers>>,
    source: Source<S>,
}

struct Source<S> {
    chunks: S,
    parser: RowParser,
    pending: VecDeque<InputRow>,
    read: u64,
    limit: u64,
    done: bool,
    ended: bool,
}

enum Item {
    Row(InputRow),
    Abort(BatchError),
    End { skipped: u64 },
}

impl<S, B, E> Source<S>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: fmt::Display,
{
    /// Reads one more chunk into the parser. `Ok(false)` at the end of the input.
    async fn fill(&mut self) -> Result<bool, BatchError> {
        match self.chunks.next().await {
            Some(Ok(chunk)) => {
                let chunk = chunk.as_ref();
                self.read += chunk.len() as u64;
                if self.read > self.limit {
                    return Err(BatchError::TooLarge { limit: self.limit });
                }
                self.parser.push(chunk, &mut self.pending)?;
                Ok(true)
            }
            Some(Err(e)) => Err(BatchError::Read(e.to_string())),
            None => {
                self.parser.finish(&mut self.pending)?;
                Ok(false)
            }
        }
    }

    async fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Some(Item::Row(row));
            }
            if self.done {
                if self.ended {
                    return None;
                }
                self.ended = true;
                return Some(Item::End {
                    skipped: self.parser.skipped(),
                });
            }
            match self.fill().await {
                Ok(true) => {}
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    self.ended = true;
                    return Some(Item::Abort(e));
                }
            }
        }
    }
}

impl<S, B, E> ServiceBatch<S>
where
    S: Stream<Item = Result<B, E>> + Unpin + Send + 'static,
    B: AsRef<[u8]>,
    E: fmt::Display,
{
    /// A batch reading `chunks` (at most `limit` bytes) in `format`.
    pub fn new(
        service: Arc<Service>,
        institution: Institution,
        issuance: Issuance,
        format: Format,
        chunks: S,
        limit: u64,
    ) -> Self {
        ServiceBatch {
            service,
            institution: Arc::new(institution),
            issuance,
            offers: None,
            source: Source {
                chunks,
                parser: RowParser::new(format),
                pending: VecDeque::new(),
                read: 0,
                limit,
                done: false,
                ended: false,
            },
        }
    }

    /// Makes a claim offer for each newly issued credential; its links go in the row's result.
    pub fn with_offers(mut self, offers: Offers) -> Self {
        self.offers = Some(Arc::new(offers));
        self
    }

    /// Reads until the CSV header has been parsed, so a bad header (or an input over the limit
    /// before it) is refused before any result is sent.
    pub async fn start(&mut self) -> Result<(), BatchError> {
        while !self.source.parser.header_done() && !self.source.done {
            if !self.source.fill().await? {
                self.source.done = true;
            }
        }
        Ok(())
    }

    /// Issues every row, at most `concurrency` at once (at least 16, default 4 per CPU), and
    /// sends the result lines to `lines` in input order, then the summary line. Stops early
    /// (rows in progress still complete) if `lines` is closed.
    pub async fn run(self, lines: tokio::sync::mpsc::Sender<String>) {
        let concurrency = std::thread::available_parallelism().map_or(MIN_HTTP_CONCURRENCY, |n| {
            (n.get() * 4).max(MIN_HTTP_CONCURRENCY)
        });
        let ServiceBatch {
            service,
            institution,
            issuance,
            offers,
            source,
        } = self;
        let format = source.parser.format();
        let items = futures_util::stream::unfold(source, |mut source| async move {
            source.next_item().await.map(|item| (item, source))
        });
        let results = items
            .map(|item| {
                let (service, institution) = (service.clone(), institution.clone());
                let offers = offers.clone();
                let (row, record_id) = match &item {
                    Item::Row(r) => (r.row, r.record_id.clone()),
                    _ => (0, None),
                };
                // A task per row, so rows are validated and signed on every core.
                let task = tokio::spawn(async move {
                    match item {
                        Item::Row(r) => Outcome::Row(
                            issue_row(
                                &service,
                                &institution,
                                issuance,
                                offers.as_deref(),
                                format,
                                r,
                            )
                            .await,
                        ),
                        Item::Abort(e) => Outcome::Abort(e),
                        Item::End { skipped } => Outcome::End { skipped },
                    }
                });
                async move {
                    task.await.unwrap_or_else(|e| {
                        tracing::error!(error = %e, row, "batch row task failed");
                        Outcome::Row(RowResult::failed(
                            row,
                            record_id,
                            vec![RowError::new(
                                "internal error; the server log has the details",
                            )],
                        ))
                    })
                }
            })
            .buffered(concurrency);
        futures_util::pin_mut!(results);
        let mut summary = Summary {
            complete: true,
            ..Summary::default()
        };
        while let Some(item) = results.next().await {
            let line = match item {
                Outcome::Row(result) => {
                    summary.count(&result);
                    result.to_line()
                }
                Outcome::Abort(e) => {
                    summary.complete = false;
                    e.to_line()
                }
                Outcome::End { skipped } => {
                    summary.skipped = skipped;
                    continue;
                }
            };
            if lines.send(line).await.is_err() {
                return;
            }
        }
        let _ = lines.send(summary.to_line()).await;
    }
}

enum Outcome {
    Row(RowResult),
    Abort(BatchError),
    End { skipped: u64 },
}

// ---------------------------------------------------------------------------------------------
// CLI: offline signing with a key file

/// Arguments of `skillpass batch`.
#[derive(Debug)]
pub struct CliBatch {
    pub key: PathBuf,
    /// A file, or `-` for stdin.
    pub input: PathBuf,
    pub format: Option<Format>,
    pub out: PathBuf,
    pub suite: Cryptosuite,
    /// Worker threads; the number of CPUs when `None`.
    pub jobs: Option<usize>,
}

/// The output file name of a record id: letters, digits, `-`, `_` and `.` stay, every other
/// byte becomes `%XX`, a leading `.` too (no hidden files), and so does the `r` of an id that
/// looks like `row-N` (which names rows without a record id). Ids that would make a name
/// longer than 200 bytes use `%sha256-<hex>.json`. Different ids never share a name (on a
/// case-sensitive file system).
pub fn record_file_name(record_id: &str) -> String {
    let mut name = String::with_capacity(record_id.len() + 5);
    let looks_like_row = record_id
        .strip_prefix("row-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    for (i, b) in record_id.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if plain && !(i == 0 && looks_like_row) {
            name.push(char::from(b));
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    if name.len() > 200 {
        let digest = Sha256::digest(record_id.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        return format!("%sha256-{hex}.json");
    }
    name.push_str(".json");
    name
}

struct Offline {
    key: SecretKey,
    suite: Cryptosuite,
    out: PathBuf,
    format: Format,
}

impl Offline {
    fn issue(&self, row: InputRow) -> RowResult {
        let mut result = self.issue_inner(row);
        if self.format == Format::Csv {
            annotate_columns(&mut result.errors);
        }
        result
    }

    fn issue_inner(&self, row: InputRow) -> RowResult {
        let InputRow {
            row,
            record_id,
            record,
        } = row;
        let record = match record {
            Ok(r) => r,
            Err(errors) => return RowResult::failed(row, record_id, errors),
        };
        let name = match &record_id {
            Some(id) => record_file_name(id),
            None => format!("row-{row}.json"),
        };
        let path = self.out.join(&name);
        if record_id.is_some() {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    // A file that is not a whole signed credential (say, torn by a power cut
                    // before the system wrote it out) is issued again.
                    if let Ok(vc) = serde_json::from_slice::<Value>(&bytes) {
                        if vc.get("id").and_then(Value::as_str).is_some()
                            && vc.get("proof").is_some()
                        {
                            return RowResult::done(row, record_id, false, &vc);
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return RowResult::failed(
                        row,
                        record_id,
                        vec![RowError::new(format!(
                            "cannot read {}: {e}",
                            path.display()
                        ))],
                    )
                }
            }
        }
        let signed =
            match crate::credential::issue_offline(&record, &self.key, self.suite, Utc::now()) {
                Ok(vc) => vc,
                Err(e) => {
                    let errors = match e.downcast_ref::<RecordError>() {
                        Some(RecordError::Invalid(violations)) => violations
                            .iter()
                            .map(|v| RowError::at(v.path.clone(), v.message.clone()))
                            .collect(),
                        _ => vec![RowError::new(format!("{e:#}"))],
                    };
                    return RowResult::failed(row, record_id, errors);
                }
            };
        match write_atomically(&self.out, &name, &signed) {
            Ok(()) => RowResult::done(row, record_id, true, &signed),
            Err(e) => RowResult::failed(
                row,
                record_id,
                vec![RowError::new(format!(
                    "cannot write {}: {e:#}",
                    path.display()
                ))],
            ),
        }
    }
}

/// Writes `DIR/name` through a temporary file in the same folder, then renames it, so the name
/// never shows a partly written file. Files are not synced one by one (on the test machine an
/// `fsync` per row cost more than signing it); after a power cut, running the batch again
/// re-issues any file that did not reach the disk whole.
fn write_atomically(dir: &Path, name: &str, credential: &Value) -> Result<()> {
    let mut text = serde_json::to_vec_pretty(credential)?;
    text.push(b'\n');
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&text)?;
        std::fs::rename(&tmp, dir.join(name))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(written?)
}

/// A counting semaphore that can be closed (then `acquire` fails).
struct Window {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Window {
    fn new(permits: usize) -> Self {
        Window {
            state: Mutex::new((permits, false)),
            changed: Condvar::new(),
        }
    }

    fn acquire(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.0 == 0 && !state.1 {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        if state.1 {
            return false;
        }
        state.0 -= 1;
        true
    }

    fn release(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 += 1;
        self.changed.notify_one();
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.changed.notify_all();
    }
}

/// `skillpass batch`: signs every row with a key file into `--out`, writing `results.jsonl`.
/// Exit 0 when every row was issued or existed, 1 when some rows had errors; an `Err` (exit 2)
/// when the batch could not run.
pub fn run_cli(args: CliBatch) -> Result<ExitCode> {
    let stdin = args.input.as_os_str() == "-";
    let format = match args.format {
        Some(f) => f,
        None if stdin => bail!("reading stdin: pass --format jsonl or --format csv"),
        None => Format::from_path(&args.input).ok_or_else(|| {
            anyhow!(
                "cannot tell the format of {} from its extension (.jsonl, .ndjson or .csv): pass --format",
                args.input.display()
            )
        })?,
    };
    let key = keys::read_secret_key_file(&args.key)?;
    let (input, total): (Box<dyn Read + Send>, Option<u64>) = if stdin {
        (Box::new(std::io::stdin()), None)
    } else {
        let file = std::fs::File::open(&args.input)
            .with_context(|| format!("cannot open {}", args.input.display()))?;
        let len = file.metadata().ok().map(|m| m.len());
        (Box::new(file), len)
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    let results_path = args.out.join("results.jsonl");
    let mut results = std::io::BufWriter::new(
        std::fs::File::create(&results_path)
            .with_context(|| format!("cannot create {}", results_path.display()))?,
    );
    let jobs = args
        .jobs
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));

    let progress = progress_bar(total);
    let offline = Offline {
        key,
        suite: args.suite,
        out: args.out.clone(),
        format,
    };
    let summary = run_threads(input, format, jobs, &offline, &mut results, &progress)?;
    results
        .flush()
        .and_then(|()| results.get_ref().sync_all())
        .with_context(|| format!("cannot write {}", results_path.display()))?;
    progress.finish_and_clear();
    eprintln!(
        "batch: {} rows: {} issued, {} existing, {} errors{}; results in {}",
        summary.rows,
        summary.issued,
        summary.existing,
        summary.errors,
        if summary.skipped > 0 {
            format!(" ({} blank lines skipped)", summary.skipped)
        } else {
            String::new()
        },
        results_path.display()
    );
    Ok(if summary.errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn progress_bar(total: Option<u64>) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(total, target);
    let template = if total.is_some() {
        "{spinner} [{elapsed_precise}] [{bar:25}] {bytes}/{total_bytes} {msg}"
    } else {
        "{spinner} [{elapsed_precise}] {bytes} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Reader thread → `jobs` signing threads → this thread, which writes results in input order.
/// At most `4 × jobs` rows are in flight, so memory stays flat however long the input is.
fn run_threads(
    mut input: Box<dyn Read + Send>,
    format: Format,
    jobs: usize,
    offline: &Offline,
    results: &mut impl Write,
    progress: &indicatif::ProgressBar,
) -> Result<Summary> {
    let window = Window::new(jobs * 4);
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::channel::<(u64, InputRow)>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, RowResult)>();

    let (window, stop) = (&window, &stop);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<u64> {
            let mut parser = RowParser::new(format);
            let mut rows = VecDeque::new();
            let mut buf = vec![0u8; 256 * 1024];
            let mut seq = 0u64;
            loop {
                let n = match input.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(anyhow!("cannot read the input: {e}")),
                };
                if n == 0 {
                    parser.finish(&mut rows)?;
                } else {
                    parser.push(&buf[..n], &mut rows)?;
                    progress.inc(n as u64);
                }
                for row in rows.drain(..) {
                    if stop.load(Ordering::Relaxed) || !window.acquire() {
                        return Ok(parser.skipped());
                    }
                    if job_tx.send((seq, row)).is_err() {
                        return Ok(parser.skipped());
                    }
                    seq += 1;
                }
                if n == 0 {
                    return Ok(parser.skipped());
                }
            }
        });
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || loop {
                let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, row)) = job else { return };
                if done_tx.send((seq, offline.issue(row))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);

        let mut summary = Summary {
            complete: true,
            ..Summary::default()
        };
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        let mut failure = None;
        for (seq, result) in done_rx {
            waiting.insert(seq, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                window.release();
                if failure.is_some() {
                    continue;
                }
                summary.count(&result);
                if let Err(e) = results.write_all(result.to_line().as_bytes()) {
                    failure = Some(anyhow!("cannot write results.jsonl: {e}"));
                    stop.store(true, Ordering::Relaxed);
                    window.close();
                }
                progress.set_message(format!("{} rows, {} errors", summary.rows, summary.errors));
            }
        }
        let read = reader
            .join()
            .map_err(|_| anyhow!("the input reader panicked"))?;
        if let Some(e) = failure {
            return Err(e);
        }
        summary.skipped = read.map_err(|e| {
            // A header problem or unreadable input: what was written is kept, but the batch failed.
            e.context("the batch stopped")
        })?;
        results.write_all(summary.to_line().as_bytes())?;
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(format: Format, input: &[u8], chunk: usize) -> Vec<InputRow> {
        let mut parser = RowParser::new(format);
        let mut out = VecDeque::new();
        for part in input.chunks(chunk.max(1)) {
            parser.push(part, &mut out).unwrap();
        }
        parser.finish(&mut out).unwrap();
        out.into_iter().collect()
    }

    #[test]
    fn jsonl_rows_are_lines_whatever_the_chunks() {
        let input = b"\xEF\xBB\xBF{\"recordId\":\"a\"}\r\n\n  \n{bad\n[1]\n{\"recordId\":\"a\"}";
        for chunk in [1, 2, 3, 7, 1000] {
            let rows = parse_all(Format::Jsonl, input, chunk);
            let numbers: Vec<u64> = rows.iter().map(|r| r.row).collect();
            assert_eq!(numbers, [1, 4, 5, 6], "chunk {chunk}");
            assert_eq!(rows[0].record_id.as_deref(), Some("a"));
            assert!(rows[0].record.is_ok());
            let e = rows[1].record.as_ref().unwrap_err();
            assert!(
                e[0].message.starts_with("malformed JSON at column 2"),
                "{e:?}"
            );
            assert!(rows[2].record.is_ok(), "not an object is the schema's call");
            let dup = rows[3].record.as_ref().unwrap_err();
            assert_eq!(dup[0].path.as_deref(), Some("/recordId"));
            assert!(dup[0].message.contains("row 1"), "{dup:?}");
        }
    }

    #[test]
    fn over_long_line_is_an_error_row_and_the_next_line_survives() {
        let mut input = vec![b'x'; MAX_ROW_BYTES + 10];
        input.extend_from_slice(b"\n{\"recordId\":\"b\"}\n");
        let mut parser = RowParser::new(Format::Jsonl);
        let mut out = VecDeque::new();
        for part in input.chunks(4096) {
            parser.push(part, &mut out).unwrap();
            assert!(parser.lines.buf.len() <= MAX_ROW_BYTES);
        }
        parser.finish(&mut out).unwrap();
        assert_eq!(out.len(), 2);
        let e = out[0].record.as_ref().unwrap_err();
        assert!(
            e[0].message
                .contains(&format!("{} bytes", MAX_ROW_BYTES + 10)),
            "{e:?}"
        );
        assert_eq!(out[1].row, 2);
        assert_eq!(out[1].record_id.as_deref(), Some("b"));
    }

    #[test]
    fn csv_maps_columns_to_record_fields() {
        let input = "recordId,learnerName,learnerIdentifier,achievementName,achievementDescription,criteria,outcomes,fieldOfStudy,levelFramework,levelCode,credits,creditSystem,learningHours,awardedDate,issuerName,issuerUrl,issuerCountry\n\
            R1,Tendai,\"Z/1\",Solar,\"Desc, with comma\",Crit,\"LO1|Size a PV array;|Wire it\\; safely|https://x.example/lo\",0713,ZNQF,4,12,ZNQF,120.5,2025-04-25T14:00:00+02:00,ZVP,https://zvp.example/,ZW\n\
            \n\
            R2,,,,,,,,,,abc,,,,,,\n\
            R3,only,three\n";
        for chunk in [1, 5, 4096] {
            let rows = parse_all(Format::Csv, input.as_bytes(), chunk);
            assert_eq!(rows.len(), 3, "chunk {chunk}");
            let r1 = rows[0].record.as_ref().unwrap();
            assert_eq!(
                r1["learner"],
                json!({"name": "Tendai", "identifier": {"value": "Z/1"}})
            );
            assert_eq!(r1["achievement"]["description"], "Desc, with comma");
            assert_eq!(
                r1["achievement"]["learningOutcomes"],
                json!([
                    {"code": "LO1", "statement": "Size a PV array"},
                    {"statement": "Wire it; safely", "url": "https://x.example/lo"}
                ])
            );
            assert_eq!(
                r1["achievement"]["credits"],
                json!({"value": 12, "system": "ZNQF"})
            );
            assert_eq!(r1["achievement"]["learningHours"], json!(120.5));
            let r2 = rows[1].record.as_ref().unwrap();
            assert_eq!(
                r2,
                &json!({"recordId": "R2", "achievement": {"credits": {"value": "abc"}}})
            );
            assert_eq!(rows[1].row, 2);
            let e = rows[2].record.as_ref().unwrap_err();
            assert_eq!(e[0].message, "row has 3 cells, the header has 17");
        }
    }

    #[test]
    fn language_tags_are_read_as_the_record_schema_reads_them() {
        for good in [
            "th",
            "km",
            "zh-Hans",
            "pt-BR",
            "es-419",
            "fil",
            "sr-Latn-RS",
        ] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "", "TH", "thai", "t", "zh-hans", "zh_Hans", "pt-br", "th-", "en-US-x",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn translation_columns_fill_the_records_translations() {
        // The mapping alone (a whole file needs every required column).
        let header = [
            "learnerNativeName",
            "achievementName",
            "achievementName@th",
            "criteria@km",
            "outcomes@th",
            "outcomes",
            "inLanguage",
        ];
        let mut columns = Vec::new();
        for name in header {
            columns.push(match name.split_once('@') {
                Some((field, tag)) => translation_column(name, 1, field, tag).unwrap(),
                None => {
                    HeaderColumn::Fixed(CSV_COLUMNS.iter().position(|c| c.name == name).unwrap())
                }
            });
        }
        let row = |cells: &[&str]| csv_record(&columns, cells);
        let r = row(&[
            "มาลี",
            "Robots",
            "หุ่นยนต์",
            "តេស្ត",
            "ล็อก\\; ตัด;เปลี่ยน",
            "A|Lock out;Replace",
            "en",
        ])
        .unwrap();
        let r = &r;
        assert_eq!(r["learner"]["nativeName"], "มาลี");
        assert_eq!(r["achievement"]["inLanguage"], "en");
        assert_eq!(
            r["achievement"]["translations"],
            json!({"th": {"name": "หุ่นยนต์"}, "km": {"criteria": "តេស្ត"}})
        );
        assert_eq!(
            r["achievement"]["learningOutcomes"],
            json!([
                {"code": "A", "statement": "Lock out", "translations": {"th": "ล็อก; ตัด"}},
                {"statement": "Replace", "translations": {"th": "เปลี่ยน"}},
            ])
        );
        // One statement for two outcomes: the row is refused at the translation's column.
        let e = row(&["", "Robots", "", "", "ล็อก", "A|Lock out;Replace", ""]).unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("outcomes@th"));
        assert_eq!(e[0].kind, "outcome-count");
        assert!(e[0].message.contains("has 1 statements"), "{e:?}");
    }

    #[test]
    fn csv_header_problems_stop_the_batch() {
        let mut parser = RowParser::new(Format::Csv);
        let mut out = VecDeque::new();
        let err = parser.push(b"recordId,learnerDID\n", &mut out).unwrap_err();
        assert!(
            err.to_string().contains("unknown column \"learnerDID\""),
            "{err}"
        );
        let mut parser = RowParser::new(Format::Csv);
        let err = parser.push(b"recordId,learnerDid\n", &mut out).unwrap_err();
        assert!(
            err.to_string()
                .contains("missing column(s): achievementName"),
            "{err}"
        );
        for (header, words) in [
            (
                "learnerDid,achievementName@Thai\n",
                "column \"achievementName@Thai\" (column 2): \"Thai\" is not a language tag",
            ),
            (
                "learnerDid,fieldOfStudy@th\n",
                "column \"fieldOfStudy@th\" (column 2): \"fieldOfStudy\" has no translations",
            ),
            (
                "learnerDid,criteria@th,criteria@th\n",
                "column \"criteria@th\" appears twice",
            ),
        ] {
            let mut parser = RowParser::new(Format::Csv);
            let err = parser.push(header.as_bytes(), &mut out).unwrap_err();
            assert!(err.to_string().contains(words), "{err}");
        }
    }

    #[test]
    fn csv_columns_for_paths() {
        let column = |path: &str| csv_column_for(path);
        assert_eq!(
            column("/achievement/learningOutcomes/2/statement").as_deref(),
            Some("outcomes")
        );
        assert_eq!(
            column("/learner/identifier/value").as_deref(),
            Some("learnerIdentifier")
        );
        assert_eq!(column("/learner"), None);
        assert_eq!(column("/achievement/levelX"), None);
        assert_eq!(
            column("/achievement/translations/th/name").as_deref(),
            Some("achievementName@th")
        );
        assert_eq!(
            column("/achievement/translations/zh-Hans/description").as_deref(),
            Some("achievementDescription@zh-Hans")
        );
        assert_eq!(
            column("/achievement/translations/km").as_deref(),
            Some("achievementName@km")
        );
        assert_eq!(
            column("/achievement/learningOutcomes/1/translations/th").as_deref(),
            Some("outcomes@th")
        );
        assert_eq!(
            column("/learner/nativeName").as_deref(),
            Some("learnerNativeName")
        );
    }

    #[test]
    fn record_file_names_are_safe_and_distinct() {
        assert_eq!(
            record_file_name("SZPU-2025S-DMA2316-0042"),
            "SZPU-2025S-DMA2316-0042.json"
        );
        assert_eq!(record_file_name("ZVP/2024/0457"), "ZVP%2F2024%2F0457.json");
        assert_eq!(record_file_name(".."), "%2E..json");
        assert_eq!(record_file_name("row-7"), "%72ow-7.json");
        assert_eq!(record_file_name("row-x"), "row-x.json");
        assert_eq!(record_file_name("a%2F"), "a%252F.json");
        let long = record_file_name(&"/".repeat(128));
        assert!(long.starts_with("%sha256-") && long.len() < 100, "{long}");
    }

    #[test]
    fn media_types() {
        assert_eq!(
            Format::from_media_type("application/x-ndjson"),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::from_media_type("application/jsonl; charset=utf-8"),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::from_media_type("Text/CSV;charset=\"UTF-8\""),
            Some(Format::Csv)
        );
        assert_eq!(Format::from_media_type("text/csv; charset=latin1"), None);
        assert_eq!(Format::from_media_type("application/json"), None);
    }
}
