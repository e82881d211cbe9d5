//! The registry: every KQL function by name, resolution of a call against its signatures, and
//! lowering with the implicit argument conversions applied.

use std::collections::HashMap;

use datafusion::logical_expr::Expr;

use crate::{FunctionError, KqlType, LowerContext, Param, Signature, TypedExpr};

/// Lowers a scalar call whose arguments were already converted to the signature's parameter
/// types. Gets the signature that matched, by index.
pub type ScalarLowering = fn(&LowerContext, usize, Vec<TypedExpr>) -> Result<Expr, FunctionError>;

/// Lowers an aggregate call; arguments as for [`ScalarLowering`].
pub type AggregateLowering =
    fn(&LowerContext, usize, Vec<TypedExpr>) -> Result<Expr, FunctionError>;

/// A scalar function.
#[derive(Clone, Debug)]
pub struct ScalarFunction {
    /// Its KQL name.
    pub name: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// The signatures, tried in order.
    pub signatures: Vec<Signature>,
    /// How a call lowers.
    pub lower: ScalarLowering,
}

/// An aggregate function (used in `summarize`).
#[derive(Clone, Debug)]
pub struct AggregateFunction {
    /// Its KQL name.
    pub name: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// The signatures, tried in order.
    pub signatures: Vec<Signature>,
    /// How a call lowers.
    pub lower: AggregateLowering,
    /// The result column's name without an explicit name: `count()` → `count_`,
    /// `avg(Duration)` → `avg_Duration`; `{}` stands for the first argument's name, and a
    /// trailing `_` is kept when there is no argument.
    pub column_name: &'static str,
}

/// The result of lowering: the expression with its type.
pub type Lowered = TypedExpr;

/// A resolved scalar call: which function and signature, and the result type.
#[derive(Clone, Debug)]
pub struct ResolvedScalar<'r> {
    /// The function.
    pub function: &'r ScalarFunction,
    /// Index of the signature that matched.
    pub signature: usize,
    /// The result type.
    pub result: KqlType,
}

/// A resolved aggregate call.
#[derive(Clone, Debug)]
pub struct ResolvedAggregate<'r> {
    /// The function.
    pub function: &'r AggregateFunction,
    /// Index of the signature that matched.
    pub signature: usize,
    /// The result type.
    pub result: KqlType,
}

/// Every function the engine knows.
#[derive(Clone, Debug)]
pub struct Registry {
    scalars: HashMap<&'static str, ScalarFunction>,
    aggregates: HashMap<&'static str, AggregateFunction>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    /// The registry with every function of this crate.
    pub fn new() -> Self {
        let mut registry = Self {
            scalars: HashMap::new(),
            aggregates: HashMap::new(),
        };
        crate::scalar::register_all(&mut registry);
        crate::aggregate::register_all(&mut registry);
        registry
    }

    /// Adds a scalar function (replacing one of the same name).
    pub fn add_scalar(&mut self, f: ScalarFunction) {
        self.scalars.insert(f.name, f);
    }

    /// Adds the same function under another name (`iif` for `iff`).
    pub fn add_scalar_alias(&mut self, alias: &'static str, of: &'static str) {
        if let Some(f) = self.scalars.get(of).cloned() {
            self.scalars
                .insert(alias, ScalarFunction { name: alias, ..f });
        }
    }

    /// Adds an aggregate function.
    pub fn add_aggregate(&mut self, f: AggregateFunction) {
        self.aggregates.insert(f.name, f);
    }

    /// Adds the same aggregate under another name.
    pub fn add_aggregate_alias(&mut self, alias: &'static str, of: &'static str) {
        if let Some(f) = self.aggregates.get(of).cloned() {
            self.aggregates
                .insert(alias, AggregateFunction { name: alias, ..f });
        }
    }

    /// The scalar function of that name.
    pub fn scalar(&self, name: &str) -> Option<&ScalarFunction> {
        self.scalars.get(name)
    }

    /// The aggregate function of that name.
    pub fn aggregate(&self, name: &str) -> Option<&AggregateFunction> {
        self.aggregates.get(name)
    }

    /// Every scalar function, sorted by name (for docs and completion).
    pub fn scalars(&self) -> Vec<&ScalarFunction> {
        let mut all: Vec<_> = self.scalars.values().collect();
        all.sort_by_key(|f| f.name);
        all
    }

    /// Every aggregate function, sorted by name.
    pub fn aggregates(&self) -> Vec<&AggregateFunction> {
        let mut all: Vec<_> = self.aggregates.values().collect();
        all.sort_by_key(|f| f.name);
        all
    }

