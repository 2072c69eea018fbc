//! The database schema: the tables the loader synchronises, and the versioned migrations that
//! create and upgrade them in SQLite and PostgreSQL.

/// Column types: the loader only moves integers and text (JSON lists are stored as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Int,
    Text,
}

/// How the loader decides which existing rows of a table a new run may delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Input documents: upserted, never deleted (a run over fewer PDFs keeps the others),
    /// except a version superseded by a new file at the same path once nothing cites it.
    Root,
    /// Rows with `sources`: deleted when absent from the run and every document that yielded
    /// them was re-parsed in this run.
    Sourced,
    /// Rows that belong to a parent (by the table index): the parent's row set is replaced
    /// whenever the parent is loaded or deleted.
    Child(usize),
    /// Rows other records point at (bodies, people): deleted when absent and no longer
    /// referenced.
    Shared,
}

/// One synchronised table: the first `key` columns are its primary key.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub cols: &'static [(&'static str, Ty)],
    pub key: usize,
    pub lifecycle: Lifecycle,
}

use Lifecycle::*;
use Ty::*;

// Table indexes, in dependency order (parents first): inserts run in this order, deletes in
// reverse.
pub const DOCUMENTS: usize = 0;
pub const SEGMENTS: usize = 1;
pub const BODIES: usize = 2;
pub const BODY_NAMES: usize = 3;
pub const PEOPLE: usize = 4;
pub const ALIASES: usize = 5;
pub const MEETINGS: usize = 6;
pub const AFFILIATIONS: usize = 7;
pub const PARTICIPANTS: usize = 8;
pub const CASES: usize = 9;
pub const ATTACHMENTS: usize = 10;
pub const ACTION_ITEMS: usize = 11;
pub const REFERENCES: usize = 12;
pub const SOURCES: usize = 13;
pub const WARNINGS: usize = 14;
pub const OCR_PAGES: usize = 15;

