//! Commit timestamps.

/// A commit timestamp: milliseconds since the epoch for live sources, literal values for debug
/// tables.
pub type Time = u64;

/// The time at which results that only become final at the end of input appear.
pub const END_OF_INPUT: Time = u64::MAX - 1;
