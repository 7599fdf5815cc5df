//! Level mapping and credit transfer between qualifications frameworks: a pure library over a
//! [`FrameworkRegistry`] (no HTTP, no signatures, no trust decisions).
//!
//! **Level mapping** ([`map_level`]): the issuer's level is carried along published referencing
//! (NQF → AQRF / EQF / ACQF / the Shenzhen Agreement framework … → receiving NQF). Referencing
//! is read both ways: "MQF 4 ↔ AQRF 4" also answers "which MQF level matches AQRF 4". Every
//! simple chain of frameworks (at most [`MAX_STEPS`] steps) is tried; the best fit is the chain
//! whose weakest link is strongest, then the shortest, then the narrowest result. Each step says
//! which levels it connects, from which file, with which sources and status. A level that
//! corresponds to two or more receiving levels is reported as a span (never picked silently); a
//! chain that breaks reports the missing link. The overall status is the weakest link's
//! (`example` < `provisional` < `official`), and the status of a framework's own level structure
//! counts as a link.
//!
//! **Credit transfer** ([`transfer_credits`]): hours = credits × the issuing system's hours per
//! credit (or the credential's own learning hours, preferred when present); receiving credits =
//! hours ÷ the receiving system's hours per credit. Ranges stay ranges:
//! `[hours_min ÷ receiving_max, hours_max ÷ receiving_min]`. The awarded value comes from an
//! [`AwardRule`]; the default, [`AwardRule::Conservative`], takes the lowest value inside the
//! range on the receiving system's step. The award never leaves the range: when no multiple of
//! the step lies inside it, a finer decimal is used ([`award_in_range`]).
//!
//! All results serialize to JSON (the future `POST /recognitions` answer) with the reasoning as
//! data (steps, sources, statuses) and as sentences (`explanation`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::frameworks::{
    num, CreditSystem, Framework, FrameworkRegistry, HoursBasis, HoursPerCredit, Referencing,
    Source, Status,
};

/// Longest chain of referencing steps the mapper follows.
pub const MAX_STEPS: usize = 6;

/// How many other complete chains a mapping lists besides the chosen one.
pub const MAX_ALTERNATIVES: usize = 5;

/// Tolerance for floating-point noise when rounding to a step (e.g. 0.3 / 0.1).
const EPSILON: f64 = 1e-9;

/// The caller asked about something the registry does not know (the receiving side), or gave
/// impossible numbers. Gaps on the issuer's side are results, not errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("receiving framework {0:?} is not in the framework registry")]
    UnknownReceivingFramework(String),
    #[error("receiving credit system {0:?} is not in the framework registry")]
    UnknownReceivingCreditSystem(String),
    #[error("{0}")]
    InvalidNumber(String),
    #[error("the credential carries no {0}")]
    MissingInCredential(&'static str),
}

// ------------------------------------------------------------------------------------------
// Level mapping
// ------------------------------------------------------------------------------------------

/// A level, named when the registry knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelRef {
    pub framework: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl fmt::Display for LevelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.framework, self.code)?;
        match &self.name {
            Some(name) if !name.ends_with(&format!(" {}", self.code)) => write!(f, " ({name})"),
            _ => Ok(()),
        }
    }
}

/// Which way a step reads the published referencing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// The step's `from` framework is referenced to its `to` framework (as published).
    ReferencedTo,
    /// The step's `to` framework is referenced to its `from` framework; read backwards.
    ReferencedFrom,
}

/// One link of the chain of reasoning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub from_framework: String,
    pub from_levels: Vec<LevelRef>,
    pub to_framework: String,
    /// Empty when this is the step where the chain breaks.
    pub to_levels: Vec<LevelRef>,
    pub direction: Direction,
    /// Weakest of the referencing used and the level structures of both frameworks.
    pub status: Status,
    pub sources: Vec<Source>,
    /// The framework file holding the referencing.
    pub defined_in: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Levels of `from_levels` that have no counterpart on this step (only when others do).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
    pub sentence: String,
}

/// The kind of answer a level mapping gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MappingOutcome {
    /// Issuer and receiver use the same framework: the level is the level.
    SameFramework,
    /// Exactly one receiving level.
    Mapped,
    /// Two or more receiving levels; the engine does not choose between them.
    Span,
    /// No chain reaches the receiving framework; see `missing`.
    NoPath,
}

/// What is missing when no chain works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingKind {
    /// The issuer's framework is not in the registry.
    UnknownFramework,
    /// The issuer's framework has no such level.
    UnknownLevel,
    /// No referencing connects the two frameworks at all.
    NotConnected,
    /// Frameworks are connected, but at some step the level(s) have no counterpart.
    NoCounterpart,
}

/// The missing link of a failed mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingLink {
    pub kind: MissingKind,
    /// The framework where the chain stops.
    pub framework: String,
    /// The levels that found no counterpart (for `no-counterpart`, `unknown-level`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// The framework the chain needed to reach next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub towards: Option<String>,
    /// Why a level was deliberately left unreferenced, when the data says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub message: String,
}

