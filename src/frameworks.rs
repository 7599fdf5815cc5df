//! Qualifications frameworks as data: levels, credit systems and level referencing.
//!
//! Every framework is one JSON file under `schemas/frameworks/`, valid against
//! `schemas/framework.schema.json` (JSON Schema 2020-12). The bundled files are compiled into the
//! binary; an alliance can load extra files next to them (a file whose `id` equals a bundled
//! framework's replaces it, e.g. the real Shenzhen Agreement framework replacing the example).
//!
//! Loading validates each file against the schema, then cross-checks the whole set: unknown
//! frameworks and levels, duplicate codes and ids, levels a referencing forgets (gaps),
//! referencing that runs backwards (non-monotonic), impossible hour ranges and cycles among
//! frameworks. Every problem is reported at once, naming the file and the JSON Pointer inside it.
//!
//! Facts carry a [`Status`]: `official` (endorsed report or official text), `provisional`
//! (sourced, but not an endorsed decision) or `example` (not public; illustrative data). The
//! recognition engine ([`crate::recognition`]) carries the weakest status into every result.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

use jsonschema::{Draft, Validator};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::schema;

/// The framework JSON Schema (2020-12), embedded.
pub const FRAMEWORK_SCHEMA: &str = include_str!("../schemas/framework.schema.json");

macro_rules! bundled {
    ($($file:literal),* $(,)?) => {
        &[$((concat!("schemas/frameworks/", $file), include_str!(concat!("../schemas/frameworks/", $file)))),*]
    };
}

/// The bundled framework files: (path in the repository, contents).
pub const BUNDLED_FILES: &[(&str, &str)] = bundled![
    "aqrf.json",
    "eqf.json",
    "acqf.json",
    "sadcqf.json",
    "isced-2011.json",
    "mqf.json",
    "my-skm.json",
    "th-tqf.json",
    "la-nvqf.json",
    "gh-ntvetqf.json",
    "znqf.json",
    "cn-voc.json",
    "cn-1x.json",
    "sz-agreement.json",
    "kh-cqf.json",
    "th-voc.json",
];

/// How far a fact can be relied on. Ordered weakest first, so the weakest link of a chain is
/// the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not public: illustrative data for the alliance to edit.
    Example,
    /// Sourced, but not an endorsed decision (report in progress, secondary source, inference
    /// from sourced definitions).
    Provisional,
    /// From an endorsed referencing report or official text.
    Official,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Example => "example",
            Status::Provisional => "provisional",
            Status::Official => "official",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What sort of framework a file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    National,
    Sectoral,
    Reference,
    Classification,
    Alliance,
}

/// A citation: a tag of `shared/reference/frameworks.md` (`S5`) and its URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.reference)
    }
}

/// One level of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level {
    pub code: String,
    pub name: String,
    pub typical_qualifications: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Hours per credit: one value or a range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HoursPerCredit {
    Value { value: f64 },
    Range { min: f64, max: f64 },
}

impl HoursPerCredit {
    /// (lowest, highest) hours per credit; equal for a single value.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            HoursPerCredit::Value { value } => (value, value),
            HoursPerCredit::Range { min, max } => (min, max),
        }
    }

    pub fn is_range(&self) -> bool {
        let (lo, hi) = self.bounds();
        lo != hi
    }
}

impl fmt::Display for HoursPerCredit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, hi) = self.bounds();
        if lo == hi {
            write!(f, "{} h", num(lo))
        } else {
            write!(f, "{}–{} h", num(lo), num(hi))
        }
    }
}

/// Whether a credit counts total learning time or only class time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HoursBasis {
    /// Total (notional) learning time, i.e. workload.
    #[default]
    Notional,
    /// Class or contact hours only.
    Contact,
}

