//! `sum` as an abelian group: what a sum needs to know about its rows, kept in counters and exact
//! totals so that inserting and retracting a row are both O(1) and commute. The generic reducer
//! builds the same accumulator from a group's rows, so both paths give identical results.

use serde::{Deserialize, Serialize};
use towpath_core::Value;

use super::exact::ExactSum;

/// The state of one `sum`/`avg` argument over a multiset of rows.
///
/// Semantics (of `finish`): None is skipped; a value that is not an int, float or duration (an
/// error included) makes the sum an error; ints and durations add exactly and the sum is an
/// error when the total does not fit an i64; any float makes the result a float — the exact
/// total of all the numbers, rounded once (NaN if a NaN or both infinities are present);
/// otherwise a duration if any duration is present, else an int.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SumAcc {
    /// Total of ints and durations (their nanoseconds), wrapping: a live total of i64s times
    /// counts whose sum fits an isize stays far inside the i128 range.
    int: i128,
    /// Rows holding a duration / a float / anything else that is not None.
    durations: isize,
    floats: isize,
    others: isize,
    /// Rows holding NaN, +inf, -inf (kept out of `exact`).
    nans: isize,
    pos_infs: isize,
    neg_infs: isize,
    /// Exact total of the finite floats; None stands for zero (no float ever seen).
    exact: Option<ExactSum>,
}

impl SumAcc {
    /// Adds `count` rows holding `value`.
    pub fn add_value(&mut self, value: &Value, count: isize) {
        match value {
            Value::None => {}
            Value::Int(i) => self.int = self.int.wrapping_add(*i as i128 * count as i128),
            Value::Duration(d) => {
                self.int = self.int.wrapping_add(*d as i128 * count as i128);
                self.durations += count;
            }
            Value::Float(f) => {
                self.floats += count;
                if f.is_nan() {
                    self.nans += count;
                } else if *f == f64::INFINITY {
                    self.pos_infs += count;
                } else if *f == f64::NEG_INFINITY {
                    self.neg_infs += count;
                } else if *f != 0.0 {
                    let exact = self.exact.get_or_insert_with(ExactSum::default);
                    exact.add_float(*f, count);
                    if exact.is_zero() {
                        self.exact = None;
                    }
                }
            }
            _ => self.others += count,
        }
    }

    /// Adds another accumulator.
    pub fn add(&mut self, other: &SumAcc) {
        self.int = self.int.wrapping_add(other.int);
        self.durations += other.durations;
        self.floats += other.floats;
        self.others += other.others;
        self.nans += other.nans;
        self.pos_infs += other.pos_infs;
        self.neg_infs += other.neg_infs;
        if let Some(theirs) = &other.exact {
            let mine = self.exact.get_or_insert_with(ExactSum::default);
            mine.add(theirs);
            if mine.is_zero() {
                self.exact = None;
            }
        }
    }

    /// Negates every counter and total.
    pub fn negate(&mut self) {
        self.int = self.int.wrapping_neg();
        for c in [&mut self.durations, &mut self.floats, &mut self.others, &mut self.nans, &mut self.pos_infs, &mut self.neg_infs] {
            *c = -*c;
        }
        if let Some(e) = &mut self.exact {
            e.negate();
        }
    }

    /// Multiplies every counter and total by `factor`.
    pub fn scale(&mut self, factor: isize) {
        self.int = self.int.wrapping_mul(factor as i128);
        for c in [&mut self.durations, &mut self.floats, &mut self.others, &mut self.nans, &mut self.pos_infs, &mut self.neg_infs] {
            *c *= factor;
        }
        if let Some(e) = &mut self.exact {
            e.scale(factor);
            if e.is_zero() {
                self.exact = None;
            }
        }
    }

    /// Whether this is the empty sum.
    pub fn is_zero(&self) -> bool {
        *self == SumAcc::default()
    }

