//! Plans a load: compares the rows a run wants with the rows the database holds and decides
//! what to insert, update and delete, then checks every foreign key of the resulting state so
//! that a bad dataset line is reported by name before anything is written.

use std::collections::{HashMap, HashSet};

use super::dataset::RunData;
use super::rows::Desired;
use super::schema::*;
use super::value::{Row, Val};

/// What a load will change, per table (indexed like `schema::TABLES`).
#[derive(Debug, Default)]
pub struct Plan {
    pub inserts: Vec<Vec<Row>>,
    pub updates: Vec<Vec<Row>>,
    /// Primary keys of the rows to delete.
    pub deletes: Vec<Vec<Row>>,
}

/// A primary key, borrowed from its row (planning compares hundreds of thousands of them).
type Key<'a> = &'a [Val];

fn key_of(table: usize, row: &Row) -> Key<'_> {
    &row[..TABLES[table].key]
}

/// The parent of a child row: (parent table, parent key).
fn parent_of(table: usize, row: &Row) -> Option<(usize, Key<'_>)> {
    match TABLES[table].lifecycle {
        Lifecycle::Child(usize::MAX) => SOURCE_OWNERS
            .iter()
            .find(|(col, _)| row[*col] != Val::Null)
            .map(|(col, owner)| (*owner, std::slice::from_ref(&row[*col]))),
        Lifecycle::Child(parent) => Some((parent, &row[..1])),
        _ => None,
    }
}

/// The most errors one failed load reports (the rest are counted).
const MAX_ERRORS: usize = 20;

pub fn plan(existing: &[Vec<Row>], desired: &Desired, run: &RunData) -> Result<Plan, String> {
    let n = TABLES.len();
    let mut errors = Vec::new();

    // Desired rows by key; a key twice in one run is a dataset error.
    let mut want: Vec<HashMap<Key, usize>> = (0..n)
        .map(|t| HashMap::with_capacity(desired.rows[t].len()))
        .collect();
    for t in 0..n {
        for (i, row) in desired.rows[t].iter().enumerate() {
            let k = key_of(t, row);
            if let Some(first) = want[t].insert(k, i) {
                // Child rows are numbered by the loader, so only a record's own id can clash.
                let (name, idx) = desired.origins[t][i];
                let (_, first_idx) = desired.origins[t][first];
                errors.push(format!(
                    "{}: duplicate {} key {} (first at {})",
                    run.origin(name, idx),
                    TABLES[t].name,
                    show_key(k),
                    run.origin(name, first_idx)
                ));
                want[t].insert(k, first);
            }
        }
    }
    if !errors.is_empty() {
        return Err(join(errors));
    }
    let have: Vec<HashMap<Key, &Row>> = (0..n)
        .map(|t| existing[t].iter().map(|r| (key_of(t, r), r)).collect())
        .collect();

    // Documents of this run: rows they yielded before and not now are gone.
    // A document of an earlier run whose file now has other contents (same path, new id) was
    // superseded: it counts as re-parsed, and goes once nothing cites it.
    let mut reparsed: HashSet<&str> = run.data.documents.iter().map(|d| d.id.as_str()).collect();
    let paths: HashSet<&str> = run.data.documents.iter().map(|d| d.path.as_str()).collect();
    let superseded: Vec<Key> = existing[DOCUMENTS]
        .iter()
        .filter(|r| {
            let id = r[0].as_str().unwrap_or_default();
            !reparsed.contains(id) && r[1].as_str().is_some_and(|p| paths.contains(p))
        })
        .map(|r| key_of(DOCUMENTS, r))
        .collect();
    reparsed.extend(superseded.iter().filter_map(|k| k[0].as_str()));
    let mut source_docs: HashMap<(usize, Key), Vec<&str>> = HashMap::new();
    for row in &existing[SOURCES] {
        if let (Some(owner), Some(doc)) = (parent_of(SOURCES, row), row[5].as_str()) {
            source_docs.entry(owner).or_default().push(doc);
        }
    }

    let mut delete: Vec<HashSet<Key>> = vec![HashSet::new(); n];
    for t in 0..n {
        if TABLES[t].lifecycle != Lifecycle::Sourced {
            continue;
        }
        for k in have[t].keys() {
            if want[t].contains_key(k) {
                continue;
            }
            let docs = source_docs.get(&(t, *k));
            if docs.is_none_or(|d| d.iter().all(|doc| reparsed.contains(doc))) {
                delete[t].insert(*k);
            }
        }
    }
    // Shared rows go when absent and nothing that stays points at them.
    for t in 0..n {
        if TABLES[t].lifecycle != Lifecycle::Shared {
            continue;
        }
        let mut referenced: HashSet<&Val> = HashSet::new();
        for &(from, col, to) in &FOREIGN_KEYS {
            if to != t || TABLES[from].lifecycle == Lifecycle::Child(t) {
                continue;
            }
            referenced.extend(desired.rows[from].iter().map(|r| &r[col]));
            referenced.extend(
                have[from]
                    .iter()
                    .filter(|(k, _)| !delete[from].contains(*k) && !want[from].contains_key(*k))
                    .map(|(_, r)| &r[col]),
            );
        }
        for k in have[t].keys() {
            if !want[t].contains_key(k) && !referenced.contains(&k[0]) {
                delete[t].insert(*k);
            }
        }
    }
    // Children follow their parent: replaced when it is loaded, gone when it is deleted. Run
    // twice, because a superseded document's fate depends on the sources deleted in the first
    // pass, and its segments and warnings follow it in the second.
    delete_children(&have, &want, &mut delete, |_| true);
    let cited: HashSet<&Val> = desired.rows[SOURCES]
        .iter()
        .map(|r| &r[5])
        .chain(
            have[SOURCES]
                .iter()
                .filter(|(k, _)| !delete[SOURCES].contains(*k) && !want[SOURCES].contains_key(*k))
                .map(|(_, r)| &r[5]),
        )
        .collect();
    for k in superseded {
        if !cited.contains(&k[0]) {
            delete[DOCUMENTS].insert(k);
        }
    }
    delete_children(&have, &want, &mut delete, |t| {
        TABLES[t].lifecycle == Lifecycle::Child(DOCUMENTS)
    });

    check_foreign_keys(&have, &want, &delete, desired, run, &mut errors);
    if !errors.is_empty() {
        return Err(join(errors));
    }

    let mut plan = Plan {
        inserts: vec![Vec::new(); n],
        updates: vec![Vec::new(); n],
        deletes: vec![Vec::new(); n],
    };
    for t in 0..n {
        // Dataset order keeps loads reproducible (and FTS rowids in dataset order).
        for row in &desired.rows[t] {
            match have[t].get(&row[..TABLES[t].key]) {
                None => plan.inserts[t].push(row.clone()),
                Some(old) if *old != row => plan.updates[t].push(row.clone()),
                Some(_) => {}
            }
        }
        plan.deletes[t] = delete[t].iter().map(|k| k.to_vec()).collect();
        plan.deletes[t].sort();
    }
    Ok(plan)
}

