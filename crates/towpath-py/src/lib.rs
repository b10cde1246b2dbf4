//! towpath-py: PyO3 bindings, compiled as `towpath._engine` (see docs/ENGINE_BINDING.md).

mod convert;
mod host;

use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use towpath_engine::{RunConfig, RunStats};
use towpath_plan::Plan;

use crate::convert::Converters;

// Rows are small, short-lived allocations; glibc malloc/free was ~25% of read time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use crate::host::PyHost;

/// Runs a plan (JSON) with the given UDFs, sink callbacks and value converters.
#[pyfunction]
#[pyo3(signature = (plan_json, *, threads, udfs, callbacks, converters))]
fn run<'py>(
    py: Python<'py>,
    plan_json: &str,
    threads: usize,
    udfs: Vec<Py<PyAny>>,
    callbacks: Vec<Py<PyAny>>,
    converters: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let plan = Plan::from_json(plan_json).map_err(|e| PyValueError::new_err(e.message))?;
    let host = Arc::new(PyHost {
        udfs,
        callbacks,
        converters: Converters::from_dict(converters)?,
        error: Mutex::new(None),
    });
    let engine_host = host.clone();
    let result: Result<RunStats, towpath_core::Error> =
        py.detach(move || towpath_engine::run(plan, RunConfig { threads }, engine_host));
    if let Some(err) = host.error.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(err);
    }
    let stats = result.map_err(|e| PyRuntimeError::new_err(e.message))?;
    let out = PyDict::new(py);
    out.set_item("rows_read", stats.rows_read)?;
    out.set_item("read_errors", stats.read_errors)?;
    Ok(out)
}

/// Renders a plan (JSON) one node per line.
#[pyfunction]
fn explain(plan_json: &str) -> PyResult<String> {
    let plan = Plan::from_json(plan_json).map_err(|e| PyValueError::new_err(e.message))?;
    Ok(towpath_plan::explain::explain(&plan))
}

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