    /// The sum's value (see the type's documentation).
    pub fn finish(&self) -> Value {
        if self.others != 0 {
            return Value::Error;
        }
        let Ok(int) = i64::try_from(self.int) else { return Value::Error };
        if self.floats != 0 {
            let float = if self.nans != 0 || (self.pos_infs != 0 && self.neg_infs != 0) {
                f64::NAN
            } else if self.pos_infs != 0 {
                f64::INFINITY
            } else if self.neg_infs != 0 {
                f64::NEG_INFINITY
            } else {
                let mut total = self.exact.clone().unwrap_or_default();
                total.add_int(int as i128);
                total.to_f64()
            };
            Value::Float(float)
        } else if self.durations != 0 {
            Value::Duration(int)
        } else {
            Value::Int(int)
        }
    }

    /// `avg` over `rows` rows (None rows count): the sum divided by the row count; an error or
    /// a duration sum is returned as it is.
    pub fn finish_avg(&self, rows: isize) -> Value {
        match self.finish() {
            Value::Int(s) => Value::Float(s as f64 / rows as f64),
            Value::Float(s) => Value::Float(s / rows as f64),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(items: &[(Value, isize)]) -> Value {
        let mut acc = SumAcc::default();
        for (v, c) in items {
            acc.add_value(v, *c);
        }
        acc.finish()
    }

    #[test]
    fn kinds_of_results() {
        assert_eq!(sum(&[]), Value::Int(0));
        assert_eq!(sum(&[(Value::Int(2), 3), (Value::None, 1)]), Value::Int(6));
        assert_eq!(sum(&[(Value::Int(2), 1), (Value::Float(0.5), 2)]), Value::Float(3.0));
        assert_eq!(sum(&[(Value::Int(2), 1), (Value::Duration(5), 1)]), Value::Duration(7));
        assert_eq!(sum(&[(Value::Int(2), 1), (Value::from("a"), 1)]), Value::Error);
        assert_eq!(sum(&[(Value::Int(2), 1), (Value::Error, 1)]), Value::Error);
        assert_eq!(sum(&[(Value::Float(f64::INFINITY), 1), (Value::Float(1.0), 1)]), Value::Float(f64::INFINITY));
        assert!(matches!(sum(&[(Value::Float(f64::INFINITY), 1), (Value::Float(f64::NEG_INFINITY), 1)]), Value::Float(f) if f.is_nan()));
    }

    #[test]
    fn overflow_is_judged_on_the_total() {
        assert_eq!(sum(&[(Value::Int(i64::MAX), 1), (Value::Int(1), 1)]), Value::Error);
        assert_eq!(sum(&[(Value::Int(i64::MAX), 2), (Value::Int(-i64::MAX), 1)]), Value::Int(i64::MAX));
        assert_eq!(sum(&[(Value::Int(i64::MIN), 1)]), Value::Int(i64::MIN));
        assert_eq!(sum(&[(Value::Int(i64::MAX), 1), (Value::Int(1), 1), (Value::Float(0.5), 1)]), Value::Error);
    }

    #[test]
    fn insert_then_retract_is_zero_in_any_grouping() {
        let values = [Value::Int(3), Value::Float(0.1), Value::Duration(-4), Value::from("x"), Value::Float(f64::NAN), Value::None];
        let mut all = SumAcc::default();
        for (i, v) in values.iter().enumerate() {
            let mut one = SumAcc::default();
            one.add_value(v, 1);
            one.scale(i as isize + 1);
            all.add(&one);
        }
        let mut back = SumAcc::default();
        for (i, v) in values.iter().enumerate().rev() {
            back.add_value(v, -(i as isize + 1));
        }
        back.add(&all);
        assert!(back.is_zero());
        all.negate();
        all.scale(-1);
        all.negate();
        let mut again = all.clone();
        again.negate();
        again.add(&all);
        assert!(again.is_zero());
    }

    #[test]
    fn avg_divides_by_all_rows() {
        let mut acc = SumAcc::default();
        acc.add_value(&Value::Int(1), 1);
        acc.add_value(&Value::None, 1);
        assert_eq!(acc.finish_avg(2), Value::Float(0.5));
    }
}
