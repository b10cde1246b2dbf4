//! A `Host` that records every sink callback, with UDFs given as closures.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use towpath_core::{Key, Row, Time, Value};
use towpath_engine::{Host, UdfError};

/// A UDF of the test host: one argument row to one result.
pub type Udf = Arc<dyn Fn(&[Value]) -> Result<Value, UdfError> + Send + Sync>;

/// One sink callback, in the order the engine made it.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Updates(Time, Vec<(Key, Row, isize)>),
    TimeEnd(Time),
    End,
}

/// Records callbacks per sink index; calls UDFs by index.
pub struct RecordingHost {
    udfs: Vec<Udf>,
    events: Mutex<BTreeMap<usize, Vec<Event>>>,
}

impl RecordingHost {
    /// A host with these UDFs (UDF `i` is `udfs[i]`).
    pub fn new(udfs: Vec<Udf>) -> Self {
        Self { udfs, events: Mutex::new(BTreeMap::new()) }
    }

    /// The callbacks of sink `sink` so far.
    pub fn events(&self, sink: usize) -> Vec<Event> {
        self.events.lock().unwrap().get(&sink).cloned().unwrap_or_default()
    }

    fn push(&self, sink: usize, event: Event) {
        self.events.lock().unwrap().entry(sink).or_default().push(event);
    }
}

impl Host for RecordingHost {
    fn call_udf(&self, index: usize, rows: Vec<Vec<Value>>) -> Vec<Result<Value, UdfError>> {
        rows.iter().map(|r| (self.udfs[index])(r)).collect()
    }

    fn on_updates(&self, sink: usize, time: Time, updates: Vec<(Key, Row, isize)>) -> towpath_core::Result<()> {
        self.push(sink, Event::Updates(time, updates));
        Ok(())
    }

    fn on_time_end(&self, sink: usize, time: Time) -> towpath_core::Result<()> {
        self.push(sink, Event::TimeEnd(time));
        Ok(())
    }

    fn on_end(&self, sink: usize) -> towpath_core::Result<()> {
        self.push(sink, Event::End);
        Ok(())
    }
}

/// A sink's delivered updates, per time in delivery order.
pub type Stream = Vec<(Time, Vec<(Key, Row, isize)>)>;

/// Checks the delivery contract of one sink's callbacks: `[Updates(t)] TimeEnd(t)` groups in
/// strictly increasing time order, then exactly one `End`; each time's updates consolidated (no
/// zero diffs, no repeated `(id, row)`). Returns the updates per time.
pub fn delivered(events: &[Event]) -> Result<Stream, String> {
    let mut out: Stream = Vec::new();
    let mut last_end: Option<Time> = None;
    let mut open: Option<Time> = None;
    let mut ended = false;
    for event in events {
        if ended {
            return Err(format!("callback after on_end: {event:?}"));
        }
        match event {
            Event::Updates(t, updates) => {
                if open.is_some() || last_end.is_some_and(|l| l >= *t) {
                    return Err(format!("updates of time {t} out of order (last complete time {last_end:?})"));
                }
                if updates.is_empty() {
                    return Err(format!("empty on_updates at time {t}"));
                }
                let mut seen = std::collections::BTreeSet::new();
                for (k, r, d) in updates {
                    if *d == 0 {
                        return Err(format!("zero diff at time {t}: {k:?} {r:?}"));
                    }
                    if !seen.insert((*k, r.clone())) {
                        return Err(format!("unconsolidated updates at time {t}: {k:?} {r:?} twice"));
                    }
                }
                open = Some(*t);
                out.push((*t, updates.clone()));
            }
            Event::TimeEnd(t) => {
                if open.is_some_and(|o| o != *t) || last_end.is_some_and(|l| l >= *t) {
                    return Err(format!("on_time_end({t}) out of order (open {open:?}, last {last_end:?})"));
                }
                open = None;
                last_end = Some(*t);
            }
            Event::End => {
                if open.is_some() {
                    return Err("on_end before on_time_end of the last time".into());
                }
                ended = true;
            }
        }
    }
    if !ended {
        return Err("on_end never called".into());
    }
    Ok(out)
}
