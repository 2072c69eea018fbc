//! The database: loads the datasets of an `extract` run into SQLite or PostgreSQL (normalised
//! tables, versioned migrations, idempotent transactional synchronisation) and searches the
//! cases with Norwegian full-text search.
//!
//! dataset (read JSONL) -> rows (records to table rows) -> sync (plan against what the database
//! holds) -> store (sqlite / pg back-ends apply it in one transaction).

pub mod cli;
pub mod dataset;
pub mod pg;
pub mod rows;
pub mod sample;
pub mod schema;
pub mod sqlite;
pub mod store;
pub mod sync;
pub mod value;

use std::path::Path;

pub use store::{open, Hit, SearchQuery, Store, DEFAULT_URL};

/// What one load changed in one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
}

impl Counts {
    pub fn changes(&self) -> usize {
        self.inserted + self.updated + self.deleted
    }
}

/// The outcome of a successful load.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub schema_from: i64,
    pub schema_to: i64,
    /// Per table, in `schema::TABLES` order.
    pub tables: Vec<(&'static str, Counts)>,
}

impl LoadReport {
    pub fn total(&self) -> Counts {
        self.tables
            .iter()
            .fold(Counts::default(), |a, (_, c)| Counts {
                inserted: a.inserted + c.inserted,
                updated: a.updated + c.updated,
                deleted: a.deleted + c.deleted,
            })
    }

    pub fn table(&self, name: &str) -> Counts {
        self.tables
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }
}

/// Loads the run in `dir` into the database at `url`.
pub fn load(dir: &Path, url: &str) -> Result<LoadReport, String> {
    let run = dataset::read_run(dir)?;
    let mut store = open(url)?;
    load_run(store.as_mut(), &run)
}

/// Loads already-read datasets: migrations, planning and writing all happen in one
/// transaction, so any error leaves the database as it was.
pub fn load_run(store: &mut dyn Store, run: &dataset::RunData) -> Result<LoadReport, String> {
    load_run_at_schema(store, run, None)
}

/// Like `load_run`, but migrates only up to `schema` (None: the latest). An older referat
/// loaded like this; tests use it to check that a later load upgrades such a database.
pub fn load_run_at_schema(
    store: &mut dyn Store,
    run: &dataset::RunData,
    schema: Option<i64>,
) -> Result<LoadReport, String> {
    let desired = rows::build(run);
    store.begin()?;
    match load_in_transaction(store, run, &desired, schema) {
        Ok(report) => {
            store.commit()?;
            Ok(report)
        }
        Err(e) => {
            store.rollback();
            Err(format!("{e}\nnothing was loaded (rolled back)"))
        }
    }
}

/// Brings the schema up to `target` (all migrations when None) in its own transaction.
pub fn migrate(store: &mut dyn Store, target: Option<i64>) -> Result<(i64, i64), String> {
    store.begin()?;
    match apply_migrations(store, target) {
        Ok(v) => {
            store.commit()?;
            Ok(v)
        }
        Err(e) => {
            store.rollback();
            Err(e)
        }
    }
}

fn apply_migrations(store: &mut dyn Store, target: Option<i64>) -> Result<(i64, i64), String> {
    let from = store.schema_version()?;
    let latest = schema::latest_version();
    if from > latest {
        return Err(format!(
            "the database has schema version {from}, newer than this referat knows ({latest}); \
             use a newer referat"
        ));
    }
    let mut now = from;
    for m in schema::migrations() {
        if m.version > now && target.is_none_or(|t| m.version <= t) {
            store.apply_migration(&m)?;
            now = m.version;
        }
    }
    Ok((from, now))
}

fn load_in_transaction(
    store: &mut dyn Store,
    run: &dataset::RunData,
    desired: &rows::Desired,
    schema: Option<i64>,
) -> Result<LoadReport, String> {
    let (from, to) = apply_migrations(store, schema)?;
    // Tables newer than the schema loaded to do not exist there: nothing to read or write.
    let absent = |t: usize| schema::table_since(t) > to;
    let trimmed;
    let desired = if (0..schema::TABLES.len()).any(absent) {
        let mut kept = desired.clone();
        for t in (0..schema::TABLES.len()).filter(|&t| absent(t)) {
            kept.rows[t].clear();
            kept.origins[t].clear();
        }
        trimmed = kept;
        &trimmed
    } else {
        desired
    };
    let existing = (0..schema::TABLES.len())
        .map(|t| {
            if absent(t) {
                Ok(Vec::new())
            } else {
                store.select_all(t)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let plan = sync::plan(&existing, desired, run)?;
    // Writes first, parents before children, so that a row moving to a new parent never points
    // at a deleted one; then deletes, children before parents.
    for t in 0..schema::TABLES.len() {
        store.insert(t, &plan.inserts[t])?;
        store.update(t, &plan.updates[t])?;
    }
    for t in (0..schema::TABLES.len()).rev() {
        store.delete(t, &plan.deletes[t])?;
    }
    let c = schema::CASES;
    let cases_changed = plan.inserts[c].len() + plan.updates[c].len() + plan.deletes[c].len() > 0;
    if to >= schema::SEARCH_VERSION && cases_changed {
        store.refresh_search_index()?;
    }
    Ok(LoadReport {
        schema_from: from,
        schema_to: to,
        tables: schema::TABLES
            .iter()
            .enumerate()
            .map(|(t, table)| {
                (
                    table.name,
                    Counts {
                        inserted: plan.inserts[t].len(),
                        updated: plan.updates[t].len(),
                        deleted: plan.deletes[t].len(),
                    },
                )
            })
            .collect(),
    })
}

/// Searches the cases of the database at `url`.
pub fn search(url: &str, q: &SearchQuery) -> Result<Vec<Hit>, String> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if !Path::new(path).is_file() {
            return Err(format!(
                "{path}: no such database; run `referat load` first"
            ));
        }
    }
    let mut store = open(url)?;
    if store.schema_version()? < schema::SEARCH_VERSION {
        return Err(format!(
            "{url}: the database has no search index yet; run `referat load` first"
        ));
    }
    store.search(q)
}
