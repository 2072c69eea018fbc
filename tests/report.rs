//! `referat report`: the static site of a run. Over the corpus output: every internal link
//! resolves, the pages render in a real headless Chromium (Debian's `chromium`) with their charts
//! and tables and no console message, and the report is written in under a second. Over a
//! hand-written run: text from a PDF that looks like markup is shown literally, and bad input
//! is one line naming the file and line.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;

/// The datasets of `referat extract corpus`, made once for all tests of this file.
fn corpus_run() -> &'static Path {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = scratch("report-corpus");
        extract_ok(&[&repo().join("corpus")], &out, &[]);
        out
    })
}

fn report(dir: &Path, site: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "report".to_string(),
        dir.display().to_string(),
        "--out".into(),
        site.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    referat(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn report_ok(dir: &Path, site: &Path) {
    let o = report(dir, site, &[]);
    assert_eq!(o.status.code(), Some(0), "report failed: {}", stderr(&o));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `href="..."` and `src="..."` of an HTML text (the site's pages write attributes in
/// double quotes).
fn links_of(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| {
            c[1].replace("&amp;", "&")
                .replace("&#x2f;", "/")
                .replace("&#x27;", "'")
        })
        .collect()
}

/// Every `id="..."` of an HTML text.
fn ids_of(html: &str) -> HashSet<String> {
    let re = regex::Regex::new(r#"\sid="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

/// Checks every internal link of every page of `site`: its file is in the site, and its
/// fragment, if any, is an id in that file. Returns how many links were checked.
fn check_internal_links(site: &Path) -> usize {
    let pages: HashMap<String, String> = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                read(&e.path()),
            )
        })
        .collect();
    let ids: HashMap<&str, HashSet<String>> =
        pages.iter().map(|(n, t)| (n.as_str(), ids_of(t))).collect();
    let mut checked = 0;
    for (name, html) in &pages {
        for link in links_of(html) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            assert!(
                !link.contains(':') && !link.starts_with('/') && !link.contains(".."),
                "{name}: a link that leaves the site: {link}"
            );
            let (file, fragment) = match link.split_once('#') {
                Some(("", f)) => (name.as_str(), Some(f)),
                Some((file, f)) => (file, Some(f)),
                None => (link.as_str(), None),
            };
            assert!(
                site.join(file).is_file(),
                "{name}: link to {link}: no file {file} in the site"
            );
            if let Some(f) = fragment {
                let known = ids.get(file).unwrap_or_else(|| panic!("{name}: {link}"));
                assert!(
                    known.contains(f),
                    "{name}: link to {link}: no id {f} in {file}"
                );
            }
            checked += 1;
        }
    }
    checked
}

/// The corpus report, written once (and timed) for the tests of this file.
fn corpus_site() -> &'static (PathBuf, Duration) {
    static SITE: OnceLock<(PathBuf, Duration)> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = scratch("report-corpus-site").join("site");
        // The extract run first: only the report is timed.
        let run = corpus_run();
        let start = Instant::now();
        report_ok(run, &site);
        (site, start.elapsed())
    })
}

#[test]
fn the_corpus_report_is_written_in_under_a_second_and_every_internal_link_resolves() {
    let (site, took) = corpus_site();
    println!("report of the corpus: {:.3} s", took.as_secs_f64());
    assert!(
        *took < Duration::from_secs(1),
        "the corpus report took {took:?}"
    );
    let checked = check_internal_links(site);
    assert!(checked > 500, "only {checked} internal links");
    // No page loads anything from elsewhere, and there is no script at all.
    for entry in std::fs::read_dir(site).unwrap().flatten() {
        let text = read(&entry.path());
        let lower = text.to_lowercase();
        assert!(!lower.contains("<script"), "{}", entry.path().display());
        assert!(!lower.contains("src=\"http"), "{}", entry.path().display());
        assert!(!lower.contains("<link rel=\"stylesheet\" href=\"http"));
    }
}

