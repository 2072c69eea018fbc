//! Writes one meeting as a Noark 5 `arkiv` document. Elements come in the order the schema's
//! sequences require (schemas/noark5/arkivstruktur.xsd); optional elements are left out when
//! referat does not know their value, mandatory ones the PDFs cannot know take the settings'
//! value or "Ukjent".

use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::mapping::{
    document_type, meeting_case_type, meeting_document_type, participant_function,
    split_case_number, CaseNumber,
};
use super::settings::Registrar;
use super::{system_id, UNKNOWN};
use crate::records::{CaseRow, Datasets, DocumentRow, MeetingRow, ParticipantRow, Source};

const NS: &str = "http://www.arkivverket.no/standarder/noark5/arkivstruktur";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const MEDIUM: &str = "Elektronisk arkiv";

/// merknadstype of a case's decision and of its proposed decision.
pub const DECISION_NOTE: &str = "Vedtak";
pub const PROPOSAL_NOTE: &str = "Forslag til vedtak";

/// The datasets indexed for writing meetings one by one.
pub struct Context<'a> {
    registrar: &'a Registrar,
    sizes: &'a BTreeMap<String, u64>,
    documents: HashMap<&'a str, &'a DocumentRow>,
    participants: HashMap<&'a str, Vec<&'a ParticipantRow>>,
    cases: HashMap<&'a str, Vec<&'a CaseRow>>,
    /// The name of each body id (bodies.jsonl).
    body_names: HashMap<&'a str, &'a str>,
    /// Per body key, the creation date of its archive: the settings' date, else the date of
    /// its first dated meeting, else that of the run's first dated meeting.
    archive_dates: HashMap<String, String>,
    /// The documents some meeting or case cites (the ones the export writes).
    cited: HashSet<&'a str>,
    /// The split number of every case that can be exported (by case id).
    numbers: HashMap<&'a str, CaseNumber>,
    /// Per (meeting id, case number as written), the records its resolved references point
    /// at: a meeting's moetemappe or a case's registration.
    links: HashMap<(&'a str, &'a str), Vec<Link>>,
}

/// What a dokumentbeskrivelse says before its file.
struct Description<'d> {
    system_id: String,
    kind: &'d str,
    title: &'d str,
    description: Option<&'d str>,
    /// dokumentnummer, 1-based within the registration.
    number: usize,
}

/// A resolved reference as a Noark 5 kryssreferanse.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Link {
    Folder(String),
    Registration(String),
}

/// One meeting written.
pub struct MeetingDocument {
    pub bytes: Vec<u8>,
    pub cases: usize,
    pub participants: usize,
}

/// Which body a meeting's archive is: its body id, else its name as written.
fn body_key(m: &MeetingRow) -> String {
    match &m.body_id {
        Some(id) => id.clone(),
        None => format!("name:{}", m.body),
    }
}

/// The year a meeting numbers its cases in: its number's year, else its date's.
fn meeting_year(m: &MeetingRow) -> Option<i32> {
    m.year.or_else(|| m.date.as_ref()?.get(..4)?.parse().ok())
}

/// A meeting's date as an xs:dateTime at midnight (no offset: the papers give local time).
fn day(m: &MeetingRow) -> Option<String> {
    m.date.as_ref().map(|d| format!("{d}T00:00:00"))
}

