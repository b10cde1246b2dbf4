//! The live commit loop: generator sources emit rows at their rate (by wall clock) and every
//! live input advances to a new commit time, an even epoch millisecond, strictly increasing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use differential_dataflow::input::InputSession;
use timely::worker::Worker;
use towpath_core::{Key, Row, Time, Value};
use towpath_plan::GenerateSpec;

use crate::operators::sink::Failure;
use crate::types::Diff;

/// A live input fed by this worker: a generator (`NodeKind::Generate`).
pub struct LiveSource {
    spec: GenerateSpec,
    input: InputSession<Time, (Key, Row), Diff>,
    /// Rows produced so far (row `i` has value `offset + i`).
    emitted: u64,
    /// Rows produced since the last commit, stamped with the next commit time.
    pending: Vec<(Key, Row)>,
    next_commit: Instant,
}

impl LiveSource {
    /// A generator feeding `input`.
    pub fn generator(spec: GenerateSpec, input: InputSession<Time, (Key, Row), Diff>) -> Self {
        Self { spec, input, emitted: 0, pending: Vec::new(), next_commit: Instant::now() }
    }

    fn finished(&self) -> bool {
        self.spec.nb_rows.is_some_and(|n| self.emitted >= n)
    }

    /// When row `i` is due: `i / input_rate` seconds after `start`.
    fn due(&self, start: Instant, i: u64) -> Instant {
        start + Duration::from_secs_f64(i as f64 / self.spec.input_rate)
    }

    /// Produces every row due by `now`.
    fn emit_due(&mut self, start: Instant, now: Instant) {
        while !self.finished() && self.due(start, self.emitted) <= now {
            let i = self.emitted;
            let value = Value::Float((self.spec.offset as f64) + i as f64);
            self.pending.push((Key::for_value(&Value::Int(i as i64)), Row::from(vec![value])));
            self.emitted += 1;
        }
    }

    /// Stamps the pending rows with `time` and makes `time` complete on this input (the
    /// input moves to `time + 1`, which no live row uses: commit times are even).
    fn commit(&mut self, time: Time) {
        for row in self.pending.drain(..) {
            self.input.update_at(row, time, 1);
        }
        self.input.advance_to(time + 1);
        self.input.flush();
    }

    /// When this source next needs attention: its next row or its next commit.
    fn wake_at(&self, start: Instant) -> Instant {
        if self.finished() {
            return self.next_commit;
        }
        self.due(start, self.emitted).min(self.next_commit)
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
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as Time).unwrap_or(0) & !1;
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
    let autocommit = |s: &LiveSource| Duration::from_millis(s.spec.autocommit_duration_ms);
    for source in &mut sources {
        source.next_commit = start + autocommit(source);
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
                rows += source.pending.len() as u64;
                source.commit(time);
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
                rows += source.pending.len() as u64;
                source.commit(time);
                while source.next_commit <= now {
                    source.next_commit += autocommit(source);
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
