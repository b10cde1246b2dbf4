//! `towpath._engine.PushQueue`: the queue a Python `ConnectorSubject` pushes rows into, from its
//! own thread, while the engine runs (see `towpath_engine::push`).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use towpath_core::Value;
use towpath_engine::{PushEvent, PushQueue};

use crate::convert::Converters;

/// A push source's queue; rows are tuples of values in the schema's column order.
#[pyclass(name = "PushQueue", module = "towpath._engine", frozen)]
pub struct PyPushQueue {
    pub queue: Arc<PushQueue>,
    converters: Converters,
}

impl PyPushQueue {
    fn values(&self, row: &Bound<'_, PyTuple>) -> PyResult<Vec<Value>> {
        row.iter().map(|v| self.converters.value_of(&v)).collect()
    }
}

#[pymethods]
impl PyPushQueue {
    #[new]
    fn new(converters: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(Self { queue: Arc::new(PushQueue::new()), converters: Converters::from_dict(converters)? })
    }

    /// Adds a row (replacing the row with the same primary key, if the schema has one).
    fn upsert(&self, row: &Bound<'_, PyTuple>) -> PyResult<()> {
        let values = self.values(row)?;
        self.queue.push(PushEvent::Upsert(values));
        Ok(())
    }

    /// Removes the row with these values (with a primary key: with this key).
    fn delete(&self, row: &Bound<'_, PyTuple>) -> PyResult<()> {
        let values = self.values(row)?;
        self.queue.push(PushEvent::Delete(values));
        Ok(())
    }

    /// A record that could not become a row: goes to the error log.
    fn invalid(&self, message: String) {
        self.queue.push(PushEvent::Invalid(message));
    }

    /// Everything pushed so far forms a commit.
    fn commit(&self) {
        self.queue.push(PushEvent::Commit);
    }

    /// The source is finished.
    fn close(&self) {
        self.queue.push(PushEvent::Close);
    }

    /// The source failed: the run stops after flushing what was committed.
    fn fail(&self, message: String) {
        self.queue.push(PushEvent::Fail(message));
    }

    /// Events not yet taken by the engine (for backlog limits).
    fn __len__(&self) -> usize {
        self.queue.len()
    }
}
