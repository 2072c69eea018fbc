//! The datasets as flat tables, the shape CSV and Parquet readers expect: one table per dataset,
//! and one child table per nested list (a case's attachments, a body's names over time, every
//! record's sources), each child row keyed by its parent's id and its position in the list.
//!
//! Column names are the datasets' field names (`schemas/`); a nested object's fields are
//! prefixed with its name (`memo_from`). Columns the export adds (the parent id and `seq` of a
//! child row, the id of a participant) are described in `Column::about`. Both formats write the
//! same tables, so a CSV and a Parquet export hold the same values.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};

use crate::db::dataset::RunData;
use crate::records::Source;

/// The type of a column, as Frictionless names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    String,
    Integer,
    Boolean,
    /// A calendar date (YYYY-MM-DD).
    Date,
    /// A time of day to the minute (HH:MM).
    Time,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::String => "string",
            Ty::Integer => "integer",
            Ty::Boolean => "boolean",
            Ty::Date => "date",
            Ty::Time => "time",
        }
    }
}

/// Where the description of a column or table comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// A JSON pointer into the schema of the table's dataset (`schemas/DATASET.schema.json`).
    Schema(&'static str),
    /// The text itself, for what the export adds.
    Own(&'static str),
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub ty: Ty,
    /// Never empty. Only keys and numbers are marked so: empty text is written as null (CSV
    /// cannot tell them apart), so a text field the JSON requires may still be empty here.
    pub required: bool,
    pub about: About,
}

#[derive(Debug)]
pub struct ForeignKey {
    pub columns: &'static [&'static str],
    pub table: &'static str,
    pub referenced: &'static [&'static str],
}

/// The layout of one table.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    /// The dataset its rows come from (`DATASET.jsonl`).
    pub dataset: &'static str,
    pub about: About,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

impl TableSpec {
    pub fn column(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("{}: no column {name}", self.name))
    }
}

/// One value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    Time(NaiveTime),
}

impl Cell {
    /// The value as CSV writes it ("" for null); also the key value in error messages.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Time(t) => t.format(TIME_FORMAT).to_string(),
        }
    }
}

/// How times are written in CSV (declared as the field's format in `datapackage.json`).
pub const TIME_FORMAT: &str = "%H:%M";

/// A table with its rows.
#[derive(Debug)]
pub struct Table {
    pub spec: &'static TableSpec,
    pub rows: Vec<Vec<Cell>>,
    /// The 1-based line in `DATASET.jsonl` each row came from.
    pub lines: Vec<usize>,
}

const fn field(name: &'static str, ty: Ty, required: bool, pointer: &'static str) -> Column {
    Column {
        name,
        ty,
        required,
        about: About::Schema(pointer),
    }
}

const fn own(name: &'static str, ty: Ty, text: &'static str) -> Column {
    Column {
        name,
        ty,
        required: true,
        about: About::Own(text),
    }
}

const fn fk(
    columns: &'static [&'static str],
    table: &'static str,
    referenced: &'static [&'static str],
) -> ForeignKey {
    ForeignKey {
        columns,
        table,
        referenced,
    }
}

const SEQ: Column = own(
    "seq",
    Ty::Integer,
    "Position of the item in its record's list, 0 for the first; keeps the order of the JSON Lines dataset.",
);

/// A `sources` list as a child table of `dataset`, whose rows are keyed by `parent`.
macro_rules! sources_table {
    ($name:literal, $dataset:literal, $parent:literal, $parent_about:literal) => {
        TableSpec {
            name: $name,
            dataset: $dataset,
            about: About::Schema("/properties/sources"),
            columns: &[
                own($parent, String, $parent_about),
                SEQ,
                field(
                    "document_id",
                    String,
                    true,
                    "/$defs/source/properties/document_id",
                ),
                field("page", Integer, true, "/$defs/source/properties/page"),
            ],
            primary_key: &[$parent, "seq"],
            foreign_keys: &[
                fk(&[$parent], $dataset, &["id"]),
                fk(&["document_id"], "documents", &["id"]),
            ],
        }
    };
}

