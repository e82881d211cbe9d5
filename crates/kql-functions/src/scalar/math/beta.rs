//! The beta distribution: `beta_cdf`, `beta_pdf` and `beta_inv`, from `statrs`'s regularized
//! incomplete beta function and its inverse. Arguments outside the distribution's domain give
//! NaN (not null), as Kusto documents: x outside [0, 1] (the open interval for the density), a
//! probability outside [0, 1], and shape parameters outside (0, 10000].

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::logical_expr::ScalarUDF;
use statrs::function::beta::{checked_beta_reg, checked_ln_beta};

use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// Kusto's bound on both shape parameters.
const MAX_SHAPE: f64 = 10_000.0;

fn shapes_valid(alpha: f64, beta: f64) -> bool {
    alpha > 0.0 && alpha <= MAX_SHAPE && beta > 0.0 && beta <= MAX_SHAPE
}

/// The cumulative distribution function, I_x(alpha, beta).
pub(crate) fn beta_cdf(x: f64, alpha: f64, beta: f64) -> f64 {
    if !(0.0..=1.0).contains(&x) || !shapes_valid(alpha, beta) {
        return f64::NAN;
    }
    checked_beta_reg(alpha, beta, x).unwrap_or(f64::NAN)
}

/// The density, x^(alpha-1) (1-x)^(beta-1) / B(alpha, beta), for 0 < x < 1.
pub(crate) fn beta_pdf(x: f64, alpha: f64, beta: f64) -> f64 {
    if !(x > 0.0 && x < 1.0 && shapes_valid(alpha, beta)) {
        return f64::NAN;
    }
    let Ok(ln_b) = checked_ln_beta(alpha, beta) else {
        return f64::NAN;
    };
    ((alpha - 1.0) * x.ln() + (beta - 1.0) * (1.0 - x).ln() - ln_b).exp()
}

/// The inverse of [`beta_cdf`]: the x whose cumulative probability is `p`, by bisection (the
/// distribution function is increasing on [0, 1]). statrs's own inverse steps outside [0, 1]
/// and panics for extreme shapes; bisection cannot. It bisects the doubles' bit patterns, which
/// order non-negative doubles as their values do, so it ends in at most 63 steps on the two
/// neighbouring doubles around the answer, however close to 0 that is (`beta_inv(0.01, 0.01,
/// 1)` is 1e-200), and gives the one whose probability is nearer `p`.
pub(crate) fn beta_inv(p: f64, alpha: f64, beta: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || !shapes_valid(alpha, beta) {
        return f64::NAN;
    }
    if p == 0.0 || p == 1.0 {
        return p;
    }
    let cdf = |bits: u64| checked_beta_reg(alpha, beta, f64::from_bits(bits));
    // cdf(low) < p <= cdf(high) throughout: cdf(0) = 0 and cdf(1) = 1.
    let (mut low, mut high) = (0.0f64.to_bits(), 1.0f64.to_bits());
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        match cdf(mid) {
            Ok(c) if c < p => low = mid,
            Ok(_) => high = mid,
            Err(_) => return f64::NAN,
        }
    }
    match (cdf(low), cdf(high)) {
        (Ok(below), Ok(above)) if p - below < above - p => f64::from_bits(low),
        (Ok(_), Ok(_)) => f64::from_bits(high),
        _ => f64::NAN,
    }
}

/// A `(real, real, real) → real` UDF from a plain function; a null argument gives null.
macro_rules! real3_udf {
    ($name:ident, $udf:literal, $f:path) => {
        fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| {
                KernelUdf::new($udf, vec![DataType::Float64; 3], DataType::Float64, |a| {
                    let [x, alpha, beta] = [0, 1, 2].map(|i| a[i].as_primitive::<Float64Type>());
                    let out: Float64Array = (0..x.len())
                        .map(|i| {
                            (!x.is_null(i) && !alpha.is_null(i) && !beta.is_null(i))
                                .then(|| $f(x.value(i), alpha.value(i), beta.value(i)))
                        })
                        .collect();
                    Ok(Arc::new(out) as ArrayRef)
                })
                .into_udf()
            }))
        }
    };
}

real3_udf!(beta_cdf_udf, "kql_beta_cdf", beta_cdf);
real3_udf!(beta_pdf_udf, "kql_beta_pdf", beta_pdf);
real3_udf!(beta_inv_udf, "kql_beta_inv", beta_inv);

/// Registers `beta_cdf`, `beta_pdf` and `beta_inv`.
pub(super) fn register(r: &mut Registry) {
    const REAL: Param = Param::Of(KqlType::Real);
    let signatures = || {
        vec![Signature::new(
            [REAL, REAL, REAL],
            Returns::Type(KqlType::Real),
        )]
    };
    let functions: [(&'static str, &'static str, crate::ScalarLowering); 3] = [
        (
            "beta_cdf",
            "The cumulative beta distribution function at x.",
            |_, _, a| Ok(beta_cdf_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "beta_pdf",
            "The beta probability density at x.",
            |_, _, a| Ok(beta_pdf_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "beta_inv",
            "The inverse of the cumulative beta distribution function.",
            |_, _, a| Ok(beta_inv_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
    ];
    for (name, doc, lower) in functions {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: signatures(),
            lower,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_values() {
        // The beta_cdf, beta_pdf and beta_inv pages' examples.
        assert!((beta_cdf(0.9, 10.0, 20.0) - 0.999999999999959).abs() < 1e-13);
        assert!((beta_pdf(0.5, 10.0, 20.0) - 0.746176019310951).abs() < 1e-12);
        let x = beta_inv(0.1, 10.0, 20.0);
        assert!((beta_cdf(x, 10.0, 20.0) - 0.1).abs() < 1e-12);
        assert!((x - 0.226415022388749).abs() < 1e-9);
    }

    #[test]
    fn out_of_domain_is_nan() {
        assert!(beta_cdf(1.5, 10.0, 20.0).is_nan());
        assert!(beta_cdf(-10.0, 10.0, 20.0).is_nan());
        assert!(beta_cdf(0.1, -1.0, 20.0).is_nan());
        assert!(beta_cdf(0.1, 1.0, 10_001.0).is_nan());
        assert!(beta_pdf(0.0, 1.0, 1.0).is_nan());
        assert!(beta_inv(1.5, 1.0, 1.0).is_nan());
        // Shapes where statrs's own inverse panics: a symmetric one has its median at 0.5.
        assert!((beta_inv(0.5, 10_000.0, 10_000.0) - 0.5).abs() < 1e-12);
        for (p, a, b) in [(0.999_999, 0.0001, 10_000.0), (1e-300, 10_000.0, 0.0001)] {
            let x = beta_inv(p, a, b);
            assert!(x.is_nan() || (0.0..=1.0).contains(&x), "{p} {a} {b}: {x}");
        }
        // The ends, and an answer far below 1e-60: Beta(0.01, 1) has cdf x^0.01, so the
        // inverse of 0.01 is 0.01^100.
        assert_eq!(beta_inv(0.0, 2.0, 3.0), 0.0);
        assert_eq!(beta_inv(1.0, 2.0, 3.0), 1.0);
        let tiny = beta_inv(0.01, 0.01, 1.0);
        assert!((tiny / 1e-200 - 1.0).abs() < 1e-9, "{tiny}");
        assert_eq!(beta_cdf(0.0, 2.0, 3.0), 0.0);
        assert_eq!(beta_cdf(1.0, 2.0, 3.0), 1.0);
    }
}
