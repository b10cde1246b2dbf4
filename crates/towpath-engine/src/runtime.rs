//! Running a plan: timely workers, feeding inputs, collecting the first fatal error.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use differential_dataflow::input::InputSession;
use timely::dataflow::operators::probe::Handle as ProbeHandle;
use timely::worker::Worker;
use towpath_connectors::ReadOptions;
use towpath_core::{Error, Key, Result, Row, Time, Value};
use towpath_plan::{validate, Mode, Plan};

use crate::errors::error_row;
use crate::live::LiveSource;
use crate::push::{PushQueue, PushState};
use crate::live_files::FileWatch;
use crate::lower::{node_error, Feed, Lowering};
use crate::operators::sink::{record, Delivery, Failure};
use crate::types::Diff;
use crate::Host;

/// How to run a plan.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Worker threads in this process.
    pub threads: usize,
    /// Set to ask a running plan to stop (Ctrl-C): live sources commit what they hold, close
    /// their inputs and the dataflow drains, so sinks see the last complete time and `on_end`.
    pub stop: Arc<AtomicBool>,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self { threads: 1, stop: Arc::new(AtomicBool::new(false)) }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunStats {
    /// Rows read by connectors, over all workers.
    pub rows_read: u64,
    /// Input records that could not be parsed (each is in the error log).
    pub read_errors: u64,
    /// Updates ignored because they came after their cutoff (`Gate` nodes in `Freeze` mode:
    /// `ignore_late`, window cutoffs), over all workers. They are never silently lost: the
    /// late rows table (`pw.temporal.late_rows`) has them.
    pub late_rows: u64,
}

/// Runs `plan` to completion with `config.threads` workers; sink callbacks go to `host`.
pub fn run(plan: Plan, config: RunConfig, host: Arc<dyn Host>) -> Result<RunStats> {
    run_with_sources(plan, config, host, Vec::new())
}

/// `run` for a plan with push sources: `push_sources[i]` feeds `PushSpec { source: i, .. }`.
pub fn run_with_sources(
    plan: Plan,
    config: RunConfig,
    host: Arc<dyn Host>,
    push_sources: Vec<Arc<PushQueue>>,
) -> Result<RunStats> {
    let arities = validate::arities(&plan)?;
    let anonymous = crate::analysis::ids_observed(&plan).into_iter().map(|o| !o).collect::<Vec<_>>();
    let nonnegative = Arc::new(crate::analysis::nonnegative(&plan));
    let plan = Arc::new(plan);
    let arities = Arc::new(arities);
    let failure: Failure = Arc::new(Mutex::new(None));
    let stats = Arc::new(Mutex::new(RunStats::default()));
    let threads = config.threads.max(1);
    // Static reads commit file i at `base + 2i`: even epoch milliseconds, as live sources do,
    // and the same on every worker.
    let base = towpath_core::now_even_ms();
    let (plan2, failure2, stats2) = (plan.clone(), failure.clone(), stats.clone());
    let (delivery, delivery_thread) = Delivery::start(host.clone(), failure.clone());
    let stop = config.stop.clone();
    let late_rows = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let late_rows2 = late_rows.clone();
    let guards = timely::execute(timely::Config::process(threads), move |worker| {
        let lowering = Lowering {
            plan: &plan2,
            arities: &arities,
            host: host.clone(),
            failure: failure2.clone(),
            worker: worker.index(),
            peers: worker.peers(),
            push_sources: &push_sources,
            probe: ProbeHandle::new(),
            delivery: delivery.clone(),
            late_rows: late_rows2.clone(),
            nonnegative: &nonnegative,
        };
        let feeds = worker.dataflow::<Time, _, _>(|scope| lowering.lower(scope));
        let (mut local, live) = feed_all(worker, feeds, &plan2, &failure2, base, &anonymous);
        let (rows, source_failure) = crate::live::run_live(worker, live, &failure2, &stop, &lowering.probe);
        local.rows_read += rows;
        while worker.step_or_park(None) {}
        if let Some(message) = source_failure {
            record(&failure2, Error::new(message));
        }
        let mut total = stats2.lock().unwrap_or_else(|p| p.into_inner());
        total.rows_read += local.rows_read;
        total.read_errors += local.read_errors;
    })
    .map_err(Error::new)?;
    let results = guards.join();
    // The workers' senders are gone: the delivery thread finishes what is queued, then ends.
    let delivered = delivery_thread.join();
    for result in results {
        result.map_err(|e| Error::new(format!("a worker failed: {e}")))?;
    }
    delivered.map_err(|_| Error::new("the delivery thread panicked"))?;
    if let Some(e) = failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(e);
    }
    let mut stats = stats.lock().unwrap_or_else(|p| p.into_inner()).clone();
    stats.late_rows = late_rows.load(std::sync::atomic::Ordering::Relaxed);
    Ok(stats)
}

