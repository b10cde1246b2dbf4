//! Static reads through the public API: formats, errors, partitioning.

mod common;
mod anonymous;
mod csv;
mod jsonlines;
mod partition;
mod plaintext;
