//! The live commit loop: generator sources emit rows at their rate (by wall clock) and every
//! live input advances to a new commit time, an even epoch millisecond, strictly increasing.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use differential_dataflow::input::InputSession;
use timely::dataflow::operators::probe::Handle as ProbeHandle;
use timely::worker::Worker;
use towpath_core::{Key, Row, Time, Value};
use towpath_plan::GenerateSpec;

use crate::live_files::FileWatch;
use crate::push::PushState;

use crate::operators::sink::Failure;
use crate::types::{Diff, Updates};

/// What feeds a live input.
enum Producer {
    /// A generator (`NodeKind::Generate`); `next` is the next row to produce (row `i` has
    /// value `offset + i`).
    Generate { spec: GenerateSpec, next: u64 },
    /// A streaming file read, polled at each commit; never finishes. `errors` is its error log.
    Files { watch: Box<FileWatch>, errors: Box<InputSession<Time, (Key, Row), Diff>>, pending_errors: Updates },
    /// Rows pushed by the embedder (`push.rs`); finishes when the embedder closes it.
    Push { state: Box<PushState>, errors: Box<InputSession<Time, (Key, Row), Diff>>, pending_errors: Updates },
    /// A Kafka consumer, polled without blocking; never finishes. `failed`: a broker error
    /// that stopped the read.
    #[cfg(feature = "kafka")]
    Kafka {
        node: usize,
        reader: Box<towpath_kafka::KafkaReader>,
        errors: Box<InputSession<Time, (Key, Row), Diff>>,
        pending_errors: Updates,
        failed: Option<String>,
    },
}

/// A live input fed by this worker.
pub struct LiveSource {
    producer: Producer,
    input: InputSession<Time, (Key, Row), Diff>,
    /// Updates produced since the last commit, stamped with the next commit time.
    pending: Updates,
    /// `None`: only the source's own commits (push sources with `autocommit_duration_ms=None`).
    autocommit: Option<Duration>,
    next_commit: Option<Instant>,
}

impl LiveSource {
    /// A generator feeding `input`.
    /// A generator producing every row.
    pub fn generator(spec: GenerateSpec, input: InputSession<Time, (Key, Row), Diff>) -> Self {
        let autocommit = Duration::from_millis(spec.autocommit_duration_ms);
        Self::new(Producer::Generate { spec, next: 0 }, input, Some(autocommit))
    }

    /// A streaming file read feeding `input` (rows) and `errors` (its error log).
    pub fn files(
        watch: FileWatch,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
        autocommit: Duration,
    ) -> Self {
        let (watch, errors) = (Box::new(watch), Box::new(errors));
        Self::new(Producer::Files { watch, errors, pending_errors: Vec::new() }, input, Some(autocommit))
    }

    /// A push source feeding `input` (rows) and `errors` (its error log).
    pub fn push(
        state: PushState,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
        autocommit: Option<Duration>,
    ) -> Self {
        let (state, errors) = (Box::new(state), Box::new(errors));
        Self::new(Producer::Push { state, errors, pending_errors: Vec::new() }, input, autocommit)
    }

    /// A Kafka read (plan node `node`) feeding `input` (rows) and `errors` (its error log).
    #[cfg(feature = "kafka")]
    pub fn kafka(
        node: usize,
        reader: towpath_kafka::KafkaReader,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
        autocommit: Duration,
    ) -> Self {
        let (reader, errors) = (Box::new(reader), Box::new(errors));
        let producer = Producer::Kafka { node, reader, errors, pending_errors: Vec::new(), failed: None };
        Self::new(producer, input, Some(autocommit))
    }

    /// Tells the source which commit times every output has passed (Kafka: their offsets are
    /// committed to the broker).
    fn processed(&mut self, _probe: &ProbeHandle<Time>) {
        #[cfg(feature = "kafka")]
        if let Producer::Kafka { reader, .. } = &mut self.producer {
            reader.processed(|t| !_probe.less_equal(&t));
        }
    }

    /// At a stop, once every output passed the last commit: the offsets are committed and
    /// the broker's answer awaited (a restart resumes after the last processed message).
    fn finish(&mut self, _probe: &ProbeHandle<Time>) {
        #[cfg(feature = "kafka")]
        if let Producer::Kafka { reader, .. } = &mut self.producer {
            reader.processed(|t| !_probe.less_equal(&t));
            if let Err(e) = reader.finish() {
                eprintln!("towpath: {e}; a restart reads the last messages again");
            }
        }
    }

    /// Closes the inputs early (at a stop), so the last commit can pass through the dataflow
    /// while the source is still there to hear of it.
    fn close_inputs(&mut self) {
        self.input.advance_to(Time::MAX);
        self.input.flush();
        match &mut self.producer {
            Producer::Files { errors, .. } | Producer::Push { errors, .. } => {
                errors.advance_to(Time::MAX);
                errors.flush();
            }
            #[cfg(feature = "kafka")]
            Producer::Kafka { errors, .. } => {
                errors.advance_to(Time::MAX);
                errors.flush();
            }
            Producer::Generate { .. } => {}
        }
    }