impl<'a> Context<'a> {
    pub fn new(
        data: &'a Datasets,
        registrar: &'a Registrar,
        sizes: &'a BTreeMap<String, u64>,
    ) -> Result<Context<'a>, String> {
        let mut participants: HashMap<&str, Vec<&ParticipantRow>> = HashMap::new();
        for p in &data.participants {
            participants.entry(&p.meeting_id).or_default().push(p);
        }
        let mut cases: HashMap<&str, Vec<&CaseRow>> = HashMap::new();
        for c in &data.cases {
            cases.entry(&c.meeting_id).or_default().push(c);
        }
        // ISO dates compare as strings.
        let first_in_run = data.meetings.iter().filter_map(|m| m.date.as_deref()).min();
        // Each body's first dated meeting, in one pass (an archive can hold thousands).
        let mut first_of_body: HashMap<String, Option<&str>> = HashMap::new();
        for m in &data.meetings {
            let first = first_of_body.entry(body_key(m)).or_default();
            if let Some(d) = m.date.as_deref() {
                if first.is_none_or(|f| d < f) {
                    *first = Some(d);
                }
            }
        }
        let mut archive_dates = HashMap::new();
        for (key, first) in first_of_body {
            let date = registrar
                .created
                .clone()
                .or_else(|| first.or(first_in_run).map(|d| format!("{d}T00:00:00")))
                .ok_or_else(|| {
                    "meetings.jsonl: no meeting has a date, and Noark 5 needs one for each \
                     record; give opprettet_dato in --archive-settings"
                        .to_string()
                })?;
            archive_dates.insert(key, date);
        }
        let mut cited = HashSet::new();
        for s in data
            .meetings
            .iter()
            .flat_map(|m| &m.sources)
            .chain(data.cases.iter().flat_map(|c| &c.sources))
        {
            cited.insert(s.document_id.as_str());
        }
        let meeting_years: HashMap<&str, Option<i32>> = data
            .meetings
            .iter()
            .map(|m| (m.id.as_str(), meeting_year(m)))
            .collect();
        let numbers: HashMap<&str, CaseNumber> = data
            .cases
            .iter()
            .filter_map(|c| {
                let year = meeting_years.get(c.meeting_id.as_str()).copied().flatten();
                Some((c.id.as_str(), split_case_number(&c.case_number, year)?))
            })
            .collect();
        let mut links: HashMap<(&str, &str), Vec<Link>> = HashMap::new();
        for r in &data.references {
            let (Some(from), Some(target)) = (&r.from_case, &r.resolved_id) else {
                continue;
            };
            let link = if meeting_years.contains_key(target.as_str()) {
                Link::Folder(system_id("moetemappe", target))
            } else if numbers.contains_key(target.as_str()) {
                Link::Registration(system_id("moetesak", target))
            } else {
                // A target not in this export (a case left out): no reference to nothing.
                continue;
            };
            let list = links
                .entry((r.meeting_id.as_str(), from.as_str()))
                .or_default();
            if !list.contains(&link) {
                list.push(link);
            }
        }
        Ok(Context {
            numbers,
            links,
            registrar,
            sizes,
            documents: data.documents.iter().map(|d| (d.id.as_str(), d)).collect(),
            participants,
            cases,
            body_names: data
                .bodies
                .iter()
                .map(|b| (b.id.as_str(), b.name.as_str()))
                .collect(),
            archive_dates,
            cited,
        })
    }

    /// Whether some meeting or case cites the document (so the export writes it).
    pub fn is_cited(&self, document_id: &str) -> bool {
        self.cited.contains(document_id)
    }

    pub fn meeting_document(&self, m: &MeetingRow, warnings: &mut Vec<String>) -> MeetingDocument {
        let key = body_key(m);
        let archive_date = self.archive_dates[&key].clone();
        let date = day(m).unwrap_or_else(|| archive_date.clone());
        let by = self.registrar.created_by.as_str();
        let body_name = m
            .body_id
            .as_deref()
            .and_then(|id| self.body_names.get(id).copied())
            .unwrap_or(&m.body);
        let arkivdel = system_id("arkivdel", &key);

        let mut x = Xml::new();
        x.open_with(
            "arkiv",
            &[("xmlns", NS), ("xmlns:xsi", XSI), ("xmlns:n5", NS)],
        );
        x.el("systemID", &system_id("arkiv", &key));
        x.el("tittel", &format!("Møter i {body_name}"));
        x.el("arkivstatus", "Opprettet");
        x.el("dokumentmedium", MEDIUM);
        x.el("opprettetDato", &archive_date);
        x.el("opprettetAv", by);
        x.open("arkivskaper");
        x.el("arkivskaperID", &self.registrar.creator_id);
        x.el("arkivskaperNavn", &self.registrar.creator_name);
        x.close("arkivskaper");

        x.open("arkivdel");
        x.el("systemID", &arkivdel);
        x.el("tittel", &format!("Møtedokumenter, {body_name}"));
        x.el("arkivdelstatus", "Aktiv periode");
        x.el("dokumentmedium", MEDIUM);
        x.el("opprettetDato", &archive_date);
        x.el("opprettetAv", by);

        x.open_with("mappe", &[("xsi:type", "n5:moetemappe")]);
        let mappe_id = system_id("moetemappe", &m.id);
        x.el("systemID", &mappe_id);
        x.el("mappeID", &m.id);
        let title = meeting_title(m);
        x.el("tittel", &title);
        x.el("offentligTittel", &title);
        if let (Some(start), Some(end)) = (&m.start_time, &m.end_time) {
            x.el("beskrivelse", &format!("Møtetid {start}–{end}"));
        }
        x.el("dokumentmedium", MEDIUM);
        x.el("opprettetDato", &date);
        x.el("opprettetAv", by);
        x.el("referanseArkivdel", &arkivdel);

        // The meeting's own papers (notice, minutes), then its cases.
        for (doc_id, pages) in by_document(&m.sources) {
            let Some(doc) = self.documents.get(doc_id) else {
                continue;
            };
            self.meeting_paper(&mut x, m, doc, &pages, &date, &arkivdel);
        }

        let mut n_cases = 0;
        for c in self.cases.get(m.id.as_str()).into_iter().flatten() {
            let Some(number) = self.numbers.get(c.id.as_str()) else {
                warnings.push(format!(
                    "case {} of meeting {}: no sequence number or year in \"{}\"; \
                     left out (Noark 5 requires both)",
                    c.id, m.id, c.case_number
                ));
                continue;
            };
            n_cases += 1;
            self.case_registration(&mut x, m, c, number, &date, &arkivdel);
        }

        if let Some(n) = m.number {
            let moetenummer = match m.year {
                Some(y) => format!("{n}/{y}"),
                None => n.to_string(),
            };
            x.el("moetenummer", &moetenummer);
        }
        x.el("utvalg", &m.body);
        if let Some(d) = &m.date {
            let time = m.start_time.as_deref().unwrap_or("00:00");
            x.el("moetedato", &format!("{d}T{time}:00"));
        }
        x.opt("moetested", m.location.as_deref());
        let participants = self.participants.get(m.id.as_str());
        for p in participants.into_iter().flatten() {
            x.open("moetedeltaker");
            x.el("moetedeltakerNavn", &p.name);
            x.el("moetedeltakerFunksjon", &participant_function(p));
            x.close("moetedeltaker");
        }
        x.close("mappe");
        x.close("arkivdel");
        x.close("arkiv");
        MeetingDocument {
            bytes: x.finish(),
            cases: n_cases,
            participants: participants.map_or(0, |p| p.len()),
        }
    }

    /// A PDF the meeting was read from as a moetedokumentregistrering: the protocol, the
    /// notice of meeting, or another meeting document.
    fn meeting_paper(
        &self,
        x: &mut Xml,
        m: &MeetingRow,
        doc: &DocumentRow,
        pages: &[usize],
        date: &str,
        arkivdel: &str,
    ) {
        let kinds = segment_kinds(doc, Some(&m.id), pages);
        let kind = meeting_document_type(&kinds);
        x.open_with(
            "registrering",
            &[("xsi:type", "n5:moetedokumentregistrering")],
        );
        let reg_id = system_id("moetedokument", &format!("{}:{}", m.id, doc.id));
        self.registration_head(x, &reg_id, date, arkivdel);
        let doc_kind = match kind {
            "Protokoll" => "Protokoll",
            "Innkalling" => "Innkalling",
            _ => "Møtedokument",
        };
        self.document(x, doc, doc_kind, 1, date, arkivdel);
        x.el("registreringsID", &reg_id);
        let reg_title = format!("{doc_kind}, {}", meeting_title(m));
        x.el("tittel", &reg_title);
        x.el("offentligTittel", &reg_title);
        x.el("dokumentmedium", MEDIUM);
        x.opt("administrativEnhet", self.registrar.unit.as_deref());
        x.el("moetedokumentregistreringstype", kind);
        x.close("registrering");
    }

    /// A case as a moetesaksregistrering.
    fn case_registration(
        &self,
        x: &mut Xml,
        m: &MeetingRow,
        c: &CaseRow,
        case_number: &CaseNumber,
        date: &str,
        arkivdel: &str,
    ) {
        x.open_with("registrering", &[("xsi:type", "n5:moetesaksregistrering")]);
        let reg_id = system_id("moetesak", &c.id);
        self.registration_head(x, &reg_id, date, arkivdel);
        let mut doc_number = 0;
        for (doc_id, pages) in by_document(&c.sources) {
            let Some(doc) = self.documents.get(doc_id) else {
                continue;
            };
            doc_number += 1;
            let kinds = segment_kinds(doc, None, &pages);
            let doc_kind = document_type(kinds.first().copied());
            self.document(x, doc, doc_kind, doc_number, date, arkivdel);
        }
        // The case's attachments as the papers list them: described, without a file of their
        // own (they are pages of the PDFs above, or were published apart and not read).
        let mut labels = HashSet::new();
        for a in &c.attachments {
            doc_number += 1;
            // A label listed twice still gives two identities.
            let mut key = format!("{}:{}", c.id, a.label);
            while !labels.insert(key.clone()) {
                key.push('+');
            }
            let title = match &a.title {
                Some(t) => format!("Vedlegg {}: {t}", a.label),
                None => format!("Vedlegg {}", a.label),
            };
            let head = Description {
                system_id: system_id("vedlegg", &key),
                kind: "Vedlegg",
                title: &title,
                description: a.url.as_deref(),
                number: doc_number,
            };
            self.description_head(x, &head, date, arkivdel);
            x.close("dokumentbeskrivelse");
        }
        x.el("registreringsID", &c.case_number);
        let case_title = c.title.as_deref().unwrap_or(&c.case_number);
        x.el("tittel", case_title);
        x.el("offentligTittel", case_title);
        x.opt("noekkelord", c.case_type.as_deref());
        x.el("dokumentmedium", MEDIUM);
        if let Some(d) = &c.proposed_decision {
            self.note(x, d, PROPOSAL_NOTE, date);
        }
        if let Some(d) = &c.decision {
            self.note(x, d, DECISION_NOTE, date);
        }
        let links = self.links.get(&(m.id.as_str(), c.case_number.as_str()));
        for link in links.into_iter().flatten() {
            x.open("kryssreferanse");
            match link {
                Link::Folder(id) => x.el("referanseTilMappe", id),
                Link::Registration(id) => x.el("referanseTilRegistrering", id),
            }
            x.close("kryssreferanse");
        }
        x.el(
            "moetesakstype",
            meeting_case_type(case_number.prefix.as_deref(), c.case_type.as_deref()),
        );
        if c.decision.is_some() {
            x.el("moeteregistreringsstatus", "Behandlet i møte");
        }
        x.opt("administrativEnhet", self.registrar.unit.as_deref());
        x.opt(
            "saksbehandler",
            c.memo
                .as_ref()
                .and_then(|memo| memo.case_officer.as_deref()),
        );
        x.el("moetesaksaar", &case_number.year.to_string());
        x.el("moetesakssekvensnummer", &case_number.sequence.to_string());
        x.close("registrering");
    }

    /// The elements every registrering starts with.
    fn registration_head(&self, x: &mut Xml, id: &str, date: &str, arkivdel: &str) {
        x.el("systemID", id);
        x.el("opprettetDato", date);
        x.el("opprettetAv", &self.registrar.created_by);
        x.el("arkivertDato", date);
        x.el("arkivertAv", &self.registrar.created_by);
        x.el("referanseArkivdel", arkivdel);
    }

    /// A decision or proposed decision as a typed merknad of the case's registration.
    fn note(&self, x: &mut Xml, text: &str, kind: &str, date: &str) {
        x.open("merknad");
        x.el("merknadstekst", text);
        x.el("merknadstype", kind);
        x.el("merknadsdato", date);
        x.el("merknadRegistrertAv", &self.registrar.created_by);
        x.close("merknad");
    }

    /// The elements of a dokumentbeskrivelse before its dokumentobjekt; the first document of
    /// a registration is its main document, the others attached.
    fn description_head(&self, x: &mut Xml, d: &Description, date: &str, arkivdel: &str) {
        let by = self.registrar.created_by.as_str();
        x.open("dokumentbeskrivelse");
        x.el("systemID", &d.system_id);
        x.el("dokumenttype", d.kind);
        x.el("dokumentstatus", "Dokumentet er ferdigstilt");
        x.el("tittel", d.title);
        x.opt("beskrivelse", d.description);
        x.el("opprettetDato", date);
        x.el("opprettetAv", by);
        x.el("dokumentmedium", MEDIUM);
        x.el("referanseArkivdel", arkivdel);
        let role = if d.number == 1 {
            "Hoveddokument"
        } else {
            "Vedlegg"
        };
        x.el("tilknyttetRegistreringSom", role);
        x.el("dokumentnummer", &d.number.to_string());
        x.el("tilknyttetDato", date);
        x.el("tilknyttetAv", by);
    }

    /// A PDF as dokumentbeskrivelse with its dokumentobjekt. The same PDF has the same
    /// systemID wherever it is attached, as in Noark 5 a document may belong to several
    /// registrations.
    fn document(
        &self,
        x: &mut Xml,
        doc: &DocumentRow,
        doc_kind: &str,
        number: usize,
        date: &str,
        arkivdel: &str,
    ) {
        let by = self.registrar.created_by.as_str();
        let file_name = doc.path.rsplit(['/', '\\']).next().unwrap_or(&doc.path);
        let head = Description {
            system_id: system_id("dokument", &doc.id),
            kind: doc_kind,
            title: file_name,
            description: None,
            number,
        };
        self.description_head(x, &head, date, arkivdel);
        x.open("dokumentobjekt");
        x.el("versjonsnummer", "1");
        x.el("variantformat", "Arkivformat");
        x.el("format", "pdf");
        x.opt(
            "formatDetaljer",
            doc.producer
                .as_ref()
                .map(|p| format!("Produsent: {p}"))
                .as_deref(),
        );
        x.el("opprettetDato", date);
        x.el("opprettetAv", by);
        let reference = match &self.registrar.file_prefix {
            Some(prefix) => format!("{prefix}{file_name}"),
            None => doc.path.clone(),
        };
        x.el("referanseDokumentfil", &reference);
        x.el("sjekksum", &doc.sha256);
        x.el("sjekksumAlgoritme", "SHA-256");
        match self.sizes.get(&doc.id) {
            Some(size) => x.el("filstoerrelse", &size.to_string()),
            None => x.el("filstoerrelse", UNKNOWN),
        }
        x.close("dokumentobjekt");
        x.close("dokumentbeskrivelse");
    }
}

