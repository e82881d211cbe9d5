//! Expressions with their KQL type, and the implicit conversions between KQL types.

use datafusion::logical_expr::{Expr, ExprSchemable as _, cast};
use datafusion::prelude::{coalesce, lit};
use datafusion_functions_json::udfs as json;

use crate::{KqlType, Param};

/// What lowering needs to know about the query being planned.
#[derive(Clone, Debug)]
pub struct LowerContext {
    /// `now()` for this query, in nanoseconds since the Unix epoch: KQL evaluates `now()` and
    /// `ago()` once per query, and `set query_now = …` overrides it.
    pub now_nanos: i64,
}

/// `json_get_json(base, steps…)` kept unevaluated: a member or element of a `dynamic` value.
#[derive(Clone, Debug, PartialEq)]
pub struct DynamicPath {
    /// The `dynamic` value the path starts from.
    pub base: Expr,
    /// The steps: `Utf8` literals for keys, `Int64` for indexes (negative from the end).
    pub steps: Vec<Expr>,
}

impl DynamicPath {
    fn args(&self) -> Vec<Expr> {
        let mut args = Vec::with_capacity(self.steps.len() + 1);
        args.push(self.base.clone());
        args.extend(self.steps.iter().cloned());
        args
    }
}

/// A DataFusion expression and its KQL type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedExpr {
    /// The expression; for a [`DynamicPath`] this is `json_get_json(base, steps…)`.
    pub expr: Expr,
    /// Its KQL type.
    pub ty: KqlType,
    /// Set when the value is a member or element of a `dynamic` value.
    pub path: Option<DynamicPath>,
}

impl TypedExpr {
    /// An expression of a type.
    pub fn new(expr: Expr, ty: KqlType) -> Self {
        Self {
            expr,
            ty,
            path: None,
        }
    }

    /// The member or element `step` of this `dynamic` value (`d.key`, `d[0]`): the path grows, so
    /// `d.a.b[0]` is one accessor call over `d`.
    pub fn dynamic_step(&self, step: Expr) -> TypedExpr {
        let path = match &self.path {
            Some(p) => {
                let mut p = p.clone();
                p.steps.push(step);
                p
            }
            None => DynamicPath {
                base: self.expr.clone(),
                steps: vec![step],
            },
        };
        TypedExpr {
            expr: json::json_get_json_udf().call(path.args()),
            ty: KqlType::Dynamic,
            path: Some(path),
        }
    }

    /// The arguments for a typed JSON accessor: the path if there is one, else the whole value.
    fn accessor_args(&self) -> Vec<Expr> {
        match &self.path {
            Some(p) => p.args(),
            None => vec![self.expr.clone()],
        }
    }

    /// KQL `tostring()`: `""` for null (KQL strings have no null); a `dynamic` string without
    /// its quotes, other `dynamic` values as JSON text; numbers, datetimes and timespans in
    /// KQL's text forms.
    pub fn to_text(&self) -> Expr {
        self.split_part(true)
            .unwrap_or_else(|| coalesce(vec![self.text_or_null(), lit("")]))
    }

    /// `split(s, d)[i]` as the part itself, not a JSON array read back; `None` for any other
    /// value. See [`crate::scalar::string::split_part`] for `empty_when_missing`.
    fn split_part(&self, empty_when_missing: bool) -> Option<Expr> {
        match (&self.ty, &self.path) {
            (KqlType::Dynamic, Some(DynamicPath { base, steps })) if steps.len() == 1 => {
                crate::scalar::string::split_part(base, &steps[0], empty_when_missing)
            }
            _ => None,
        }
    }

    /// [`Self::to_text`] without the `""` for null: for a comparison with a non-empty constant,
    /// where null and `""` give the same answer and the `coalesce` would make DataFusion's
    /// simplifier evaluate (and, for `dynamic`, parse) the value twice per row.
    pub fn text_or_null(&self) -> Expr {
        match self.ty {
            KqlType::String | KqlType::Guid => self.expr.clone(),
            KqlType::Dynamic => self
                .split_part(false)
                .unwrap_or_else(|| json::json_as_text_udf().call(self.accessor_args())),
            _ => crate::scalar::conversion::format_value(self.expr.clone(), self.ty),
        }
    }

    /// The value as `target`, for an implicit conversion (`int` → `long`, `dynamic` → `long`, …)
    /// or an explicit one (`tolong`, …). Conversions that fail give null, never an error.
    pub fn convert_to(&self, target: KqlType) -> Expr {
        if self.ty == target {
            return self.expr.clone();
        }
        match (self.ty, target) {
            (_, KqlType::String) => self.to_text(),
            (KqlType::Dynamic, KqlType::Long) => {
                json::json_get_int_udf().call(self.accessor_args())
            }
            (KqlType::Dynamic, KqlType::Int) => cast(
                json::json_get_int_udf().call(self.accessor_args()),
                target.to_arrow(),
            ),
            (KqlType::Dynamic, KqlType::Real) => {
                json::json_get_float_udf().call(self.accessor_args())
            }
            (KqlType::Dynamic, KqlType::Bool) => {
                json::json_get_bool_udf().call(self.accessor_args())
            }
            (KqlType::Dynamic, _) => crate::scalar::conversion::parse_text(
                json::json_as_text_udf().call(self.accessor_args()),
                target,
            ),
            (KqlType::String | KqlType::Guid, _) => {
                crate::scalar::conversion::parse_text(self.expr.clone(), target)
            }
            (_, KqlType::Dynamic) => {
                crate::scalar::conversion::to_dynamic(self.expr.clone(), self.ty)
            }
            _ => crate::scalar::conversion::convert_scalar(self.expr.clone(), self.ty, target),
        }
    }

    /// The value converted for a parameter (identity for the generic parameter kinds).
    pub fn coerce_to(&self, param: Param) -> TypedExpr {
        match param {
            Param::Of(t) if t != self.ty => TypedExpr::new(self.convert_to(t), t),
            Param::Numeric | Param::Integer if self.ty == KqlType::Dynamic => {
                let t = if param == Param::Integer {
                    KqlType::Long
                } else {
                    KqlType::Real
                };
                TypedExpr::new(self.convert_to(t), t)
            }
            _ => self.clone(),
        }
    }

    /// The Arrow type DataFusion will give the expression against `schema`, for checks.
    pub fn arrow_type(
        &self,
        schema: &datafusion::common::DFSchema,
    ) -> datafusion::common::Result<datafusion::arrow::datatypes::DataType> {
        self.expr.get_type(schema)
    }
}