#[test]
fn the_corpus_report_shows_what_the_minutes_say() {
    let (site, _) = corpus_site();
    // From the minutes of Nasjonalt e-helseråd 5/2022 (corpus/reference/
    // ehelseradet-2022-12-02.txt): Barthold Vonen present, Kjersti Forbord Jensås absent,
    // Trond Stenvik substitute for her.
    let body = read(&site.join("body-nasjonalt-e-helserad.html"));
    // The 2022 table's first column is 09-21 (meeting 5), the second 12-02 (meeting 6); the
    // 2022 rows come after the 2019 and 2021 tables, so the last row of each name is 2022's.
    let last_row = |name: &str| -> String {
        let i = body.rfind(&format!(">{name}</a></th>")).unwrap();
        let rest = &body[i..];
        rest[..rest.find("</tr>").unwrap()].to_string()
    };
    let first_cell = |row: String| -> String {
        let i = row.find("<td class=\"att ").unwrap();
        row[i..row[i..].find("</td>").unwrap() + i].to_string()
    };
    assert!(first_cell(last_row("Barthold Vonen")).contains("att-present"));
    assert!(first_cell(last_row("Kjersti Forbord Jensås")).contains("att-absent"));
    assert!(first_cell(last_row("Trond Stenvik")).contains("att-substitute"));
    let meeting = read(&site.join("meeting-nasjonalt-e-helserad-2022-5.html"));
    for text in [
        "2022-09-21",
        "Helseplattformen, Pirsenteret, Havnegata 9, Trondheim",
        "Barthold Vonen",
        "Helse Nord RHF",
        "Kjersti Forbord Jensås",
    ] {
        assert!(meeting.contains(text), "{text} missing on the meeting page");
    }
}

/// Debian's Chromium, or why the test cannot run. Outside CI a missing browser skips the test
/// with a notice; in CI (CI=true, where .ci/run installs it) it fails.
fn chromium(test: &str) -> Option<&'static str> {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        {
            return Some(name);
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: chromium is required in CI (.ci/run installs Debian's chromium)");
    }
    eprintln!("{test}: SKIPPED: no chromium on PATH (apt-get install chromium)");
    None
}

/// Opens `page` in headless Chromium and returns (the DOM after loading, the messages the page
/// logged to its console). Fails after 90 s rather than hanging.
fn render(browser: &str, page: &Path, profile: &Path) -> (String, Vec<String>) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn chromium");
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).unwrap();
        s
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed on {}", page.display());
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish {} in 90 s", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let dom = out.join().unwrap();
    // Chromium logs what a page writes to its console (errors, blocked content) as
    // "...:CONSOLE(line)] message" or "...:CONSOLE:line] message".
    let console = err
        .join()
        .unwrap()
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (dom, console)
}

#[test]
fn the_corpus_report_renders_in_headless_chromium() {
    let Some(browser) = chromium("the_corpus_report_renders_in_headless_chromium") else {
        return;
    };
    let (site, _) = corpus_site();
    let profile = scratch("report-chromium-profile");
    let pages = [
        ("index.html", 2, 1),
        ("body-nasjonalt-e-helserad.html", 4, 1),
        ("meeting-nasjonalt-e-helserad-2022-5.html", 3, 0),
        ("graph.html", 1, 1),
    ];
    for (page, min_tables, min_svgs) in pages {
        let (dom, console) = render(browser, &site.join(page), &profile);
        assert!(console.is_empty(), "{page}: console: {console:#?}");
        assert!(dom.contains("<main>"), "{page}: not rendered: {dom:.300}");
        assert!(
            dom.matches("<table").count() >= min_tables,
            "{page}: fewer than {min_tables} tables"
        );
        assert!(
            dom.matches("<svg").count() >= min_svgs,
            "{page}: fewer than {min_svgs} charts"
        );
        assert!(dom.matches("<th scope=\"col\"").count() >= min_tables);
        match page {
            "body-nasjonalt-e-helserad.html" => {
                assert!(dom.contains("class=\"heatmap\""));
                assert!(dom.contains("meetings (solid)"));
            }
            "meeting-nasjonalt-e-helserad-2022-5.html" => {
                assert!(dom.contains("proposed decision"));
                assert!(dom.contains("Barthold Vonen"));
            }
            _ => {}
        }
    }
}