/// Another complete chain, not chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alternative {
    pub path: Vec<String>,
    pub status: Status,
    pub levels: Vec<String>,
}

/// The answer to "what is this level in that framework".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelMapping {
    pub from: LevelRef,
    pub receiving_framework: String,
    pub outcome: MappingOutcome,
    /// Receiving level(s), lowest first; empty for `no-path`.
    pub levels: Vec<LevelRef>,
    /// Weakest link of the chain; `None` for `no-path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Framework ids along the chain, issuer first (for `no-path`: as far as it got).
    pub path: Vec<String>,
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    pub explanation: Vec<String>,
}

impl LevelMapping {
    /// Receiving level codes.
    pub fn codes(&self) -> Vec<&str> {
        self.levels.iter().map(|l| l.code.as_str()).collect()
    }
}

#[derive(Clone, Copy)]
struct Edge<'a> {
    to: &'a str,
    owner: &'a Framework,
    referencing: &'a Referencing,
    forward: bool,
}

struct Attempt {
    path: Vec<String>,
    steps: Vec<Step>,
    /// Final levels (empty when broken).
    levels: Vec<String>,
    missing: Option<MissingLink>,
}

impl Attempt {
    fn status(&self) -> Status {
        self.steps
            .iter()
            .map(|s| s.status)
            .min()
            .unwrap_or(Status::Official)
    }
}

fn level_ref(registry: &FrameworkRegistry, framework: &str, code: &str) -> LevelRef {
    LevelRef {
        framework: framework.to_owned(),
        code: code.to_owned(),
        name: registry.level(framework, code).map(|l| l.name.clone()),
    }
}

fn level_list(framework: &str, codes: &[String]) -> String {
    match codes {
        [one] => format!("{framework} level {one}"),
        _ => format!("{framework} levels {}", and_list(codes)),
    }
}

fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

fn cite(sources: &[Source]) -> String {
    if sources.is_empty() {
        "no public source".to_owned()
    } else {
        sources.iter().map(ToString::to_string).collect::<String>()
    }
}

fn adjacency(registry: &FrameworkRegistry) -> BTreeMap<&str, Vec<Edge<'_>>> {
    let mut adj: BTreeMap<&str, Vec<Edge<'_>>> = BTreeMap::new();
    for f in registry.frameworks() {
        adj.entry(f.id.as_str()).or_default();
        for r in &f.referencing {
            adj.entry(f.id.as_str()).or_default().push(Edge {
                to: r.target.as_str(),
                owner: f,
                referencing: r,
                forward: true,
            });
            adj.entry(r.target.as_str()).or_default().push(Edge {
                to: f.id.as_str(),
                owner: f,
                referencing: r,
                forward: false,
            });
        }
    }
    adj
}

fn simple_paths<'a>(
    adj: &BTreeMap<&'a str, Vec<Edge<'a>>>,
    from: &'a str,
    to: &str,
) -> Vec<Vec<Edge<'a>>> {
    fn walk<'a>(
        adj: &BTreeMap<&'a str, Vec<Edge<'a>>>,
        at: &'a str,
        to: &str,
        visited: &mut Vec<&'a str>,
        path: &mut Vec<Edge<'a>>,
        out: &mut Vec<Vec<Edge<'a>>>,
    ) {
        if at == to {
            out.push(path.clone());
            return;
        }
        if path.len() == MAX_STEPS {
            return;
        }
        for edge in adj.get(at).map(Vec::as_slice).unwrap_or_default() {
            if visited.contains(&edge.to) {
                continue;
            }
            visited.push(edge.to);
            path.push(*edge);
            walk(adj, edge.to, to, visited, path, out);
            path.pop();
            visited.pop();
        }
    }
    let mut out = Vec::new();
    walk(adj, from, to, &mut vec![from], &mut Vec::new(), &mut out);
    out
}