/// Every table, parents before their children.
pub static TABLES: [TableSpec; 21] = {
    use Ty::*;
    [
    TableSpec {
        name: "documents",
        dataset: "documents",
        about: About::Schema(""),
        columns: &[
            field("id", String, true, "/properties/id"),
            field("path", String, false, "/properties/path"),
            field("sha256", String, false, "/properties/sha256"),
            field("pages", Integer, true, "/properties/pages"),
            field("producer", String, false, "/properties/producer"),
            field("status", String, true, "/properties/status"),
        ],
        primary_key: &["id"],
        foreign_keys: &[],
    },
    TableSpec {
        name: "document_errors",
        dataset: "documents",
        about: About::Schema("/properties/errors"),
        columns: &[
            own("document_id", String, "Id of the document (documents.id)."),
            SEQ,
            field("error", String, false, "/properties/errors"),
        ],
        primary_key: &["document_id", "seq"],
        foreign_keys: &[fk(&["document_id"], "documents", &["id"])],
    },
    TableSpec {
        name: "document_segments",
        dataset: "documents",
        about: About::Schema("/properties/segments"),
        columns: &[
            own("document_id", String, "Id of the document (documents.id)."),
            SEQ,
            field("kind", String, true, "/properties/segments/items/properties/kind"),
            field(
                "first_page",
                Integer,
                true,
                "/properties/segments/items/properties/first_page",
            ),
            field(
                "last_page",
                Integer,
                true,
                "/properties/segments/items/properties/last_page",
            ),
            field(
                "meeting_id",
                String,
                false,
                "/properties/segments/items/properties/meeting_id",
            ),
            field(
                "case_number",
                String,
                false,
                "/properties/segments/items/properties/case_number",
            ),
        ],
        primary_key: &["document_id", "seq"],
        foreign_keys: &[
            fk(&["document_id"], "documents", &["id"]),
            fk(&["meeting_id"], "meetings", &["id"]),
        ],
    },
    TableSpec {
        name: "document_ocr_pages",
        dataset: "documents",
        about: About::Schema("/properties/ocr_pages"),
        columns: &[
            own("document_id", String, "Id of the document (documents.id)."),
            SEQ,
            field("page", Integer, true, "/properties/ocr_pages/items/properties/page"),
            field(
                "engine",
                String,
                false,
                "/properties/ocr_pages/items/properties/engine",
            ),
            field(
                "engine_version",
                String,
                false,
                "/properties/ocr_pages/items/properties/engine_version",
            ),
            field(
                "model",
                String,
                false,
                "/properties/ocr_pages/items/properties/model",
            ),
            field(
                "mean_confidence",
                Integer,
                true,
                "/properties/ocr_pages/items/properties/mean_confidence",
            ),
            field(
                "low_confidence_words",
                Integer,
                true,
                "/properties/ocr_pages/items/properties/low_confidence_words",
            ),
        ],
        primary_key: &["document_id", "seq"],
        foreign_keys: &[fk(&["document_id"], "documents", &["id"])],
    },
    TableSpec {
        name: "bodies",
        dataset: "bodies",
        about: About::Schema(""),
        columns: &[
            field("id", String, true, "/properties/id"),
            field("name", String, false, "/properties/name"),
        ],
        primary_key: &["id"],
        foreign_keys: &[],
    },
    TableSpec {
        name: "body_names",
        dataset: "bodies",
        about: About::Schema("/properties/names"),
        columns: &[
            own("body_id", String, "Id of the body (bodies.id)."),
            SEQ,
            field("name", String, false, "/properties/names/items/properties/name"),
            field("from", String, false, "/properties/names/items/properties/from"),
            field("to", String, false, "/properties/names/items/properties/to"),
        ],
        primary_key: &["body_id", "seq"],
        foreign_keys: &[fk(&["body_id"], "bodies", &["id"])],
    },
    TableSpec {
        name: "meetings",
        dataset: "meetings",
        about: About::Schema(""),
        columns: &[
            field("id", String, true, "/properties/id"),
            field("body", String, false, "/properties/body"),
            field("body_id", String, false, "/properties/body_id"),
            field("number", Integer, false, "/properties/number"),
            field("year", Integer, false, "/properties/year"),
            field("date", Date, false, "/properties/date"),
            field("start_time", Time, false, "/properties/start_time"),
            field("end_time", Time, false, "/properties/end_time"),
            field("location", String, false, "/properties/location"),
        ],
        primary_key: &["id"],
        foreign_keys: &[fk(&["body_id"], "bodies", &["id"])],
    },
    TableSpec {
        name: "meeting_documents",
        dataset: "meetings",
        about: About::Schema("/properties/documents"),
        columns: &[
            own("meeting_id", String, "Id of the meeting (meetings.id)."),
            SEQ,
            field("kind", String, true, "/properties/documents"),
        ],
        primary_key: &["meeting_id", "seq"],
        foreign_keys: &[fk(&["meeting_id"], "meetings", &["id"])],
    },
    sources_table!(
        "meeting_sources",
        "meetings",
        "meeting_id",
        "Id of the meeting (meetings.id)."
    ),
    TableSpec {
        name: "participants",
        dataset: "participants",
        about: About::Schema(""),
        columns: &[
            own(
                "id",
                String,
                "Id of this participant row, made by the export (participants.jsonl has none) \
                 from the meeting id and the name, numbered (#2, #3) when a name occurs more \
                 than once in a meeting; the same id `referat load` gives the row.",
            ),
            field("meeting_id", String, true, "/properties/meeting_id"),
            field("person_id", String, false, "/properties/person_id"),
            field("name", String, false, "/properties/name"),
            field("organisation", String, false, "/properties/organisation"),
            field("role", String, true, "/properties/role"),
            field("attendance", String, true, "/properties/attendance"),
            field("substitute_for", String, false, "/properties/substitute_for"),
        ],
        primary_key: &["id"],
        foreign_keys: &[
            fk(&["meeting_id"], "meetings", &["id"]),
            fk(&["person_id"], "people", &["id"]),
        ],
    },
    sources_table!(
        "participant_sources",
        "participants",
        "participant_id",
        "Id of the participant (participants.id)."
    ),
    TableSpec {
        name: "cases",
        dataset: "cases",
        about: About::Schema(""),
        columns: &[
            field("id", String, true, "/properties/id"),
            field("meeting_id", String, true, "/properties/meeting_id"),
            field("case_number", String, false, "/properties/case_number"),
            field("title", String, false, "/properties/title"),
            field("case_type", String, false, "/properties/case_type"),
            field("scheduled_time", String, false, "/properties/scheduled_time"),
            field("proposed_decision", String, false, "/properties/proposed_decision"),
            field("decision", String, false, "/properties/decision"),
            own(
                "has_memo",
                Boolean,
                "Whether the case has a case memo (toppnotat): memo is not null in cases.jsonl.",
            ),
            field(
                "memo_from",
                String,
                false,
                "/properties/memo/oneOf/1/properties/from",
            ),
            field(
                "memo_case_officer",
                String,
                false,
                "/properties/memo/oneOf/1/properties/case_officer",
            ),
        ],
        primary_key: &["id"],
        foreign_keys: &[fk(&["meeting_id"], "meetings", &["id"])],
    },
    TableSpec {
        name: "case_attachments",
        dataset: "cases",
        about: About::Schema("/properties/attachments"),
        columns: &[
            own("case_id", String, "Id of the case (cases.id)."),
            SEQ,
            field(
                "label",
                String,
                false,
                "/properties/attachments/items/properties/label",
            ),
            field(
                "title",
                String,
                false,
                "/properties/attachments/items/properties/title",
            ),
            field("url", String, false, "/properties/attachments/items/properties/url"),
        ],
        primary_key: &["case_id", "seq"],
        foreign_keys: &[fk(&["case_id"], "cases", &["id"])],
    },
    TableSpec {
        name: "case_action_items",
        dataset: "cases",
        about: About::Schema("/properties/action_items"),
        columns: &[
            own("case_id", String, "Id of the case (cases.id)."),
            SEQ,
            field("action_item", String, false, "/properties/action_items"),
        ],
        primary_key: &["case_id", "seq"],
        foreign_keys: &[fk(&["case_id"], "cases", &["id"])],
    },
    sources_table!(
        "case_sources",
        "cases",
        "case_id",
        "Id of the case (cases.id)."
    ),
    TableSpec {
        name: "references",
        dataset: "references",
        about: About::Schema(""),
        columns: &[
            field("id", String, true, "/properties/id"),
            field("meeting_id", String, true, "/properties/meeting_id"),
            field("from_case", String, false, "/properties/from_case"),
            field("kind", String, true, "/properties/kind"),
            field("target", String, false, "/properties/target"),
            field("target_body", String, false, "/properties/target_body"),
            field("target_date", String, false, "/properties/target_date"),
            field("title", String, false, "/properties/title"),
            field("decision", String, false, "/properties/decision"),
            field("text", String, false, "/properties/text"),
            field("resolved_id", String, false, "/properties/resolved_id"),
        ],
        primary_key: &["id"],
        foreign_keys: &[fk(&["meeting_id"], "meetings", &["id"])],
    },
    sources_table!(
        "reference_sources",
        "references",
        "reference_id",
        "Id of the reference (references.id)."
    ),
    TableSpec {
        name: "people",
        dataset: "people",
        about: About::Schema(""),
        columns: &[
            field("id", String, true, "/properties/id"),
            field("name", String, false, "/properties/name"),
        ],
        primary_key: &["id"],
        foreign_keys: &[],
    },
    TableSpec {
        name: "person_aliases",
        dataset: "people",
        about: About::Schema("/properties/aliases"),
        columns: &[
            own("person_id", String, "Id of the person (people.id)."),
            SEQ,
            field("alias", String, false, "/properties/aliases"),
        ],
        primary_key: &["person_id", "seq"],
        foreign_keys: &[fk(&["person_id"], "people", &["id"])],
    },
    TableSpec {
        name: "person_affiliations",
        dataset: "people",
        about: About::Schema("/properties/affiliations"),
        columns: &[
            own("person_id", String, "Id of the person (people.id)."),
            SEQ,
            field(
                "organisation",
                String,
                false,
                "/properties/affiliations/items/properties/organisation",
            ),
            field(
                "first_meeting",
                String,
                true,
                "/properties/affiliations/items/properties/first_meeting",
            ),
            field(
                "last_meeting",
                String,
                true,
                "/properties/affiliations/items/properties/last_meeting",
            ),
        ],
        primary_key: &["person_id", "seq"],
        foreign_keys: &[
            fk(&["person_id"], "people", &["id"]),
            fk(&["first_meeting"], "meetings", &["id"]),
            fk(&["last_meeting"], "meetings", &["id"]),
        ],
    },
    TableSpec {
        name: "warnings",
        dataset: "warnings",
        about: About::Schema(""),
        columns: &[
            field("document_id", String, true, "/properties/document_id"),
            own(
                "seq",
                Integer,
                "Position of the warning among its document's warnings in warnings.jsonl, \
                 0 for the first.",
            ),
            field("page", Integer, false, "/properties/page"),
            field("kind", String, true, "/properties/kind"),
            field("message", String, false, "/properties/message"),
            field("raw", String, false, "/properties/raw"),
        ],
        primary_key: &["document_id", "seq"],
        foreign_keys: &[fk(&["document_id"], "documents", &["id"])],
    },
]
};

