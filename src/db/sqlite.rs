//! SQLite back-end (embedded through rusqlite's bundled SQLite; no server, no system library).

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, ToSql};

use super::schema::{Migration, Ty, SQLITE_FTS_REBUILD, TABLES};
use super::store::{column_list, DbResult, Hit, SearchQuery, Store};
use super::value::{Row, Val};

pub struct Sqlite {
    conn: Connection,
    name: String,
}

impl ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(i) => ValueRef::Integer(*i),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

impl Sqlite {
    pub fn open(path: &Path) -> DbResult<Sqlite> {
        let name = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let conn = Connection::open(path).map_err(|e| format!("{name}: {e}"))?;
        // Foreign keys are off by default in SQLite. WAL with synchronous=NORMAL stays consistent
        // after a crash (a power cut may lose the last load, which can simply be run again) and
        // is much faster for one large transaction.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
        )
        .map_err(|e| format!("{name}: {e}"))?;
        Ok(Sqlite { conn, name })
    }

    fn err(&self, e: rusqlite::Error) -> String {
        format!("{}: {e}", self.name)
    }
}

impl Store for Sqlite {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn begin(&mut self) -> DbResult<()> {
        // IMMEDIATE takes the write lock now, so a concurrent load fails fast, not half-way.
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    fn commit(&mut self) -> DbResult<()> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) {
        let _ = self.conn.execute_batch("ROLLBACK");
    }

    fn schema_version(&mut self) -> DbResult<i64> {
        self.conn
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_version (
                    version INTEGER PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at TEXT NOT NULL)",
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .query_row(
                "SELECT coalesce(max(version), 0) FROM schema_version",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    fn apply_migration(&mut self, m: &Migration) -> DbResult<()> {
        self.conn
            .execute_batch(&m.sqlite)
            .map_err(|e| format!("{}: migration {}: {e}", self.name, m.version))?;
        self.conn
            .execute(
                "INSERT INTO schema_version (version, description, applied_at)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                (m.version, m.description),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn select_all(&mut self, table: usize) -> DbResult<Vec<Row>> {
        let t = &TABLES[table];
        let sql = format!("SELECT {} FROM {}", column_list(t.cols), t.name);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                t.cols
                    .iter()
                    .enumerate()
                    .map(|(i, (_, ty))| {
                        Ok(match ty {
                            Ty::Int => r.get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int),
                            Ty::Text => r.get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text),
                        })
                    })
                    .collect::<rusqlite::Result<Row>>()
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(|e| self.err(e))
    }

    fn insert(&mut self, table: usize, rows: &[Row]) -> DbResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let t = &TABLES[table];
        let marks = (1..=t.cols.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            t.name,
            column_list(t.cols)
        );
        run_each(&self.conn, &sql, rows.iter().map(|r| r.iter().collect()))
            .map_err(|e| format!("{}: insert into {}: {e}", self.name, t.name))
    }

    fn update(&mut self, table: usize, rows: &[Row]) -> DbResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let t = &TABLES[table];
        let set = t.cols[t.key..]
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", c.0, t.key + i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "UPDATE {} SET {set} WHERE {}",
            t.name,
            key_match(t.cols, t.key)
        );
        run_each(&self.conn, &sql, rows.iter().map(|r| r.iter().collect()))
            .map_err(|e| format!("{}: update {}: {e}", self.name, t.name))
    }

    fn delete(&mut self, table: usize, keys: &[Row]) -> DbResult<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let t = &TABLES[table];
        let sql = format!("DELETE FROM {} WHERE {}", t.name, key_match(t.cols, t.key));
        run_each(&self.conn, &sql, keys.iter().map(|r| r.iter().collect()))
            .map_err(|e| format!("{}: delete from {}: {e}", self.name, t.name))
    }

    fn refresh_search_index(&mut self) -> DbResult<()> {
        self.conn
            .execute_batch(SQLITE_FTS_REBUILD)
            .map_err(|e| format!("{}: rebuilding the search index: {e}", self.name))
    }

    fn search(&mut self, q: &SearchQuery) -> DbResult<Vec<Hit>> {
        let Some(expr) = fts5_query(&q.text) else {
            return Ok(Vec::new());
        };
        let sql = "
            SELECT c.id, coalesce(b.name, m.body_name), m.date, c.case_number, c.title,
                   c.proposed_decision, c.decision
            FROM cases_fts f
            JOIN cases c ON c.row_id = f.rowid
            JOIN meetings m ON m.id = c.meeting_id
            LEFT JOIN bodies b ON b.id = m.body_id
            WHERE cases_fts MATCH ?1
              AND (?2 IS NULL
                   OR m.body_id = ?2 COLLATE NOCASE
                   OR m.body_name LIKE '%' || ?2 || '%'
                   OR b.name LIKE '%' || ?2 || '%'
                   OR EXISTS (SELECT 1 FROM body_names n
                              WHERE n.body_id = m.body_id AND n.name LIKE '%' || ?2 || '%'))
              AND (?3 IS NULL OR coalesce(m.year, CAST(substr(m.date, 1, 4) AS INTEGER)) >= ?3)
              AND (?4 IS NULL OR coalesce(m.year, CAST(substr(m.date, 1, 4) AS INTEGER)) <= ?4)
            ORDER BY m.date IS NULL, m.date, c.case_number
            LIMIT ?5";
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                (
                    expr,
                    q.body.as_deref(),
                    q.from_year,
                    q.to_year,
                    i64::try_from(q.limit).unwrap_or(i64::MAX),
                ),
                |r| {
                    Ok(Hit {
                        case_id: r.get(0)?,
                        body: r.get(1)?,
                        date: r.get(2)?,
                        case_number: r.get(3)?,
                        title: r.get(4)?,
                        proposed_decision: r.get(5)?,
                        decision: r.get(6)?,
                    })
                },
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<Hit>>>()
            .map_err(|e| self.err(e))
    }
}

fn key_match(cols: &[(&str, Ty)], key: usize) -> String {
    cols[..key]
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", c.0, i + 1))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Runs one prepared (and cached) statement per parameter row: with the whole load in one
/// transaction this is SQLite's fastest path. Rows are in column order, keys first, which is
/// also how the UPDATE placeholders are numbered.
fn run_each<'a>(
    conn: &Connection,
    sql: &str,
    rows: impl Iterator<Item = Vec<&'a Val>>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    for row in rows {
        stmt.execute(params_from_iter(row))?;
    }
    Ok(())
}

/// Turns free text into an FTS5 query: every word must occur (implicit AND); each is quoted so
/// that hyphens and other punctuation in "e-helse" are not query syntax; a trailing `*` keeps
/// its prefix meaning.
pub fn fts5_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter_map(|w| {
            let (word, prefix) = match w.strip_suffix('*') {
                Some(stem) => (stem, "*"),
                None => (w, ""),
            };
            let word = word.trim_matches('"');
            (!word.is_empty()).then(|| format!("\"{}\"{prefix}", word.replace('"', "\"\"")))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fts5_query;

    #[test]
    fn free_text_becomes_quoted_fts5_terms() {
        assert_eq!(
            fts5_query("helsedata  e-helse").as_deref(),
            Some("\"helsedata\" \"e-helse\"")
        );
        assert_eq!(fts5_query("plan*").as_deref(), Some("\"plan\"*"));
        assert_eq!(
            fts5_query("sa\"k OR").as_deref(),
            Some("\"sa\"\"k\" \"OR\"")
        );
        assert_eq!(fts5_query("  \"\" "), None);
    }
}
