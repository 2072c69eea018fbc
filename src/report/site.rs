//! Builds the pages of the site from the datasets and writes them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use minijinja::value::Serde;
use minijinja::{context, AutoEscape, Environment, Value};
use rayon::prelude::*;
use serde::Serialize;

use super::chart::{self, YearCount};
use super::diff;
use super::{file_stem, graph, pages, write_file};
use crate::records::{Datasets, MeetingRow, Source};

/// What a report holds, for the line `referat report` prints.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub pages: usize,
    pub bodies: usize,
    pub meetings: usize,
    pub people: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pages ({} bodies, {} meetings, {} people)",
            self.pages, self.bodies, self.meetings, self.people
        )
    }
}

const STYLE: &str = include_str!("templates/style.css");

const TEMPLATES: [(&str, &str); 8] = [
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("index.html", include_str!("templates/index.html")),
    ("body.html", include_str!("templates/body.html")),
    ("meeting.html", include_str!("templates/meeting.html")),
    ("person.html", include_str!("templates/person.html")),
    ("documents.html", include_str!("templates/documents.html")),
    ("graph.html", include_str!("templates/graph.html")),
];

/// The templates, with HTML escaping of every value whatever the template's name (the graph
/// is SVG inside HTML; minijinja's default would leave names it does not know unescaped).
fn environment() -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| format!("report template {name}: {e}"))?;
    }
    Ok(env)
}

/// Where each record's page (or place on a page) is, by id.
pub(super) struct Links {
    bodies: HashMap<String, String>,
    meetings: HashMap<String, String>,
    cases: HashMap<String, String>,
    people: HashMap<String, String>,
    documents: HashMap<String, (String, String)>,
}

impl Links {
    fn new(data: &Datasets, body_keys: &[String]) -> Links {
        let mut used = HashSet::new();
        // "person/kari-nordmann" gives person-kari-nordmann.html, not person-person-....
        let mut stems = |prefix: &str, id: &str| {
            let id = id
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .unwrap_or(id);
            format!("{prefix}-{}", file_stem(id, &mut used))
        };
        let bodies = body_keys
            .iter()
            .map(|k| (k.clone(), format!("{}.html", stems("body", k))))
            .collect();
        let meetings: HashMap<String, String> = data
            .meetings
            .iter()
            .map(|m| (m.id.clone(), format!("{}.html", stems("meeting", &m.id))))
            .collect();
        let people = data
            .people
            .iter()
            .map(|p| (p.id.clone(), format!("{}.html", stems("person", &p.id))))
            .collect();
        // Anchors share one namespace per page; a separate set keeps them short.
        let mut anchors = HashSet::new();
        let cases = data
            .cases
            .iter()
            .filter_map(|c| {
                let page = meetings.get(&c.meeting_id)?;
                Some((
                    c.id.clone(),
                    format!("{page}#case-{}", file_stem(&c.id, &mut anchors)),
                ))
            })
            .collect();
        let documents = data
            .documents
            .iter()
            .map(|d| {
                let label = Path::new(&d.path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| d.path.clone());
                (
                    d.id.clone(),
                    (
                        format!("documents.html#{}", file_stem(&d.id, &mut anchors)),
                        label,
                    ),
                )
            })
            .collect();
        Links {
            bodies,
            meetings,
            cases,
            people,
            documents,
        }
    }

    pub fn body(&self, key: &str) -> Option<String> {
        self.bodies.get(key).cloned()
    }
    pub fn meeting(&self, id: &str) -> Option<String> {
        self.meetings.get(id).cloned()
    }
    pub fn person(&self, id: &str) -> Option<String> {
        self.people.get(id).cloned()
    }
    /// A meeting's or a case's place.
    pub fn target(&self, id: &str) -> Option<String> {
        self.meeting(id).or_else(|| self.cases.get(id).cloned())
    }
    pub fn case(&self, id: &str) -> Option<String> {
        self.cases.get(id).cloned()
    }
    /// The anchor (without `#`) of a document on the documents page.
    pub fn document_anchor(&self, id: &str) -> Option<String> {
        self.documents
            .get(id)
            .map(|(h, _)| h.split_once('#').map_or("", |(_, a)| a).to_string())
    }
    pub fn source(&self, s: &Source) -> SourceView {
        let (href, label) = self
            .documents
            .get(&s.document_id)
            .cloned()
            .map_or((None, s.document_id.clone()), |(h, l)| (Some(h), l));
        SourceView {
            href,
            label,
            page: s.page,
        }
    }
    pub fn sources(&self, s: &[Source]) -> Vec<SourceView> {
        s.iter().map(|s| self.source(s)).collect()
    }
    pub fn document(&self, id: &str) -> SourceView {
        let (href, label) = self
            .documents
            .get(id)
            .cloned()
            .map_or((None, id.to_string()), |(h, l)| (Some(h), l));
        SourceView {
            href,
            label,
            page: 0,
        }
    }
}

/// A link to a document (and page) on the documents page.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub href: Option<String>,
    pub label: String,
    /// 1-based; 0 when not about a page.
    pub page: usize,
}

