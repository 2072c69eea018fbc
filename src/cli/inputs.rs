//! Turning the command line's INPUTs into the list of PDF files to read.

use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Expands inputs: a file is taken as it is (whatever its name), a directory is searched
/// recursively for `*.pdf` (any case), `-` reads more inputs from stdin, one per line. Sorted,
/// without duplicates. An input that does not exist is an error naming it.
pub fn collect(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                let line = line.map_err(|e| format!("cannot read paths from stdin: {e}"))?;
                let line = line.trim_end_matches('\r');
                if !line.trim().is_empty() {
                    add(Path::new(line), &mut out)?;
                }
            }
        } else {
            add(input, &mut out)?;
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn add(input: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
    if meta.is_dir() {
        walk(input, out).map_err(|e| format!("{}: {e}", input.display()))
    } else {
        out.push(input.to_path_buf());
        Ok(())
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // Symbolic links to directories are not followed: they could loop.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if is_pdf_name(&path) && path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

fn is_pdf_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_give_pdfs_only_files_are_taken_whatever_their_name() {
        let dir = std::env::temp_dir().join(format!("referat-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        for f in ["a.pdf", "sub/B.PDF", "sub/deeper/c.pdf", "sub/notes.txt"] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        let got = collect(&[dir.clone(), dir.join("sub/notes.txt"), dir.join("a.pdf")]).unwrap();
        let want: Vec<PathBuf> = ["a.pdf", "sub/B.PDF", "sub/deeper/c.pdf", "sub/notes.txt"]
            .iter()
            .map(|f| dir.join(f))
            .collect();
        assert_eq!(got, want);
        let err = collect(&[dir.join("missing.pdf")]).unwrap_err();
        assert!(err.contains("missing.pdf"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