/// Carries `levels` of `from` across one edge.
fn apply_edge(
    registry: &FrameworkRegistry,
    from: &Framework,
    edge: &Edge<'_>,
    levels: &[String],
) -> (Step, Vec<String>, Option<MissingLink>) {
    let to = registry
        .framework(edge.to)
        .expect("edges join loaded frameworks");
    let r = edge.referencing;
    let mut reached: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut dropped = Vec::new();
    let mut status = r.status.min(from.status).min(to.status);
    let mut notes: Vec<String> = r.note.iter().cloned().collect();
    let mut reasons = Vec::new();
    for level in levels {
        let mut found = false;
        if edge.forward {
            if let Some(m) = r.mapping(level) {
                for t in &m.targets {
                    reached.insert((to.level_rank(t).unwrap_or(usize::MAX), t.clone()));
                }
                status = status.min(r.mapping_status(m));
                notes.extend(m.note.iter().cloned());
                found = true;
            } else if let Some(reason) = r.unreferenced_reason(level) {
                reasons.push(format!("{} level {level}: {reason}", from.id));
            }
        } else {
            for m in r.levels.iter().filter(|m| m.targets.contains(level)) {
                reached.insert((
                    to.level_rank(&m.level).unwrap_or(usize::MAX),
                    m.level.clone(),
                ));
                status = status.min(r.mapping_status(m));
                notes.extend(m.note.iter().cloned());
                found = true;
            }
            if !found {
                reasons.extend(r.unreferenced.iter().map(|u| {
                    format!(
                        "{} level {} is deliberately unreferenced: {}",
                        edge.owner.id, u.level, u.reason
                    )
                }));
            }
        }
        if !found {
            dropped.push(level.clone());
        }
    }
    let reached: Vec<String> = reached.into_iter().map(|(_, c)| c).collect();
    let relation = if edge.forward {
        format!("{} is referenced to {}", from.id, to.id)
    } else {
        format!("{} is referenced to {} (read backwards)", to.id, from.id)
    };
    let sentence = if reached.is_empty() {
        format!(
            "{} has no counterpart in {}: {relation}, but no referenced level matches ({status}, {}).",
            level_list(&from.id, levels),
            to.id,
            cite(&r.sources)
        )
    } else {
        let span = if reached.len() > 1 { " (a span)" } else { "" };
        format!(
            "{} → {}{span}: {relation} ({status}, {}).",
            level_list(&from.id, levels),
            level_list(&to.id, &reached),
            cite(&r.sources)
        )
    };
    let missing = reached.is_empty().then(|| MissingLink {
        kind: MissingKind::NoCounterpart,
        framework: from.id.clone(),
        levels: levels.to_vec(),
        towards: Some(to.id.clone()),
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
        message: format!(
            "missing link: {} has no referenced counterpart in {} (referencing in {})",
            level_list(&from.id, levels),
            to.id,
            edge.owner.file()
        ),
    });
    notes.dedup();
    let step = Step {
        from_framework: from.id.clone(),
        from_levels: levels
            .iter()
            .map(|c| level_ref(registry, &from.id, c))
            .collect(),
        to_framework: to.id.clone(),
        to_levels: reached
            .iter()
            .map(|c| level_ref(registry, &to.id, c))
            .collect(),
        direction: if edge.forward {
            Direction::ReferencedTo
        } else {
            Direction::ReferencedFrom
        },
        status,
        sources: r.sources.clone(),
        defined_in: edge.owner.file().to_owned(),
        note: (!notes.is_empty()).then(|| notes.join(" ")),
        dropped: if reached.is_empty() {
            Vec::new()
        } else {
            dropped
        },
        sentence,
    };
    (step, reached, missing)
}

