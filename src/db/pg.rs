//! PostgreSQL back-end (the synchronous `postgres` crate; loopback or a trusted network).

use std::io::Write;

use postgres::types::ToSql;
use postgres::{Client, NoTls};

use super::schema::{Migration, Ty, PG_TSVECTOR, TABLES};
use super::store::{column_list, DbResult, Hit, SearchQuery, Store};
use super::value::{Row, Val};

pub struct Postgres {
    client: Client,
    name: String,
}

/// Appends a row in COPY's text format: tab-separated, `\\N` for NULL, backslash escapes.
fn copy_line(row: &Row, out: &mut String) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        match v {
            Val::Null => out.push_str("\\N"),
            Val::Int(n) => out.push_str(&n.to_string()),
            Val::Text(s) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    out.push('\n');
}

/// The server's message (e.g. the violated constraint and its detail) when there is one.
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{}{}",
            db.message(),
            db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
        ),
        None => e.to_string(),
    }
}

/// A value typed for its column, so that a NULL binds as the column's type.
fn param<'a>(v: &'a Val, ty: Ty) -> Box<dyn ToSql + Sync + 'a> {
    match (v, ty) {
        (Val::Int(i), _) => Box::new(*i),
        (Val::Text(s), _) => Box::new(s.as_str()),
        (Val::Null, Ty::Int) => Box::new(None::<i64>),
        (Val::Null, Ty::Text) => Box::new(None::<&str>),
    }
}

impl Postgres {
    pub fn connect(url: &str) -> DbResult<Postgres> {
        // Never echo the URL: it may carry a password.
        let name = "postgres".to_string();
        let client = Client::connect(url, NoTls)
            .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
        Ok(Postgres { client, name })
    }

    fn err(&self, e: postgres::Error) -> String {
        format!("{}: {}", self.name, describe(&e))
    }

    fn execute_rows(&mut self, sql: &str, table: usize, rows: &[Row]) -> DbResult<()> {
        let cols = TABLES[table].cols;
        let stmt = self.client.prepare(sql).map_err(|e| self.err(e))?;
        for row in rows {
            let params: Vec<Box<dyn ToSql + Sync + '_>> = row
                .iter()
                .zip(cols)
                .map(|(v, (_, ty))| param(v, *ty))
                .collect();
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
            self.client
                .execute(&stmt, &refs)
                .map_err(|e| format!("{}: {}", TABLES[table].name, self.err(e)))?;
        }
        Ok(())
    }
}

impl Postgres {
    /// The tsquery for free text: every word must match, as its Norwegian stem or as the stem
    /// of that stem. Snowball strips one suffix layer, so an inflected form and its base can
    /// stem apart ("helsedataene" -> "helsedata", but "helsedata" -> "helsedat"); stemming the
    /// query's stem again brings them together. Built from lexemes, so the query text is never
    /// parsed as tsquery syntax; `simple` keeps them as they are.
    fn norwegian_tsquery(&mut self, text: &str) -> DbResult<Option<String>> {
        let rows = self
            .client
            .query(
                "SELECT w, tsvector_to_array(to_tsvector('norwegian', w))
                 FROM unnest(tsvector_to_array(to_tsvector('norwegian', $1))) AS w",
                &[&text],
            )
            .map_err(|e| self.err(e))?;
        let quote =
            |lexeme: &str| format!("'{}'", lexeme.replace('\\', "\\\\").replace('\'', "''"));
        let groups: Vec<String> = rows
            .iter()
            .map(|r| {
                let stem: String = r.get(0);
                let mut alternatives = vec![quote(&stem)];
                for again in r.get::<_, Vec<String>>(1) {
                    if again != stem {
                        alternatives.push(quote(&again));
                    }
                }
                format!("({})", alternatives.join(" | "))
            })
            .collect();
        Ok((!groups.is_empty()).then(|| groups.join(" & ")))
    }
}

fn key_match(cols: &[(&str, Ty)], key: usize) -> String {
    cols[..key]
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ${}", c.0, i + 1))
        .collect::<Vec<_>>()
        .join(" AND ")
}

impl Store for Postgres {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn begin(&mut self) -> DbResult<()> {
        self.client
            .batch_execute("BEGIN")
            .map_err(|e| self.err(e))?;
        // One loader at a time: a second concurrent load waits rather than interleaving.
        self.client
            .batch_execute("SELECT pg_advisory_xact_lock(7406657265)")
            .map_err(|e| self.err(e))
    }

