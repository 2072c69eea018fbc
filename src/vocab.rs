//! The domain's vocabulary (labels, case types, body names and renames) loaded from the data
//! files in `vocab/`. The defaults are compiled in; a user extends them with `--vocab DIR`.

/// STUB: filled by the parser work.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {}

impl Vocabulary {
    /// The vocabulary that ships with referat.
    pub fn builtin() -> Vocabulary {
        Vocabulary {}
    }
}
