//! Loading into a real PostgreSQL server (REFERAT_TEST_PG_URL; see scripts/with-postgres.sh).
//! Without the variable the tests print a notice and pass, except in CI, where they fail.

mod db_common;

use db_common::*;
use referat::db;

macro_rules! pg_test {
    ($name:ident, $body:expr) => {
        #[test]
        fn $name() {
            if let Some(t) = Target::postgres(stringify!($name)) {
                let f: fn(&Target) = $body;
                f(&t);
            }
        }
    };
}

pg_test!(counts_and_foreign_keys, db_common::counts_and_foreign_keys);
pg_test!(second_load_changes_nothing, idempotent);
pg_test!(newer_run_updates_adds_and_removes, update_load);
pg_test!(failed_load_changes_nothing, failed_load_rolls_back);
pg_test!(
    failed_first_load_leaves_no_schema,
    failed_first_load_leaves_nothing
);
pg_test!(older_schema_is_upgraded, upgrade_from_version_1);
pg_test!(documented_sql_examples, sql_examples);
pg_test!(corpus_run_loads, db_common::corpus_run);
pg_test!(
    superseded_document_is_replaced,
    db_common::superseded_document
);
pg_test!(
    removal_stranding_kept_rows_is_refused,
    db_common::removal_stranding_kept_rows_is_refused
);
pg_test!(generated_run_of_two_thousand_cases, |t| generated_volume(
    t, 2000
));

pg_test!(norwegian_search_with_stemming, |t| {
    search_common(t);
    // The norwegian configuration stems: the inflected form finds the base form.
    let numbers = |q: &str| -> Vec<String> {
        db::search(&t.url, &query(q))
            .unwrap()
            .into_iter()
            .map(|h| h.case_number)
            .collect()
    };
    assert_eq!(numbers("helsedataene"), ["30/21", "12/22"]);
    assert_eq!(numbers("helsedata"), ["30/21"]);
    assert_eq!(numbers("Helsedataene tilgang"), ["12/22"]);
    // Query syntax characters are just text.
    assert_eq!(numbers("helsedata' & !|"), ["30/21"]);
    assert_eq!(numbers("planene"), ["31/21"]);
    // The search uses the GIN index's expression (checked in the plan with seqscan off).
    let plan = t.query(
        "SELECT 1 AS x FROM cases c WHERE to_tsvector('norwegian', coalesce(c.title, '') || ' ' \
         || coalesce(c.proposed_decision, '') || ' ' || coalesce(c.decision, '')) @@ \
         plainto_tsquery('norwegian', 'helsedata')",
    );
    assert_eq!(plan.len(), 1);
    let mut client = postgres::Client::connect(&t.url, postgres::NoTls).unwrap();
    client.batch_execute("SET enable_seqscan = off").unwrap();
    let explain: Vec<String> = client
        .query(
            "EXPLAIN SELECT 1 FROM cases c WHERE to_tsvector('norwegian', coalesce(c.title, '') \
             || ' ' || coalesce(c.proposed_decision, '') || ' ' || coalesce(c.decision, '')) @@ \
             plainto_tsquery('norwegian', 'helsedata')",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        explain.iter().any(|l| l.contains("cases_fts")),
        "{explain:?}"
    );
});