    fn commit(&mut self) -> DbResult<()> {
        self.client.batch_execute("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }

    fn schema_version(&mut self) -> DbResult<i64> {
        self.client
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_version (
                    version BIGINT PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at TEXT NOT NULL)",
            )
            .map_err(|e| self.err(e))?;
        let row = self
            .client
            .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
            .map_err(|e| self.err(e))?;
        Ok(row.get(0))
    }

    fn apply_migration(&mut self, m: &Migration) -> DbResult<()> {
        self.client
            .batch_execute(&m.postgres)
            .map_err(|e| format!("migration {}: {}", m.version, self.err(e)))?;
        self.client
            .execute(
                "INSERT INTO schema_version (version, description, applied_at)
                 VALUES ($1, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                &[&m.version, &m.description],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn select_all(&mut self, table: usize) -> DbResult<Vec<Row>> {
        let t = &TABLES[table];
        let sql = format!("SELECT {} FROM {}", column_list(t.cols), t.name);
        let rows = self.client.query(&sql, &[]).map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| {
                t.cols
                    .iter()
                    .enumerate()
                    .map(|(i, (_, ty))| match ty {
                        Ty::Int => r.get::<_, Option<i64>>(i).map_or(Val::Null, Val::Int),
                        Ty::Text => r.get::<_, Option<String>>(i).map_or(Val::Null, Val::Text),
                    })
                    .collect()
            })
            .collect())
    }

    fn insert(&mut self, table: usize, rows: &[Row]) -> DbResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        // COPY streams all rows in one command: several times faster than INSERTs, and still
        // inside the load's transaction.
        let t = &TABLES[table];
        let sql = format!("COPY {} ({}) FROM STDIN", t.name, column_list(t.cols));
        let fail =
            |e: postgres::Error| format!("postgres: insert into {}: {}", t.name, describe(&e));
        let mut writer = self.client.copy_in(&sql).map_err(fail)?;
        let mut buf = String::with_capacity(1 << 16);
        for row in rows {
            copy_line(row, &mut buf);
            if buf.len() >= 1 << 16 {
                if let Err(e) = writer.write_all(buf.as_bytes()) {
                    return Err(format!("insert into {}: {e}", t.name));
                }
                buf.clear();
            }
        }
        writer
            .write_all(buf.as_bytes())
            .map_err(|e| format!("postgres: insert into {}: {e}", t.name))?;
        writer.finish().map(drop).map_err(fail)
    }

    fn update(&mut self, table: usize, rows: &[Row]) -> DbResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let t = &TABLES[table];
        let set = t.cols[t.key..]
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ${}", c.0, t.key + i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "UPDATE {} SET {set} WHERE {}",
            t.name,
            key_match(t.cols, t.key)
        );
        self.execute_rows(&sql, table, rows)
    }

    fn delete(&mut self, table: usize, keys: &[Row]) -> DbResult<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let t = &TABLES[table];
        let sql = format!("DELETE FROM {} WHERE {}", t.name, key_match(t.cols, t.key));
        self.execute_rows(&sql, table, keys)
    }

    fn refresh_search_index(&mut self) -> DbResult<()> {
        // The GIN index is maintained by PostgreSQL on every write.
        Ok(())
    }

    fn search(&mut self, q: &SearchQuery) -> DbResult<Vec<Hit>> {
        let Some(tsquery) = self.norwegian_tsquery(&q.text)? else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT c.id, coalesce(b.name, m.body_name), m.date, c.case_number, c.title,
                    c.proposed_decision, c.decision
             FROM cases c
             JOIN meetings m ON m.id = c.meeting_id
             LEFT JOIN bodies b ON b.id = m.body_id
             WHERE {PG_TSVECTOR} @@ to_tsquery('simple', $1)
               AND ($2::text IS NULL
                    OR lower(m.body_id) = lower($2)
                    OR m.body_name ILIKE '%' || $2 || '%'
                    OR b.name ILIKE '%' || $2 || '%'
                    OR EXISTS (SELECT 1 FROM body_names n
                               WHERE n.body_id = m.body_id AND n.name ILIKE '%' || $2 || '%'))
               AND ($3::bigint IS NULL OR coalesce(m.year, CASE WHEN m.date ~ '^[0-9]{{4}}' THEN substr(m.date, 1, 4)::bigint END) >= $3)
               AND ($4::bigint IS NULL OR coalesce(m.year, CASE WHEN m.date ~ '^[0-9]{{4}}' THEN substr(m.date, 1, 4)::bigint END) <= $4)
             ORDER BY m.date NULLS LAST, c.case_number
             LIMIT $5"
        );
        let from = q.from_year.map(i64::from);
        let to = q.to_year.map(i64::from);
        let limit = i64::try_from(q.limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(&sql, &[&tsquery, &q.body, &from, &to, &limit])
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| Hit {
                case_id: r.get(0),
                body: r.get(1),
                date: r.get(2),
                case_number: r.get(3),
                title: r.get(4),
                proposed_decision: r.get(5),
                decision: r.get(6),
            })
            .collect())
    }
}
