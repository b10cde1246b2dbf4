//! towpath-py: PyO3 bindings, compiled as `towpath._engine` (see docs/ENGINE_BINDING.md).

mod convert;
mod host;
mod push;

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use towpath_engine::{RunConfig, RunStats};
use towpath_plan::Plan;

use crate::convert::Converters;

// Rows are small, short-lived allocations; glibc malloc/free was ~25% of read time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use crate::host::PyHost;

/// How often a running plan returns to Python to run signal handlers.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Runs a plan (JSON) with the given UDFs, sink callbacks and value converters.
#[pyfunction]
#[pyo3(signature = (plan_json, *, threads, udfs, callbacks, converters, sources = Vec::new()))]
fn run<'py>(
    py: Python<'py>,
    plan_json: &str,
    threads: usize,
    udfs: Vec<Py<PyAny>>,
    callbacks: Vec<Py<PyAny>>,
    converters: &Bound<'py, PyDict>,
    sources: Vec<PyRef<'py, push::PyPushQueue>>,
) -> PyResult<Bound<'py, PyDict>> {
    let sources: Vec<_> = sources.iter().map(|s| s.queue.clone()).collect();
    let plan = Plan::from_json(plan_json).map_err(|e| PyValueError::new_err(e.message))?;
    let host = Arc::new(PyHost {
        udfs,
        callbacks,
        converters: Converters::from_dict(converters)?,
        error: Mutex::new(None),
    });
    let engine_host = host.clone();
    let config = RunConfig { threads, ..RunConfig::default() };
    let stop = config.stop.clone();
    let (done, finished) = mpsc::channel();
    // `detach` needs a `Sync` capture; the lock is only ever taken by this thread.
    let finished = Mutex::new(finished);
    // The engine runs on its own thread so that this one can return to Python now and then
    // to run signal handlers: Ctrl-C (or SIGTERM, mapped to KeyboardInterrupt by `pw.run`)
    // asks the engine to stop cleanly, and the run then returns normally.
    std::thread::spawn(move || {
        let _ = done.send(towpath_engine::run_with_sources(plan, config, engine_host, sources));
    });
    let mut interrupt: Option<PyErr> = None;
    let result: Result<RunStats, towpath_core::Error> = loop {
        match py.detach(|| finished.lock().unwrap_or_else(|p| p.into_inner()).recv_timeout(SIGNAL_POLL)) {
            Ok(result) => break result,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break Err(towpath_core::Error::new("the engine thread died")),
        }
        if let Err(err) = py.check_signals() {
            stop.store(true, Ordering::SeqCst);
            // A second interrupt while stopping keeps waiting: the sinks must end cleanly.
            interrupt.get_or_insert(err);
        }
    };
    if let Some(err) = interrupt {
        // Anything but an interrupt (a handler's own exception) is passed on after the stop.
        if !err.is_instance_of::<PyKeyboardInterrupt>(py) {
            return Err(err);
        }
    }
    if let Some(err) = host.error.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(err);
    }
    let stats = result.map_err(|e| PyRuntimeError::new_err(e.message))?;
    let out = PyDict::new(py);
    out.set_item("rows_read", stats.rows_read)?;
    out.set_item("read_errors", stats.read_errors)?;
    out.set_item("late_rows", stats.late_rows)?;
    Ok(out)
}

/// Renders a plan (JSON) one node per line.
#[pyfunction]
fn explain(plan_json: &str) -> PyResult<String> {
    let plan = Plan::from_json(plan_json).map_err(|e| PyValueError::new_err(e.message))?;
    Ok(towpath_plan::explain::explain(&plan))
}

/// mimalloc (v3) options set at import, unless the user set their `MIMALLOC_*` variable:
/// (option, value, environment variable).
const ALLOCATOR_OPTIONS: [(libmimalloc_sys::mi_option_t, std::os::raw::c_long, &str); 2] = [
    // `mi_option_purge_delay`: freed memory goes back to the OS after 1 s instead of 10 ms. A
    // dataflow frees and reallocates batches all the time, and purging them at once made the
    // kernel zero the same pages again and again (about 20% of a PageRank run).
    (15, 1000, "MIMALLOC_PURGE_DELAY"),
    // `mi_option_arena_eager_commit`: arenas are committed as their pages are used, not whole.
    // Committed whole, the first touch of each region faulted in a 2 MiB transparent huge page
    // for the kernel to zero (PageRank 100k batch: 0.7 s of system time, 0.25 s without).
    (4, 0, "MIMALLOC_ARENA_EAGER_COMMIT"),
];

fn tune_allocator() {
    for (option, value, var) in ALLOCATOR_OPTIONS {
        if std::env::var_os(var).is_none() {
            // SAFETY: sets a plain integer option; mimalloc reads it when it next needs it.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    tune_allocator();
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_class::<push::PyPushQueue>()?;
    Ok(())
}
