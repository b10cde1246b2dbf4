//! Test harness: plan building, and `check`, which runs a plan on the engine with 1, 2 and 4
//! workers and compares every sink's accumulated output, at every time, with the reference.

pub mod gate_ref;
pub mod gen;
pub mod host;
pub mod asof_now;
pub mod ordered;
pub mod iterate;
pub mod reducers;
pub mod reference;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proptest::test_runner::{Config, FileFailurePersistence};
use towpath_core::{Key, Row, Time, Value};
use towpath_engine::{run, run_with_sources, PushQueue, RunConfig};
use towpath_plan::{BinaryOp, Expr, Node, NodeId, NodeKind, Plan, SinkSpec, StaticRow};

use host::{delivered, RecordingHost, Stream, Udf};
use reference::Table;

/// Worker counts every plan is run with.
pub const THREADS: [usize; 3] = [1, 2, 4];

/// Proptest settings: `cases` cases (unless `PROPTEST_CASES` is set), failures persisted to
/// `proptest-regressions/<file>.txt` in the crate.
pub fn config(cases: u32, file: &'static str) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(file)));
    config.max_shrink_iters = 2000;
    config
}

/// Builds a plan node by node.
#[derive(Default)]
pub struct PlanBuilder {
    nodes: Vec<Node>,
    sinks: usize,
    /// Human-readable name of each sink, for failure messages.
    pub sink_names: Vec<String>,
}

impl PlanBuilder {
    /// Appends a node; returns its id.
    pub fn add(&mut self, kind: NodeKind) -> NodeId {
        let trace = Some(format!("test.py:{}", self.nodes.len()));
        self.nodes.push(Node { kind, columns: Vec::new(), trace });
        self.nodes.len() - 1
    }

    /// An inline table of `arity` columns.
    pub fn table(&mut self, arity: usize, rows: Vec<StaticRow>) -> NodeId {
        let id = self.add(NodeKind::Static { rows });
        self.nodes[id].columns = (0..arity).map(|i| format!("c{i}")).collect();
        id
    }

    /// A callback sink on `input`, named `name` in failure messages.
    pub fn output(&mut self, input: NodeId, name: impl Into<String>) -> usize {
        let index = self.sinks;
        self.sinks += 1;
        self.sink_names.push(name.into());
        self.add(NodeKind::Output { input, sink: SinkSpec::Callback { index } });
        index
    }

    /// The plan.
    pub fn plan(&self) -> Plan {
        Plan { nodes: self.nodes.clone() }
    }
}

/// `Expr::Column(i)`.
pub fn col(i: usize) -> Expr {
    Expr::Column(i)
}

/// A constant.
pub fn lit(v: impl Into<Value>) -> Expr {
    Expr::Const(v.into())
}

/// `left op right`.
pub fn bin(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary { op, left: Box::new(left), right: Box::new(right) }
}

/// Every time at which some inline row changes, ascending.
pub fn event_times(plan: &Plan) -> Vec<Time> {
    let mut times = BTreeSet::new();
    for node in &plan.nodes {
        if let NodeKind::Static { rows } = &node.kind {
            times.extend(rows.iter().map(|r| r.time));
        }
    }
    times.into_iter().collect()
}

/// Runs the plan once with `threads` workers; returns each sink's updates per time, after
/// checking the delivery contract.
pub fn run_engine(plan: &Plan, udfs: &[Udf], threads: usize, sinks: usize) -> Result<Vec<Stream>, String> {
    run_engine_with(plan, udfs, RunConfig { threads, ..RunConfig::default() }, sinks)
}

/// `run_engine` with a full `RunConfig` (e.g. a stop flag set by another thread).
pub fn run_engine_with(plan: &Plan, udfs: &[Udf], config: RunConfig, sinks: usize) -> Result<Vec<Stream>, String> {
    let host = Arc::new(RecordingHost::new(udfs.to_vec()));
    run(plan.clone(), config, host.clone()).map_err(|e| format!("run failed: {e}"))?;
    (0..sinks).map(|s| delivered(&host.events(s)).map_err(|e| format!("sink {s}: {e}"))).collect()
}

/// Runs a plan with push sources; returns the run's error (if any) and every sink's raw
/// callbacks.
pub fn run_engine_pushed(
    plan: &Plan,
    threads: usize,
    sources: Vec<Arc<PushQueue>>,
    sinks: usize,
) -> (Option<String>, Vec<Vec<host::Event>>) {
    let host = Arc::new(RecordingHost::new(Vec::new()));
    let config = RunConfig { threads, ..RunConfig::default() };
    let error = run_with_sources(plan.clone(), config, host.clone(), sources).err().map(|e| e.to_string());
    (error, (0..sinks).map(|s| host.events(s)).collect())
}

/// Runs `plan` on the engine with 1, 2 and 4 workers and compares, for every sink and at every
/// time, the sum of all delivered updates so far with the reference's table.
pub fn check(builder: &PlanBuilder, udfs: &[Udf]) -> Result<(), String> {
    let plan = builder.plan();
    let expected = reference::expected_outputs(&plan, udfs);
    for threads in THREADS {
        let streams = run_engine(&plan, udfs, threads, builder.sinks).map_err(|e| {
            let names = builder.sink_names.iter().enumerate().map(|(i, n)| format!("sink {i} = {n}"));
            format!("{threads} worker(s): {e} ({})", names.collect::<Vec<_>>().join(", "))
        })?;
        for (sink, stream) in streams.iter().enumerate() {
            compare(&expected[sink], stream).map_err(|e| {
                format!("sink {sink} ({}), {threads} worker(s): {e}", builder.sink_names[sink])
            })?;
        }
    }
    Ok(())
}

/// Compares a delivered stream with the reference tables per event time.
pub fn compare(expected: &BTreeMap<Time, Table>, stream: &Stream) -> Result<(), String> {
    let mut times: BTreeSet<Time> = expected.keys().copied().collect();
    times.extend(stream.iter().map(|(t, _)| *t));
    let mut acc: Table = BTreeMap::new();
    let mut next = stream.iter().peekable();
    let empty = Table::new();
    for t in times {
        while let Some((_, updates)) = next.next_if(|(u, _)| *u <= t) {
            for (k, r, d) in updates {
                let slot = acc.entry((*k, r.clone())).or_insert(0);
                *slot += *d as i64;
                if *slot == 0 {
                    acc.remove(&(*k, r.clone()));
                }
            }
        }
        let want = expected.range(..=t).next_back().map(|(_, table)| table).unwrap_or(&empty);
        if &acc != want {
            return Err(format!("at time {t}:\n{}", table_diff(want, &acc)));
        }
    }
    Ok(())
}

/// The rows on which two tables differ, readably.
pub fn table_diff(want: &Table, got: &Table) -> String {
    let mut out = String::new();
    let keys: BTreeSet<&(Key, Row)> = want.keys().chain(got.keys()).collect();
    for key in keys {
        let (w, g) = (want.get(key).copied().unwrap_or(0), got.get(key).copied().unwrap_or(0));
        if w != g {
            out.push_str(&format!("  {:?} {:?}: expected count {w}, engine {g}\n", key.0, key.1));
        }
    }
    out.push_str(&format!("  (expected {} rows, engine {} rows)", want.len(), got.len()));
    out
}
