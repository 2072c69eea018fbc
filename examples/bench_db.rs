//! Load benchmark: 100,000 generated cases (with their meetings, participants, references,
//! attachments and sources) into SQLite, and into PostgreSQL when REFERAT_TEST_PG_URL is set.
//!
//!     cargo run --release --example bench_db [CASES]
//!     scripts/with-postgres.sh cargo run --release --example bench_db
//!
//! Prints rows per second for a first load (all inserts) and a second, idempotent load (all
//! rows compared, none written).

use std::time::Instant;

use referat::db::{self, dataset::RunData, sample};

fn main() {
    let cases: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("CASES is a number"))
        .unwrap_or(100_000);
    let data = sample::generate(cases);
    let rows = sample::row_count(&data);
    let run = RunData {
        data,
        lines: Vec::new(),
    };
    println!(
        "bench_db: {cases} cases, {} meetings, {} participants, {rows} rows in all",
        run.data.meetings.len(),
        run.data.participants.len()
    );

    let dir = std::env::temp_dir().join(format!("referat-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bench.db");
    bench("sqlite", &format!("sqlite:{}", path.display()), &run, rows);
    let _ = std::fs::remove_dir_all(&dir);

    match std::env::var("REFERAT_TEST_PG_URL") {
        Ok(url) => {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
            // A clean slate for a comparable first load.
            client
                .batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                .expect("reset schema");
            bench("postgres", &url, &run, rows);
        }
        Err(_) => println!("postgres: skipped (REFERAT_TEST_PG_URL is not set)"),
    }
}

fn bench(kind: &str, url: &str, run: &RunData, rows: usize) {
    for pass in ["first load", "second load"] {
        let mut store = db::open(url).expect("open database");
        let started = Instant::now();
        let report = db::load_run(store.as_mut(), run).expect("load");
        let secs = started.elapsed().as_secs_f64();
        let t = report.total();
        println!(
            "{kind:<8} {pass:<11}: {:>8} inserted {:>6} updated {:>6} deleted in {secs:>6.2} s = {:>9.0} rows/s",
            t.inserted,
            t.updated,
            t.deleted,
            rows as f64 / secs
        );
    }
}