/// Text as a cell: empty text is null, as CSV writes it, so both formats hold the same.
fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Null
    } else {
        Cell::Text(s.to_string())
    }
}

fn opt_text(s: &Option<String>) -> Cell {
    s.as_deref().map_or(Cell::Null, text)
}

fn int<T: TryInto<i64>>(v: T) -> Cell {
    v.try_into().map_or(Cell::Null, Cell::Int)
}

fn opt_int<T: TryInto<i64>>(v: Option<T>) -> Cell {
    v.map_or(Cell::Null, int)
}

/// Collects rows table by table, each with the dataset line it came from.
struct Builder<'a> {
    run: &'a RunData,
    dir: &'a Path,
    tables: Vec<Table>,
}

impl Builder<'_> {
    fn push(&mut self, table: &str, index: usize, row: Vec<Cell>) {
        let t = self
            .tables
            .iter()
            .position(|t| t.spec.name == table)
            .unwrap_or_else(|| panic!("no table {table}"));
        let line = self.line(self.tables[t].spec.dataset, index);
        let t = &mut self.tables[t];
        debug_assert_eq!(row.len(), t.spec.columns.len(), "{table}");
        t.rows.push(row);
        t.lines.push(line);
    }

    fn line(&self, dataset: &str, index: usize) -> usize {
        self.run
            .lines
            .iter()
            .find(|(n, _)| *n == dataset)
            .and_then(|(_, l)| l.get(index).copied())
            .unwrap_or(index + 1)
    }

    /// "DIR/cases.jsonl line 12"
    fn origin(&self, dataset: &str, line: usize) -> String {
        format!(
            "{} line {line}",
            self.dir.join(format!("{dataset}.jsonl")).display()
        )
    }

    fn list(&mut self, table: &str, index: usize, parent: &str, items: &[String]) {
        for (seq, item) in items.iter().enumerate() {
            self.push(table, index, vec![text(parent), int(seq), text(item)]);
        }
    }

    fn sources(&mut self, table: &str, index: usize, parent: &str, sources: &[Source]) {
        for (seq, s) in sources.iter().enumerate() {
            self.push(
                table,
                index,
                vec![text(parent), int(seq), text(&s.document_id), int(s.page)],
            );
        }
    }

    fn date(
        &self,
        dataset: &str,
        index: usize,
        field: &str,
        v: &Option<String>,
    ) -> Result<Cell, String> {
        let Some(s) = v else { return Ok(Cell::Null) };
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Cell::Date)
            .map_err(|_| {
                format!(
                    "{}: {field} \"{s}\" is not a calendar date (YYYY-MM-DD)",
                    self.origin(dataset, self.line(dataset, index))
                )
            })
    }

    fn time(
        &self,
        dataset: &str,
        index: usize,
        field: &str,
        v: &Option<String>,
    ) -> Result<Cell, String> {
        let Some(s) = v else { return Ok(Cell::Null) };
        NaiveTime::parse_from_str(s, TIME_FORMAT)
            .map(Cell::Time)
            .map_err(|_| {
                format!(
                    "{}: {field} \"{s}\" is not a time of day (HH:MM)",
                    self.origin(dataset, self.line(dataset, index))
                )
            })
    }
}