pub const TABLES: [Table; 16] = [
    Table {
        name: "documents",
        cols: &[
            ("id", Text),
            ("path", Text),
            ("sha256", Text),
            ("pages", Int),
            ("producer", Text),
            ("status", Text),
            ("errors", Text),
        ],
        key: 1,
        lifecycle: Root,
    },
    Table {
        name: "document_segments",
        cols: &[
            ("document_id", Text),
            ("seq", Int),
            ("kind", Text),
            ("first_page", Int),
            ("last_page", Int),
            ("meeting_id", Text),
            ("case_number", Text),
        ],
        key: 2,
        lifecycle: Child(DOCUMENTS),
    },
    Table {
        name: "bodies",
        cols: &[("id", Text), ("name", Text)],
        key: 1,
        lifecycle: Shared,
    },
    Table {
        name: "body_names",
        cols: &[
            ("body_id", Text),
            ("seq", Int),
            ("name", Text),
            ("valid_from", Text),
            ("valid_to", Text),
        ],
        key: 2,
        lifecycle: Child(BODIES),
    },
    Table {
        name: "people",
        cols: &[("id", Text), ("name", Text)],
        key: 1,
        lifecycle: Shared,
    },
    Table {
        name: "person_aliases",
        cols: &[("person_id", Text), ("alias", Text)],
        key: 2,
        lifecycle: Child(PEOPLE),
    },
    Table {
        name: "meetings",
        cols: &[
            ("id", Text),
            ("body_id", Text),
            ("body_name", Text),
            ("number", Int),
            ("year", Int),
            ("date", Text),
            ("start_time", Text),
            ("end_time", Text),
            ("location", Text),
            ("document_kinds", Text),
        ],
        key: 1,
        lifecycle: Sourced,
    },
    Table {
        name: "affiliations",
        cols: &[
            ("person_id", Text),
            ("seq", Int),
            ("organisation", Text),
            ("first_meeting_id", Text),
            ("last_meeting_id", Text),
        ],
        key: 2,
        lifecycle: Child(PEOPLE),
    },
    Table {
        name: "participants",
        cols: &[
            ("id", Text),
            ("meeting_id", Text),
            ("person_id", Text),
            ("name", Text),
            ("organisation", Text),
            ("role", Text),
            ("attendance", Text),
            ("substitute_for", Text),
        ],
        key: 1,
        lifecycle: Sourced,
    },
    Table {
        name: "cases",
        cols: &[
            ("id", Text),
            ("meeting_id", Text),
            ("case_number", Text),
            ("title", Text),
            ("case_type", Text),
            ("scheduled_time", Text),
            ("proposed_decision", Text),
            ("decision", Text),
            ("memo_from", Text),
            ("memo_case_officer", Text),
        ],
        key: 1,
        lifecycle: Sourced,
    },
    Table {
        name: "attachments",
        cols: &[
            ("case_id", Text),
            ("seq", Int),
            ("label", Text),
            ("title", Text),
            ("url", Text),
        ],
        key: 2,
        lifecycle: Child(CASES),
    },
    Table {
        name: "action_items",
        cols: &[("case_id", Text), ("seq", Int), ("text", Text)],
        key: 2,
        lifecycle: Child(CASES),
    },
    Table {
        name: "case_references",
        cols: &[
            ("id", Text),
            ("meeting_id", Text),
            ("from_case", Text),
            ("from_case_id", Text),
            ("kind", Text),
            ("target", Text),
            ("target_body", Text),
            ("target_date", Text),
            ("title", Text),
            ("decision", Text),
            ("text", Text),
            ("resolved_id", Text),
            ("resolved_case_id", Text),
            ("resolved_meeting_id", Text),
        ],
        key: 1,
        lifecycle: Sourced,
    },
    Table {
        name: "sources",
        cols: &[
            ("id", Text),
            ("meeting_id", Text),
            ("case_id", Text),
            ("participant_id", Text),
            ("reference_id", Text),
            ("document_id", Text),
            ("page", Int),
        ],
        key: 1,
        // The owner is one of four tables; sync.rs works it out per row.
        lifecycle: Child(usize::MAX),
    },
    Table {
        name: "warnings",
        cols: &[
            ("document_id", Text),
            ("seq", Int),
            ("page", Int),
            ("kind", Text),
            ("message", Text),
            ("raw", Text),
        ],
        key: 2,
        lifecycle: Child(DOCUMENTS),
    },
    Table {
        name: "document_ocr_pages",
        cols: &[
            ("document_id", Text),
            ("page", Int),
            ("engine", Text),
            ("engine_version", Text),
            ("model", Text),
            ("mean_confidence", Int),
            ("low_confidence_words", Int),
        ],
        key: 2,
        lifecycle: Child(DOCUMENTS),
    },
];

/// The schema version that created a table: a database loaded at an older version (an older
/// referat, or `load_run_at_schema`) has no such table, and the loader leaves it out.
pub fn table_since(table: usize) -> i64 {
    match table {
        OCR_PAGES => OCR_PAGES_VERSION,
        _ => 1,
    }
}

/// The owner columns of `sources`, with the table each points at.
pub const SOURCE_OWNERS: [(usize, usize); 4] = [
    (1, MEETINGS),
    (2, CASES),
    (3, PARTICIPANTS),
    (4, REFERENCES),
];

/// A foreign key the loader checks before writing: (table, column, referenced table). The
/// database enforces the same keys; checking first turns a constraint error into a message that
/// names the dataset line.
pub const FOREIGN_KEYS: [(usize, usize, usize); 23] = [
    (SEGMENTS, 0, DOCUMENTS),
    (BODY_NAMES, 0, BODIES),
    (ALIASES, 0, PEOPLE),
    (MEETINGS, 1, BODIES),
    (AFFILIATIONS, 0, PEOPLE),
    (AFFILIATIONS, 3, MEETINGS),
    (AFFILIATIONS, 4, MEETINGS),
    (PARTICIPANTS, 1, MEETINGS),
    (PARTICIPANTS, 2, PEOPLE),
    (CASES, 1, MEETINGS),
    (ATTACHMENTS, 0, CASES),
    (ACTION_ITEMS, 0, CASES),
    (REFERENCES, 1, MEETINGS),
    (REFERENCES, 3, CASES),
    (REFERENCES, 12, CASES),
    (REFERENCES, 13, MEETINGS),
    (SOURCES, 1, MEETINGS),
    (SOURCES, 2, CASES),
    (SOURCES, 3, PARTICIPANTS),
    (SOURCES, 4, REFERENCES),
    (WARNINGS, 0, DOCUMENTS),
    (SOURCES, 5, DOCUMENTS),
    (OCR_PAGES, 0, DOCUMENTS),
];