fn failed(failure: &Failure) -> bool {
    failure.lock().map(|f| f.is_some()).unwrap_or(true)
}

/// Pushes every static input's data, stepping the dataflow as it goes so memory stays bounded;
/// returns the live sources, for the live loop.
fn feed_all(
    worker: &mut Worker,
    feeds: Vec<Feed>,
    plan: &Plan,
    failure: &Failure,
    base: Time,
    anonymous: &[bool],
) -> (RunStats, Vec<LiveSource>) {
    let mut stats = RunStats::default();
    let mut live = Vec::new();
    let (index, peers) = (worker.index(), worker.peers());
    for feed in feeds {
        match feed {
            Feed::Generate { spec, input } => live.push(LiveSource::generator(spec, input)),
            Feed::Push { node, spec, queue, input, errors } => {
                let autocommit = spec.autocommit_duration_ms.map(|ms| Duration::from_millis(ms.max(1)));
                live.push(LiveSource::push(PushState::new(node, &spec, queue), input, errors, autocommit));
            }
            Feed::Kafka { node, spec, input, errors } => {
                let autocommit = Duration::from_millis(spec.autocommit_duration_ms.unwrap_or(1500).max(1));
                #[cfg(feature = "kafka")]
                match towpath_kafka::KafkaReader::new(&spec, index, peers) {
                    Ok(reader) => live.push(LiveSource::kafka(node, reader, input, errors, autocommit)),
                    Err(e) => record(failure, node_error(plan, node, e)),
                }
                #[cfg(not(feature = "kafka"))]
                {
                    let _ = (spec, input, errors, autocommit);
                    let message = "this towpath was built without Kafka (cargo feature `kafka`)";
                    record(failure, node_error(plan, node, message.to_string()));
                }
            }
            Feed::Static { mut input, rows } => {
                for row in rows {
                    input.update_at((row.id, Row::from(row.values)), row.time, row.diff as Diff);
                }
            }
            Feed::Read { node, spec, mut input, mut errors } => {
                let options = ReadOptions { anonymous_ids: anonymous[node], ..ReadOptions::default() };
                if spec.mode == Mode::Streaming {
                    // Worker 0 watches the files; the others close their sessions at once.
                    if index == 0 {
                        let autocommit = Duration::from_millis(spec.autocommit_duration_ms.unwrap_or(1500).max(1));
                        let watch = FileWatch::new(node, spec, options).traced(plan.nodes[node].trace.clone());
                        live.push(LiveSource::files(watch, input, errors, autocommit));
                    }
                    continue;
                }
                let chunks = match towpath_connectors::read_static_with(&spec, index, peers, options) {
                    Ok(chunks) => chunks,
                    Err(e) => {
                        // The connector's message names the path already.
                        record(failure, node_error(plan, node, e));
                        continue;
                    }
                };
                for chunk in chunks {
                    if failed(failure) {
                        break;
                    }
                    advance(&mut input, base + chunk.time);
                    advance(&mut errors, base + chunk.time);
                    stats.rows_read += chunk.rows.len() as u64;
                    stats.read_errors += chunk.errors.len() as u64;
                    for (key, row, diff) in chunk.rows {
                        input.update((key, row), diff);
                    }
                    for e in chunk.errors {
                        let position = Key::for_value(&Value::from(e.position.as_str()));
                        errors.update(error_row(node, position, &e.message, &e.position), 1);
                    }
                    input.flush();
                    errors.flush();
                    worker.step();
                }
            }
        }
    }
    (stats, live)
}

fn advance(input: &mut InputSession<Time, (Key, Row), Diff>, time: Time) {
    if *input.time() < time {
        input.advance_to(time);
    }
}