fn run_path(
    registry: &FrameworkRegistry,
    start: &Framework,
    code: &str,
    edges: &[Edge<'_>],
) -> Attempt {
    let mut current = start;
    let mut levels = vec![code.to_owned()];
    let mut attempt = Attempt {
        path: vec![start.id.clone()],
        steps: Vec::new(),
        levels: Vec::new(),
        missing: None,
    };
    for edge in edges {
        let (step, reached, missing) = apply_edge(registry, current, edge, &levels);
        attempt.steps.push(step);
        attempt.path.push(edge.to.to_owned());
        if missing.is_some() {
            attempt.missing = missing;
            return attempt;
        }
        levels = reached;
        current = registry.framework(edge.to).expect("loaded");
    }
    attempt.levels = levels;
    attempt
}

/// Maps `level` of framework `issuer` to the receiving framework, with the reasoning.
///
/// Returns an error only when the receiving framework is unknown; an unknown issuer framework
/// or level, or a missing link, is a [`MappingOutcome::NoPath`] result that says what is missing.
pub fn map_level(
    registry: &FrameworkRegistry,
    issuer: &str,
    level: &str,
    receiving: &str,
) -> Result<LevelMapping, QueryError> {
    let receiving_fw = registry
        .framework(receiving)
        .ok_or_else(|| QueryError::UnknownReceivingFramework(receiving.to_owned()))?;
    let from = level_ref(registry, issuer, level);
    let no_path = |missing: MissingLink, path: Vec<String>, steps: Vec<Step>| {
        let mut explanation: Vec<String> = steps.iter().map(|s| s.sentence.clone()).collect();
        explanation.push(format!(
            "No {receiving} level can be derived for {from}: {}.",
            missing.message
        ));
        if let Some(reason) = &missing.reason {
            explanation.push(format!("The data gives the reason: {reason}."));
        }
        LevelMapping {
            from: from.clone(),
            receiving_framework: receiving.to_owned(),
            outcome: MappingOutcome::NoPath,
            levels: Vec::new(),
            status: None,
            path,
            steps,
            missing: Some(missing),
            alternatives: Vec::new(),
            explanation,
        }
    };
    let Some(start) = registry.framework(issuer) else {
        return Ok(no_path(
            MissingLink {
                kind: MissingKind::UnknownFramework,
                framework: issuer.to_owned(),
                levels: vec![level.to_owned()],
                towards: None,
                reason: None,
                message: format!(
                    "missing link: framework {issuer:?} is not in the framework registry"
                ),
            },
            vec![issuer.to_owned()],
            Vec::new(),
        ));
    };
    if start.level(level).is_none() {
        let known: Vec<&str> = start.levels.iter().map(|l| l.code.as_str()).collect();
        return Ok(no_path(
            MissingLink {
                kind: MissingKind::UnknownLevel,
                framework: issuer.to_owned(),
                levels: vec![level.to_owned()],
                towards: None,
                reason: None,
                message: format!(
                    "missing link: {issuer} has no level {level:?} (its levels: {})",
                    known.join(", ")
                ),
            },
            vec![issuer.to_owned()],
            Vec::new(),
        ));
    }
    if issuer == receiving {
        let status = start.status;
        return Ok(LevelMapping {
            from: from.clone(),
            receiving_framework: receiving.to_owned(),
            outcome: MappingOutcome::SameFramework,
            levels: vec![from.clone()],
            status: Some(status),
            path: vec![issuer.to_owned()],
            steps: Vec::new(),
            missing: None,
            alternatives: Vec::new(),
            explanation: vec![format!(
                "{from} is already a level of the receiving framework {receiving} ({status} level structure)."
            )],
        });
    }

    let adj = adjacency(registry);
    let paths = simple_paths(&adj, issuer, receiving);
    if paths.is_empty() {
        let reachable = reachable_from(&adj, issuer);
        return Ok(no_path(
            MissingLink {
                kind: MissingKind::NotConnected,
                framework: issuer.to_owned(),
                levels: Vec::new(),
                towards: Some(receiving.to_owned()),
                reason: None,
                message: format!(
                    "missing link: no referencing within {MAX_STEPS} steps connects {issuer} to {receiving} ({issuer} reaches {}; {receiving} reaches {})",
                    or_none(&reachable),
                    or_none(&reachable_from(&adj, receiving))
                ),
            },
            vec![issuer.to_owned()],
            Vec::new(),
        ));
    }
    let attempts: Vec<Attempt> = paths
        .iter()
        .map(|edges| run_path(registry, start, level, edges))
        .collect();
    let (mut complete, broken): (Vec<Attempt>, Vec<Attempt>) =
        attempts.into_iter().partition(|a| a.missing.is_none());
    complete.sort_by(|a, b| {
        b.status()
            .cmp(&a.status())
            .then(a.steps.len().cmp(&b.steps.len()))
            .then(a.levels.len().cmp(&b.levels.len()))
            .then(a.path.cmp(&b.path))
    });
    if complete.is_empty() {
        // Report the chain that got furthest (then the strongest, then the shortest).
        let mut broken = broken;
        broken.sort_by(|a, b| {
            b.steps
                .len()
                .cmp(&a.steps.len())
                .then(b.status().cmp(&a.status()))
                .then(a.path.cmp(&b.path))
        });
        let mut others: Vec<String> = Vec::new();
        for a in &broken[1..] {
            let message = &a.missing.as_ref().expect("broken").message;
            if !others.contains(message)
                && message != &broken[0].missing.as_ref().expect("broken").message
            {
                others.push(message.clone());
            }
        }
        let best = broken.swap_remove(0);
        let missing = best.missing.clone().expect("broken");
        let mut mapping = no_path(missing, best.path, best.steps);
        if !others.is_empty() {
            others.truncate(MAX_ALTERNATIVES);
            mapping.explanation.push(format!(
                "Every other chain stops too: {}.",
                others.join("; ")
            ));
        }
        return Ok(mapping);
    }
    let mut rest = complete.split_off(1);
    let best = complete.pop().expect("one");
    let status = best.status();
    let levels: Vec<LevelRef> = best
        .levels
        .iter()
        .map(|c| level_ref(registry, receiving, c))
        .collect();
    let outcome = if levels.len() > 1 {
        MappingOutcome::Span
    } else {
        MappingOutcome::Mapped
    };
    let mut explanation: Vec<String> = best.steps.iter().map(|s| s.sentence.clone()).collect();
    let targets = level_list(receiving, &best.levels);
    match outcome {
        MappingOutcome::Span => explanation.push(format!(
            "{from} spans {targets} of {}: the referencing does not decide between them, so the receiving institution should compare learning outcomes before choosing.",
            receiving_fw.name
        )),
        _ => explanation.push(format!("{from} corresponds to {}.", levels[0])),
    }
    let weakest: Vec<String> = best
        .steps
        .iter()
        .filter(|s| s.status == status)
        .map(|s| format!("{} ↔ {}", s.from_framework, s.to_framework))
        .collect();
    explanation.push(match status {
        Status::Official => format!(
            "Status official: every link comes from an endorsed referencing or official text ({} step{}).",
            best.steps.len(),
            if best.steps.len() == 1 { "" } else { "s" }
        ),
        Status::Provisional => format!(
            "Status provisional: the weakest link ({}) is sourced but not an endorsed referencing decision; treat the result as indicative.",
            and_list(&weakest)
        ),
        Status::Example => format!(
            "Status example: the weakest link ({}) is example data, not a published decision; the result only illustrates the method until the alliance replaces that data.",
            and_list(&weakest)
        ),
    });
    rest.truncate(MAX_ALTERNATIVES);
    Ok(LevelMapping {
        from,
        receiving_framework: receiving.to_owned(),
        outcome,
        levels,
        status: Some(status),
        path: best.path,
        steps: best.steps,
        missing: None,
        alternatives: rest
            .iter()
            .map(|a| Alternative {
                path: a.path.clone(),
                status: a.status(),
                levels: a.levels.clone(),
            })
            .collect(),
        explanation,
    })
}

fn reachable_from(adj: &BTreeMap<&str, Vec<Edge<'_>>>, start: &str) -> Vec<String> {
    let mut seen = BTreeSet::from([start.to_owned()]);
    let mut queue = vec![start.to_owned()];
    while let Some(at) = queue.pop() {
        for e in adj.get(at.as_str()).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(e.to.to_owned()) {
                queue.push(e.to.to_owned());
            }
        }
    }
    seen.remove(start);
    seen.into_iter().collect()
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "no other framework".to_owned()
    } else {
        items.join(", ")
    }
}

