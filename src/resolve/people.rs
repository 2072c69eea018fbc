//! People across meetings: one person per name, spelling variants linked only with evidence.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::parse::text::{similarity, slug};
use crate::records::{Affiliation, MeetingRow, ParticipantRow, PersonRow};

/// Two spellings are one person when all of this holds: same first name, names nearly equal
/// (one letter apart in a name of this length), never listed in the same meeting, and listed
/// with the same organisation at least once.
fn same_person(
    a: &str,
    b: &str,
    meetings_of: &BTreeMap<String, BTreeSet<String>>,
    orgs_of: &BTreeMap<String, BTreeSet<String>>,
) -> bool {
    let first = |s: &str| s.split_whitespace().next().unwrap_or("").to_lowercase();
    if first(a) != first(b) || a.split_whitespace().count() != b.split_whitespace().count() {
        return false;
    }
    let longest = a.chars().count().max(b.chars().count()) as f64;
    if similarity(a, b) < 1.0 - 1.5 / longest {
        return false;
    }
    let (ma, mb) = (&meetings_of[a], &meetings_of[b]);
    if !ma.is_disjoint(mb) {
        return false;
    }
    let norm = |s: &String| s.to_lowercase();
    let oa: BTreeSet<String> = orgs_of[a].iter().map(norm).collect();
    let ob: BTreeSet<String> = orgs_of[b].iter().map(norm).collect();
    !oa.is_disjoint(&ob)
}

