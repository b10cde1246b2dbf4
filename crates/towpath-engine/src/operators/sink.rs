//! Sinks: every update goes to worker 0, which hands each complete time, consolidated and in
//! time order, to the host or a file writer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use differential_dataflow::consolidation::consolidate;
use timely::dataflow::channels::pact::{Exchange, Pipeline};
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::probe::{Handle as ProbeHandle, Probe};
use towpath_connectors::SinkWriter;
use towpath_core::{Error, Key, Row, Time};
use towpath_plan::SinkSpec;

use crate::types::{Coll, Diff};
use crate::Host;

/// The first fatal error of a run; workers stop feeding input once it is set.
pub type Failure = Arc<Mutex<Option<Error>>>;

/// Updates waiting for their time to complete.
type Pending = BTreeMap<Time, Vec<((Key, Row), Diff)>>;

/// Host callbacks waiting for the delivery thread.
enum Delivered {
    Updates(usize, Time, Vec<(Key, Row, Diff)>),
    TimeEnd(usize, Time),
    End(usize),
}

/// Hands host callbacks to one delivery thread, so that slow callbacks (Python) do not hold up
/// the worker: the dataflow and the commit loop go on while a time is being delivered. One
/// thread for every callback sink keeps callbacks sequential and, per sink, in time order. The
/// queue is bounded: a host that cannot keep up slows the worker down instead of buffering.
#[derive(Clone)]
pub struct Delivery {
    queue: std::sync::mpsc::SyncSender<Delivered>,
}

/// Callbacks queued at most before the worker waits for the host.
const DELIVERY_QUEUE: usize = 64;

impl Delivery {
    /// Starts the delivery thread; it ends when every `Delivery` clone is dropped. A callback
    /// error is recorded in `failure` and the callbacks after it are skipped.
    pub fn start(host: Arc<dyn Host>, failure: Failure) -> (Delivery, std::thread::JoinHandle<()>) {
        let (queue, received) = std::sync::mpsc::sync_channel(DELIVERY_QUEUE);
        let thread = std::thread::Builder::new().name("towpath-delivery".into()).spawn(move || {
            let mut failed = false;
            for item in received {
                if failed {
                    continue;
                }
                let result = match item {
                    Delivered::Updates(sink, time, mut updates) => {
                        // Retractions first, so an update of a row reads as "old out, new in".
                        updates.sort_by_key(|(_, _, diff)| *diff);
                        host.on_updates(sink, time, updates)
                    }
                    Delivered::TimeEnd(sink, time) => host.on_time_end(sink, time),
                    Delivered::End(sink) => host.on_end(sink),
                };
                if let Err(e) = result {
                    record(&failure, e);
                    failed = true;
                }
            }
        });
        let thread = thread.expect("cannot start the delivery thread");
        (Delivery { queue }, thread)
    }

    fn send(&self, item: Delivered) -> Result<(), Error> {
        self.queue.send(item).map_err(|_| Error::new("the delivery thread stopped"))
    }
}

/// Where a sink's updates go.
enum Target {
    Host(Delivery, usize),
    Writer(Box<dyn SinkWriter>),
    Null,
}

impl Target {
    fn open(spec: &SinkSpec, delivery: &Delivery) -> Result<Target, Error> {
        Ok(match spec {
            SinkSpec::Callback { index } => Target::Host(delivery.clone(), *index),
            SinkSpec::Null => Target::Null,
            SinkSpec::Csv { .. } | SinkSpec::JsonLines { .. } => Target::Writer(towpath_connectors::open_sink(spec)?),
            #[cfg(feature = "kafka")]
            SinkSpec::Kafka(kafka) => Target::Writer(Box::new(towpath_kafka::KafkaSink::new(kafka).map_err(Error::new)?)),
            #[cfg(not(feature = "kafka"))]
            SinkSpec::Kafka(_) => return Err(Error::new("this towpath was built without Kafka (cargo feature `kafka`)")),
        })
    }

    fn emit(&mut self, time: Time, updates: Vec<(Key, Row, Diff)>) -> Result<(), Error> {
        match self {
            Target::Host(delivery, index) => {
                if !updates.is_empty() {
                    delivery.send(Delivered::Updates(*index, time, updates))?;
                }
                delivery.send(Delivered::TimeEnd(*index, time))
            }
            Target::Writer(writer) => {
                writer.write_batch(time, &updates)?;
                writer.flush()
            }
            Target::Null => Ok(()),
        }
    }

    fn end(&mut self) -> Result<(), Error> {
        match self {
            Target::Host(delivery, index) => delivery.send(Delivered::End(*index)),
            Target::Writer(writer) => writer.flush(),
            Target::Null => Ok(()),
        }
    }
}

/// Attaches a sink to `coll`. Only worker 0 opens the target; a failure is recorded in `failure`
/// (the first one wins) and the sink stops emitting. `probe` learns how far the sink's input
/// has progressed (the live loop bounds the commits in flight with it).
pub fn sink(
    coll: Coll<'_>,
    node: usize,
    spec: SinkSpec,
    delivery: &Delivery,
    failure: Failure,
    worker: usize,
    probe: &ProbeHandle<Time>,
) {
    let stream = coll.inner.probe_with(probe);
    if spec == SinkSpec::Null {
        // Nothing to deliver: drain where the data is, without moving or buffering it.
        stream.sink(Pipeline, &format!("Sink#{node}"), |(input, _frontier)| {
            input.for_each(|_cap, data: &mut Vec<((Key, Row), Time, Diff)>| data.clear());
        });
        return;
    }
    let mut target = if worker == 0 {
        match Target::open(&spec, delivery) {
            Ok(t) => Some(t),
            Err(e) => {
                record(&failure, Error::new(format!("sink of node {node}: {e}")));
                None
            }
        }
    } else {
        None
    };
    let mut pending: Pending = BTreeMap::new();
    let mut ended = false;
    stream.sink(
        Exchange::new(|_: &((Key, Row), Time, Diff)| 0u64),
        &format!("Sink#{node}"),
        move |(input, frontier)| {
            input.for_each(|_cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                for (row, time, diff) in data.drain(..) {
                    pending.entry(time).or_default().push((row, diff));
                }
            });
            let Some(t) = target.as_mut() else {
                pending.clear();
                return;
            };
            while let Some(entry) = pending.first_entry() {
                if frontier.less_equal(entry.key()) {
                    break;
                }
                let (time, mut updates) = entry.remove_entry();
                consolidate(&mut updates);
                let updates = updates.into_iter().map(|((k, r), d)| (k, r, d)).collect();
                if let Err(e) = t.emit(time, updates) {
                    record(&failure, e);
                    target = None;
                    return;
                }
            }
            if frontier.is_empty() && !ended {
                ended = true;
                if let Err(e) = t.end() {
                    record(&failure, e);
                }
            }
        },
    );
}

/// Records the first fatal error.
pub fn record(failure: &Failure, error: Error) {
    let mut slot = failure.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_none() {
        *slot = Some(error);
    }
}
