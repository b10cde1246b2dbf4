//! Columns of values and the rows they are evaluated on, plus the per-row loops that combine them.

use towpath_core::{Key, Row, Value};

use super::EvalContext;

/// The rows an expression is evaluated on: all rows of the input, or a selection of them (the
/// rows that take one branch of an `if_else`, say).
pub(crate) struct Batch<'a> {
    rows: &'a [(Key, Row)],
    /// Indices into `rows`; `None` means all of them, in order.
    sel: Option<Vec<usize>>,
}

impl<'a> Batch<'a> {
    /// Every row of the input.
    pub(crate) fn all(rows: &'a [(Key, Row)]) -> Self {
        Batch { rows, sel: None }
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.sel.as_ref().map_or(self.rows.len(), Vec::len)
    }

    /// The input position of this batch's row `i`.
    pub(crate) fn row_index(&self, i: usize) -> usize {
        self.sel.as_ref().map_or(i, |s| s[i])
    }

    /// The rows at positions `idx` (positions in this batch).
    pub(crate) fn subset(&self, idx: &[usize]) -> Batch<'a> {
        Batch {
            rows: self.rows,
            sel: Some(idx.iter().map(|&i| self.row_index(i)).collect()),
        }
    }

    /// The ids of the rows.
    pub(crate) fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        (0..self.len()).map(|i| self.rows[self.row_index(i)].0)
    }

    /// Input column `c` (cloning a value is cheap: strings and tuples are shared).
    pub(crate) fn column(&self, c: usize) -> Col {
        let cell = |r: usize| self.rows[r].1.get(c).cloned().unwrap_or(Value::Error);
        Col::Values(match &self.sel {
            None => (0..self.rows.len()).map(cell).collect(),
            Some(sel) => sel.iter().map(|&r| cell(r)).collect(),
        })
    }
}

/// An evaluated column: one value for every row, or a single value shared by all rows (a
/// constant, so `x + 1` does not materialise a column of ones).
#[derive(Debug)]
pub(crate) enum Col {
    Scalar(Value),
    Values(Vec<Value>),
}

impl Col {
    /// The value for row `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> &Value {
        match self {
            Col::Scalar(v) => v,
            Col::Values(vs) => &vs[i],
        }
    }

    /// One value per row, for `n` rows.
    pub(crate) fn into_vec(self, n: usize) -> Vec<Value> {
        match self {
            Col::Scalar(v) => vec![v; n],
            Col::Values(vs) => vs,
        }
    }

    /// Writes row `k` of this column to `out[idx[k]]`.
    pub(crate) fn scatter_into(self, idx: &[usize], out: &mut [Value]) {
        match self {
            Col::Scalar(v) => idx.iter().for_each(|&i| out[i] = v.clone()),
            Col::Values(vs) => idx.iter().zip(vs).for_each(|(&i, v)| out[i] = v),
        }
    }
}

/// A failure message for one row; allocated only when something fails.
pub(crate) type Fallible = Result<Value, String>;

/// Applies `f` to every row; `Error` inputs stay `Error` without calling `f`.
pub(crate) fn map1(
    batch: &Batch,
    ctx: &mut EvalContext,
    a: &Col,
    f: impl Fn(&Value) -> Fallible,
) -> Col {
    if let Col::Scalar(v) = a {
        return scalar(batch, ctx, v.is_error(), || f(v));
    }
    let out = (0..batch.len())
        .map(|i| {
            let v = a.get(i);
            if v.is_error() {
                return Value::Error;
            }
            f(v).unwrap_or_else(|m| {
                ctx.fail(batch, i, m);
                Value::Error
            })
        })
        .collect();
    Col::Values(out)
}

/// Applies `f` to every pair of row values; an `Error` on either side gives `Error`.
pub(crate) fn map2(
    batch: &Batch,
    ctx: &mut EvalContext,
    a: &Col,
    b: &Col,
    f: impl Fn(&Value, &Value) -> Fallible,
) -> Col {
    if let (Col::Scalar(x), Col::Scalar(y)) = (a, b) {
        return scalar(batch, ctx, x.is_error() || y.is_error(), || f(x, y));
    }
    let out = (0..batch.len())
        .map(|i| {
            let (x, y) = (a.get(i), b.get(i));
            if x.is_error() || y.is_error() {
                return Value::Error;
            }
            f(x, y).unwrap_or_else(|m| {
                ctx.fail(batch, i, m);
                Value::Error
            })
        })
        .collect();
    Col::Values(out)
}

/// A constant result, computed once; if it fails, every row fails (each with its own entry).
fn scalar(
    batch: &Batch,
    ctx: &mut EvalContext,
    has_error: bool,
    f: impl FnOnce() -> Fallible,
) -> Col {
    if has_error {
        return Col::Scalar(Value::Error);
    }
    match f() {
        Ok(v) => Col::Scalar(v),
        Err(m) => fail_all(batch, ctx, &m),
    }
}

/// Every row fails with `message`.
pub(crate) fn fail_all(batch: &Batch, ctx: &mut EvalContext, message: &str) -> Col {
    for i in 0..batch.len() {
        ctx.fail(batch, i, message.to_string());
    }
    Col::Scalar(Value::Error)
}