/// "Møte 6/2019 i Nasjonalt e-helsestyre", or with the date when the number is unknown.
pub fn meeting_title(m: &MeetingRow) -> String {
    match (m.number, m.year, &m.date) {
        (Some(n), Some(y), _) => format!("Møte {n}/{y} i {}", m.body),
        (Some(n), None, _) => format!("Møte {n} i {}", m.body),
        (None, _, Some(d)) => format!("Møte i {} {d}", m.body),
        (None, _, None) => format!("Møte i {}", m.body),
    }
}

/// The documents of `sources` in order of first mention, each with the pages cited.
fn by_document(sources: &[Source]) -> Vec<(&str, Vec<usize>)> {
    let mut out: Vec<(&str, Vec<usize>)> = Vec::new();
    for s in sources {
        match out.iter_mut().find(|(d, _)| *d == s.document_id) {
            Some((_, pages)) => pages.push(s.page),
            None => out.push((&s.document_id, vec![s.page])),
        }
    }
    out
}

/// The kinds of a document's segments that belong to the meeting `meeting_id` (when given and
/// resolution linked them) or else hold one of `pages`.
fn segment_kinds<'d>(
    doc: &'d DocumentRow,
    meeting_id: Option<&str>,
    pages: &[usize],
) -> Vec<&'d str> {
    let linked: Vec<&str> = doc
        .segments
        .iter()
        .filter(|s| meeting_id.is_some() && s.meeting_id.as_deref() == meeting_id)
        .map(|s| s.kind.as_str())
        .collect();
    if !linked.is_empty() {
        return linked;
    }
    doc.segments
        .iter()
        .filter(|s| {
            pages
                .iter()
                .any(|p| (s.first_page..=s.last_page).contains(p))
        })
        .map(|s| s.kind.as_str())
        .collect()
}

/// A small layer over quick-xml's writer for the element-per-value shape of Noark 5.
struct Xml {
    w: Writer<Vec<u8>>,
}

// Writing into a Vec cannot fail, so the writer's io::Result is only unwrapped here.
const IN_MEMORY: &str = "writing XML into memory";

impl Xml {
    fn new() -> Xml {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect(IN_MEMORY);
        Xml { w }
    }

    fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.w.write_event(Event::Start(start)).expect(IN_MEMORY);
    }

    fn close(&mut self, name: &str) {
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .expect(IN_MEMORY);
    }

    fn el(&mut self, name: &str, text: &str) {
        let text = xml_text(text);
        self.w
            .create_element(name)
            .write_text_content(BytesText::new(&text))
            .expect(IN_MEMORY);
    }

    fn opt(&mut self, name: &str, text: Option<&str>) {
        if let Some(t) = text {
            self.el(name, t);
        }
    }

    fn finish(self) -> Vec<u8> {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

/// Text as XML 1.0 can hold it: the control characters it forbids (a stray form feed from a
/// PDF) dropped, line ends as '\n' (a parser would turn a bare '\r' into one anyway).
fn xml_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|&c| matches!(c, '\t' | '\n') || c >= ' ')
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}
