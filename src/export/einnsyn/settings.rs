//! The archive settings (`--archive-settings FILE`): the mandatory Noark 5 values that no
//! meeting PDF states (who created the archive, the archive creator, the administrative unit).
//! Without the file each such value is written as unknown ("Ukjent"), never guessed.

use std::path::Path;

use serde::Deserialize;

/// What the export writes where Noark 5 needs a value the PDFs cannot know.
pub const UNKNOWN: &str = "Ukjent";

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSettings {
    /// The person or system that registers the records (opprettetAv, arkivertAv, tilknyttetAv,
    /// merknadRegistrertAv).
    pub opprettet_av: String,
    /// The archive creator's id, usually the organisation number (arkivskaperID).
    pub arkivskaper_id: String,
    /// The archive creator's name (arkivskaperNavn).
    pub arkivskaper_navn: String,
    /// The unit that handles the cases (administrativEnhet of each registration).
    #[serde(default)]
    pub administrativ_enhet: Option<String>,
    /// The archive's creation date (opprettetDato of arkiv and arkivdel), a TOML date.
    #[serde(default)]
    pub opprettet_dato: Option<toml::value::Datetime>,
    /// Prefix of each PDF's file name in referanseDokumentfil, e.g. the URL the PDFs are
    /// published under; without it the path recorded by `extract` is written.
    #[serde(default)]
    pub dokumentfil_prefiks: Option<String>,
}

impl ArchiveSettings {
    /// Reads and checks the settings file; an error is one line naming the file and line.
    pub fn load(path: &Path) -> Result<ArchiveSettings, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let settings: ArchiveSettings = toml::from_str(&text).map_err(|e| {
            // A missing field has no line of its own (the crate points at the table).
            let missing = e.message().starts_with("missing field");
            let line = e.span().filter(|_| !missing).map(|s| {
                1 + text.as_bytes()[..s.start.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            });
            // The crate's message can span lines (it quotes the source); the first says it.
            let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
            match line {
                Some(line) => format!("{} line {line}: {message}", path.display()),
                None => format!("{}: {message}", path.display()),
            }
        })?;
        for (name, value) in [
            ("opprettet_av", &settings.opprettet_av),
            ("arkivskaper_id", &settings.arkivskaper_id),
            ("arkivskaper_navn", &settings.arkivskaper_navn),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{}: `{name}` is empty", path.display()));
            }
        }
        if let Some(d) = &settings.opprettet_dato {
            if d.date.is_none() {
                return Err(format!(
                    "{}: `opprettet_dato` needs a date (e.g. 2015-01-01), not only a time",
                    path.display()
                ));
            }
        }
        Ok(settings)
    }

    /// `opprettet_dato` as an xs:dateTime (midnight when only a date is given; the offset
    /// kept when one is).
    pub fn created(&self) -> Option<String> {
        let d = self.opprettet_dato.as_ref()?;
        let date = d.date?;
        let mut s = format!("{date}T");
        match d.time {
            Some(t) => s.push_str(&format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second)),
            None => s.push_str("00:00:00"),
        }
        if let Some(offset) = d.offset {
            s.push_str(&offset.to_string());
        }
        Some(s)
    }
}

/// The values written where the settings are silent.
#[derive(Debug, Clone, PartialEq)]
pub struct Registrar {
    pub created_by: String,
    pub creator_id: String,
    pub creator_name: String,
    pub unit: Option<String>,
    pub created: Option<String>,
    pub file_prefix: Option<String>,
}

impl Registrar {
    pub fn new(settings: Option<&ArchiveSettings>) -> Registrar {
        match settings {
            Some(s) => Registrar {
                created_by: s.opprettet_av.clone(),
                creator_id: s.arkivskaper_id.clone(),
                creator_name: s.arkivskaper_navn.clone(),
                unit: s.administrativ_enhet.clone(),
                created: s.created(),
                file_prefix: s.dokumentfil_prefiks.clone(),
            },
            None => Registrar {
                created_by: UNKNOWN.into(),
                creator_id: UNKNOWN.into(),
                creator_name: UNKNOWN.into(),
                unit: None,
                created: None,
                file_prefix: None,
            },
        }
    }
}