/// A schema migration: applied in order, each in the load's transaction.
pub struct Migration {
    pub version: i64,
    pub description: &'static str,
    pub sqlite: String,
    pub postgres: String,
}

/// Version 1: the tables. `{INT}` is replaced by the dialect's 64-bit integer type. In SQLite
/// `cases` gets an INTEGER PRIMARY KEY as a stable rowid for its FTS5 index (an implicit rowid
/// may be renumbered by VACUUM), and its text id becomes UNIQUE NOT NULL.
const V1_TABLES: &str = r#"
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pages {INT} NOT NULL,
    producer TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
    errors TEXT NOT NULL
);
CREATE TABLE document_segments (
    document_id TEXT NOT NULL REFERENCES documents (id),
    seq {INT} NOT NULL,
    kind TEXT NOT NULL,
    first_page {INT} NOT NULL,
    last_page {INT} NOT NULL,
    meeting_id TEXT,
    case_number TEXT,
    PRIMARY KEY (document_id, seq)
);
CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE body_names (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    seq {INT} NOT NULL,
    name TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    PRIMARY KEY (body_id, seq)
);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE person_aliases (
    person_id TEXT NOT NULL REFERENCES people (id),
    alias TEXT NOT NULL,
    PRIMARY KEY (person_id, alias)
);
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    body_id TEXT REFERENCES bodies (id),
    body_name TEXT NOT NULL,
    number {INT},
    year {INT},
    date TEXT,
    start_time TEXT,
    end_time TEXT,
    location TEXT,
    document_kinds TEXT NOT NULL
);
CREATE INDEX meetings_body ON meetings (body_id, date);
CREATE TABLE affiliations (
    person_id TEXT NOT NULL REFERENCES people (id),
    seq {INT} NOT NULL,
    organisation TEXT NOT NULL,
    first_meeting_id TEXT NOT NULL REFERENCES meetings (id),
    last_meeting_id TEXT NOT NULL REFERENCES meetings (id),
    PRIMARY KEY (person_id, seq)
);
CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    person_id TEXT REFERENCES people (id),
    name TEXT NOT NULL,
    organisation TEXT,
    role TEXT NOT NULL,
    attendance TEXT NOT NULL CHECK (attendance IN ('present', 'absent', 'unknown')),
    substitute_for TEXT
);
CREATE INDEX participants_meeting ON participants (meeting_id);
CREATE INDEX participants_person ON participants (person_id);
CREATE TABLE cases (
    {CASE_ROWID}id TEXT {CASE_KEY},
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    case_number TEXT NOT NULL,
    title TEXT,
    case_type TEXT,
    scheduled_time TEXT,
    proposed_decision TEXT,
    decision TEXT,
    memo_from TEXT,
    memo_case_officer TEXT
);
CREATE INDEX cases_meeting ON cases (meeting_id);
CREATE TABLE attachments (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq {INT} NOT NULL,
    label TEXT NOT NULL,
    title TEXT,
    url TEXT,
    PRIMARY KEY (case_id, seq)
);
CREATE TABLE action_items (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq {INT} NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
CREATE TABLE case_references (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    from_case TEXT,
    from_case_id TEXT REFERENCES cases (id),
    kind TEXT NOT NULL,
    target TEXT,
    target_body TEXT,
    target_date TEXT,
    title TEXT,
    decision TEXT,
    text TEXT,
    resolved_id TEXT,
    resolved_case_id TEXT REFERENCES cases (id),
    resolved_meeting_id TEXT REFERENCES meetings (id)
);
CREATE INDEX case_references_resolved_case ON case_references (resolved_case_id);
CREATE INDEX case_references_from_case ON case_references (from_case_id);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    meeting_id TEXT REFERENCES meetings (id),
    case_id TEXT REFERENCES cases (id),
    participant_id TEXT REFERENCES participants (id),
    reference_id TEXT REFERENCES case_references (id),
    document_id TEXT NOT NULL REFERENCES documents (id),
    page {INT} NOT NULL,
    CHECK ((meeting_id IS NOT NULL) + (case_id IS NOT NULL) + (participant_id IS NOT NULL)
           + (reference_id IS NOT NULL) = 1)
);
CREATE INDEX sources_document ON sources (document_id);
CREATE TABLE warnings (
    document_id TEXT NOT NULL REFERENCES documents (id),
    seq {INT} NOT NULL,
    page {INT},
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    raw TEXT,
    PRIMARY KEY (document_id, seq)
);
"#;

