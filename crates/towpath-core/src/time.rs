//! Commit timestamps.

/// A commit timestamp: milliseconds since the epoch for live sources, literal values for debug
/// tables.
pub type Time = u64;

/// The time at which results that only become final at the end of input appear.
pub const END_OF_INPUT: Time = u64::MAX - 1;

/// The current wall-clock time as a commit time: epoch milliseconds rounded down to even (live
/// commits use even times, so `t + 1` is free to mark `t` complete).
pub fn now_even_ms() -> Time {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Time & !1)
        .unwrap_or(0)
}