// ------------------------------------------------------------------------------------------
// Credit transfer
// ------------------------------------------------------------------------------------------

/// Credits as a credential states them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditClaim {
    /// Credits earned.
    pub credits: f64,
    /// The credit system (`creditSystem` of the credential).
    pub system: String,
    /// Notional learning hours of the achievement, when the credential carries them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning_hours: Option<f64>,
    /// Credits available for the achievement; when it differs from `credits`, the learning
    /// hours are scaled by `credits / credits_available`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<f64>,
}

/// How the awarded value is chosen from the converted range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AwardRule {
    /// The lowest value inside the range on the receiving step (the lower bound rounded up to
    /// the step): the smallest award any reading of both credit rules supports. The default.
    #[default]
    Conservative,
    /// The midpoint rounded down to the receiving step, or up when rounding down would leave
    /// the range.
    Midpoint,
}

impl AwardRule {
    pub fn description(self) -> &'static str {
        match self {
            AwardRule::Conservative => {
                "conservative: the lowest value inside the converted range on the receiving system's step"
            }
            AwardRule::Midpoint => {
                "midpoint: the middle of the converted range, rounded down to the receiving system's step (up if rounding down would leave the range)"
            }
        }
    }
}

/// A closed interval; `min == max` for an exact value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

impl Range {
    fn exact(x: f64) -> Self {
        Range { min: x, max: x }
    }

    pub fn is_exact(&self) -> bool {
        (self.max - self.min).abs() < EPSILON
    }

    fn scale(self, lo: f64, hi: f64) -> Self {
        Range {
            min: self.min * lo,
            max: self.max * hi,
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            f.write_str(&num(self.min))
        } else {
            write!(f, "{}–{}", num(self.min), num(self.max))
        }
    }
}

/// Where the hours came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HoursSource {
    /// The credential's `learningHours`.
    CredentialLearningHours,
    /// The credential's `learningHours`, scaled by creditsEarned / creditsAvailable.
    CredentialLearningHoursScaled,
    /// Credits × the issuing system's hours per credit.
    IssuingCreditRule,
    /// Same credit system on both sides: no hours needed.
    SameCreditSystem,
}

/// A credit rule as used in a transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditRuleRef {
    pub system: String,
    pub framework: String,
    pub hours_per_credit: Option<HoursPerCredit>,
    pub hours_basis: HoursBasis,
    pub step: f64,
    pub status: Status,
    pub sources: Vec<Source>,
}

impl CreditRuleRef {
    fn new(registry: &FrameworkRegistry, cs: &CreditSystem) -> Self {
        CreditRuleRef {
            system: cs.id.clone(),
            framework: registry
                .credit_system_framework(&cs.id)
                .map(|f| f.id.clone())
                .unwrap_or_default(),
            hours_per_credit: cs.hours_per_credit,
            hours_basis: cs.hours_basis,
            step: cs.step,
            status: cs.status,
            sources: cs.sources.clone(),
        }
    }
}

/// Whether the credits could be converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CreditOutcome {
    Converted,
    NotConvertible,
}

