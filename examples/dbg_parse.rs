use referat::read::{self, Limits};
use referat::vocab::Vocabulary;
use referat::{extract, parse, segment};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let limits = Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).unwrap();
    let doc = extract::extract(&pdf, &limits);
    let vocab = Vocabulary::builtin();
    let segs = segment::segment(&doc, &vocab);
    let r = parse::parse("d", &doc, &segs, &vocab);
    for l in &r.segment_links {
        println!("{:?}", l);
    }
    for m in &r.meetings {
        println!(
            "{} {:?} refs={}",
            m.meeting.body,
            m.meeting.date,
            m.references.len()
        );
        for p in &m.participants {
            println!(
                "  P {} | {:?} | {} | {} | {:?}",
                p.name, p.organisation, p.role, p.attendance, p.substitute_for
            );
        }
        for c in &m.cases {
            println!(
                "  C {} | {:?} | prop={:?} | dec={:?} | memo={:?}",
                c.case_number, c.title, c.proposed_decision, c.decision, c.memo
            );
        }
    }
}
#[allow(dead_code)]
fn unused() {}