/// Version 2, SQLite: FTS5 over case titles and decisions. The unicode61 tokenizer folds case
/// but, with remove_diacritics 0, keeps æ, ø and å distinct letters (otherwise "å" would match
/// "a"). The index reads its text from `cases` (external content) and is rebuilt by the loader
/// after it changed cases (see `SQLITE_FTS_REBUILD`): row triggers would make FTS5 flush at every
/// statement, which slows a 100,000-case load several times over.
const V2_SQLITE: &str = r#"
CREATE VIRTUAL TABLE cases_fts USING fts5(
    title, proposed_decision, decision,
    content = 'cases', content_rowid = 'row_id',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');
"#;

/// Re-indexes every case from `cases` in one statement.
pub const SQLITE_FTS_REBUILD: &str = "INSERT INTO cases_fts (cases_fts) VALUES ('rebuild')";

/// Version 2, PostgreSQL: a GIN index over the same Norwegian text-search vector the search
/// query computes, so that the planner uses it.
const V2_POSTGRES: &str = r#"
CREATE INDEX cases_fts ON cases USING GIN (to_tsvector('norwegian',
    coalesce(title, '') || ' ' || coalesce(proposed_decision, '') || ' ' || coalesce(decision, '')));
"#;

/// The PostgreSQL expression the GIN index covers (search must use it verbatim).
pub const PG_TSVECTOR: &str = "to_tsvector('norwegian', coalesce(c.title, '') || ' ' || \
     coalesce(c.proposed_decision, '') || ' ' || coalesce(c.decision, ''))";

/// Version 3: where the text of OCRed pages came from (`documents.jsonl` `ocr_pages`). The
/// same statement serves both dialects.
const V3_OCR_PAGES: &str = r#"
CREATE TABLE document_ocr_pages (
    document_id TEXT NOT NULL REFERENCES documents (id),
    page {INT} NOT NULL,
    engine TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    model TEXT NOT NULL,
    mean_confidence {INT} NOT NULL CHECK (mean_confidence BETWEEN 0 AND 100),
    low_confidence_words {INT} NOT NULL,
    PRIMARY KEY (document_id, page)
);
"#;

pub fn migrations() -> Vec<Migration> {
    vec![
        Migration {
            version: 1,
            description: "tables for the extract datasets",
            sqlite: V1_TABLES
                .replace("{INT}", "INTEGER")
                .replace("{CASE_ROWID}", "row_id INTEGER PRIMARY KEY,\n    ")
                .replace("{CASE_KEY}", "NOT NULL UNIQUE"),
            postgres: V1_TABLES
                .replace("{INT}", "BIGINT")
                .replace("{CASE_ROWID}", "")
                .replace("{CASE_KEY}", "PRIMARY KEY")
                .replace(
                // PostgreSQL adds booleans with a cast.
                "(meeting_id IS NOT NULL) + (case_id IS NOT NULL) + (participant_id IS NOT NULL)\n           + (reference_id IS NOT NULL) = 1",
                "(meeting_id IS NOT NULL)::int + (case_id IS NOT NULL)::int + (participant_id IS NOT NULL)::int\n           + (reference_id IS NOT NULL)::int = 1",
            ),
        },
        Migration {
            version: 2,
            description: "full-text search over cases",
            sqlite: V2_SQLITE.into(),
            postgres: V2_POSTGRES.into(),
        },
        Migration {
            version: OCR_PAGES_VERSION,
            description: "provenance of OCRed pages",
            sqlite: V3_OCR_PAGES.replace("{INT}", "INTEGER"),
            postgres: V3_OCR_PAGES.replace("{INT}", "BIGINT"),
        },
    ]
}

/// The schema version that added full-text search.
pub const SEARCH_VERSION: i64 = 2;

/// The schema version that added `document_ocr_pages`.
pub const OCR_PAGES_VERSION: i64 = 3;

/// The newest schema version this referat knows.
pub fn latest_version() -> i64 {
    migrations().last().map_or(0, |m| m.version)
}
