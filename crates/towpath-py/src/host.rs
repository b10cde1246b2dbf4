//! The engine's `Host` for Python: UDF calls and sink callbacks, each batch under one attach.

use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use towpath_core::{Error, Key, Row, Time, Value};
use towpath_engine::{Host, UdfError};

use crate::convert::Converters;

/// Python callables behind the engine's `Host` trait.
pub struct PyHost {
    pub udfs: Vec<Py<PyAny>>,
    pub callbacks: Vec<Py<PyAny>>,
    pub converters: Converters,
    /// The first Python exception raised by a callback, re-raised by `run`.
    pub error: Mutex<Option<PyErr>>,
}

impl PyHost {
    fn fail(&self, err: PyErr) -> Error {
        let message = err.to_string();
        let mut slot = self.error.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(err);
        }
        Error::new(format!("a Python callback failed: {message}"))
    }

    fn callback(&self, sink: usize, method: &str, args: impl for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyTuple>>) -> towpath_core::Result<()> {
        Python::attach(|py| {
            let args = args(py)?;
            self.callbacks[sink].bind(py).call_method1(method, args).map(|_| ())
        })
        .map_err(|e| self.fail(e))
    }
}

fn traceback(py: Python<'_>, exc: &Bound<'_, PyAny>) -> String {
    let formatted = py
        .import("traceback")
        .and_then(|tb| tb.call_method1("format_exception", (exc,)))
        .and_then(|lines| lines.extract::<Vec<String>>());
    formatted.map(|l| l.concat()).unwrap_or_default()
}

impl Host for PyHost {
    fn call_udf(&self, index: usize, rows: Vec<Vec<Value>>) -> Vec<Result<Value, UdfError>> {
        let n = rows.len();
        let result: PyResult<Vec<Result<Value, UdfError>>> = Python::attach(|py| {
            let args = rows
                .iter()
                .map(|r| self.converters.row_to_py(py, r))
                .collect::<PyResult<Vec<_>>>()?;
            let out = self.udfs[index].bind(py).call1((PyList::new(py, args)?,))?;
            let mut results = Vec::with_capacity(n);
            for item in out.try_iter()? {
                let item = item?;
                if item.is_instance_of::<pyo3::exceptions::PyBaseException>() {
                    results.push(Err(UdfError { message: item.to_string(), trace: traceback(py, &item) }));
                } else {
                    results.push(self.converters.value_of(&item).map_err(|e| UdfError {
                        message: format!("UDF returned an unsupported value: {e}"),
                        trace: String::new(),
                    }));
                }
            }
            Ok(results)
        });
        match result {
            Ok(r) if r.len() == n => r,
            Ok(r) => vec![Err(UdfError { message: format!("UDF batch returned {} results for {n} rows", r.len()), trace: String::new() }); n],
            Err(e) => {
                let message = e.to_string();
                vec![Err(UdfError { message, trace: String::new() }); n]
            }
        }
    }

    fn on_updates(&self, sink: usize, time: Time, updates: Vec<(Key, Row, isize)>) -> towpath_core::Result<()> {
        self.callback(sink, "on_updates", |py| {
            let items = updates
                .iter()
                .map(|(k, row, diff)| {
                    let key = self.converters.to_py(py, &Value::Pointer(*k))?;
                    let row = self.converters.row_to_py(py, row)?;
                    PyTuple::new(py, [key, row.into_any(), (*diff as i64).into_pyobject(py)?.into_any()])
                })
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, [time.into_pyobject(py)?.into_any(), PyList::new(py, items)?.into_any()])
        })
    }

    fn on_time_end(&self, sink: usize, time: Time) -> towpath_core::Result<()> {
        self.callback(sink, "on_time_end", |py| PyTuple::new(py, [time]))
    }

    fn on_end(&self, sink: usize) -> towpath_core::Result<()> {
        self.callback(sink, "on_end", |py| Ok(PyTuple::empty(py)))
    }
}