/// The answer to "how many of our credits is this worth".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditTransfer {
    pub claim: CreditClaim,
    /// `None` when the receiving framework has no credit system.
    pub receiving_system: Option<String>,
    pub outcome: CreditOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Range>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_source: Option<HoursSource>,
    /// Receiving credits before rounding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_range: Option<Range>,
    /// Always inside `credits_range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded: Option<f64>,
    /// The granularity the award was rounded to: the receiving system's step, or a finer
    /// decimal (0.1, 0.01) when no multiple of the step lies inside the range; absent when the
    /// award is the unrounded value (an exact conversion with no short decimal form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounded_to: Option<f64>,
    pub rule: AwardRule,
    pub rule_description: String,
    /// Weakest of the credit rules used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_rule: Option<CreditRuleRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_rule: Option<CreditRuleRef>,
    /// Why the credits could not be converted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
    pub explanation: Vec<String>,
}

/// Rounds `x` down to a multiple of `step`, ignoring floating-point noise.
pub fn floor_to_step(x: f64, step: f64) -> f64 {
    let n = (x / step + EPSILON).floor();
    clean(n * step)
}

/// Rounds `x` up to a multiple of `step`, ignoring floating-point noise.
pub fn ceil_to_step(x: f64, step: f64) -> f64 {
    let n = (x / step - EPSILON).ceil();
    clean(n * step)
}

/// `x` to nine decimals (the nearest double), so that `0.1 * 3` and `0.3` compare equal. The
/// map is monotone, so cleaned values keep their order; values too large to scale stay as they
/// are.
fn clean(x: f64) -> f64 {
    let scaled = x * 1e9;
    if scaled.is_finite() && scaled.abs() < 9.0e15 {
        scaled.round() / 1e9
    } else {
        x
    }
}

/// The awarded value for `range` under `rule`, and the granularity it was rounded to. Always
/// inside `range` (whose bounds are [`clean`]ed): a multiple of `step` when one lies inside,
/// else a multiple of 0.1 or 0.01, else the chosen point itself.
pub fn award_in_range(range: Range, step: f64, rule: AwardRule) -> (f64, Option<f64>) {
    let (min, max) = (range.min, range.max);
    let inside = |v: f64| v >= min && v <= max;
    let point = match rule {
        AwardRule::Conservative => min,
        AwardRule::Midpoint => clean((min + max) / 2.0),
    };
    let mut grains = vec![step];
    grains.extend([0.1, 0.01].into_iter().filter(|g| *g < step - EPSILON));
    for g in grains {
        let candidates = match rule {
            AwardRule::Conservative => [ceil_to_step(point, g), f64::NAN],
            AwardRule::Midpoint => [floor_to_step(point, g), ceil_to_step(point, g)],
        };
        if let Some(v) = candidates.into_iter().find(|v| inside(*v)) {
            return (v, Some(g));
        }
    }
    (point.max(min).min(max), None)
}

fn check_number(what: &str, x: f64, allow_zero: bool) -> Result<(), QueryError> {
    if !x.is_finite() || x < 0.0 || (!allow_zero && x == 0.0) {
        return Err(QueryError::InvalidNumber(format!(
            "{what} must be a {}number, got {x}",
            if allow_zero {
                "non-negative "
            } else {
                "positive "
            }
        )));
    }
    Ok(())
}

