//! The reference graph laid out for an SVG picture: the meetings that cite or are cited (or
//! whose cases are) in date order from left to right, each meeting's citing or cited cases
//! stacked under it, and a curved arrow per resolved reference.
//!
//! A layout this simple is enough for the few references a body's papers resolve; it needs no
//! graph-drawing crate and keeps every node a link to its page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::records::Datasets;

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub x: i64,
    pub y: i64,
    /// "meeting" or "case"
    pub kind: &'static str,
    pub label: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// An SVG path: a quadratic curve bowing upwards, so that arrows between nodes of one row
    /// do not run through the nodes between them.
    pub path: String,
    pub title: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Graph {
    pub width: i64,
    pub height: i64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

const COLUMN: i64 = 120;
const CASE_ROW: i64 = 44;

/// `href` gives the page (and anchor) of a meeting or case id.
pub fn layout(data: &Datasets, href: &dyn Fn(&str) -> Option<String>) -> Graph {
    let meetings: HashMap<&str, &crate::records::MeetingRow> =
        data.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    let cases: HashMap<&str, &crate::records::CaseRow> =
        data.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let case_by_number: HashMap<(&str, &str), &str> = data
        .cases
        .iter()
        .map(|c| {
            (
                (c.meeting_id.as_str(), c.case_number.as_str()),
                c.id.as_str(),
            )
        })
        .collect();
    // A node is a meeting id, or a case id with its meeting's id.
    let node_of = |id: &str| -> Option<(String, Option<String>)> {
        if meetings.contains_key(id) {
            Some((id.to_string(), None))
        } else {
            cases
                .get(id)
                .map(|c| (c.meeting_id.clone(), Some(id.to_string())))
        }
    };
    let mut edges = Vec::new();
    for r in &data.references {
        let Some(target) = r.resolved_id.as_deref().and_then(node_of) else {
            continue;
        };
        let from_case = r
            .from_case
            .as_deref()
            .and_then(|n| case_by_number.get(&(r.meeting_id.as_str(), n)).copied());
        let source = match from_case {
            Some(c) => (r.meeting_id.clone(), Some(c.to_string())),
            None if meetings.contains_key(r.meeting_id.as_str()) => (r.meeting_id.clone(), None),
            None => continue,
        };
        if source != target {
            let title = r.text.clone().or(r.target.clone()).unwrap_or_default();
            edges.push((source, target, title));
        }
    }
    if edges.is_empty() {
        return Graph::default();
    }
    // Columns: the meetings involved, by date then id; under each, its cases involved.
    let mut columns: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (a, b, _) in &edges {
        for (m, c) in [a, b] {
            let cases = columns.entry(m.as_str()).or_default();
            if let Some(c) = c {
                cases.insert(c.clone());
            }
        }
    }
    let mut order: Vec<&str> = columns.keys().copied().collect();
    order.sort_by_key(|id| (meetings[id].date.clone(), *id));
    let max_dx = (order.len() as i64 - 1).max(0) * COLUMN;
    // Room above the meetings for the highest arrow: the one between the columns furthest
    // apart.
    let column_of: HashMap<&str, i64> = order
        .iter()
        .enumerate()
        .map(|(i, m)| (*m, i as i64))
        .collect();
    let widest = edges
        .iter()
        .map(|(a, b, _)| (column_of[a.0.as_str()] - column_of[b.0.as_str()]).abs() * COLUMN)
        .max()
        .unwrap_or(0);
    let top = 40 + arc_height(widest);
    let mut position: HashMap<(String, Option<String>), (i64, i64)> = HashMap::new();
    let mut graph = Graph::default();
    let mut deepest = 0;
    for (i, m) in order.iter().enumerate() {
        let x = 70 + i as i64 * COLUMN;
        let meeting = meetings[m];
        position.insert((m.to_string(), None), (x, top));
        graph.nodes.push(Node {
            x,
            y: top,
            kind: "meeting",
            label: meeting
                .date
                .clone()
                .or(meeting.year.map(|y| y.to_string()))
                .unwrap_or_else(|| "?".into()),
            title: format!(
                "{} meeting {}",
                meeting.body,
                meeting.number.map(|n| n.to_string()).unwrap_or_default()
            ),
            href: href(m).unwrap_or_default(),
        });
        for (k, c) in columns[m].iter().enumerate() {
            let y = top + (k as i64 + 1) * CASE_ROW;
            deepest = deepest.max(y);
            position.insert((m.to_string(), Some(c.clone())), (x, y));
            let case = cases[c.as_str()];
            graph.nodes.push(Node {
                x,
                y,
                kind: "case",
                label: case.case_number.clone(),
                title: case.title.clone().unwrap_or_default(),
                href: href(c).unwrap_or_default(),
            });
        }
    }
    for (a, b, title) in edges {
        let (x1, y1) = position[&a];
        let (x2, y2) = position[&b];
        // Within one column the arrow bows to the right, past the case labels; between
        // columns, upwards.
        let (cx, cy) = if x1 == x2 {
            (x1 + 50 + (y2 - y1).abs() / 4, (y1 + y2) / 2)
        } else {
            ((x1 + x2) / 2, y1.min(y2) - arc_height((x2 - x1).abs()))
        };
        graph.edges.push(Edge {
            path: format!("M{x1},{y1} Q{cx},{cy} {x2},{y2}"),
            title,
        });
    }
    graph.width = 140 + max_dx;
    graph.height = deepest.max(top) + 50;
    graph
}

/// How far above its ends an arrow between nodes `dx` apart bows: more for longer arrows, so
/// that nested arrows stay apart.
fn arc_height(dx: i64) -> i64 {
    20 + (dx / 4).min(240)
}
