//! Column expressions, evaluated by the engine over batches of rows.

use serde::{Deserialize, Serialize};
use towpath_core::{DType, Value};

/// An expression over one input row (its id and positional values).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// The value of the input column at this position.
    Column(usize),
    /// The input row's id, as a `Pointer`.
    Id,
    Const(Value),
    Unary { op: UnaryOp, arg: Box<Expr> },
    Binary { op: BinaryOp, left: Box<Expr>, right: Box<Expr> },
    IfElse { cond: Box<Expr>, then: Box<Expr>, otherwise: Box<Expr> },
    /// The first argument that is not None (None if all are).
    Coalesce(Vec<Expr>),
    /// `value` unless any of `args` is None, then None.
    Require { value: Box<Expr>, args: Vec<Expr> },
    /// `pw.cast(dtype, arg)`: numeric/bool/str conversions between scalar types.
    Cast { arg: Box<Expr>, dtype: DType },
    /// Json conversions `as_int/as_float/as_str/as_bool` (`unwrap=false` gives None on a
    /// missing value, `default` when given) and parsing of strings to `dtype`.
    Convert { arg: Box<Expr>, dtype: DType, default: Option<Box<Expr>>, unwrap: bool },
    /// Error if None, the value otherwise.
    Unwrap(Box<Expr>),
    /// `arg`, or `replacement` where `arg` is an error.
    FillError { arg: Box<Expr>, replacement: Box<Expr> },
    MakeTuple(Vec<Expr>),
    /// Tuple / Json element access. `checked=false` (`t[i]`, `j["k"]`) makes a missing element
    /// an error for tuples and None for Json; `checked=true` (`.get(i, default)`) gives `default`.
    Get { arg: Box<Expr>, index: Box<Expr>, default: Option<Box<Expr>>, checked: bool },
    /// A pointer hashed from the values (`pointer_from`, `with_id_from`).
    PointerFrom(Vec<Expr>),
    /// A built-in function by name: `str.lower`, `dt.year`, `num.abs`... (see the engine's
    /// function table for the list).
    Call { func: String, args: Vec<Expr> },
    /// A user function from the host, by index, called in batches. With `propagate_none`, a
    /// None argument gives None without calling the function. A non-`deterministic` function
    /// is called once per inserted row: its result is remembered, so the row's deletion retracts
    /// exactly the value that was inserted (plans without the field mean deterministic).
    Udf {
        index: usize,
        args: Vec<Expr>,
        propagate_none: bool,
        #[serde(default = "deterministic_default")]
        deterministic: bool,
    },
}

fn deterministic_default() -> bool {
    true
}

/// One-argument operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnaryOp {
    /// Arithmetic negation.
    Neg,
    /// Boolean not (`~` on bools).
    Not,
    IsNone,
    IsNotNone,
}

/// Two-argument operators with Python semantics (`//` and `%` floor toward -inf, int and float
/// are distinct types, `int / int` is float, division by zero is a row error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Xor,
}

impl Expr {
    /// Every column position the expression reads.
    pub fn columns(&self, out: &mut Vec<usize>) {
        self.visit(&mut |e| {
            if let Expr::Column(i) = e {
                out.push(*i)
            }
        });
    }

    /// Calls `f` on this expression and every sub-expression.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Column(_) | Expr::Id | Expr::Const(_) => {}
            Expr::Unary { arg, .. } | Expr::Cast { arg, .. } | Expr::Unwrap(arg) => arg.visit(f),
            Expr::Binary { left, right, .. } => {
                left.visit(f);
                right.visit(f);
            }
            Expr::IfElse { cond, then, otherwise } => {
                cond.visit(f);
                then.visit(f);
                otherwise.visit(f);
            }
            Expr::Coalesce(args) | Expr::MakeTuple(args) | Expr::PointerFrom(args) => {
                args.iter().for_each(|a| a.visit(f))
            }
            Expr::Call { args, .. } | Expr::Udf { args, .. } => args.iter().for_each(|a| a.visit(f)),
            Expr::Require { value, args } => {
                value.visit(f);
                args.iter().for_each(|a| a.visit(f));
            }
            Expr::Convert { arg, default, .. } => {
                arg.visit(f);
                if let Some(d) = default {
                    d.visit(f);
                }
            }
            Expr::FillError { arg, replacement } => {
                arg.visit(f);
                replacement.visit(f);
            }
            Expr::Get { arg, index, default, .. } => {
                arg.visit(f);
                index.visit(f);
                if let Some(d) = default {
                    d.visit(f);
                }
            }
        }
    }

    /// True if the expression calls a host UDF anywhere.
    pub fn has_udf(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e, Expr::Udf { .. }));
        found
    }

    /// True if the expression calls a non-deterministic host UDF anywhere (its results must be
    /// remembered per row, see `Expr::Udf`).
    pub fn has_nondeterministic_udf(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e, Expr::Udf { deterministic: false, .. }));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::Expr;

    #[test]
    fn udf_without_deterministic_field_parses_as_deterministic() {
        let old = r#"{"Udf":{"index":0,"args":[{"Column":1}],"propagate_none":false}}"#;
        let e: Expr = serde_json::from_str(old).unwrap();
        assert!(matches!(e, Expr::Udf { deterministic: true, .. }));
        assert!(e.has_udf() && !e.has_nondeterministic_udf());
    }

    #[test]
    fn nondeterministic_udf_is_found_inside_other_expressions() {
        let udf = r#"{"Udf":{"index":0,"args":[],"propagate_none":false,"deterministic":false}}"#;
        let text = format!(r#"{{"Coalesce":[{{"Column":0}},{udf}]}}"#);
        let e: Expr = serde_json::from_str(&text).unwrap();
        assert!(e.has_nondeterministic_udf());
        assert!(!Expr::Column(0).has_nondeterministic_udf());
    }
}
