//! `Gate` nodes: rows held back (`Buffer`), dropped (`Freeze`, and `Late` for the dropped ones)
//! or forgotten (`Forget`) when a global watermark — the largest `time` seen so far — reaches
//! their `threshold` (see `towpath_plan::gate` for the exact rules).
//!
//! Four steps:
//! 1. `map_batches` appends `[threshold, time]` to each row (errors go to the error log).
//! 2. `consolidate`: rows are exchanged by id and consolidated per time, once that time is
//!    complete, so the updates a time holds do not depend on how they were batched or spread.
//! 3. Marks: each worker sends, for each batch of consolidated updates, the largest valid time
//!    in it (or None) to every worker (`broadcast`). A mark at `T` also says "the input has
//!    updates at `T`", which is what triggers forgetting.
//! 4. The gate proper: a time `T` is processed once both its inputs are past `T` — all workers'
//!    marks up to `T` are then in, so `W(<T)` and `W(≤T)` are the same on every worker, and the
//!    result does not depend on the worker count. Times are processed in order.
//!
//! State: `Buffer` holds the rows not released yet, `Forget` the rows not forgotten yet, both
//! ordered by threshold so that a watermark step pops exactly what it reaches. `Forget` in mark
//! mode retracts at `T + 1`: a `DropForgetting` node downstream drops the updates at odd times,
//! so the operators in between (a groupby) free their state while the results already produced
//! stay in the final output.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use differential_dataflow::consolidation::consolidate as merge;
use differential_dataflow::AsCollection;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::{Exchange, Pipeline};
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::vec::Broadcast;
use timely::dataflow::operators::Capability;
use timely::dataflow::Stream;
use towpath_core::{Key, Row, Time, Value, END_OF_INPUT};
use towpath_plan::{Expr, GateMode};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::types::{Coll, Diff, UpdateStream};
use crate::Host;

type Update = ((Key, Row), Time, Diff);
type Builder = CapacityContainerBuilder<Vec<Update>>;
/// Row updates; consolidated (sorted, merged) when read. Vectors, not hash maps: appending is
/// cheap and a vector freed at once costs nothing to rebuild (growing hash maps dominated).
type Rows = Vec<((Key, Row), Diff)>;

/// Lowers a `Gate` node; returns (rows, error log rows). `late` counts the updates a `Freeze`
/// gate drops (for the run's statistics).
pub fn gate<'s>(
    input: Coll<'s>,
    node: usize,
    threshold: Expr,
    time: Expr,
    mode: GateMode,
    host: Arc<dyn Host>,
    late: Arc<AtomicU64>,
) -> (Coll<'s>, Coll<'s>) {
    let name = format!("Gate#{node}");
    let (evaluated, errors) = map_batches(input, &name, node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let thresholds = eval_batch(&threshold, rows, &mut ctx);
        let times = eval_batch(&time, rows, &mut ctx);
        for (i, (((id, row), thr), t)) in rows.iter().zip(thresholds).zip(times).enumerate() {
            let mut values = row.to_vec();
            values.push(thr);
            values.push(t);
            out.rows.push((i, (*id, Row::from(values))));
        }
        out.errors.append(&mut ctx.errors);
    });
    let consolidated = consolidate(evaluated.inner, &name);
    let marks = consolidated
        .clone()
        .unary::<CapacityContainerBuilder<Vec<Option<Value>>>, _, _, _>(Pipeline, "GateMarks", |_, _| {
            move |input, output| {
                input.for_each(|cap, data: &mut Vec<Update>| {
                    // The largest time value per update time (a batch normally has one time).
                    let mut maxima: BTreeMap<Time, Option<Value>> = BTreeMap::new();
                    for ((_, row), time, _) in data.drain(..) {
                        let slot = maxima.entry(time).or_default();
                        *slot = std::cmp::max(slot.take(), valid(&row[row.len() - 1]).cloned());
                    }
                    for (time, max) in maxima {
                        output.session(&cap.delayed(&time, 0)).give(max);
                    }
                });
            }
        })
        .broadcast();
    (run_gate(consolidated, marks, mode, late, &name).as_collection(), errors)
}

/// A time value that counts for the watermark (None and errors do not).
fn valid(v: &Value) -> Option<&Value> {
    (!v.is_none() && !v.is_error()).then_some(v)
}

