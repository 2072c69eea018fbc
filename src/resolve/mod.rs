//! Stage 5, resolve: the corpus-wide "reduce": merges meetings met in several documents,
//! resolves people and bodies across meetings and years, links references, assigns stable ids.

use crate::pipeline::DocumentResult;
use crate::records::Datasets;
use crate::vocab::Vocabulary;

/// Builds the datasets from every document's result. STUB: documents and warnings only.
pub fn resolve(results: Vec<DocumentResult>, _vocab: &Vocabulary) -> Datasets {
    let mut out = Datasets::default();
    for r in results {
        out.warnings.extend(r.records.warnings);
        out.documents.push(r.document);
    }
    out.documents.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
