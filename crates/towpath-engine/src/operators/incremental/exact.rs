//! An exact sum of finite floats (a "superaccumulator"): every finite f64 times an integer count
//! is an integer multiple of 2^-1074, so the sum is kept as one wide two's complement integer in
//! units of 2^-1074. Addition is exact and wraps modulo 2^(64·LIMBS), which makes it an abelian
//! group: retracting a float undoes its insertion bit for bit, in any order, on any worker. The
//! float is produced only when a result is read, rounded once (to nearest, ties to even).

use serde::{Deserialize, Serialize};

/// 64-bit limbs: a finite f64 times an isize count stays below 2^(1074+1024+63) = 2^2161, and
/// the spare bits keep any sum of live rows (whose total count fits an isize) out of the sign bit.
const LIMBS: usize = 35;

/// The exact sum, as little-endian limbs; all zeros is zero.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExactSum(Vec<u64>);

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum(vec![0; LIMBS])
    }
}

impl ExactSum {
    /// Whether the sum is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|l| *l == 0)
    }

    /// Adds `count` times the finite float `f`.
    pub fn add_float(&mut self, f: f64, count: isize) {
        debug_assert!(f.is_finite());
        let bits = f.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as usize;
        let frac = bits & ((1 << 52) - 1);
        // value = mantissa · 2^(shift - 1074); subnormals have the smallest exponent.
        let (mantissa, shift) = if exp == 0 { (frac, 0) } else { (frac | (1 << 52), exp - 1) };
        let magnitude = mantissa as u128 * count.unsigned_abs() as u128;
        let negative = (bits >> 63 == 1) != (count < 0);
        self.add_shifted(magnitude, shift, negative);
    }

    /// Adds the integer `value` (in units of 1, i.e. shifted up by 1074 bits).
    pub fn add_int(&mut self, value: i128) {
        self.add_shifted(value.unsigned_abs(), 1074, value < 0);
    }

    /// Adds (or subtracts) `magnitude · 2^shift` units.
    fn add_shifted(&mut self, magnitude: u128, shift: usize, negative: bool) {
        let (index, offset) = (shift / 64, shift % 64);
        // Three words hold the 128-bit magnitude moved up by `offset` (< 64) bits. The middle
        // word's two parts do not overlap (the low part is below 2^offset, the high part a
        // multiple of it), so adding them cannot carry.
        let low = (magnitude as u64 as u128) << offset;
        let high = (magnitude >> 64) << offset;
        let words = [low as u64, ((low >> 64) as u64) + (high as u64), (high >> 64) as u64];
        let mut carry = false;
        for (k, limb) in self.0.iter_mut().enumerate().skip(index) {
            let word = words.get(k - index).copied().unwrap_or(0);
            if word == 0 && !carry && k >= index + words.len() {
                break;
            }
            if negative {
                let (d, b1) = limb.overflowing_sub(word);
                let (d, b2) = d.overflowing_sub(carry as u64);
                *limb = d;
                carry = b1 || b2;
            } else {
                let (s, c1) = limb.overflowing_add(word);
                let (s, c2) = s.overflowing_add(carry as u64);
                *limb = s;
                carry = c1 || c2;
            }
        }
    }

    /// Adds another exact sum.
    pub fn add(&mut self, other: &ExactSum) {
        let mut carry = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let (s, c1) = a.overflowing_add(*b);
            let (s, c2) = s.overflowing_add(carry as u64);
            *a = s;
            carry = c1 || c2;
        }
    }

    /// Negates the sum (two's complement).
    pub fn negate(&mut self) {
        let mut carry = true;
        for limb in self.0.iter_mut() {
            let (s, c) = (!*limb).overflowing_add(carry as u64);
            *limb = s;
            carry = c;
        }
    }

    /// Multiplies the sum by `factor`.
    pub fn scale(&mut self, factor: isize) {
        let m = factor.unsigned_abs() as u128;
        let mut carry: u128 = 0;
        for limb in self.0.iter_mut() {
            let p = *limb as u128 * m + carry;
            *limb = p as u64;
            carry = p >> 64;
        }
        if factor < 0 {
            self.negate();
        }
    }

    /// The sum rounded to the nearest f64 (ties to even); ±infinity beyond the f64 range.
    pub fn to_f64(&self) -> f64 {
        let negative = self.0[LIMBS - 1] >> 63 == 1;
        let mut mag = self.clone();
        if negative {
            mag.negate();
        }
        let Some(top) = mag.0.iter().rposition(|l| *l != 0) else { return 0.0 };
        let p = top * 64 + 63 - mag.0[top].leading_zeros() as usize;
        let value = if p < 53 {
            // Below 2^53 units the value is exact: a subnormal, or a normal of the smallest exponent.
            mag.0[0] as f64 * f64::from_bits(1)
        } else {
            let mut m = mag.bits(p - 52, 53);
            let round = mag.bits(p - 53, 1) == 1;
            let sticky = mag.any_below(p - 53);
            let mut p = p;
            if round && (sticky || m & 1 == 1) {
                m += 1;
                if m == 1 << 53 {
                    m >>= 1;
                    p += 1;
                }
            }
            let exponent = p as i64 - 1074;
            if exponent > 1023 {
                f64::INFINITY
            } else {
                f64::from_bits((((exponent + 1023) as u64) << 52) | (m & ((1 << 52) - 1)))
            }
        };
        if negative {
            -value
        } else {
            value
        }
    }

    /// `len` (≤ 64) bits starting at bit `lo`.
    fn bits(&self, lo: usize, len: usize) -> u64 {
        let (i, off) = (lo / 64, lo % 64);
        let mut v = self.0[i] >> off;
        if off > 0 && i + 1 < LIMBS {
            v |= self.0[i + 1] << (64 - off);
        }
        if len < 64 {
            v &= (1 << len) - 1;
        }
        v
    }

    /// Whether any bit below bit `n` is set.
    fn any_below(&self, n: usize) -> bool {
        let (i, off) = (n / 64, n % 64);
        self.0[..i].iter().any(|l| *l != 0) || (off > 0 && self.0[i] & ((1 << off) - 1) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(items: &[(f64, isize)]) -> f64 {
        let mut s = ExactSum::default();
        for (f, c) in items {
            s.add_float(*f, *c);
        }
        s.to_f64()
    }

    /// A deterministic stream of doubles of every magnitude, sign and kind (subnormals too).
    fn doubles(n: usize) -> Vec<f64> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                f64::from_bits(x)
            })
            .filter(|f| f.is_finite())
            .collect()
    }

    #[test]
    fn one_term_is_itself() {
        for f in doubles(2000).into_iter().chain([0.0, -0.0, f64::MAX, f64::MIN_POSITIVE, 5e-324, -5e-324]) {
            assert_eq!(sum(&[(f, 1)]), f + 0.0, "{f:e}");
        }
    }

    #[test]
    fn two_terms_round_like_ieee_addition() {
        // IEEE addition is correctly rounded, so it is the reference for two terms.
        let ds = doubles(4000);
        for pair in ds.chunks_exact(2) {
            let (a, b) = (pair[0], pair[1]);
            assert_eq!(sum(&[(a, 1), (b, 1)]), a + b, "{a:e} + {b:e}");
            // Near-cancellation and same exponents exercise rounding and carries.
            let c = -a * 0.75;
            assert_eq!(sum(&[(a, 1), (c, 1)]), a + c, "{a:e} + {c:e}");
        }
    }

    #[test]
    fn exact_where_naive_sums_are_not() {
        assert_eq!(sum(&[(0.1, 1), (0.2, 1), (0.3, 1)]), 0.6);
        assert_eq!(sum(&[(1e308, 2), (-1e308, 1)]), 1e308);
        assert_eq!(sum(&[(1e308, 2)]), f64::INFINITY);
        assert_eq!(sum(&[(-1e308, 2)]), f64::NEG_INFINITY);
        assert_eq!(sum(&[(1.0, 1), (1e-300, 1), (-1.0, 1)]), 1e-300);
        assert_eq!(sum(&[(f64::MAX, isize::MAX), (f64::MAX, -isize::MAX), (3.5, 1)]), 3.5);
    }

    #[test]
    fn retraction_in_any_order_returns_to_zero() {
        let ds = doubles(500);
        let mut s = ExactSum::default();
        for (i, f) in ds.iter().enumerate() {
            s.add_float(*f, (i % 5) as isize - 2);
        }
        let mut copy = s.clone();
        copy.negate();
        copy.add(&s);
        assert!(copy.is_zero());
        for (i, f) in ds.iter().enumerate().rev() {
            s.add_float(*f, 2 - (i % 5) as isize);
        }
        assert!(s.is_zero());
    }

    #[test]
    fn scale_multiplies() {
        let mut a = ExactSum::default();
        a.add_float(1.25, 3);
        a.add_int(-7);
        let mut b = ExactSum::default();
        b.add_float(1.25, -12);
        b.add_int(28);
        a.scale(-4);
        assert_eq!(a, b);
        assert_eq!(a.to_f64(), 13.0);
    }
}