/// A body as the report groups meetings: a body of bodies.jsonl, or, for meetings whose body
/// was not resolved, the name the documents write.
pub(super) struct BodyGroup<'a> {
    pub key: String,
    pub name: String,
    pub names: Vec<crate::records::BodyName>,
    pub meetings: Vec<&'a MeetingRow>,
}

fn body_groups(data: &Datasets) -> Vec<BodyGroup<'_>> {
    let mut groups: BTreeMap<String, BodyGroup> = data
        .bodies
        .iter()
        .map(|b| {
            (
                b.id.clone(),
                BodyGroup {
                    key: b.id.clone(),
                    name: b.name.clone(),
                    names: b.names.clone(),
                    meetings: Vec::new(),
                },
            )
        })
        .collect();
    for m in &data.meetings {
        let key = match &m.body_id {
            Some(id) if groups.contains_key(id) => id.clone(),
            _ => format!("unresolved {}", m.body),
        };
        groups
            .entry(key.clone())
            .or_insert_with(|| BodyGroup {
                key,
                name: m.body.clone(),
                names: Vec::new(),
                meetings: Vec::new(),
            })
            .meetings
            .push(m);
    }
    let mut groups: Vec<BodyGroup> = groups.into_values().collect();
    for g in &mut groups {
        g.meetings.sort_by_key(|m| meeting_order(m));
    }
    groups
}

/// Meetings in time order: by date, then year and number when a date is missing.
pub(super) fn meeting_order(m: &MeetingRow) -> (Option<String>, Option<i32>, Option<u32>, String) {
    (m.date.clone(), m.year, m.number, m.id.clone())
}

/// Meetings and cases per year of `meetings`.
pub(super) fn per_year(meetings: &[&MeetingRow], cases: &HashMap<&str, usize>) -> Vec<YearCount> {
    let mut years: BTreeMap<i32, YearCount> = BTreeMap::new();
    for m in meetings {
        let Some(year) = m.year.or_else(|| m.date.as_deref()?.get(..4)?.parse().ok()) else {
            continue;
        };
        let y = years.entry(year).or_insert(YearCount {
            year,
            meetings: 0,
            cases: 0,
        });
        y.meetings += 1;
        y.cases += cases.get(m.id.as_str()).copied().unwrap_or(0);
    }
    years.into_values().collect()
}

/// Writes the whole site of `data` into `out` (created if missing).
pub fn write_site(data: &Datasets, out: &Path) -> Result<Summary, String> {
    let env = environment()?;
    let groups = body_groups(data);
    let keys: Vec<String> = groups.iter().map(|g| g.key.clone()).collect();
    let links = Links::new(data, &keys);
    let index = pages::Index::new(data, &groups, &links);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let render = |name: &str, ctx: Value| -> Result<String, String> {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("rendering {name}: {e:#}"))
    };
    write_file(out, "style.css", STYLE)?;
    write_file(
        out,
        "index.html",
        &render(
            "index.html",
            context! { page => Value::from(Serde(&index)), title => "Overview" },
        )?,
    )?;
    let documents = pages::documents(data, &links);
    write_file(
        out,
        "documents.html",
        &render(
            "documents.html",
            context! { documents => Value::from(Serde(&documents)), title => "Documents" },
        )?,
    )?;
    let graph = graph::layout(data, &|id| links.target(id));
    let unresolved = pages::unresolved_references(data, &links);
    write_file(
        out,
        "graph.html",
        &render(
            "graph.html",
            context! {
                graph => Value::from(Serde(&graph)),
                unresolved => Value::from(Serde(&unresolved)),
                title => "Reference graph",
            },
        )?,
    )?;
    let lookups = pages::Lookups::new(data);
    groups.par_iter().try_for_each(|g| {
        let body = pages::body(g, &lookups, &links)?;
        let name = links.body(&g.key).expect("every body has a page");
        write_file(
            out,
            &name,
            &render(
                "body.html",
                context! { body => Value::from(Serde(&body)), title => g.name.clone() },
            )?,
        )
    })?;
    data.meetings.par_iter().try_for_each(|m| {
        let meeting = pages::meeting(m, &lookups, &links);
        let name = links.meeting(&m.id).expect("every meeting has a page");
        write_file(
            out,
            &name,
            &render(
                "meeting.html",
                context! { m => Value::from(Serde(&meeting)), title => meeting.heading.clone() },
            )?,
        )
    })?;
    data.people.par_iter().try_for_each(|p| {
        let person = pages::person(p, &lookups, &links);
        let name = links.person(&p.id).expect("every person has a page");
        write_file(
            out,
            &name,
            &render(
                "person.html",
                context! { p => Value::from(Serde(&person)), title => p.name.clone() },
            )?,
        )
    })?;
    Ok(Summary {
        pages: 3 + groups.len() + data.meetings.len() + data.people.len(),
        bodies: groups.len(),
        meetings: data.meetings.len(),
        people: data.people.len(),
    })
}

/// The proposal and decision of a case side by side, when it has both.
pub(super) fn decisions(proposed: Option<&str>, adopted: Option<&str>) -> Option<diff::SideBySide> {
    Some(diff::side_by_side(proposed?, adopted?))
}

/// The chart of `counts`, or None.
pub(super) fn chart(counts: &[YearCount], caption: &str) -> Result<Option<String>, String> {
    chart::per_year(counts, caption)
}
