//! Lowering: each plan node becomes a differential collection, in plan order.

use std::sync::Arc;

use differential_dataflow::input::InputSession;
use timely::dataflow::operators::probe::Handle as ProbeHandle;
use timely::dataflow::Scope;
use towpath_core::{Error, Key, Row, Time};
use towpath_plan::{GenerateSpec, Node, NodeKind, Plan, PushSpec, SourceSpec, StaticRow};

use crate::operators::sink::{sink, Delivery, Failure};
use crate::operators::join::{JoinShape, JoinSides};
use crate::operators::{asof, asof_now, dedup, groupby, memo, session, sort};
use crate::relational::relational;
use crate::push::PushQueue;
use crate::types::{Coll, Diff};
use crate::Host;

/// An input of the dataflow and the data a worker must push into it.
// A worker holds a handful of feeds, once: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Feed {
    /// This worker's share of inline rows.
    Static { input: InputSession<Time, (Key, Row), Diff>, rows: Vec<StaticRow> },
    /// A connector read; `errors` receives the error-log rows of unparsable input.
    Read {
        node: usize,
        spec: SourceSpec,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
    },
    /// A generator, fed by the live loop (`live.rs`) on worker 0 only.
    Generate { spec: GenerateSpec, input: InputSession<Time, (Key, Row), Diff> },
    /// A push source, drained by the live loop on worker 0 only.
    /// A Kafka read, consumed by the live loop of every worker (each its share of partitions).
    Kafka {
        node: usize,
        spec: towpath_plan::source::KafkaReadSpec,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
    },
    Push {
        node: usize,
        spec: PushSpec,
        queue: Arc<PushQueue>,
        input: InputSession<Time, (Key, Row), Diff>,
        errors: InputSession<Time, (Key, Row), Diff>,
    },
}

/// What a worker needs to lower a plan.
pub struct Lowering<'a> {
    pub plan: &'a Plan,
    pub arities: &'a [usize],
    pub host: Arc<dyn Host>,
    pub failure: Failure,
    pub worker: usize,
    pub peers: usize,
    /// The run's push queues (`PushSpec::source` indexes them).
    pub push_sources: &'a [Arc<PushQueue>],
    /// Probes every sink's input: how far outputs have got (for the live loop's back-pressure).
    pub probe: ProbeHandle<Time>,
    /// Where callback sinks queue their callbacks.
    pub delivery: Delivery,
    /// Updates dropped as late by `Gate` nodes (`RunStats::late_rows`).
    pub late_rows: Arc<std::sync::atomic::AtomicU64>,
    /// Per node, whether its table never holds a negative multiplicity (`analysis::nonnegative`).
    pub nonnegative: &'a [bool],
}