/// A run of one meeting whose every text field from the PDF looks like markup.
fn hostile_run(name: &str) -> PathBuf {
    let dir = scratch(name);
    let s = "<script>alert(1)</script>";
    let source = serde_json::json!([{"document_id": "doc-1", "page": 1}]);
    let lines = [
        (
            "documents",
            serde_json::json!({"id": "doc-1", "path": format!("in/{s}.pdf"), "sha256": "00",
                "pages": 1, "producer": s, "status": "partial", "errors": [s],
                "segments": [{"kind": "minutes", "first_page": 1, "last_page": 1,
                    "meeting_id": "b/2024/1", "case_number": null}]}),
        ),
        (
            "bodies",
            serde_json::json!({"id": "b", "name": s, "names": [{"name": s, "from": null, "to": null}]}),
        ),
        (
            "meetings",
            serde_json::json!({"id": "b/2024/1", "body": s, "body_id": "b", "number": 1,
                "year": 2024, "date": "2024-01-15", "start_time": null, "end_time": null,
                "location": s, "documents": ["minutes"], "sources": source}),
        ),
        (
            "participants",
            serde_json::json!({"meeting_id": "b/2024/1", "person_id": "p/1", "name": s,
                "organisation": s, "role": "member", "attendance": "present",
                "substitute_for": null, "sources": source}),
        ),
        (
            "cases",
            serde_json::json!({"id": "b/2024/1/1", "meeting_id": "b/2024/1",
                "case_number": "1/24", "title": s, "case_type": s, "scheduled_time": null,
                "proposed_decision": format!("Approve {s} now"),
                "decision": format!("Reject {s} now"),
                "attachments": [{"label": "1A", "title": s, "url": "javascript:alert(1)"}],
                "action_items": [s], "memo": {"from": s, "case_officer": s},
                "sources": source}),
        ),
        (
            "references",
            serde_json::json!({"id": "r1", "meeting_id": "b/2024/1", "from_case": "1/24",
                "kind": "case", "target": s, "target_body": s, "target_date": null,
                "title": s, "decision": s, "text": s, "resolved_id": null,
                "sources": source}),
        ),
        (
            "people",
            serde_json::json!({"id": "p/1", "name": s, "aliases": [s],
                "affiliations": [{"organisation": s, "first_meeting": "b/2024/1",
                    "last_meeting": "b/2024/1"}]}),
        ),
        (
            "warnings",
            serde_json::json!({"document_id": "doc-1", "page": 1, "kind": s, "message": s,
                "raw": s}),
        ),
    ];
    for (name, line) in lines {
        std::fs::write(dir.join(format!("{name}.jsonl")), format!("{line}\n")).unwrap();
    }
    dir
}

#[test]
fn text_that_looks_like_markup_is_shown_literally() {
    let run = hostile_run("report-hostile");
    let site = run.join("report");
    let o = referat(&["report", &run.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let escaped = "&lt;script&gt;alert(1)&lt;&#x2f;script&gt;";
    let mut pages = 0;
    for entry in std::fs::read_dir(&site).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let html = read(&entry.path());
        assert!(!html.to_lowercase().contains("<script"), "{name}: {html}");
        assert!(
            links_of(&html)
                .iter()
                .all(|l| !l.to_lowercase().starts_with("javascript:")),
            "{name}: a javascript: link"
        );
        if name.ends_with(".html") {
            assert!(html.contains(escaped), "{name} does not show the text");
            pages += 1;
        }
    }
    // index, documents, graph, the body, the meeting, the person.
    assert_eq!(pages, 6);
    let meeting = read(&site.join("meeting-b-2024-1.html"));
    // The title, the decisions' changed words, the attachment's URL as text only.
    assert!(
        meeting.contains(&format!("1&#x2f;24 {escaped}")),
        "{meeting}"
    );
    assert!(meeting.contains("<del>Approve</del>") && meeting.contains("<ins>Reject</ins>"));
    assert!(
        meeting.contains("<td>javascript:alert(1)</td>"),
        "{meeting}"
    );
    assert!(check_internal_links(&site) > 10);

    // And in a browser: the text is in the page as text, nothing ran.
    let Some(browser) = chromium("text_that_looks_like_markup_is_shown_literally") else {
        return;
    };
    let profile = scratch("report-hostile-profile");
    let (dom, console) = render(browser, &site.join("meeting-b-2024-1.html"), &profile);
    assert!(console.is_empty(), "console: {console:#?}");
    assert!(!dom.contains("<script"), "{dom}");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom}"
    );
}

#[test]
fn bad_input_is_one_line_naming_the_file_and_line() {
    let run = hostile_run("report-bad-input");
    let meetings = run.join("meetings.jsonl");
    let good = read(&meetings);
    std::fs::write(&meetings, format!("{good}{{\"id\": 7}}\n")).unwrap();
    let site = run.join("site");
    let o = report(&run, &site, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("meetings.jsonl line 2"), "{err}");
    assert!(!site.exists(), "a site was written from bad input");

    let not_a_run = scratch("report-not-a-run");
    let o = report(&not_a_run, &not_a_run.join("site"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no documents.jsonl"), "{}", stderr(&o));

    // A site directory that holds something else is not written into without --force.
    std::fs::write(&meetings, &good).unwrap();
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    let o = report(&run, &site, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    let o = report(&run, &site, &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(site.join("index.html").is_file() && site.join("notes.txt").is_file());
}