/// A credit system and its rule (the "credit rule" of a framework).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditSystem {
    pub id: String,
    pub unit_name: String,
    /// `None`: the system defines no hours per credit (ECVET).
    pub hours_per_credit: Option<HoursPerCredit>,
    #[serde(default)]
    pub hours_basis: HoursBasis,
    /// Granularity of awarded credits (1 = whole credits).
    #[serde(default = "one")]
    pub step: f64,
    pub status: Status,
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn one() -> f64 {
    1.0
}

/// One level's counterpart(s) in the target framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub level: String,
    /// Two or more when the level spans target levels.
    pub targets: Vec<String>,
    /// Weakens the entry's status for this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A level deliberately left without a counterpart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unreferenced {
    pub level: String,
    pub reason: String,
}

/// How a framework's levels relate to the levels of one target framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referencing {
    pub target: String,
    pub status: Status,
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub levels: Vec<Mapping>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreferenced: Vec<Unreferenced>,
}

impl Referencing {
    /// The status of one mapping: the entry's, weakened by the mapping's own if it has one.
    pub fn mapping_status(&self, mapping: &Mapping) -> Status {
        mapping.status.map_or(self.status, |s| s.min(self.status))
    }

    /// The mapping of `level`, if the level has one.
    pub fn mapping(&self, level: &str) -> Option<&Mapping> {
        self.levels.iter().find(|m| m.level == level)
    }

    /// Why `level` is deliberately unreferenced, if it is.
    pub fn unreferenced_reason(&self, level: &str) -> Option<&str> {
        self.unreferenced
            .iter()
            .find(|u| u.level == level)
            .map(|u| u.reason.as_str())
    }
}

/// One qualifications framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Status of the level structure itself.
    pub status: Status,
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Facts not found in public sources.
    #[serde(default)]
    pub not_public: Vec<String>,
    /// Lowest first.
    pub levels: Vec<Level>,
    pub credit_systems: Vec<CreditSystem>,
    pub referencing: Vec<Referencing>,
    /// The file the framework was loaded from.
    #[serde(skip)]
    file: String,
}

impl Framework {
    pub fn level(&self, code: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.code == code)
    }

    /// Position of a level in the framework's order (0 = lowest).
    pub fn level_rank(&self, code: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.code == code)
    }

    /// This framework's referencing to `target`, if any.
    pub fn referencing_to(&self, target: &str) -> Option<&Referencing> {
        self.referencing.iter().find(|r| r.target == target)
    }

    /// The default (first) credit system.
    pub fn default_credit_system(&self) -> Option<&CreditSystem> {
        self.credit_systems.first()
    }

    /// The file this framework was loaded from (`schemas/frameworks/mqf.json`, or the name an
    /// extra file was given).
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// A framework file to load: a name for messages (usually its path) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkFile {
    pub name: String,
    pub text: String,
}

impl FrameworkFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        FrameworkFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads a file from disk; the name is its path.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Problem> {
        let path = path.as_ref();
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(FrameworkFile { name, text }),
            Err(e) => Err(Problem::new(
                name,
                "",
                ProblemKind::Io,
                format!("cannot read: {e}"),
            )),
        }
    }
}

/// The kind of a loading problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The file could not be read.
    Io,
    /// Not JSON.
    Json,
    /// Breaks `schemas/framework.schema.json`.
    Schema,
    /// Two files define the same framework id.
    DuplicateFramework,
    /// A level code appears twice in one framework.
    DuplicateLevel,
    /// A credit-system id is defined twice.
    DuplicateCreditSystem,
    /// Two referencing entries to the same target, a level mapped twice, or a target repeated.
    DuplicateMapping,
    /// A referencing target that is not loaded.
    UnknownFramework,
    /// A level code that its framework does not have.
    UnknownLevel,
    /// Frameworks referencing each other in a circle (including themselves).
    Cycle,
    /// A level a referencing entry neither maps nor lists as unreferenced.
    Gap,
    /// A higher level mapped below a lower one.
    NonMonotonic,
    /// An hours range whose minimum exceeds its maximum.
    BadRange,
}

