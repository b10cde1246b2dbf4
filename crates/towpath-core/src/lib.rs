//! towpath-core: the data model shared by every layer (values, keys, dtypes, schemas, errors, time).

pub mod dtype;
pub mod error;
pub mod key;
pub mod time;
pub mod value;

pub use dtype::{ColumnSchema, DType, Schema};
pub use error::{Error, Result};
pub use key::{IdBuildHasher, IdHasher, Key, ValueBuildHasher};
pub use time::{now_even_ms, Time, END_OF_INPUT};
pub use value::{Row, Value};