/// Marks for deletion the child rows (of tables `which` selects) whose parent is loaded by
/// this run (and that the run does not yield again) or deleted.
fn delete_children<'a>(
    have: &[HashMap<Key<'a>, &'a Row>],
    want: &[HashMap<Key<'a>, usize>],
    delete: &mut [HashSet<Key<'a>>],
    which: impl Fn(usize) -> bool,
) {
    for t in 0..TABLES.len() {
        if !matches!(TABLES[t].lifecycle, Lifecycle::Child(_)) || !which(t) {
            continue;
        }
        for (k, row) in &have[t] {
            if want[t].contains_key(k) {
                continue;
            }
            let Some((p, pk)) = parent_of(t, row) else {
                continue;
            };
            if want[p].contains_key(pk) || delete[p].contains(pk) {
                delete[t].insert(*k);
            }
        }
    }
}

fn check_foreign_keys(
    have: &[HashMap<Key, &Row>],
    want: &[HashMap<Key, usize>],
    delete: &[HashSet<Key>],
    desired: &Desired,
    run: &RunData,
    errors: &mut Vec<String>,
) {
    let exists = |t: usize, v: &Val| {
        let k = std::slice::from_ref(v);
        want[t].contains_key(k) || (have[t].contains_key(k) && !delete[t].contains(k))
    };
    for &(from, col, to) in &FOREIGN_KEYS {
        let (table, column) = (TABLES[from].name, TABLES[from].cols[col].0);
        for (i, row) in desired.rows[from].iter().enumerate() {
            if row[col] != Val::Null && !exists(to, &row[col]) {
                let (name, idx) = desired.origins[from][i];
                errors.push(format!(
                    "{}: {table}.{column} {} names a {} row that is neither in this run nor in the database",
                    run.origin(name, idx),
                    row[col],
                    TABLES[to].name
                ));
            }
        }
        // Rows kept from the database were consistent (the database enforces these keys), so
        // they can only break when this run deletes what they point at.
        if delete[to].is_empty() {
            continue;
        }
        for (k, row) in &have[from] {
            if want[from].contains_key(k) || delete[from].contains(k) {
                continue;
            }
            if row[col] != Val::Null && !exists(to, &row[col]) {
                errors.push(format!(
                    "{table} {} already in the database points at {} {} ({column}), which this run removes",
                    show_key(k),
                    TABLES[to].name,
                    row[col]
                ));
            }
        }
    }
}

fn show_key(k: Key) -> String {
    k.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn join(mut errors: Vec<String>) -> String {
    let more = errors.len().saturating_sub(MAX_ERRORS);
    errors.truncate(MAX_ERRORS);
    let mut s = errors.join("\n");
    if more > 0 {
        s.push_str(&format!("\n... and {more} more"));
    }
    s
}