    /// Finds the scalar function and signature for a call with these argument types.
    pub fn resolve_scalar(
        &self,
        name: &str,
        args: &[KqlType],
    ) -> Result<ResolvedScalar<'_>, FunctionError> {
        let function = self.scalars.get(name).ok_or_else(|| self.unknown(name))?;
        let (signature, result) = match_signatures(name, &function.signatures, args)?;
        Ok(ResolvedScalar {
            function,
            signature,
            result,
        })
    }

    /// Finds the aggregate function and signature for a call with these argument types.
    pub fn resolve_aggregate(
        &self,
        name: &str,
        args: &[KqlType],
    ) -> Result<ResolvedAggregate<'_>, FunctionError> {
        let function = self
            .aggregates
            .get(name)
            .ok_or_else(|| self.unknown(name))?;
        let (signature, result) = match_signatures(name, &function.signatures, args)?;
        Ok(ResolvedAggregate {
            function,
            signature,
            result,
        })
    }

    /// Lowers a resolved scalar call: converts the arguments to the parameter types, then calls
    /// the function's lowering.
    pub fn lower_scalar(
        &self,
        resolved: &ResolvedScalar<'_>,
        ctx: &LowerContext,
        args: Vec<TypedExpr>,
    ) -> Result<TypedExpr, FunctionError> {
        let f = resolved.function;
        lower_call(
            &f.signatures,
            f.lower,
            resolved.signature,
            resolved.result,
            ctx,
            args,
        )
    }

    /// Lowers a resolved aggregate call, as [`Registry::lower_scalar`] does a scalar one.
    pub fn lower_aggregate(
        &self,
        resolved: &ResolvedAggregate<'_>,
        ctx: &LowerContext,
        args: Vec<TypedExpr>,
    ) -> Result<TypedExpr, FunctionError> {
        let f = resolved.function;
        lower_call(
            &f.signatures,
            f.lower,
            resolved.signature,
            resolved.result,
            ctx,
            args,
        )
    }

    fn unknown(&self, name: &str) -> FunctionError {
        if crate::scalar::KNOWN_UNSUPPORTED.contains(&name) {
            return FunctionError::Unsupported {
                name: name.to_string(),
            };
        }
        let names: Vec<&str> = self
            .scalars
            .keys()
            .chain(self.aggregates.keys())
            .copied()
            .collect();
        FunctionError::Unknown {
            name: name.to_string(),
            suggestion: kql_parser::suggest::closest(name, names).map(str::to_string),
        }
    }
}

/// Converts the arguments to the matched signature's parameter types and lowers the call.
fn lower_call(
    signatures: &[Signature],
    lower: ScalarLowering,
    signature: usize,
    result: KqlType,
    ctx: &LowerContext,
    args: Vec<TypedExpr>,
) -> Result<TypedExpr, FunctionError> {
    let args = coerce_args(&signatures[signature], args);
    let expr = lower(ctx, signature, args)?;
    Ok(TypedExpr::new(expr, result))
}

fn coerce_args(sig: &Signature, args: Vec<TypedExpr>) -> Vec<TypedExpr> {
    args.into_iter()
        .enumerate()
        .map(|(i, a)| match sig.param_at(i) {
            Some(p) => a.coerce_to(p),
            None => a,
        })
        .collect()
}

/// The first signature that accepts the argument types, with the result type.
fn match_signatures(
    name: &str,
    signatures: &[Signature],
    args: &[KqlType],
) -> Result<(usize, KqlType), FunctionError> {
    let arity_ok: Vec<(usize, &Signature)> = signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| args.len() >= s.min_args() && s.max_args().is_none_or(|m| args.len() <= m))
        .collect();
    if arity_ok.is_empty() {
        let min = signatures
            .iter()
            .map(Signature::min_args)
            .min()
            .unwrap_or(0);
        let max = signatures
            .iter()
            .map(Signature::max_args)
            .try_fold(0usize, |acc, m| m.map(|m| acc.max(m)));
        let expected = match max {
            Some(max) if max == min => min.to_string(),
            Some(max) => format!("{min} to {max}"),
            None => format!("at least {min}"),
        };
        return Err(FunctionError::Arity {
            name: name.to_string(),
            expected,
            got: args.len(),
        });
    }
    let mut first_error = None;
    for (index, sig) in &arity_ok {
        let bad = args
            .iter()
            .enumerate()
            .find(|(i, t)| sig.param_at(*i).is_some_and(|p: Param| !p.accepts(**t)));
        match bad {
            None => return Ok((*index, sig.result_type(args))),
            Some((i, t)) => {
                if first_error.is_none() {
                    let expected = sig.param_at(i).map(Param::describe).unwrap_or_default();
                    first_error = Some(FunctionError::ArgumentType {
                        name: name.to_string(),
                        index: i,
                        expected,
                        got: *t,
                    });
                }
            }
        }
    }
    Err(first_error.unwrap_or(FunctionError::Invalid {
        name: name.to_string(),
        message: "no signature matches".into(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_function_is_both_registered_and_unsupported() {
        let r = Registry::new();
        for name in crate::scalar::KNOWN_UNSUPPORTED {
            assert!(
                r.scalar(name).is_none() && r.aggregate(name).is_none(),
                "{name} is registered but listed as unsupported"
            );
        }
    }

    #[test]
    fn every_function_of_the_engine_issue_is_registered() {
        let r = Registry::new();
        let scalars = "ago now bin bin_at floor round abs tostring toint tolong todouble toreal todatetime \
            totimespan tobool todecimal strcat strcat_delim strlen substring indexof tolower toupper trim \
            trim_start trim_end split extract extract_all replace_regex replace_string countof iff iif case \
            coalesce isempty isnotempty isnull isnotnull parse_json todynamic array_length bag_keys pack \
            bag_pack pack_array gettype startofday startofweek startofmonth endofday dayofweek hourofday \
            datetime_diff datetime_add format_datetime format_timespan";
        for name in scalars.split_whitespace() {
            assert!(r.scalar(name).is_some(), "scalar {name} is missing");
        }
        let aggregates = "count countif sum sumif avg avgif min max dcount dcountif make_list make_set \
            take_any arg_max arg_min percentile stdev variance";
        for name in aggregates.split_whitespace() {
            assert!(r.aggregate(name).is_some(), "aggregate {name} is missing");
        }
    }
}