/// One problem found while loading, located by file and JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    pub file: String,
    /// JSON Pointer (RFC 6901) inside the file; `""` for the whole file.
    pub path: String,
    pub kind: ProblemKind,
    pub message: String,
}

impl Problem {
    fn new(
        file: impl Into<String>,
        path: impl Into<String>,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            path: path.into(),
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        };
        write!(f, "{}: {path}: {}", self.file, self.message)
    }
}

/// Loading failed; every problem found, sorted by file and path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// Whether any problem is of `kind`.
    pub fn has(&self, kind: ProblemKind) -> bool {
        self.problems.iter().any(|p| p.kind == kind)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "invalid framework data ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

struct CompiledSchema {
    schema: Value,
    validator: Validator,
}

static SCHEMA: LazyLock<CompiledSchema> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(FRAMEWORK_SCHEMA).expect("framework schema is JSON");
    let validator =
        schema::compile(&schema, Draft::Draft202012).expect("framework schema compiles");
    CompiledSchema { schema, validator }
});

static BUNDLED: LazyLock<FrameworkRegistry> = LazyLock::new(|| {
    FrameworkRegistry::load_bundled().unwrap_or_else(|e| panic!("bundled frameworks: {e}"))
});

/// Parses one file and checks it against the schema (no cross-checks).
pub fn parse_file(file: &FrameworkFile) -> Result<Framework, Vec<Problem>> {
    let value: Value = serde_json::from_str(&file.text).map_err(|e| {
        vec![Problem::new(
            &file.name,
            "",
            ProblemKind::Json,
            format!(
                "malformed JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )]
    })?;
    let violations = schema::collect(&SCHEMA.validator, &SCHEMA.schema, &value);
    if !violations.is_empty() {
        return Err(violations
            .into_iter()
            .map(|v| Problem::new(&file.name, v.path, ProblemKind::Schema, v.message))
            .collect());
    }
    let mut framework: Framework = serde_json::from_value(value).map_err(|e| {
        vec![Problem::new(
            &file.name,
            "",
            ProblemKind::Schema,
            e.to_string(),
        )]
    })?;
    framework.file = file.name.clone();
    Ok(framework)
}

/// All loaded frameworks, cross-checked.
#[derive(Debug, Clone)]
pub struct FrameworkRegistry {
    frameworks: BTreeMap<String, Framework>,
    /// credit-system id → framework id.
    credit_index: BTreeMap<String, String>,
    replaced: Vec<String>,
}

impl FrameworkRegistry {
    /// The bundled frameworks, loaded once. Panics only if the bundled data is broken, which
    /// the test suite rules out.
    pub fn bundled() -> &'static FrameworkRegistry {
        &BUNDLED
    }

    /// Loads the bundled frameworks.
    pub fn load_bundled() -> Result<Self, LoadError> {
        Self::load(&bundled_files(), &[])
    }

    /// Loads the bundled frameworks plus extra files from disk (alliance edits). An extra file
    /// whose id equals a bundled framework's replaces it; see [`FrameworkRegistry::replaced`].
    pub fn load_with_extra_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Self, LoadError> {
        let mut extra = Vec::new();
        let mut problems = Vec::new();
        for p in paths {
            match FrameworkFile::read(p) {
                Ok(f) => extra.push(f),
                Err(e) => problems.push(e),
            }
        }
        if !problems.is_empty() {
            return Err(LoadError { problems });
        }
        Self::load(&bundled_files(), &extra)
    }

    /// Loads the bundled frameworks plus extra files given as text.
    pub fn load_with_extra(extra: &[FrameworkFile]) -> Result<Self, LoadError> {
        Self::load(&bundled_files(), extra)
    }

    /// Loads exactly `files` (no bundled data).
    pub fn from_files(files: &[FrameworkFile]) -> Result<Self, LoadError> {
        Self::load(files, &[])
    }

    fn load(base: &[FrameworkFile], extra: &[FrameworkFile]) -> Result<Self, LoadError> {
        let mut problems = Vec::new();
        let parse_all = |files: &[FrameworkFile], problems: &mut Vec<Problem>| {
            let mut out: Vec<Framework> = Vec::new();
            for file in files {
                match parse_file(file) {
                    Ok(f) => {
                        if let Some(first) = out.iter().find(|o| o.id == f.id) {
                            problems.push(Problem::new(
                                &f.file,
                                "/id",
                                ProblemKind::DuplicateFramework,
                                format!(
                                    "framework id {:?} is already defined in {}",
                                    f.id, first.file
                                ),
                            ));
                        } else {
                            out.push(f);
                        }
                    }
                    Err(p) => problems.extend(p),
                }
            }
            out
        };
        let base = parse_all(base, &mut problems);
        let extra = parse_all(extra, &mut problems);
        let mut frameworks: BTreeMap<String, Framework> =
            base.into_iter().map(|f| (f.id.clone(), f)).collect();
        let mut replaced = Vec::new();
        for f in extra {
            if frameworks.contains_key(&f.id) {
                replaced.push(f.id.clone());
            }
            frameworks.insert(f.id.clone(), f);
        }
        let credit_index = cross_check(&frameworks, &mut problems);
        if problems.is_empty() {
            Ok(FrameworkRegistry {
                frameworks,
                credit_index,
                replaced,
            })
        } else {
            problems.sort();
            problems.dedup();
            Err(LoadError { problems })
        }
    }

    /// A framework by id.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.get(id)
    }

    /// All frameworks, ordered by id.
    pub fn frameworks(&self) -> impl Iterator<Item = &Framework> {
        self.frameworks.values()
    }

    /// All framework ids, ordered.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.frameworks.keys().map(String::as_str)
    }

    /// A level of a framework.
    pub fn level(&self, framework: &str, code: &str) -> Option<&Level> {
        self.framework(framework)?.level(code)
    }

    /// A credit system (credit rule) by its id, e.g. `ECTS`, `MQF`, `CN-credit`.
    pub fn credit_system(&self, id: &str) -> Option<&CreditSystem> {
        let framework = self.credit_index.get(id)?;
        self.frameworks[framework]
            .credit_systems
            .iter()
            .find(|c| c.id == id)
    }

    /// The framework that defines a credit system.
    pub fn credit_system_framework(&self, id: &str) -> Option<&Framework> {
        self.credit_index.get(id).map(|f| &self.frameworks[f])
    }

    /// All credit systems, ordered by id.
    pub fn credit_systems(&self) -> impl Iterator<Item = &CreditSystem> {
        self.credit_index
            .keys()
            .filter_map(|id| self.credit_system(id))
    }

    /// Ids of bundled frameworks that extra files replaced.
    pub fn replaced(&self) -> &[String] {
        &self.replaced
    }
}