impl Lowering<'_> {
    /// Builds the dataflow for the whole plan in `scope`; returns the inputs to feed.
    pub fn lower<'s>(&self, scope: Scope<'s, Time>) -> Vec<Feed> {
        let mut feeds = Vec::new();
        let mut tables: Vec<Option<Coll<'s>>> = Vec::with_capacity(self.plan.nodes.len());
        let mut errors: Vec<Coll<'s>> = Vec::new();
        let sides = JoinSides::default();
        for (i, node) in self.plan.nodes.iter().enumerate() {
            let table = self.lower_node(scope, i, node, &tables, &sides, &mut errors, &mut feeds);
            tables.push(table);
        }
        feeds
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_node<'s>(
        &self,
        scope: Scope<'s, Time>,
        i: usize,
        node: &Node,
        tables: &[Option<Coll<'s>>],
        sides: &JoinSides<'s, Time>,
        errors: &mut Vec<Coll<'s>>,
        feeds: &mut Vec<Feed>,
    ) -> Option<Coll<'s>> {
        let get = |n: usize| tables[n].clone().expect("validated: inputs are tables");
        let host = self.host.clone();
        let trace = node.trace.clone().unwrap_or_default();
        let mut with_errors = |(table, errs): (Coll<'s>, Coll<'s>)| {
            errors.push(with_node_trace(errs, trace.clone()));
            Some(table)
        };
        match &node.kind {
            NodeKind::Static { rows } => {
                let mut input = InputSession::new();
                let coll = input.to_collection(scope);
                let mine = rows.iter().enumerate().filter(|(j, _)| j % self.peers == self.worker);
                let mut rows: Vec<StaticRow> = mine.map(|(_, r)| r.clone()).collect();
                rows.sort_by_key(|r| r.time);
                feeds.push(Feed::Static { input, rows });
                Some(coll)
            }
            NodeKind::Read(spec) => {
                let mut input = InputSession::new();
                let mut errs = InputSession::new();
                let coll = input.to_collection(scope);
                errors.push(errs.to_collection(scope));
                feeds.push(Feed::Read { node: i, spec: spec.clone(), input, errors: errs });
                Some(coll)
            }
            NodeKind::Generate(spec) => {
                let mut input = InputSession::new();
                let coll = input.to_collection(scope);
                // Worker 0 generates (so every commit holds a prefix of the rows, as one
                // generator would); other workers drop (close) their session at once. The rows
                // are then spread over the workers, so the operators after the source use
                // every core.
                if self.worker == 0 {
                    feeds.push(Feed::Generate { spec: spec.clone(), input });
                }
                if self.peers > 1 {
                    use differential_dataflow::AsCollection;
                    use timely::dataflow::operators::Exchange;
                    Some(coll.inner.exchange(|((key, _), _, _): &((Key, Row), Time, Diff)| key.0 as u64).as_collection())
                } else {
                    Some(coll)
                }
            }
            NodeKind::Kafka(spec) => {
                let mut input = InputSession::new();
                let mut errs = InputSession::new();
                let coll = input.to_collection(scope);
                errors.push(errs.to_collection(scope));
                // Every worker consumes its share of the partitions (`KafkaReader::new`); the
                // rows are then spread over the workers by id.
                feeds.push(Feed::Kafka { node: i, spec: spec.clone(), input, errors: errs });
                if self.peers > 1 {
                    use differential_dataflow::AsCollection;
                    use timely::dataflow::operators::Exchange;
                    Some(coll.inner.exchange(|((key, _), _, _): &((Key, Row), Time, Diff)| key.0 as u64).as_collection())
                } else {
                    Some(coll)
                }
            }
            NodeKind::Push(spec) => {
                let mut input = InputSession::new();
                let mut errs = InputSession::new();
                let coll = input.to_collection(scope);
                errors.push(errs.to_collection(scope));
                // As for generators, only worker 0's sessions stay open.
                if self.worker == 0 {
                    let queue = self.push_sources.get(spec.source).cloned();
                    let queue = queue.unwrap_or_else(|| {
                        let message = format!("push source {} was not given to the run", spec.source);
                        crate::operators::sink::record(&self.failure, node_error(self.plan, i, message));
                        let closed = Arc::new(PushQueue::new());
                        closed.push(crate::push::PushEvent::Close);
                        closed
                    });
                    feeds.push(Feed::Push { node: i, spec: spec.clone(), queue, input, errors: errs });
                }
                Some(coll)
            }
            NodeKind::Select { input, exprs } if exprs.iter().any(|e| e.has_nondeterministic_udf()) => {
                with_errors(memo::memo_select(get(*input), &format!("Select#{i}"), i, exprs.clone(), host))
            }
            NodeKind::GroupBy { input, keys, reducers, id } => with_errors(groupby::groupby(
                get(*input),
                i,
                keys.clone(),
                reducers.clone(),
                *id,
                self.nonnegative[*input],
                host,
            )),
            NodeKind::Select { .. }
            | NodeKind::Filter { .. }
            | NodeKind::Reindex { .. }
            | NodeKind::Join { .. }
            | NodeKind::Concat { .. }
            | NodeKind::ConcatReindex { .. }
            | NodeKind::UpdateRows { .. }
            | NodeKind::UpdateCells { .. }
            | NodeKind::Flatten { .. }
            | NodeKind::Intersect { .. }
            | NodeKind::Difference { .. }
            | NodeKind::Ix { .. } => {
                let arity = |n: usize| self.arities[n];
                match relational(i, &node.kind, &get, &arity, sides, host).expect("a relational node") {
                    (table, Some(errs)) => with_errors((table, errs)),
                    (table, None) => Some(table),
                }
            }
            NodeKind::Iterate(spec) => {
                let inputs = spec.inputs.iter().map(|&n| get(n)).collect();
                let widths: Vec<usize> = spec.inputs.iter().map(|&n| self.arities[n]).collect();
                with_errors(crate::iterate::iterate(scope, i, spec, inputs, &widths, host))
            }
            NodeKind::IterateResult { iterate, index } => Some(crate::iterate::result(get(*iterate), *index)),
            NodeKind::IterateInput { .. } => unreachable!("validated: only inside iterate bodies"),
            NodeKind::Sort { input, key, instance } => {
                with_errors(sort::sort(get(*input), i, key.clone(), instance.clone(), host))
            }
            NodeKind::Session { input, time, instance, together } => with_errors(session::session(
                get(*input),
                i,
                time.clone(),
                instance.clone(),
                together.clone(),
                host,
            )),
            NodeKind::AsofJoin { left, right, left_time, right_time, left_keys, right_keys, kind, direction, left_first } => {
                let shape = JoinShape { left: self.arities[*left], right: self.arities[*right] };
                let spec = asof::AsofSpec { kind: *kind, direction: *direction, left_first: *left_first, shape };
                with_errors(asof::asof_join(
                    get(*left),
                    get(*right),
                    i,
                    (left_time.clone(), right_time.clone()),
                    (left_keys.clone(), right_keys.clone()),
                    spec,
                    host,
                ))
            }
            NodeKind::AsofNowJoin { left, right, left_keys, right_keys, kind, id } => {
                let shape = JoinShape { left: self.arities[*left], right: self.arities[*right] };
                let spec = asof_now::AsofNowSpec { kind: *kind, id: *id, shape };
                let keys = (left_keys.clone(), right_keys.clone());
                with_errors(asof_now::asof_now_join(get(*left), get(*right), i, keys, spec, host))
            }
            NodeKind::Deduplicate { input, value, instance, acceptor } => with_errors(dedup::deduplicate(
                get(*input),
                i,
                value.clone(),
                instance.clone(),
                acceptor.clone(),
                host,
            )),
            NodeKind::Gate { input, threshold, time, mode } => with_errors(crate::operators::gate::gate(
                get(*input),
                i,
                threshold.clone(),
                time.clone(),
                *mode,
                host,
                self.late_rows.clone(),
            )),
            NodeKind::DropForgetting { input } => Some(crate::operators::gate::drop_forgetting(get(*input))),
            NodeKind::ErrorLog => {
                let mut empty = InputSession::new();
                let base = empty.to_collection(scope);
                feeds.push(Feed::Static { input: empty, rows: Vec::new() });
                Some(base.concatenate(errors.iter().cloned()))
            }
            NodeKind::Output { input, sink: spec } => {
                sink(get(*input), i, spec.clone(), &self.delivery, self.failure.clone(), self.worker, &self.probe);
                None
            }
        }
    }
}

/// Error-log rows without a trace of their own (UDF failures carry the traceback) get the
/// user's line that created the node.
pub(crate) fn with_node_trace<'s, T: timely::progress::Timestamp>(errors: Coll<'s, T>, trace: String) -> Coll<'s, T> {
    if trace.is_empty() {
        return errors;
    }
    let trace = towpath_core::Value::from(trace.as_str());
    errors.map(move |(key, row)| {
        if matches!(&row[2], towpath_core::Value::String(s) if s.is_empty()) {
            let mut vals = row.to_vec();
            vals[2] = trace.clone();
            (key, Row::from(vals))
        } else {
            (key, row)
        }
    })
}

/// A plan-level error naming the node and where the user created it.
pub fn node_error(plan: &Plan, node: usize, message: impl std::fmt::Display) -> Error {
    let trace = plan.nodes.get(node).and_then(|n| n.trace.clone());
    match trace {
        Some(t) => Error::new(format!("{message} (node {node}, created at {t})")),
        None => Error::new(format!("{message} (node {node})")),
    }
}