/// Flattens the datasets of a run (read from `dir`, named in errors) into `TABLES`, and checks
/// what the data package will promise: keys present and unique, foreign keys pointing at rows.
pub fn build(run: &RunData, dir: &Path) -> Result<Vec<Table>, String> {
    let ds = &run.data;
    let mut b = Builder {
        run,
        dir,
        tables: TABLES
            .iter()
            .map(|spec| Table {
                spec,
                rows: Vec::new(),
                lines: Vec::new(),
            })
            .collect(),
    };
    for (i, d) in ds.documents.iter().enumerate() {
        b.push(
            "documents",
            i,
            vec![
                text(&d.id),
                text(&d.path),
                text(&d.sha256),
                int(d.pages),
                opt_text(&d.producer),
                text(&d.status),
            ],
        );
        b.list("document_errors", i, &d.id, &d.errors);
        for (seq, s) in d.segments.iter().enumerate() {
            b.push(
                "document_segments",
                i,
                vec![
                    text(&d.id),
                    int(seq),
                    text(&s.kind),
                    int(s.first_page),
                    int(s.last_page),
                    opt_text(&s.meeting_id),
                    opt_text(&s.case_number),
                ],
            );
        }
        for (seq, p) in d.ocr_pages.iter().enumerate() {
            b.push(
                "document_ocr_pages",
                i,
                vec![
                    text(&d.id),
                    int(seq),
                    int(p.page),
                    text(&p.engine),
                    text(&p.engine_version),
                    text(&p.model),
                    int(p.mean_confidence),
                    int(p.low_confidence_words),
                ],
            );
        }
    }
    for (i, body) in ds.bodies.iter().enumerate() {
        b.push("bodies", i, vec![text(&body.id), text(&body.name)]);
        for (seq, n) in body.names.iter().enumerate() {
            b.push(
                "body_names",
                i,
                vec![
                    text(&body.id),
                    int(seq),
                    text(&n.name),
                    opt_text(&n.from),
                    opt_text(&n.to),
                ],
            );
        }
    }
    for (i, m) in ds.meetings.iter().enumerate() {
        let row = vec![
            text(&m.id),
            text(&m.body),
            opt_text(&m.body_id),
            opt_int(m.number),
            opt_int(m.year),
            b.date("meetings", i, "date", &m.date)?,
            b.time("meetings", i, "start_time", &m.start_time)?,
            b.time("meetings", i, "end_time", &m.end_time)?,
            opt_text(&m.location),
        ];
        b.push("meetings", i, row);
        b.list("meeting_documents", i, &m.id, &m.documents);
        b.sources("meeting_sources", i, &m.id, &m.sources);
    }
    let mut occurrences: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, p) in ds.participants.iter().enumerate() {
        let n = occurrences
            .entry((p.meeting_id.as_str(), p.name.as_str()))
            .or_insert(0);
        let id = crate::db::rows::participant_id(&p.meeting_id, &p.name, *n);
        *n += 1;
        b.push(
            "participants",
            i,
            vec![
                text(&id),
                text(&p.meeting_id),
                opt_text(&p.person_id),
                text(&p.name),
                opt_text(&p.organisation),
                text(&p.role),
                text(&p.attendance),
                opt_text(&p.substitute_for),
            ],
        );
        b.sources("participant_sources", i, &id, &p.sources);
    }
    for (i, c) in ds.cases.iter().enumerate() {
        let memo = c.memo.as_ref();
        b.push(
            "cases",
            i,
            vec![
                text(&c.id),
                text(&c.meeting_id),
                text(&c.case_number),
                opt_text(&c.title),
                opt_text(&c.case_type),
                opt_text(&c.scheduled_time),
                opt_text(&c.proposed_decision),
                opt_text(&c.decision),
                Cell::Bool(memo.is_some()),
                memo.map_or(Cell::Null, |m| opt_text(&m.from)),
                memo.map_or(Cell::Null, |m| opt_text(&m.case_officer)),
            ],
        );
        for (seq, a) in c.attachments.iter().enumerate() {
            b.push(
                "case_attachments",
                i,
                vec![
                    text(&c.id),
                    int(seq),
                    text(&a.label),
                    opt_text(&a.title),
                    opt_text(&a.url),
                ],
            );
        }
        b.list("case_action_items", i, &c.id, &c.action_items);
        b.sources("case_sources", i, &c.id, &c.sources);
    }
    for (i, r) in ds.references.iter().enumerate() {
        b.push(
            "references",
            i,
            vec![
                text(&r.id),
                text(&r.meeting_id),
                opt_text(&r.from_case),
                text(&r.kind),
                opt_text(&r.target),
                opt_text(&r.target_body),
                opt_text(&r.target_date),
                opt_text(&r.title),
                opt_text(&r.decision),
                opt_text(&r.text),
                opt_text(&r.resolved_id),
            ],
        );
        b.sources("reference_sources", i, &r.id, &r.sources);
    }
    for (i, p) in ds.people.iter().enumerate() {
        b.push("people", i, vec![text(&p.id), text(&p.name)]);
        b.list("person_aliases", i, &p.id, &p.aliases);
        for (seq, a) in p.affiliations.iter().enumerate() {
            b.push(
                "person_affiliations",
                i,
                vec![
                    text(&p.id),
                    int(seq),
                    text(&a.organisation),
                    text(&a.first_meeting),
                    text(&a.last_meeting),
                ],
            );
        }
    }
    let mut per_document: HashMap<&str, usize> = HashMap::new();
    for (i, w) in ds.warnings.iter().enumerate() {
        let seq = per_document.entry(w.document_id.as_str()).or_insert(0);
        b.push(
            "warnings",
            i,
            vec![
                text(&w.document_id),
                int(*seq),
                opt_int(w.page),
                text(&w.kind),
                text(&w.message),
                opt_text(&w.raw),
            ],
        );
        *seq += 1;
    }
    check_keys(&b)?;
    Ok(b.tables)
}