/// Converts credits into the receiving credit system (`receiving_system`, e.g. `MQF`).
pub fn transfer_credits(
    registry: &FrameworkRegistry,
    claim: &CreditClaim,
    receiving_system: &str,
    rule: AwardRule,
) -> Result<CreditTransfer, QueryError> {
    check_number("credits", claim.credits, true)?;
    if let Some(h) = claim.learning_hours {
        check_number("learning hours", h, false)?;
    }
    if let Some(a) = claim.credits_available {
        check_number("credits available", a, true)?;
    }
    let receiving = registry
        .credit_system(receiving_system)
        .ok_or_else(|| QueryError::UnknownReceivingCreditSystem(receiving_system.to_owned()))?;
    let issuing = registry.credit_system(&claim.system);
    let mut out = CreditTransfer {
        claim: claim.clone(),
        receiving_system: Some(receiving.id.clone()),
        outcome: CreditOutcome::NotConvertible,
        hours: None,
        hours_source: None,
        credits_range: None,
        awarded: None,
        rounded_to: None,
        rule,
        rule_description: rule.description().to_owned(),
        status: None,
        issuing_rule: issuing.map(|cs| CreditRuleRef::new(registry, cs)),
        receiving_rule: Some(CreditRuleRef::new(registry, receiving)),
        reason: None,
        caveats: Vec::new(),
        explanation: Vec::new(),
    };
    let credits = num(claim.credits);
    let from = format!("{credits} {} credit(s)", claim.system);

    if claim.system == receiving.id {
        // Same unit on both sides: nothing to convert, so nothing to round either.
        let awarded = claim.credits;
        out.outcome = CreditOutcome::Converted;
        out.hours_source = Some(HoursSource::SameCreditSystem);
        out.credits_range = Some(Range::exact(claim.credits));
        out.awarded = Some(awarded);
        out.status = Some(receiving.status);
        out.explanation.push(format!(
            "{from} are already in the receiving system {}: no conversion and no rounding; awarded {}.",
            receiving.id,
            num(awarded),
        ));
        return Ok(out);
    }

    let Some(receiving_hours) = receiving.hours_per_credit else {
        let reason = format!(
            "the receiving system {} defines no hours per credit, so nothing can be converted into it",
            receiving.id
        );
        out.explanation
            .push(format!("{from} not converted: {reason}."));
        out.reason = Some(reason);
        return Ok(out);
    };

    // Hours: the credential's own learning hours win over any credit rule.
    let mut status = receiving.status;
    let hours = match claim.learning_hours {
        Some(h) => {
            let scaled = match claim.credits_available {
                Some(avail) if avail > 0.0 && (avail - claim.credits).abs() > EPSILON => {
                    out.hours_source = Some(HoursSource::CredentialLearningHoursScaled);
                    let hours = h * claim.credits / avail;
                    out.explanation.push(format!(
                        "Hours: the credential's learningHours ({} h for {} available credits), scaled to the {credits} credits earned = {} h.",
                        num(h),
                        num(avail),
                        num(hours)
                    ));
                    hours
                }
                _ => {
                    out.hours_source = Some(HoursSource::CredentialLearningHours);
                    out.explanation.push(format!(
                        "Hours: the credential's own learningHours, {} h (preferred over the {} credit rule).",
                        num(h),
                        claim.system
                    ));
                    h
                }
            };
            Range::exact(scaled)
        }
        None => {
            let Some(issuing) = issuing else {
                let reason = format!(
                    "the credential carries no learningHours and the credit system {:?} is not in the framework registry",
                    claim.system
                );
                out.explanation
                    .push(format!("{from} not converted: {reason}."));
                out.reason = Some(reason);
                return Ok(out);
            };
            let Some(per) = issuing.hours_per_credit else {
                let reason = format!(
                    "the credential carries no learningHours and the issuing system {} defines no hours per credit",
                    issuing.id
                );
                out.explanation
                    .push(format!("{from} not converted: {reason}."));
                out.reason = Some(reason);
                return Ok(out);
            };
            out.hours_source = Some(HoursSource::IssuingCreditRule);
            status = status.min(issuing.status);
            let (lo, hi) = per.bounds();
            let hours = Range::exact(claim.credits).scale(lo, hi);
            out.explanation.push(format!(
                "Hours: {from} × {per} per credit ({} rule, {}, {}) = {} h.",
                issuing.id,
                issuing.status,
                cite(&issuing.sources),
                hours
            ));
            if issuing.hours_basis != receiving.hours_basis {
                let basis = |b: HoursBasis| match b {
                    HoursBasis::Contact => "class (contact) hours",
                    HoursBasis::Notional => "notional (total) learning hours",
                };
                out.caveats.push(format!(
                    "{} counts {} but {} counts {}: the hours are not like for like, so the result is at most provisional",
                    issuing.id,
                    basis(issuing.hours_basis),
                    receiving.id,
                    basis(receiving.hours_basis)
                ));
                status = status.min(Status::Provisional);
            }
            hours
        }
    };
    let (rlo, rhi) = receiving_hours.bounds();
    let range = Range {
        min: clean(hours.min / rhi),
        max: clean(hours.max / rlo),
    };
    if !range.min.is_finite() || !range.max.is_finite() {
        return Err(QueryError::InvalidNumber(format!(
            "{from} are too many to convert ({} h)",
            hours
        )));
    }
    let (awarded, rounded_to) = award_in_range(range, receiving.step, rule);
    out.explanation.push(format!(
        "Receiving credits: {} h ÷ {receiving_hours} per {} credit ({}, {}) = {} {} credit(s).",
        hours,
        receiving.id,
        receiving.status,
        cite(&receiving.sources),
        range,
        receiving.id
    ));
    out.explanation.push(format!(
        "Awarded {} {} credit(s); rule {} (step {}).",
        num(awarded),
        receiving.id,
        rule.description(),
        num(receiving.step)
    ));
    if rounded_to.is_none_or(|g| (g - receiving.step).abs() > EPSILON) {
        out.explanation.push(format!(
            "No multiple of the step {} lies within {range}, so the award is {} (to {}) to stay inside the range; the receiving institution rounds it under its own rules.",
            num(receiving.step),
            num(awarded),
            rounded_to.map(num).unwrap_or_else(|| "the exact value".into())
        ));
    }
    for c in &out.caveats {
        out.explanation.push(format!("Caveat: {c}."));
    }
    out.explanation.push(format!("Credit status: {status}."));
    out.outcome = CreditOutcome::Converted;
    out.hours = Some(hours);
    out.credits_range = Some(range);
    out.awarded = Some(awarded);
    out.rounded_to = rounded_to;
    out.status = Some(status);
    Ok(out)
}