/// Whether the watermark `w` has reached the threshold `thr`.
fn reached(thr: &Value, w: &Option<Value>) -> bool {
    matches!((valid(thr), w), (Some(t), Some(w)) if t <= w)
}

/// Exchanges updates by id and emits each time's consolidated updates once the time is complete.
fn consolidate<'s>(stream: UpdateStream<'s>, name: &str) -> UpdateStream<'s> {
    let exchange = Exchange::new(|((k, _), _, _): &Update| k.0 as u64);
    stream.unary_frontier::<Builder, _, _, _>(exchange, &format!("{name}.consolidate"), |_, _| {
        let mut pending: BTreeMap<Time, (Capability<Time>, Rows)> = BTreeMap::new();
        move |(input, frontier), output| {
            input.for_each(|cap, data: &mut Vec<Update>| {
                for (row, time, diff) in data.drain(..) {
                    let slot = pending.entry(time).or_insert_with(|| (cap.delayed(&time, 0), Rows::new()));
                    slot.1.push((row, diff));
                }
            });
            while let Some(entry) = pending.first_entry() {
                if frontier.less_equal(entry.key()) {
                    break;
                }
                let (time, (cap, mut rows)) = entry.remove_entry();
                merge(&mut rows);
                let mut session = output.session(&cap);
                for (row, diff) in rows {
                    session.give((row, time, diff));
                }
            }
        }
    })
}

/// Splits an evaluated row into (original row, threshold).
fn split(row: Row) -> (Row, Value) {
    let n = row.len() - 2;
    (Row::from(&row[..n]), row[n].clone())
}

/// Per-worker gate state.
struct Gate {
    mode: GateMode,
    /// Consolidated updates not processed yet, by time.
    arrived: BTreeMap<Time, Rows>,
    /// Marks of times not processed yet: a capability and the largest time value there.
    marks: BTreeMap<Time, (Capability<Time>, Option<Value>)>,
    /// `W(<T)` for the next time to process.
    watermark: Option<Value>,
    /// `Buffer`: rows held; `Forget`: rows present. By threshold (None/errors never reach).
    rows: BTreeMap<Value, Rows>,
    /// `Buffer`: a capability kept while rows are held, for the flush at the end of input.
    keep: Option<Capability<Time>>,
    late: Arc<AtomicU64>,
}

impl Gate {
    /// Rows whose threshold is `<= w`, removed from the state.
    fn pop_reached(&mut self, w: &Option<Value>) -> Rows {
        let mut out = Vec::new();
        while let Some(entry) = self.rows.first_entry() {
            if !reached(entry.key(), w) {
                break;
            }
            out.append(&mut entry.remove());
        }
        merge(&mut out);
        out
    }

    fn hold(&mut self, thr: Value, row: (Key, Row), diff: Diff) {
        self.rows.entry(thr).or_default().push((row, diff));
    }

    /// Processes time `time`; returns the updates to emit (at `time`, and at `time + 1` for a
    /// marked forget).
    fn process(&mut self, time: Time, mark: Option<Value>) -> (Rows, Rows) {
        let before = self.watermark.clone();
        let after = std::cmp::max(before.clone(), mark);
        let arrived = self.arrived.remove(&time).unwrap_or_default();
        let (mut now, mut next) = (Vec::new(), Vec::new());
        match self.mode {
            GateMode::Freeze | GateMode::Late => {
                let want_late = self.mode == GateMode::Late;
                let mut dropped = 0u64;
                for ((id, row), diff) in arrived {
                    let (row, thr) = split(row);
                    let late = reached(&thr, &before);
                    if late {
                        dropped += diff.unsigned_abs() as u64;
                    }
                    if late == want_late {
                        now.push(((id, row), diff));
                    }
                }
                if self.mode == GateMode::Freeze && dropped > 0 {
                    self.late.fetch_add(dropped, Ordering::Relaxed);
                }
            }
            GateMode::Buffer => {
                for ((id, row), diff) in arrived {
                    let (row, thr) = split(row);
                    if valid(&thr).is_none() {
                        now.push(((id, row), diff));
                    } else {
                        self.hold(thr, (id, row), diff);
                    }
                }
                now.extend(self.pop_reached(&after));
            }
            GateMode::Forget { mark } => {
                for ((id, row), diff) in arrived {
                    let (row, thr) = split(row);
                    now.push(((id, row.clone()), diff));
                    // A row whose threshold is None or an error is never forgotten: no need to keep it.
                    if valid(&thr).is_some() {
                        self.hold(thr, (id, row), diff);
                    }
                }
                let forgotten = self.pop_reached(&before).into_iter().map(|(row, count)| (row, -count));
                if mark {
                    next.extend(forgotten);
                } else {
                    // A row arriving and forgotten at once cancels out.
                    now.extend(forgotten);
                    merge(&mut now);
                }
            }
        }
        self.watermark = after;
        (now, next)
    }
}

