//! The values the loader moves between datasets and databases.

use std::fmt;

/// One column value. Only integers and text are needed (lists are stored as JSON text).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Val {
    Null,
    Int(i64),
    Text(String),
}

/// One table row, columns in the order of its `schema::Table`.
pub type Row = Vec<Val>;

impl Val {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Null => f.write_str("null"),
            Val::Int(i) => write!(f, "{i}"),
            Val::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl From<&str> for Val {
    fn from(s: &str) -> Self {
        Val::Text(s.to_string())
    }
}

impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::Text(s)
    }
}

impl From<Option<String>> for Val {
    fn from(s: Option<String>) -> Self {
        s.map_or(Val::Null, Val::Text)
    }
}

impl From<Option<&String>> for Val {
    fn from(s: Option<&String>) -> Self {
        s.map_or(Val::Null, |s| Val::Text(s.clone()))
    }
}

impl From<&Option<String>> for Val {
    fn from(s: &Option<String>) -> Self {
        s.clone().into()
    }
}

impl From<i64> for Val {
    fn from(i: i64) -> Self {
        Val::Int(i)
    }
}

impl From<usize> for Val {
    fn from(i: usize) -> Self {
        Val::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<Option<i64>> for Val {
    fn from(i: Option<i64>) -> Self {
        i.map_or(Val::Null, Val::Int)
    }
}