// ------------------------------------------------------------------------------------------
// Both together, and reading a credential
// ------------------------------------------------------------------------------------------

/// A level as a credential states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelClaim {
    pub framework: String,
    pub code: String,
}

/// What to assess for a receiving framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecognitionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LevelClaim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<CreditClaim>,
    pub receiving_framework: String,
    /// Defaults to the receiving framework's first credit system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_credit_system: Option<String>,
    #[serde(default)]
    pub rule: AwardRule,
}

impl RecognitionRequest {
    /// Reads level and credits from an issued credential (the achievement's framework level,
    /// see [`crate::credential::framework_level`], `creditsAvailable`, `creditSystem`, `learningHours`, and the subject's
    /// `creditsEarned`, falling back to `creditsAvailable`).
    pub fn from_credential(
        credential: &Value,
        receiving_framework: &str,
    ) -> Result<Self, QueryError> {
        let subject = match credential.get("credentialSubject") {
            Some(Value::Array(items)) => items.first(),
            other => other,
        }
        .filter(|s| s.is_object())
        .ok_or(QueryError::MissingInCredential("credentialSubject"))?;
        let achievement = subject
            .get("achievement")
            .ok_or(QueryError::MissingInCredential(
                "credentialSubject.achievement",
            ))?;
        let level = crate::credential::framework_level(achievement)
            .map(|(framework, code)| LevelClaim { framework, code });
        let available = achievement.get("creditsAvailable").and_then(Value::as_f64);
        let earned = subject
            .get("creditsEarned")
            .and_then(Value::as_f64)
            .or(available);
        let credits = match (
            earned,
            achievement.get("creditSystem").and_then(Value::as_str),
        ) {
            (Some(credits), Some(system)) => Some(CreditClaim {
                credits,
                system: system.to_owned(),
                learning_hours: achievement.get("learningHours").and_then(Value::as_f64),
                credits_available: available,
            }),
            _ => None,
        };
        if level.is_none() && credits.is_none() {
            return Err(QueryError::MissingInCredential(
                "a framework level (ext:FrameworkLevel alignment) or credits with a creditSystem",
            ));
        }
        Ok(RecognitionRequest {
            level,
            credits,
            receiving_framework: receiving_framework.to_owned(),
            receiving_credit_system: None,
            rule: AwardRule::default(),
        })
    }
}

/// Level mapping and credit transfer for one receiving framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    pub receiving_framework: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LevelMapping>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<CreditTransfer>,
    /// Weakest status of the parts that produced a result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub explanation: Vec<String>,
}

/// Maps the level and converts the credits of `request`.
pub fn assess(
    registry: &FrameworkRegistry,
    request: &RecognitionRequest,
) -> Result<Assessment, QueryError> {
    let receiving = registry
        .framework(&request.receiving_framework)
        .ok_or_else(|| {
            QueryError::UnknownReceivingFramework(request.receiving_framework.clone())
        })?;
    let level = request
        .level
        .as_ref()
        .map(|l| map_level(registry, &l.framework, &l.code, &receiving.id))
        .transpose()?;
    let system = match &request.receiving_credit_system {
        Some(id) => Some(
            registry
                .credit_system(id)
                .ok_or_else(|| QueryError::UnknownReceivingCreditSystem(id.clone()))?,
        ),
        None => receiving.default_credit_system(),
    };
    let credits = match (&request.credits, system) {
        (Some(claim), Some(system)) => {
            Some(transfer_credits(registry, claim, &system.id, request.rule)?)
        }
        (Some(claim), None) => {
            let reason = format!(
                "{} defines no credit system; name a receiving credit system to convert credits",
                receiving.id
            );
            Some(CreditTransfer {
                claim: claim.clone(),
                receiving_system: None,
                outcome: CreditOutcome::NotConvertible,
                hours: None,
                hours_source: None,
                credits_range: None,
                awarded: None,
                rounded_to: None,
                rule: request.rule,
                rule_description: request.rule.description().to_owned(),
                status: None,
                issuing_rule: registry
                    .credit_system(&claim.system)
                    .map(|cs| CreditRuleRef::new(registry, cs)),
                receiving_rule: None,
                explanation: vec![format!(
                    "{} {} credit(s) not converted: {reason}.",
                    num(claim.credits),
                    claim.system
                )],
                reason: Some(reason),
                caveats: Vec::new(),
            })
        }
        (None, _) => None,
    };
    let status = level
        .iter()
        .filter_map(|l| l.status)
        .chain(credits.iter().filter_map(|c| c.status))
        .min();
    let mut explanation = Vec::new();
    if let Some(l) = &level {
        explanation.extend(l.explanation.iter().cloned());
    }
    if let Some(c) = &credits {
        explanation.extend(c.explanation.iter().cloned());
    }
    Ok(Assessment {
        receiving_framework: receiving.id.clone(),
        level,
        credits,
        status,
        explanation,
    })
}