/// The gate operator: consolidated evaluated rows and everyone's marks in, gated rows out.
fn run_gate<'s>(
    data: UpdateStream<'s>,
    marks: Stream<'s, Time, Vec<Option<Value>>>,
    mode: GateMode,
    late: Arc<AtomicU64>,
    name: &str,
) -> UpdateStream<'s> {
    data.binary_frontier::<_, Builder, _, _, _, _>(marks, Pipeline, Pipeline, name, move |_, _| {
        let mut gate = Gate {
            mode,
            arrived: BTreeMap::new(),
            marks: BTreeMap::new(),
            watermark: None,
            rows: BTreeMap::new(),
            keep: None,
            late,
        };
        move |(data, data_frontier), (marks, marks_frontier), output| {
            data.for_each(|_cap, updates: &mut Vec<Update>| {
                for (row, time, diff) in updates.drain(..) {
                    gate.arrived.entry(time).or_default().push((row, diff));
                }
            });
            marks.for_each(|cap, maxima: &mut Vec<Option<Value>>| {
                let Some(&time) = cap.least() else { return };
                let slot = gate.marks.entry(time).or_insert_with(|| (cap.delayed(&time, 0), None));
                for m in maxima.drain(..) {
                    slot.1 = std::cmp::max(slot.1.take(), m);
                }
            });
            let complete = |t: &Time| !data_frontier.less_equal(t) && !marks_frontier.less_equal(t);
            while let Some(entry) = gate.marks.first_entry() {
                if !complete(entry.key()) {
                    break;
                }
                let (time, (cap, mark)) = entry.remove_entry();
                let (now, next) = gate.process(time, mark);
                if !now.is_empty() {
                    let mut session = output.session(&cap);
                    for (row, diff) in now {
                        session.give((row, time, diff));
                    }
                }
                if !next.is_empty() {
                    let later = cap.delayed(&(time + 1));
                    let mut session = output.session(&later);
                    for (row, diff) in next {
                        session.give((row, time + 1, diff));
                    }
                }
                if gate.mode == GateMode::Buffer && !gate.rows.is_empty() && gate.keep.is_none() {
                    gate.keep = Some(cap);
                }
            }
            // The flush capability follows the inputs, so it holds nothing back but the end.
            if gate.rows.is_empty() {
                gate.keep = None;
            }
            if let Some(keep) = gate.keep.as_mut() {
                let lower = data_frontier.frontier().iter().chain(marks_frontier.frontier().iter()).min().copied();
                match lower {
                    Some(t) => {
                        if *keep.time() < t {
                            keep.downgrade(&t);
                        }
                    }
                    None => {
                        let mut keep = gate.keep.take().expect("checked");
                        keep.downgrade(&END_OF_INPUT.max(*keep.time()));
                        let time = *keep.time();
                        let mut session = output.session(&keep);
                        for (row, diff) in flush_all(&mut gate.rows) {
                            session.give((row, time, diff));
                        }
                    }
                }
            }
        }
    })
}

/// Everything still held (thresholds no watermark reaches included).
fn flush_all(rows: &mut BTreeMap<Value, Rows>) -> Rows {
    let mut out: Rows = std::mem::take(rows).into_values().flatten().collect();
    merge(&mut out);
    out
}

/// Lowers a `DropForgetting` node: the input without its updates at odd times.
pub fn drop_forgetting(input: Coll<'_>) -> Coll<'_> {
    use timely::dataflow::operators::vec::Filter;
    input.inner.filter(|(_, time, _): &Update| time % 2 == 0).as_collection()
}
