//! towpath-py: PyO3 bindings, compiled as `towpath._engine`.
use pyo3::prelude::*;

#[pymodule]
fn _engine(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