    fn is_kafka(&self) -> bool {
        #[cfg(feature = "kafka")]
        if let Producer::Kafka { .. } = self.producer {
            return true;
        }
        false
    }

    fn new(producer: Producer, input: InputSession<Time, (Key, Row), Diff>, autocommit: Option<Duration>) -> Self {
        Self { producer, input, pending: Vec::new(), autocommit, next_commit: None }
    }

    /// The message of a failed source (a push source's uncommitted rows are dropped).
    fn failure(&mut self) -> Option<String> {
        match &mut self.producer {
            Producer::Push { state, pending_errors, .. } => {
                let message = state.failed.clone()?;
                self.pending.clear();
                pending_errors.clear();
                Some(format!("{} failed: {message}", state.name()))
            }
            // What was read before the failure is committed.
            Producer::Files { watch, .. } => watch.failure(),
            Producer::Generate { .. } => None,
            // What was read before the failure is committed.
            #[cfg(feature = "kafka")]
            Producer::Kafka { failed, .. } => failed.clone(),
        }
    }

    /// The source asked for a commit now (a push source's `commit()`, or its end).
    fn wants_commit(&self) -> bool {
        match &self.producer {
            Producer::Push { state, .. } => state.commit_requested || state.closed,
            _ => false,
        }
    }

    /// A push source has events waiting in its queue.
    fn has_queued(&self) -> bool {
        matches!(&self.producer, Producer::Push { state, .. } if state.has_queued())
    }

    fn commit_due(&self, now: Instant) -> bool {
        self.next_commit.is_some_and(|at| at <= now) || self.wants_commit()
    }

    fn finished(&self) -> bool {
        match &self.producer {
            Producer::Generate { spec, next, .. } => spec.nb_rows.is_some_and(|n| *next >= n),
            Producer::Files { .. } => false,
            #[cfg(feature = "kafka")]
            Producer::Kafka { .. } => false,
            Producer::Push { state, .. } => state.closed || state.failed.is_some(),
        }
    }

    /// When generated row `i` is due: `i / input_rate` seconds after `start`.
    fn due(spec: &GenerateSpec, start: Instant, i: u64) -> Instant {
        start + Duration::from_secs_f64(i as f64 / spec.input_rate)
    }

    /// The most rows a generator holds for its next commit: four commit intervals' worth, and
    /// at least a quarter second's. When the dataflow falls behind, commits grow up to that
    /// (larger commits cost less per row downstream), then rows are produced late (their lag
    /// shows as latency) rather than piling up in memory.
    fn generator_cap(spec: &GenerateSpec) -> usize {
        let window_ms = (4 * spec.autocommit_duration_ms).max(250) as f64;
        (spec.input_rate * window_ms / 1000.0).clamp(1024.0, 1e8) as usize
    }

