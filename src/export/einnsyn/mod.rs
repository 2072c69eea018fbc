//! `referat export DIR --format einnsyn`: the meetings as Noark 5 arkivstruktur XML with
//! eInnsyn's meeting model (moetemappe, moetesaksregistrering, moetedokumentregistrering), valid
//! against `schemas/noark5/arkivstruktur.xsd`.
//!
//! One file per meeting, each a whole `arkiv` (the body's) with one `arkivdel` and the meeting's
//! `moetemappe`: eInnsyn takes one folder per message (its own examples are one meeting each),
//! a re-export of a changed meeting changes one file, and a file an importer rejects holds back
//! one meeting, not thirty years of them. The body's arkiv and arkivdel have the same systemID
//! in all its files, so an importer files them together. Every systemID is a UUID v5 of
//! referat's id of the thing, so two exports of the same datasets are byte-identical and a
//! re-export keeps each meeting's, case's and document's identity.
//!
//! The field-by-field mapping is in docs/einnsyn-export.md.

pub mod mapping;
pub mod settings;
mod xml;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use clap::Args;
use rayon::prelude::*;
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::db::dataset::RunData;
use crate::records::DocumentRow;

pub use settings::{ArchiveSettings, Registrar, UNKNOWN};

/// The namespace of referat's UUID v5 systemIDs (a random UUID fixed once; documented).
pub const NAMESPACE: uuid::Uuid = uuid::uuid!("a21c217d-2709-472d-93e6-bc11aa97abd8");

/// The systemID of the thing referat calls `kind` `id` (e.g. "moetemappe", a meeting id).
pub fn system_id(kind: &str, id: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, format!("{kind}:{id}").as_bytes()).to_string()
}

#[derive(Args, Default, Debug, Clone)]
pub struct EinnsynArgs {
    /// einnsyn: TOML file with the values no PDF states (opprettet_av, arkivskaper_id,
    /// arkivskaper_navn; optional administrativ_enhet, opprettet_dato, dokumentfil_prefiks).
    /// Without it they are written as "Ukjent".
    #[arg(long, value_name = "FILE")]
    pub archive_settings: Option<PathBuf>,
}

/// One file of the export: its path under EXPORT_DIR and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What an export produced besides the files.
#[derive(Debug, Default)]
pub struct Export {
    pub files: Vec<ExportFile>,
    pub meetings: usize,
    pub cases: usize,
    pub participants: usize,
    /// Things left out or unknown, one line each (a case without a sequence number, a PDF whose
    /// size could not be read).
    pub warnings: Vec<String>,
}

/// Runs the export of `run` into `out`; returns the summary line.
pub fn run(run: &RunData, out: &Path, args: &EinnsynArgs) -> Result<String, String> {
    let settings = args
        .archive_settings
        .as_deref()
        .map(ArchiveSettings::load)
        .transpose()?;
    let registrar = Registrar::new(settings.as_ref());
    let sizes = pdf_sizes(&run.data.documents);
    let export = build(run, &registrar, &sizes)?;
    for w in &export.warnings {
        eprintln!("referat: warning: {w}");
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for f in &export.files {
        let path = out.join(&f.path);
        write_atomically(&path, &f.bytes)?;
    }
    Ok(format!(
        "{} meetings ({} cases, {} participants) written to {} as {} Noark 5 files",
        export.meetings,
        export.cases,
        export.participants,
        out.display(),
        export.files.len()
    ))
}

/// A file is written beside its place and renamed into it, so an interrupted export never
/// leaves half a file an importer could take.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("xml.part");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The size in bytes of each PDF that is still where `extract` read it and still the same
/// file (its sha256 matches); others are missing from the map and their size is written as
/// unknown.
pub fn pdf_sizes(documents: &[DocumentRow]) -> BTreeMap<String, u64> {
    // Hashing a body's thirty years of PDFs is the slow part: one file per core.
    documents
        .par_iter()
        .filter_map(|d| {
            // Streamed through the hash: a scanned PDF can be hundreds of MiB.
            let mut file = std::fs::File::open(&d.path).ok()?;
            let mut hasher = Sha256::new();
            let size = std::io::copy(&mut file, &mut hasher).ok()?;
            let hex = format!("{:x}", hasher.finalize());
            (hex == d.sha256).then(|| (d.id.clone(), size))
        })
        .collect()
}

/// The export of `run`: one file per meeting, in the datasets' meeting order.
pub fn build(
    run: &RunData,
    registrar: &Registrar,
    sizes: &BTreeMap<String, u64>,
) -> Result<Export, String> {
    let data = &run.data;
    check_meetings(run)?;
    let ctx = xml::Context::new(data, registrar, sizes)?;
    let mut export = Export::default();
    let mut names = HashSet::new();
    for (i, meeting) in data.meetings.iter().enumerate() {
        let name = file_name(&meeting.id);
        if !names.insert(name.clone()) {
            return Err(format!(
                "{}: meeting {} has the file name {name} of an earlier meeting; \
                 their ids differ only in punctuation",
                run.origin("meetings", i),
                meeting.id
            ));
        }
        let doc = ctx.meeting_document(meeting, &mut export.warnings);
        export.meetings += 1;
        export.cases += doc.cases;
        export.participants += doc.participants;
        export.files.push(ExportFile {
            path: PathBuf::from(name),
            bytes: doc.bytes,
        });
    }
    for d in &data.documents {
        if !sizes.contains_key(&d.id) && ctx.is_cited(&d.id) {
            export.warnings.push(format!(
                "{}: not found or changed since extract; its filstoerrelse is written as {UNKNOWN}",
                d.path
            ));
        }
    }
    Ok(export)
}

static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$").expect("regex"));
static TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([01]\d|2[0-3]):[0-5]\d$").expect("regex"));

/// The meeting fields that become xs:dateTime values must have the datasets' formats (their
/// JSON Schemas say so, but a hand-edited file may not): an error names the line.
fn check_meetings(run: &RunData) -> Result<(), String> {
    for (i, m) in run.data.meetings.iter().enumerate() {
        let bad = |field: &str, value: &str, form: &str| {
            Err(format!(
                "{}: {field} \"{value}\" is not {form}",
                run.origin("meetings", i)
            ))
        };
        if let Some(d) = m.date.as_deref().filter(|d| !DATE.is_match(d)) {
            return bad("date", d, "a date YYYY-MM-DD");
        }
        if let Some(t) = m.start_time.as_deref().filter(|t| !TIME.is_match(t)) {
            return bad("start_time", t, "a time HH:MM");
        }
    }
    Ok(())
}

/// The file name of a meeting: its id ("nuit/2023/1") with every character outside letters,
/// digits, '-' and '.' as '_', then ".xml".
pub fn file_name(meeting_id: &str) -> String {
    let mut s: String = meeting_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.push_str(".xml");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_ids_are_uuid_v5_of_kind_and_id() {
        let a = system_id("moetemappe", "nuit/2023/1");
        assert_eq!(a, system_id("moetemappe", "nuit/2023/1"));
        assert_ne!(a, system_id("moetemappe", "nuit/2023/2"));
        assert_ne!(a, system_id("moetesak", "nuit/2023/1"));
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 5);
    }

    #[test]
    fn file_names_from_meeting_ids() {
        assert_eq!(file_name("nuit/2023/1"), "nuit_2023_1.xml");
        assert_eq!(file_name("nuit/2023-03-15"), "nuit_2023-03-15.xml");
        assert_eq!(file_name("../x"), ".._x.xml");
    }
}
