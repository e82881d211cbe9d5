//! `parse-kv`: key/value pairs read out of a text into typed columns.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::Expr;
use datafusion::prelude::lit;
use kql_functions::scalar::string::{KvOptions, parse_kv};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::ParseKv;

use crate::error::{PResult, codes, error};
use crate::expr::{constant, finish};
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// The column holding the bag of found keys between the two projections.
const BAG: &str = "__kql_kv";

impl Planner<'_> {
    /// `T | parse-kv text as (k1: type, …) with (pair_delimiter=…, kv_delimiter=…, quote=…,
    /// escape=…, greedy=…)`: each key becomes a column of its type (replacing a column of the
    /// same name); a key not found, or a value that does not convert, is null (`""` for a
    /// string).
    pub(super) fn parse_kv(&mut self, p: &ParseKv, input: Tabular, span: Span) -> PResult<Tabular> {
        let options = self.kv_options(p)?;
        for (i, c) in p.columns.iter().enumerate() {
            if c.name.name.is_empty() || p.columns[..i].iter().any(|d| d.name.name == c.name.name) {
                return Err(error(
                    codes::INVALID_QUERY,
                    format!(
                        "parse-kv: the key '{}' is empty or declared twice",
                        c.name.name
                    ),
                    c.name.span,
                ));
            }
        }
        let text = self.expr(&p.expr, &input)?.to_text();
        let keys: Vec<String> = p.columns.iter().map(|c| c.name.name.clone()).collect();
        let mut exprs: Vec<Expr> = input.columns.iter().map(|c| column_ref(&c.name)).collect();
        exprs.push(parse_kv(text, &keys, &options).alias(BAG));
        let mut with_bag = input.columns.clone();
        with_bag.push(KqlColumn::new(BAG, KqlType::Dynamic));
        let bagged = input.project(exprs, with_bag, span)?;
        let schema = bagged.plan.schema().clone();
        let bag = TypedExpr::new(column_ref(BAG), KqlType::Dynamic);
        let value = |key: &str, ty: KqlType| -> Expr {
            let member = bag.dynamic_step(lit(key));
            let typed = if ty == KqlType::String {
                TypedExpr::new(member.to_text(), ty)
            } else {
                let text = TypedExpr::new(member.text_or_null(), KqlType::String);
                TypedExpr::new(text.convert_to(ty), ty)
            };
            finish(&typed, &schema)
        };
        let declared: Vec<(String, KqlType)> = p
            .columns
            .iter()
            .map(|c| (c.name.name.clone(), KqlType::from_scalar_type(c.ty.ty)))
            .collect();
        let mut out = Vec::new();
        let mut columns = Vec::new();
        for c in &input.columns {
            match declared.iter().find(|(n, _)| *n == c.name) {
                Some((name, ty)) => {
                    out.push(value(name, *ty).alias(name));
                    columns.push(KqlColumn::new(name.clone(), *ty));
                }
                None => {
                    out.push(column_ref(&c.name));
                    columns.push(c.clone());
                }
            }
        }
        for (name, ty) in &declared {
            if input.column(name).is_none() {
                out.push(value(name, *ty).alias(name));
                columns.push(KqlColumn::new(name.clone(), *ty));
            }
        }
        bagged.project(out, columns, span)
    }

    /// The `with (…)` parameters of `parse-kv`, each a constant of the right kind.
    fn kv_options(&mut self, p: &ParseKv) -> PResult<KvOptions> {
        let mut options = KvOptions::default();
        for param in &p.with {
            let v = self.expr(&param.value, &Tabular::empty())?;
            let value = constant(&v.expr);
            let text = || match &value {
                Some(ScalarValue::Utf8(Some(s))) => Ok(s.clone()),
                _ => Err(error(
                    codes::INVALID_VALUE,
                    format!("parse-kv's '{}' must be a constant string", param.name.name),
                    param.value.span,
                )),
            };
            match param.name.name.as_str() {
                "pair_delimiter" => options.pair_delimiter = text()?,
                "kv_delimiter" => options.kv_delimiter = text()?,
                "quote" => options.quote = text()?,
                "escape" => options.escape = text()?.chars().next(),
                "greedy" => match value {
                    Some(ScalarValue::Boolean(Some(b))) => options.greedy = b,
                    _ => {
                        return Err(error(
                            codes::INVALID_VALUE,
                            "parse-kv's 'greedy' must be true or false",
                            param.value.span,
                        ));
                    }
                },
                other => {
                    return Err(error(
                        codes::UNSUPPORTED,
                        format!("parse-kv's '{other}' parameter is not supported"),
                        param.name.span,
                    ));
                }
            }
        }
        if options.pair_delimiter.is_empty() != options.kv_delimiter.is_empty() {
            return Err(error(
                codes::INVALID_VALUE,
                "parse-kv needs both pair_delimiter and kv_delimiter, or neither",
                p.expr.span,
            ));
        }
        Ok(options)
    }
}
