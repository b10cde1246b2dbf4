//! Batch invariance: evaluating a batch gives, row for row, what evaluating each row alone
//! gives (values and error entries), for random expressions. This exercises the row
//! selections of the lazy branches and the constant (scalar) shortcuts.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use towpath_core::Value;
use towpath_plan::{BinaryOp, Expr, UnaryOp};

use super::*;
use crate::UdfError;

fn random_value(rng: &mut SmallRng) -> Value {
    match rng.gen_range(0..10) {
        0 => Value::None,
        1 => Value::Error,
        2 => Value::Int(0),
        _ => Value::Int(rng.gen_range(-5..6)),
    }
}

fn leaf(rng: &mut SmallRng) -> Expr {
    match rng.gen_range(0..4) {
        0 => Expr::Const(random_value(rng)),
        1 => col(1),
        _ => col(0),
    }
}

fn random_expr(rng: &mut SmallRng, depth: u32) -> Expr {
    if depth == 0 {
        return leaf(rng);
    }
    let d = depth - 1;
    match rng.gen_range(0..12) {
        0 => Expr::Binary {
            op: BinaryOp::FloorDiv,
            left: Box::new(random_expr(rng, d)),
            right: Box::new(random_expr(rng, d)),
        },
        1 => Expr::Binary {
            op: BinaryOp::Add,
            left: Box::new(random_expr(rng, d)),
            right: Box::new(random_expr(rng, d)),
        },
        2 => Expr::IfElse {
            cond: Box::new(bin(BinaryOp::Lt, random_expr(rng, d), random_expr(rng, d))),
            then: Box::new(random_expr(rng, d)),
            otherwise: Box::new(random_expr(rng, d)),
        },
        3 => Expr::Coalesce(vec![random_expr(rng, d), random_expr(rng, d)]),
        4 => Expr::Require {
            value: Box::new(random_expr(rng, d)),
            args: vec![random_expr(rng, d)],
        },
        5 => Expr::FillError {
            arg: Box::new(random_expr(rng, d)),
            replacement: Box::new(random_expr(rng, d)),
        },
        6 => Expr::Unwrap(Box::new(random_expr(rng, d))),
        7 => Expr::Unary {
            op: UnaryOp::IsNone,
            arg: Box::new(random_expr(rng, d)),
        },
        8 => Expr::Get {
            arg: Box::new(Expr::MakeTuple(vec![
                random_expr(rng, d),
                random_expr(rng, d),
            ])),
            index: Box::new(random_expr(rng, d)),
            default: Some(Box::new(random_expr(rng, d))),
            checked: rng.gen_bool(0.5),
        },
        9 => call("num.abs", vec![random_expr(rng, d)]),
        10 => Expr::Udf {
            index: 0,
            args: vec![random_expr(rng, d)],
            propagate_none: rng.gen_bool(0.5),
            deterministic: true,
        },
        _ => Expr::Binary {
            op: BinaryOp::Mod,
            left: Box::new(random_expr(rng, d)),
            right: Box::new(random_expr(rng, d)),
        },
    }
}

/// A UDF that doubles ints and fails on negative ones.
fn host() -> TestHost {
    TestHost::default().with_udf(|args| match &args[0] {
        Value::Int(i) if *i < 0 => Err(UdfError {
            message: "negative".into(),
            trace: String::new(),
        }),
        Value::Int(i) => Ok(Value::Int(i * 2)),
        other => Ok(other.clone()),
    })
}

#[test]
fn a_batch_equals_its_rows_evaluated_one_by_one() {
    let mut rng = SmallRng::seed_from_u64(7);
    for case in 0..400 {
        let depth = rng.gen_range(1..5);
        let expr = random_expr(&mut rng, depth);
        let data: Vec<Vec<Value>> = (0..rng.gen_range(1..12usize))
            .map(|_| vec![random_value(&mut rng), random_value(&mut rng)])
            .collect();
        let (whole, whole_errors) = run_with(&host(), &expr, data.clone());
        let mut errors_by_row = vec![Vec::new(); data.len()];
        for e in &whole_errors {
            errors_by_row[e.row].push(e.message.clone());
        }
        for (i, row) in data.into_iter().enumerate() {
            let (alone, alone_errors) = run_with(&host(), &expr, vec![row]);
            assert_eq!(whole[i], alone[0], "case {case} row {i}: {expr:?}");
            let alone_messages: Vec<String> = alone_errors.into_iter().map(|e| e.message).collect();
            assert_eq!(
                errors_by_row[i], alone_messages,
                "case {case} row {i}: {expr:?}"
            );
        }
    }
}
