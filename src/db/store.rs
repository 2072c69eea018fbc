//! The two database back-ends behind one interface: the loader and search never see which.

use super::schema::Migration;
use super::value::Row;

/// A search request: a free-text query and optional filters.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// A body id, name or part of a name ("NUIT"); case-insensitive.
    pub body: Option<String>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub limit: usize,
}

/// One matching case.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub case_id: String,
    pub body: String,
    pub date: Option<String>,
    pub case_number: String,
    pub title: Option<String>,
    pub proposed_decision: Option<String>,
    pub decision: Option<String>,
}

pub type DbResult<T> = Result<T, String>;

pub trait Store {
    /// "sqlite" or "postgres", for messages.
    fn kind(&self) -> &'static str;
    fn begin(&mut self) -> DbResult<()>;
    fn commit(&mut self) -> DbResult<()>;
    fn rollback(&mut self);
    /// The schema version of the database (0 for an empty one); creates `schema_version`.
    fn schema_version(&mut self) -> DbResult<i64>;
    /// Runs a migration's SQL and records it in `schema_version`.
    fn apply_migration(&mut self, m: &Migration) -> DbResult<()>;
    /// Every row of a table, columns as in `schema::TABLES`.
    fn select_all(&mut self, table: usize) -> DbResult<Vec<Row>>;
    fn insert(&mut self, table: usize, rows: &[Row]) -> DbResult<()>;
    /// Rewrites the non-key columns of rows identified by their keys.
    fn update(&mut self, table: usize, rows: &[Row]) -> DbResult<()>;
    /// Deletes the rows with these primary keys.
    fn delete(&mut self, table: usize, keys: &[Row]) -> DbResult<()>;
    /// Brings the search index up to date after cases were written (when the database does
    /// not do so itself).
    fn refresh_search_index(&mut self) -> DbResult<()>;
    fn search(&mut self, q: &SearchQuery) -> DbResult<Vec<Hit>>;
}

/// The default database, relative to the working directory.
pub const DEFAULT_URL: &str = "sqlite:output/referat.db";

/// Opens `sqlite:PATH` or `postgres://...` (also `postgresql://`).
pub fn open(url: &str) -> DbResult<Box<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            return Err(format!("{url}: no file name after sqlite:"));
        }
        Ok(Box::new(super::sqlite::Sqlite::open(
            std::path::Path::new(path),
        )?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(super::pg::Postgres::connect(url)?))
    } else {
        Err(format!(
            "{url}: unknown database URL; use sqlite:PATH or postgres://USER@HOST:PORT/DB"
        ))
    }
}

/// `"a" "b"` column lists and placeholders, shared by both dialects.
pub fn column_list(cols: &[(&str, super::schema::Ty)]) -> String {
    cols.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
}