/// The first row that breaks a promise of the data package (a required value missing, a
/// primary key repeated, a foreign key pointing nowhere), named by its dataset file and line.
fn check_keys(b: &Builder) -> Result<(), String> {
    for t in &b.tables {
        let spec = t.spec;
        let key: Vec<usize> = spec.primary_key.iter().map(|c| spec.column(c)).collect();
        let mut seen = HashSet::new();
        for (row, &line) in t.rows.iter().zip(&t.lines) {
            for (c, col) in spec.columns.iter().enumerate() {
                if col.required && row[c] == Cell::Null {
                    return Err(format!(
                        "{}: {}.{} is empty",
                        b.origin(spec.dataset, line),
                        spec.name,
                        col.name
                    ));
                }
            }
            let values: Vec<&Cell> = key.iter().map(|&c| &row[c]).collect();
            if !seen.insert(values.clone()) {
                let shown: Vec<String> = values.iter().map(|v| v.to_text()).collect();
                return Err(format!(
                    "{}: {} {} \"{}\" occurs twice",
                    b.origin(spec.dataset, line),
                    spec.name,
                    spec.primary_key.join(", "),
                    shown.join("\", \"")
                ));
            }
        }
    }
    for t in &b.tables {
        for key in t.spec.foreign_keys {
            let target = b
                .tables
                .iter()
                .find(|r| r.spec.name == key.table)
                .expect("foreign keys name known tables");
            let target_cols: Vec<usize> = key
                .referenced
                .iter()
                .map(|c| target.spec.column(c))
                .collect();
            let present: HashSet<Vec<&Cell>> = target
                .rows
                .iter()
                .map(|row| target_cols.iter().map(|&c| &row[c]).collect())
                .collect();
            let cols: Vec<usize> = key.columns.iter().map(|c| t.spec.column(c)).collect();
            for (row, &line) in t.rows.iter().zip(&t.lines) {
                let values: Vec<&Cell> = cols.iter().map(|&c| &row[c]).collect();
                // A key with a null part refers to nothing (Frictionless does not check it).
                if values.contains(&&Cell::Null) || present.contains(&values) {
                    continue;
                }
                let shown: Vec<String> = values.iter().map(|v| v.to_text()).collect();
                return Err(format!(
                    "{}: {}.{} \"{}\" is not the {} of any line of {}.jsonl",
                    b.origin(t.spec.dataset, line),
                    t.spec.name,
                    key.columns.join(", "),
                    shown.join("\", \""),
                    key.referenced.join(", "),
                    target.spec.dataset
                ));
            }
        }
    }
    Ok(())
}

/// The number of rows per table, for the summary.
pub fn row_count(tables: &[Table]) -> usize {
    tables.iter().map(|t| t.rows.len()).sum()
}

/// Reads the run in `dir` (the datasets of `referat extract` or `resolve`), checks every line
/// against its JSON Schema, and flattens it. Errors name the file and line.
pub fn read_and_build(dir: &Path) -> Result<(RunData, Vec<Table>), String> {
    let run = crate::db::dataset::read_run(dir)?;
    let report = crate::emit::schema::validate_dir(dir).map_err(|e| e.to_string())?;
    if let Some(first) = report.invalid.first() {
        let more = report.invalid.len() - 1;
        let tail = if more == 0 {
            String::new()
        } else {
            format!(
                " (and {more} more problems; `referat validate {}` lists them all)",
                dir.display()
            )
        };
        return Err(format!("{first}{tail}"));
    }
    let tables = build(&run, dir)?;
    Ok((run, tables))
}