    /// Produces every row due by `now` (for files: polls them when a commit is due).
    fn emit_due(&mut self, start: Instant, now: Instant) {
        let finished = self.finished();
        match &mut self.producer {
            Producer::Generate { spec, next } => {
                let cap = Self::generator_cap(spec);
                let mut done = finished;
                while !done && self.pending.len() < cap && Self::due(spec, start, *next) <= now {
                    let i = *next;
                    let value = Value::Float((spec.offset as f64) + i as f64);
                    self.pending.push(((Key::for_value(&Value::Int(i as i64)), Row::from(vec![value])), 1));
                    *next += 1;
                    done = spec.nb_rows.is_some_and(|n| *next >= n);
                }
            }
            Producer::Files { watch, pending_errors, .. } => {
                if self.next_commit.is_some_and(|at| at <= now) {
                    watch.poll(&mut self.pending, pending_errors);
                }
            }
            Producer::Push { state, pending_errors, .. } => state.poll(&mut self.pending, pending_errors),
            #[cfg(feature = "kafka")]
            Producer::Kafka { node, reader, pending_errors, failed, .. } => {
                if failed.is_some() {
                    return;
                }
                let mut errors = Vec::new();
                if let Err(e) = reader.poll(&mut self.pending, &mut errors) {
                    *failed = Some(e);
                }
                for (message, position) in errors {
                    let key = Key::for_value(&Value::from(position.as_str()));
                    pending_errors.push((crate::errors::error_row(*node, key, &message, &position), 1));
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
        match &mut self.producer {
            Producer::Files { errors, pending_errors, .. } | Producer::Push { errors, pending_errors, .. } => {
                for (row, diff) in pending_errors.drain(..) {
                    errors.update_at(row, time, diff);
                }
                errors.advance_to(time + 1);
                errors.flush();
            }
            #[cfg(feature = "kafka")]
            Producer::Kafka { reader, errors, pending_errors, .. } => {
                for (row, diff) in pending_errors.drain(..) {
                    errors.update_at(row, time, diff);
                }
                errors.advance_to(time + 1);
                errors.flush();
                reader.stamp(time);
            }
            Producer::Generate { .. } => {}
        }
        if let Producer::Push { state, .. } = &mut self.producer {
            state.commit_requested = false;
        }
        rows
    }

    /// When this source next needs attention: its next row or its next commit (push sources
    /// also wake the worker themselves, see `PushQueue`).
    fn wake_at(&self, start: Instant) -> Option<Instant> {
        match &self.producer {
            Producer::Generate { spec, next } if !self.finished() && self.pending.len() < Self::generator_cap(spec) =>
            {
                let row = Self::due(spec, start, *next);
                Some(self.next_commit.map_or(row, |at| at.min(row)))
            }
            _ => self.next_commit,
        }
    }
}

/// How long a stopping run waits for its last commit to reach the outputs, so that Kafka
/// offsets can be committed up to it.
const FINISH_WAIT: Duration = Duration::from_secs(10);

/// At a stop: closes the inputs, waits (a bounded time) until the outputs passed `time`, then
/// commits the Kafka offsets of everything processed.
fn finish_kafka(worker: &mut Worker, sources: &mut [LiveSource], failure: &Failure, probe: &ProbeHandle<Time>, time: Time) {
    for source in sources.iter_mut() {
        source.close_inputs();
    }
    let deadline = Instant::now() + FINISH_WAIT;
    while probe.less_equal(&time) && Instant::now() < deadline {
        if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
            return;
        }
        worker.step_or_park(Some(BLOCKED_POLL));
    }
    for source in sources.iter_mut() {
        source.finish(probe);
    }
}

/// The longest a worker parks before checking the stop flag again.
const STOP_POLL: Duration = Duration::from_millis(100);

/// Commits that may be on their way to the sinks at once; more, and sources wait.
const MAX_IN_FLIGHT: usize = 3;

/// How long a blocked worker parks between looks at the outputs' progress.
const BLOCKED_POLL: Duration = Duration::from_millis(1);

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
/// far are committed first, so the last time is complete. Returns the number of rows produced
/// and the failure of a source, if one failed (the caller records it once the dataflow has
/// drained, so every complete time reaches the sinks first).
pub fn run_live(
    worker: &mut Worker,
    mut sources: Vec<LiveSource>,
    failure: &Failure,
    stop: &AtomicBool,
    probe: &ProbeHandle<Time>,
) -> (u64, Option<String>) {
    let start = Instant::now();
    let mut clock = CommitClock { last: None };
    for source in &mut sources {
        source.next_commit = source.autocommit.map(|d| start + d);
        if let Producer::Push { state, .. } = &source.producer {
            state.set_waker(std::thread::current());
        }
    }
    let mut rows = 0;
    let mut source_failure = None;
    // Commits not yet through to every sink, oldest first.
    let mut in_flight: VecDeque<Time> = VecDeque::new();
    while !sources.is_empty() {
        if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
            break;
        }
        let mut passed = false;
        while in_flight.front().is_some_and(|t| !probe.less_equal(t)) {
            in_flight.pop_front();
            passed = true;
        }
        if passed {
            for source in &mut sources {
                source.processed(probe);
            }
        }
        // Back-pressure: while the outputs are this far behind, sources neither produce nor
        // commit; the dataflow catches up first, so memory stays bounded and the lag shows
        // as latency.
        let blocked = in_flight.len() >= MAX_IN_FLIGHT;
        let now = Instant::now();
        if !blocked {
            for source in &mut sources {
                source.emit_due(start, now);
            }
        }
        source_failure = sources.iter_mut().find_map(LiveSource::failure);
        if stop.load(Ordering::Relaxed) || source_failure.is_some() {
            let time = clock.next();
            for source in &mut sources {
                rows += source.commit(time);
            }
            if source_failure.is_none() && sources.iter().any(LiveSource::is_kafka) {
                finish_kafka(worker, &mut sources, failure, probe, time);
            }
            break;
        }
        if blocked {
            worker.step_or_park(Some(BLOCKED_POLL));
            continue;
        }
        // A commit of one source advances every live input, so that it becomes visible at once
        // (an input left behind would hold back the frontier).
        let due = sources.iter().any(|s| s.commit_due(now) || (s.finished() && !s.pending.is_empty()));
        let any_finished = sources.iter().any(LiveSource::finished);
        if due || any_finished {
            let time = clock.next();
            for source in &mut sources {
                rows += source.commit(time);
                if let (Some(every), Some(at)) = (source.autocommit, source.next_commit.as_mut()) {
                    while *at <= now {
                        *at += every;
                    }
                }
            }
            in_flight.push_back(time);
            // Finished sources are dropped, which closes their inputs.
            sources.retain(|s| !s.finished());
        }
        // Events already queued (another commit, pushed while this one ran) are taken now:
        // their push woke nobody.
        if sources.iter().any(|s| s.wants_commit() || s.has_queued()) {
            worker.step();
            continue;
        }
        let wake = sources.iter().filter_map(|s| s.wake_at(start)).min();
        // Parking is capped so that a stop request is noticed promptly.
        let park = wake.map_or(STOP_POLL, |at| at.saturating_duration_since(Instant::now()).min(STOP_POLL));
        if !sources.is_empty() {
            worker.step_or_park(Some(park));
        }
    }
    (rows, source_failure)
}
