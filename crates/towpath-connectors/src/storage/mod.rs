//! Storage: where the bytes live.

pub mod fs;
