//! The live commit loop: generator sources emit rows at their rate (by wall clock) and every
//! live input advances to a new commit time, an even epoch millisecond, strictly increasing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use differential_dataflow::input::InputSession;
use timely::worker::Worker;
use towpath_core::{Key, Row, Time, Value};
use towpath_plan::GenerateSpec;

use crate::live_files::{FileWatch, Updates};

use crate::operators::sink::Failure;
use crate::types::Diff;

/// What feeds a live input.
enum Producer {
    /// A generator (`NodeKind::Generate`); `emitted` rows produced so far (row `i` has value
    /// `offset + i`).
    Generate { spec: GenerateSpec, emitted: u64 },
    /// A streaming file read, polled at each commit; never finishes. `errors` is its error log.
    Files { watch: Box<FileWatch>, errors: Box<InputSession<Time, (Key, Row), Diff>>, pending_errors: Updates },
}

/// A live input fed by this worker.
pub struct LiveSource {
    producer: Producer,
    input: InputSession<Time, (Key, Row), Diff>,
    /// Updates produced since the last commit, stamped with the next commit time.
    pending: Updates,
    autocommit: Duration,
    next_commit: Instant,
}

impl LiveSource {
    /// A generator feeding `input`.
    pub fn generator(spec: GenerateSpec, input: InputSession<Time, (Key, Row), Diff>) -> Self {
        let autocommit = Duration::from_millis(spec.autocommit_duration_ms);
        Self::new(Producer::Generate { spec, emitted: 0 }, input, autocommit)
    }

    /// A streaming file read feeding `input` (rows) and `errors` (its error log).
    pub fn files(
        watch: FileWatch,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
        autocommit: Duration,
    ) -> Self {
        let (watch, errors) = (Box::new(watch), Box::new(errors));
        Self::new(Producer::Files { watch, errors, pending_errors: Vec::new() }, input, autocommit)
    }

    fn new(producer: Producer, input: InputSession<Time, (Key, Row), Diff>, autocommit: Duration) -> Self {
        Self { producer, input, pending: Vec::new(), autocommit, next_commit: Instant::now() }
    }

    fn finished(&self) -> bool {
        match &self.producer {
            Producer::Generate { spec, emitted } => spec.nb_rows.is_some_and(|n| *emitted >= n),
            Producer::Files { .. } => false,
        }
    }

    /// When generated row `i` is due: `i / input_rate` seconds after `start`.
    fn due(spec: &GenerateSpec, start: Instant, i: u64) -> Instant {
        start + Duration::from_secs_f64(i as f64 / spec.input_rate)
    }

    /// Produces every row due by `now` (for files: polls them when a commit is due).
    fn emit_due(&mut self, start: Instant, now: Instant) {
        let finished = self.finished();
        match &mut self.producer {
            Producer::Generate { spec, emitted } => {
                let mut done = finished;
                while !done && Self::due(spec, start, *emitted) <= now {
                    let i = *emitted;
                    let value = Value::Float((spec.offset as f64) + i as f64);
                    self.pending.push(((Key::for_value(&Value::Int(i as i64)), Row::from(vec![value])), 1));
                    *emitted += 1;
                    done = spec.nb_rows.is_some_and(|n| *emitted >= n);
                }
            }
            Producer::Files { watch, pending_errors, .. } => {
                if self.next_commit <= now {
                    watch.poll(&mut self.pending, pending_errors);
                }
            }
        }
    }

    /// Stamps the pending updates with `time` and makes `time` complete on this input (the
    /// input moves to `time + 1`, which no live row uses: commit times are even).
    fn commit(&mut self, time: Time) -> u64 {
        let mut rows = 0;
        for (row, diff) in self.pending.drain(..) {
            rows += diff.max(0) as u64;
            self.input.update_at(row, time, diff);
        }
        self.input.advance_to(time + 1);
        self.input.flush();
        if let Producer::Files { errors, pending_errors, .. } = &mut self.producer {
            for (row, diff) in pending_errors.drain(..) {
                errors.update_at(row, time, diff);
            }
            errors.advance_to(time + 1);
            errors.flush();
        }
        rows
    }

    /// When this source next needs attention: its next row or its next commit.
    fn wake_at(&self, start: Instant) -> Instant {
        match &self.producer {
            Producer::Generate { spec, emitted } if !self.finished() => {
                Self::due(spec, start, *emitted).min(self.next_commit)
            }
            _ => self.next_commit,
        }
    }
}

/// The longest a worker parks before checking the stop flag again.
const STOP_POLL: Duration = Duration::from_millis(100);

/// Commit times: even epoch milliseconds, each strictly greater than the previous one.
struct CommitClock {
    last: Option<Time>,
}

impl CommitClock {
    fn next(&mut self) -> Time {
        let now = towpath_core::now_even_ms();
        let time = match self.last {
            Some(last) if now <= last => last + 2,
            _ => now,
        };
        self.last = Some(time);
        time
    }
}

/// Runs the live sources until all are finished, the run failed or `stop` is set, stepping
/// `worker` between commits; the inputs are closed on return. On `stop`, the rows produced so
/// far are committed first, so the last time is complete. Returns the number of rows produced.
pub fn run_live(worker: &mut Worker, mut sources: Vec<LiveSource>, failure: &Failure, stop: &AtomicBool) -> u64 {
    let start = Instant::now();
    let mut clock = CommitClock { last: None };
    for source in &mut sources {
        source.next_commit = start + source.autocommit;
    }
    let mut rows = 0;
    while !sources.is_empty() {
        if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
            break;
        }
        let now = Instant::now();
        for source in &mut sources {
            source.emit_due(start, now);
        }
        if stop.load(Ordering::Relaxed) {
            let time = clock.next();
            for source in &mut sources {
                rows += source.commit(time);
            }
            break;
        }
        // A commit of one source advances every live input, so that it becomes visible at once
        // (an input left behind would hold back the frontier).
        let due = sources.iter().any(|s| s.next_commit <= now || (s.finished() && !s.pending.is_empty()));
        let all_done = sources.iter().all(LiveSource::finished);
        if due || all_done {
            let time = clock.next();
            for source in &mut sources {
                rows += source.commit(time);
                while source.next_commit <= now {
                    source.next_commit += source.autocommit;
                }
            }
            // Finished sources are dropped, which closes their inputs.
            sources.retain(|s| !s.finished());
        }
        let wake = sources.iter().map(|s| s.wake_at(start)).min();
        match wake {
            Some(at) => {
                // Parking is capped so that a stop request is noticed promptly.
                let park = at.saturating_duration_since(Instant::now()).min(STOP_POLL);
                worker.step_or_park(Some(park));
            }
            None => {
                worker.step();
            }
        }
    }
    rows
}
