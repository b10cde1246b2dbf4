//! Column types and schemas.

use serde::{Deserialize, Serialize};

use crate::value::Value;

/// A column's declared type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DType {
    Any,
    None,
    Bool,
    Int,
    Float,
    String,
    Bytes,
    Pointer,
    DateTimeNaive,
    DateTimeUtc,
    Duration,
    Json,
    /// A fixed-length tuple with per-position types.
    Tuple(Vec<DType>),
    /// A variable-length list (tuple) of one element type.
    List(Box<DType>),
    /// The type or None.
    Optional(Box<DType>),
}

impl DType {
    /// True when `None` is a valid value of this type.
    pub fn is_optional(&self) -> bool {
        matches!(self, DType::Optional(_) | DType::Any | DType::None)
    }

    /// The type without its `Optional` wrapper.
    pub fn strip_optional(&self) -> &DType {
        match self {
            DType::Optional(inner) => inner,
            other => other,
        }
    }
}

/// One column of a schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnSchema {
    pub name: String,
    pub dtype: DType,
    #[serde(default)]
    pub primary_key: bool,
    /// Used when an input row lacks the column.
    #[serde(default)]
    pub default: Option<Value>,
}

/// An ordered list of columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub columns: Vec<ColumnSchema>,
}

impl Schema {
    /// Column names in order.
    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// Position of a column by name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Positions of the primary-key columns, in schema order.
    pub fn primary_key_indices(&self) -> Vec<usize> {
        self.columns.iter().enumerate().filter(|(_, c)| c.primary_key).map(|(i, _)| i).collect()
    }
}
