//! The `load` and `search` subcommands (wired into `crate::cli`).

use std::path::PathBuf;

use clap::Args;

use super::store::DEFAULT_URL;
use super::{Hit, SearchQuery};

#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// The output directory of `referat extract` (holds documents.jsonl, cases.jsonl, ...).
    #[arg(default_value = "output")]
    pub dir: PathBuf,
    /// sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
    #[arg(long, default_value = DEFAULT_URL)]
    pub db: String,
    /// Print the per-table counts of inserted, updated and deleted rows.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args, Debug, Clone)]
pub struct SearchArgs {
    /// Words to find in case titles, proposed decisions and decisions (all must occur).
    pub query: String,
    #[arg(long, default_value = DEFAULT_URL)]
    pub db: String,
    /// Only cases of this body (id, name or part of a name, e.g. NUIT).
    #[arg(long)]
    pub body: Option<String>,
    /// Only meetings in or after this year.
    #[arg(long)]
    pub from: Option<i32>,
    /// Only meetings in or before this year.
    #[arg(long)]
    pub to: Option<i32>,
    /// At most this many cases.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// Loads a run; prints the counts of changed rows. Returns the process exit code.
pub fn run_load(args: &LoadArgs) -> i32 {
    let started = std::time::Instant::now();
    match super::load(&args.dir, &args.db) {
        Ok(report) => {
            if report.schema_from != report.schema_to {
                eprintln!(
                    "referat: schema upgraded from version {} to {}",
                    report.schema_from, report.schema_to
                );
            }
            for (table, c) in &report.tables {
                if args.verbose || c.changes() > 0 {
                    eprintln!(
                        "  {table:<18} {:>8} inserted {:>8} updated {:>8} deleted",
                        c.inserted, c.updated, c.deleted
                    );
                }
            }
            let t = report.total();
            println!(
                "referat: loaded {} into {}: {} inserted, {} updated, {} deleted ({:.1} s)",
                args.dir.display(),
                shown_url(&args.db),
                t.inserted,
                t.updated,
                t.deleted,
                started.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            eprintln!("referat: load of {} failed: {e}", args.dir.display());
            1
        }
    }
}

/// Searches cases; prints one block per case. Returns the process exit code (1 when nothing
/// matched, like grep).
pub fn run_search(args: &SearchArgs) -> i32 {
    let q = SearchQuery {
        text: args.query.clone(),
        body: args.body.clone(),
        from_year: args.from,
        to_year: args.to,
        limit: args.limit,
    };
    match super::search(&args.db, &q) {
        Ok(hits) if hits.is_empty() => {
            eprintln!("referat: no case matches {:?}", args.query);
            1
        }
        Ok(hits) => {
            for h in &hits {
                print!("{}", format_hit(h));
            }
            0
        }
        Err(e) => {
            eprintln!("referat: search failed: {e}");
            2
        }
    }
}

/// One hit as printed: a heading line, then the decision text (or the proposed decision when
/// no decision was recorded), indented.
pub fn format_hit(h: &Hit) -> String {
    let mut s = format!(
        "{} | {} | sak {} | {}\n",
        h.body,
        h.date.as_deref().unwrap_or("(no date)"),
        h.case_number,
        h.title.as_deref().unwrap_or("(no title)")
    );
    let text = match (&h.decision, &h.proposed_decision) {
        (Some(d), _) => Some(("Vedtak", d)),
        (None, Some(p)) => Some(("Forslag til vedtak", p)),
        (None, None) => None,
    };
    if let Some((label, text)) = text {
        s.push_str(&format!("    {label}: {text}\n"));
    }
    s
}

/// The URL without a password, for messages.
fn shown_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            shown_url("postgres://referat:hemmelig@db.example:5432/referat"),
            "postgres://referat:***@db.example:5432/referat"
        );
        assert_eq!(
            shown_url("postgres://referat@localhost/referat"),
            "postgres://referat@localhost/referat"
        );
        assert_eq!(
            shown_url("sqlite:output/referat.db"),
            "sqlite:output/referat.db"
        );
    }
}
