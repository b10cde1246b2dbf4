//! Values between the engine and Python. Primitive types convert natively; the rest go through
//! factories the Python package registers (`converters` in docs/ENGINE_BINDING.md).

use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use towpath_core::{Key, Value};

/// The Python factories for values without a native Python type.
pub struct Converters {
    pointer: Py<PyAny>,
    datetime_naive: Py<PyAny>,
    datetime_utc: Py<PyAny>,
    duration: Py<PyAny>,
    json: Py<PyAny>,
    error: Py<PyAny>,
    to_engine: Py<PyAny>,
}

fn item(dict: &Bound<'_, PyDict>, name: &str) -> PyResult<Py<PyAny>> {
    dict.get_item(name)?
        .map(|v| v.unbind())
        .ok_or_else(|| PyValueError::new_err(format!("converters lacks '{name}'")))
}

impl Converters {
    /// Reads the factories from the `converters` dict.
    pub fn from_dict(dict: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(Self {
            pointer: item(dict, "pointer")?,
            datetime_naive: item(dict, "datetime_naive")?,
            datetime_utc: item(dict, "datetime_utc")?,
            duration: item(dict, "duration")?,
            json: item(dict, "json")?,
            error: item(dict, "error")?,
            to_engine: item(dict, "to_engine")?,
        })
    }

    /// The Python object for an engine value.
    pub fn to_py<'py>(&self, py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
        Ok(match value {
            Value::None => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            Value::Int(i) => i.into_pyobject(py)?.into_any(),
            Value::Float(f) => PyFloat::new(py, *f).into_any(),
            Value::String(s) => PyString::new(py, s).into_any(),
            Value::Bytes(b) => PyBytes::new(py, b).into_any(),
            Value::Tuple(items) => {
                let items = items.iter().map(|v| self.to_py(py, v)).collect::<PyResult<Vec<_>>>()?;
                PyTuple::new(py, items)?.into_any()
            }
            Value::Pointer(k) => self.pointer.bind(py).call1((k.0,))?,
            Value::DateTimeNaive(ns) => self.datetime_naive.bind(py).call1((*ns,))?,
            Value::DateTimeUtc(ns) => self.datetime_utc.bind(py).call1((*ns,))?,
            Value::Duration(ns) => self.duration.bind(py).call1((*ns,))?,
            Value::Json(text) => self.json.bind(py).call1((&**text,))?,
            Value::Error => self.error.bind(py).clone(),
        })
    }

    /// A row as a Python tuple.
    pub fn row_to_py<'py>(&self, py: Python<'py>, row: &[Value]) -> PyResult<Bound<'py, PyTuple>> {
        let items = row.iter().map(|v| self.to_py(py, v)).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }

    /// The engine value for a Python object.
    pub fn value_of(&self, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
        if obj.is_none() {
            return Ok(Value::None);
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if obj.is_exact_instance_of::<PyInt>() {
            return Ok(Value::Int(obj.extract()?));
        }
        if obj.is_exact_instance_of::<PyFloat>() {
            return Ok(Value::Float(obj.extract()?));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Value::from(s.to_str()?));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Value::Bytes(Arc::from(b.as_bytes())));
        }
        if obj.is_exact_instance_of::<PyTuple>() || obj.is_exact_instance_of::<PyList>() {
            let items = obj.try_iter()?.map(|v| self.value_of(&v?)).collect::<PyResult<Vec<_>>>()?;
            return Ok(Value::Tuple(Arc::from(items)));
        }
        let tagged = self.to_engine.bind(obj.py()).call1((obj,))?;
        let (tag, payload): (String, Bound<'_, PyAny>) = tagged.extract()?;
        Ok(match tag.as_str() {
            "pointer" => Value::Pointer(Key(payload.extract()?)),
            "datetime_naive" => Value::DateTimeNaive(payload.extract()?),
            "datetime_utc" => Value::DateTimeUtc(payload.extract()?),
            "duration" => Value::Duration(payload.extract()?),
            "json" => Value::Json(Arc::from(payload.extract::<String>()?)),
            "error" => Value::Error,
            "int" => Value::Int(payload.extract()?),
            "float" => Value::Float(payload.extract()?),
            "tuple" => return self.value_of(&payload),
            other => return Err(PyValueError::new_err(format!("unknown value tag '{other}'"))),
        })
    }
}