fn bundled_files() -> Vec<FrameworkFile> {
    BUNDLED_FILES
        .iter()
        .map(|(name, text)| FrameworkFile::new(*name, *text))
        .collect()
}

/// Cross-checks the set; returns the credit-system index.
fn cross_check(
    frameworks: &BTreeMap<String, Framework>,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, String> {
    let mut credit_index: BTreeMap<String, String> = BTreeMap::new();
    for f in frameworks.values() {
        let mut codes = HashSet::new();
        for (i, level) in f.levels.iter().enumerate() {
            if !codes.insert(level.code.as_str()) {
                problems.push(Problem::new(
                    &f.file,
                    format!("/levels/{i}/code"),
                    ProblemKind::DuplicateLevel,
                    format!(
                        "level code {:?} appears more than once in {}",
                        level.code, f.id
                    ),
                ));
            }
        }
        for (i, cs) in f.credit_systems.iter().enumerate() {
            if let Some(HoursPerCredit::Range { min, max }) = cs.hours_per_credit {
                if min > max {
                    problems.push(Problem::new(
                        &f.file,
                        format!("/creditSystems/{i}/hoursPerCredit"),
                        ProblemKind::BadRange,
                        format!(
                            "hours-per-credit range of {} has min {} above max {}",
                            cs.id,
                            num(min),
                            num(max)
                        ),
                    ));
                }
            }
            match credit_index.get(&cs.id) {
                Some(other) => problems.push(Problem::new(
                    &f.file,
                    format!("/creditSystems/{i}/id"),
                    ProblemKind::DuplicateCreditSystem,
                    format!(
                        "credit system {:?} is already defined by framework {other} ({})",
                        cs.id, frameworks[other].file
                    ),
                )),
                None => {
                    credit_index.insert(cs.id.clone(), f.id.clone());
                }
            }
        }
        let mut targets = HashSet::new();
        for (r, referencing) in f.referencing.iter().enumerate() {
            let base = format!("/referencing/{r}");
            if !targets.insert(referencing.target.as_str()) {
                problems.push(Problem::new(
                    &f.file,
                    format!("{base}/target"),
                    ProblemKind::DuplicateMapping,
                    format!(
                        "{} has more than one referencing entry to {}",
                        f.id, referencing.target
                    ),
                ));
            }
            if referencing.target == f.id {
                problems.push(Problem::new(
                    &f.file,
                    format!("{base}/target"),
                    ProblemKind::Cycle,
                    format!("{} is referenced to itself", f.id),
                ));
                continue;
            }
            let Some(target) = frameworks.get(&referencing.target) else {
                problems.push(Problem::new(
                    &f.file,
                    format!("{base}/target"),
                    ProblemKind::UnknownFramework,
                    format!(
                        "referencing target {:?} is not a loaded framework (known: {})",
                        referencing.target,
                        frameworks.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
                continue;
            };
            check_referencing(f, target, referencing, &base, problems);
        }
    }
    find_cycles(frameworks, problems);
    credit_index
}

fn check_referencing(
    f: &Framework,
    target: &Framework,
    referencing: &Referencing,
    base: &str,
    problems: &mut Vec<Problem>,
) {
    let mut accounted: HashMap<&str, String> = HashMap::new();
    // (source rank, min target rank, max target rank, path) of well-formed mappings.
    let mut ranks: Vec<(usize, usize, usize, String)> = Vec::new();
    for (j, mapping) in referencing.levels.iter().enumerate() {
        let path = format!("{base}/levels/{j}");
        let source_rank = f.level_rank(&mapping.level);
        if source_rank.is_none() {
            problems.push(Problem::new(
                &f.file,
                format!("{path}/level"),
                ProblemKind::UnknownLevel,
                format!("level {:?} is not a level of {}", mapping.level, f.id),
            ));
        }
        if let Some(previous) = accounted.insert(&mapping.level, path.clone()) {
            problems.push(Problem::new(
                &f.file,
                format!("{path}/level"),
                ProblemKind::DuplicateMapping,
                format!(
                    "level {:?} is already mapped to {} at {previous}",
                    mapping.level, target.id
                ),
            ));
        }
        let mut seen = HashSet::new();
        let mut target_ranks = Vec::new();
        for (k, code) in mapping.targets.iter().enumerate() {
            if !seen.insert(code.as_str()) {
                problems.push(Problem::new(
                    &f.file,
                    format!("{path}/targets/{k}"),
                    ProblemKind::DuplicateMapping,
                    format!("target level {code:?} is listed twice"),
                ));
            }
            match target.level_rank(code) {
                Some(rank) => target_ranks.push(rank),
                None => problems.push(Problem::new(
                    &f.file,
                    format!("{path}/targets/{k}"),
                    ProblemKind::UnknownLevel,
                    format!(
                        "level {code:?} is not a level of {} (defined in {})",
                        target.id, target.file
                    ),
                )),
            }
        }
        if let (Some(rank), Some(lo), Some(hi)) = (
            source_rank,
            target_ranks.iter().min(),
            target_ranks.iter().max(),
        ) {
            ranks.push((rank, *lo, *hi, path));
        }
    }
    for (j, u) in referencing.unreferenced.iter().enumerate() {
        let path = format!("{base}/unreferenced/{j}/level");
        if f.level_rank(&u.level).is_none() {
            problems.push(Problem::new(
                &f.file,
                path.clone(),
                ProblemKind::UnknownLevel,
                format!("level {:?} is not a level of {}", u.level, f.id),
            ));
        }
        if let Some(previous) = accounted.insert(&u.level, path.clone()) {
            problems.push(Problem::new(
                &f.file,
                path,
                ProblemKind::DuplicateMapping,
                format!(
                    "level {:?} is listed as unreferenced but already accounted for at {previous}",
                    u.level
                ),
            ));
        }
    }
    let missing: Vec<&str> = f
        .levels
        .iter()
        .map(|l| l.code.as_str())
        .filter(|c| !accounted.contains_key(c))
        .collect();
    if !missing.is_empty() {
        problems.push(Problem::new(
            &f.file,
            format!("{base}/levels"),
            ProblemKind::Gap,
            format!(
                "{} level{} {} ha{} no counterpart in {} and {} not listed in unreferenced",
                f.id,
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                if missing.len() == 1 { "s" } else { "ve" },
                target.id,
                if missing.len() == 1 { "is" } else { "are" },
            ),
        ));
    }
    ranks.sort();
    for pair in ranks.windows(2) {
        let (lower, higher) = (&pair[0], &pair[1]);
        if higher.0 > lower.0 && (higher.1 < lower.1 || higher.2 < lower.2) {
            problems.push(Problem::new(
                &f.file,
                higher.3.clone(),
                ProblemKind::NonMonotonic,
                format!(
                    "{} level {:?} is mapped below the lower level {:?} (referencing must keep the level order)",
                    f.id, f.levels[higher.0].code, f.levels[lower.0].code
                ),
            ));
        }
    }
}

/// Reports each cycle in the "is referenced to" graph once.
fn find_cycles(frameworks: &BTreeMap<String, Framework>, problems: &mut Vec<Problem>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit<'a>(
        id: &'a str,
        frameworks: &'a BTreeMap<String, Framework>,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
        reported: &mut BTreeSet<Vec<&'a str>>,
        problems: &mut Vec<Problem>,
    ) {
        marks.insert(id, Mark::Active);
        stack.push(id);
        let f = &frameworks[id];
        for (r, referencing) in f.referencing.iter().enumerate() {
            let next = referencing.target.as_str();
            if next == id || !frameworks.contains_key(next) {
                continue; // reported by cross_check
            }
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::New => visit(next, frameworks, marks, stack, reported, problems),
                Mark::Active => {
                    let start = stack.iter().position(|s| *s == next).unwrap_or(0);
                    let mut cycle: Vec<&str> = stack[start..].to_vec();
                    let mut key = cycle.clone();
                    key.sort_unstable();
                    if reported.insert(key) {
                        cycle.push(next);
                        problems.push(Problem::new(
                            &f.file,
                            format!("/referencing/{r}/target"),
                            ProblemKind::Cycle,
                            format!("referencing cycle: {}", cycle.join(" → ")),
                        ));
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(id, Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut reported = BTreeSet::new();
    for id in frameworks.keys() {
        if marks.get(id.as_str()).copied().unwrap_or(Mark::New) == Mark::New {
            let mut stack = Vec::new();
            visit(
                id,
                frameworks,
                &mut marks,
                &mut stack,
                &mut reported,
                problems,
            );
        }
    }
}

/// A number without a trailing `.0`, at most two decimals.
pub(crate) fn num(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        let s = format!("{rounded:.2}");
        s.trim_end_matches('0').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_order_weakest_first() {
        assert!(Status::Example < Status::Provisional);
        assert!(Status::Provisional < Status::Official);
        assert_eq!(
            Status::Official.min(Status::Example),
            Status::Example,
            "the weakest link wins"
        );
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(3.125), "3.13");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(0.1 + 0.2), "0.3");
    }
}