/// The pairs (i < j) of names that `same_person` could accept, found through an index instead
/// of comparing every name with every other. It accepts only names with the same first word
/// and as many words, at most one edit apart (a similarity of at least 1 - 1.5/length is one
/// edit: `similarity` counts edits over the longer length): such names share a key of the
/// lower-cased name with one character (or none) left out. A name whose lower-case form has
/// another length than the name itself (a rare letter such as 'İ') can be further from an
/// accepted spelling, so it is paired with every name of its first word and word count.
fn candidate_pairs(names: &[String]) -> BTreeSet<(usize, usize)> {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_block: HashMap<(String, usize), Vec<usize>> = HashMap::new();
    let mut odd: Vec<usize> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
        by_block
            .entry((first, name.split_whitespace().count()))
            .or_default()
            .push(i);
        let lower: Vec<char> = name.to_lowercase().chars().collect();
        if lower.len() != name.chars().count() {
            odd.push(i);
        }
        by_key.entry(lower.iter().collect()).or_default().push(i);
        for skip in 0..lower.len() {
            let key: String = lower
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != skip)
                .map(|(_, c)| *c)
                .collect();
            by_key.entry(key).or_default().push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for ids in by_key.values() {
        for (x, &a) in ids.iter().enumerate() {
            for &b in &ids[x + 1..] {
                if a != b {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    // Rare: the exact check for names whose lower-case form changes length.
    for &i in &odd {
        let name = &names[i];
        let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
        for &j in &by_block[&(first, name.split_whitespace().count())] {
            if i != j {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
    }
    pairs
}

/// Assigns `person_id` to every participant and returns the people.
pub fn resolve_people(parts: &mut [ParticipantRow], meetings: &[MeetingRow]) -> Vec<PersonRow> {
    let mut meetings_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut orgs_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for p in parts.iter() {
        meetings_of
            .entry(p.name.clone())
            .or_default()
            .insert(p.meeting_id.clone());
        let orgs = orgs_of.entry(p.name.clone()).or_default();
        if let Some(o) = &p.organisation {
            orgs.insert(o.clone());
        }
        *count.entry(p.name.clone()).or_default() += 1;
    }
    // Union-find over names, in sorted order so the result does not depend on input order.
    let names: Vec<String> = meetings_of.keys().cloned().collect();
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    for (i, j) in candidate_pairs(&names) {
        if same_person(&names[i], &names[j], &meetings_of, &orgs_of) {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            if a != b {
                parent[b.max(a)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(name.clone());
    }
    let date_of: BTreeMap<&str, String> = meetings
        .iter()
        .map(|m| {
            (
                m.id.as_str(),
                m.date.clone().unwrap_or_else(|| m.id.clone()),
            )
        })
        .collect();
    let mut parts_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        parts_of.entry(p.name.as_str()).or_default().push(i);
    }
    let mut people = Vec::new();
    let mut id_of: BTreeMap<String, String> = BTreeMap::new();
    for (_, group) in groups {
        // The name used most often (ties: alphabetical) is the person's name.
        let name = group
            .iter()
            .max_by(|a, b| count[*a].cmp(&count[*b]).then(b.cmp(a)))
            .cloned()
            .unwrap_or_default();
        let id = format!("person/{}", slug(&name));
        let aliases: Vec<String> = group.iter().filter(|n| **n != name).cloned().collect();
        for n in &group {
            id_of.insert(n.clone(), id.clone());
        }
        // Affiliations: each organisation with the first and last meeting it was given in.
        let mut spans: BTreeMap<String, (String, String, String, String)> = BTreeMap::new();
        for p in group
            .iter()
            .flat_map(|n| &parts_of[n.as_str()])
            .map(|&i| &parts[i])
        {
            let Some(org) = &p.organisation else {
                continue;
            };
            let d = date_of
                .get(p.meeting_id.as_str())
                .cloned()
                .unwrap_or_default();
            let e = spans.entry(org.clone()).or_insert_with(|| {
                (
                    d.clone(),
                    p.meeting_id.clone(),
                    d.clone(),
                    p.meeting_id.clone(),
                )
            });
            if (d.as_str(), p.meeting_id.as_str()) < (e.0.as_str(), e.1.as_str()) {
                e.0 = d.clone();
                e.1 = p.meeting_id.clone();
            }
            if (d.as_str(), p.meeting_id.as_str()) > (e.2.as_str(), e.3.as_str()) {
                e.2 = d;
                e.3 = p.meeting_id.clone();
            }
        }
        let mut affiliations: Vec<Affiliation> = spans
            .into_iter()
            .map(|(organisation, (fd, first_meeting, _, last_meeting))| {
                (
                    fd,
                    Affiliation {
                        organisation,
                        first_meeting,
                        last_meeting,
                    },
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        affiliations.sort_by(|a, b| {
            (date_of.get(a.first_meeting.as_str()), &a.organisation)
                .cmp(&(date_of.get(b.first_meeting.as_str()), &b.organisation))
        });
        people.push(PersonRow {
            id,
            name,
            aliases,
            affiliations,
        });
    }
    for p in parts.iter_mut() {
        p.person_id = id_of.get(&p.name).cloned();
    }
    people.sort_by(|a, b| a.id.cmp(&b.id));
    // Two different people whose names slug alike get distinct ids.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in people.iter_mut() {
        let n = seen.entry(p.id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            p.id = format!("{}-{}", p.id, n);
        }
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(meeting: &str, name: &str, org: &str) -> ParticipantRow {
        ParticipantRow {
            meeting_id: meeting.into(),
            person_id: None,
            name: name.into(),
            organisation: Some(org.into()),
            role: "member".into(),
            attendance: "present".into(),
            substitute_for: None,
            sources: vec![],
        }
    }

    fn meeting(id: &str, date: &str) -> MeetingRow {
        MeetingRow {
            id: id.into(),
            body: "NUIT".into(),
            body_id: Some("nuit".into()),
            number: None,
            year: None,
            date: Some(date.into()),
            start_time: None,
            end_time: None,
            location: None,
            documents: vec![],
            sources: vec![],
        }
    }

    #[test]
    fn spelling_variants_are_linked_only_with_evidence() {
        let ms = vec![
            meeting("m1", "2020-01-01"),
            meeting("m2", "2020-02-01"),
            meeting("m3", "2021-03-01"),
        ];
        let mut parts = vec![
            part("m1", "Tone Bakkeli", "Helse Vest RHF"),
            part("m2", "Tone Bakkelid", "Helse Vest RHF"),
            part("m3", "Tone Bakkeli", "Helse Vest RHF"),
            // Same near-spelling but another organisation: not linked.
            part("m1", "Arne Vik", "KS"),
            part("m2", "Arne Vika", "FFO"),
            // Both in one meeting: two people.
            part("m3", "Eva Lund", "KS"),
            part("m3", "Eva Lunde", "KS"),
            part("m3", "Ola Moe", "Oslo kommune"),
            part("m1", "Ola Moe", "Bergen kommune"),
        ];
        let people = resolve_people(&mut parts, &ms);
        let tone = people.iter().find(|p| p.name == "Tone Bakkeli").unwrap();
        assert_eq!(tone.aliases, vec!["Tone Bakkelid".to_string()]);
        assert_eq!(parts[1].person_id.as_deref(), Some("person/tone-bakkeli"));
        assert!(people.iter().any(|p| p.name == "Arne Vika"));
        assert!(people.iter().any(|p| p.name == "Eva Lunde"));
        let ola = people.iter().find(|p| p.name == "Ola Moe").unwrap();
        let orgs: Vec<_> = ola
            .affiliations
            .iter()
            .map(|a| a.organisation.as_str())
            .collect();
        assert_eq!(orgs, vec!["Bergen kommune", "Oslo kommune"]);
        assert_eq!(ola.affiliations[1].first_meeting, "m3");
    }

    #[test]
    fn the_index_finds_every_pair_the_full_comparison_would_accept() {
        let names: Vec<String> = [
            "Tone Bakkeli",
            "Tone Bakkelid",  // one letter added
            "Tone Bakeli",    // one letter left out
            "Tone Bakkelu",   // one letter changed
            "tone bakkeli",   // case only
            "Tone Bakkelidd", // two from the first
            "Tone B. Bakkeli",
            "İda Lie", // lower-cases to a longer string
            "İda Lia",
            "Ida Lie",
            "Arne Vik",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let pairs = candidate_pairs(&names);
        let first = |s: &str| s.split_whitespace().next().unwrap_or("").to_lowercase();
        let mut accepted = 0;
        for i in 0..names.len() {
            for j in i + 1..names.len() {
                let (a, b) = (&names[i], &names[j]);
                let longest = a.chars().count().max(b.chars().count()) as f64;
                let close = first(a) == first(b)
                    && a.split_whitespace().count() == b.split_whitespace().count()
                    && similarity(a, b) >= 1.0 - 1.5 / longest;
                if close {
                    accepted += 1;
                    assert!(pairs.contains(&(i, j)), "{a} / {b} not a candidate");
                }
            }
        }
        // Bakkeli with its four spellings, each pair of those one edit apart, and İda's two.
        assert!(accepted >= 8, "{accepted}");
        // The index does not degenerate into every pair.
        assert!(pairs.len() < names.len() * (names.len() - 1) / 2);
    }
}
