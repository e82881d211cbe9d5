//! Items whose value is several columns: `array_sort_asc(a1, a2, …)` and `array_sort_desc` with
//! several arrays. As a whole `print`, `project` or `extend` item, such a call becomes one item
//! per array, `call[k]`, named by the tuple names (`(x, y) = array_sort_asc(a, b)`) or, as in
//! Kusto, `<argument>_sorted`. Anywhere else the call is one `dynamic` value, the array of the
//! sorted arrays (`array_sort_asc(t, c)[1]`).

use kql_functions::KqlType;
use kql_parser::ast::{Expr, ExprKind, Ident, Literal, NamedExpr};

use crate::Tabular;
use crate::error::{PResult, codes, error};
use crate::naming::derived_name;
use crate::planner::Planner;

/// The functions whose call with several arrays is a tuple.
const TUPLE_FUNCTIONS: &[&str] = &["array_sort_asc", "array_sort_desc"];

impl Planner<'_> {
    /// `items` with each tuple-valued item split into one item per value.
    pub(crate) fn expand_tuples(
        &mut self,
        items: &[NamedExpr],
        input: &Tabular,
    ) -> PResult<Vec<NamedExpr>> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let ExprKind::Call(call) = &item.expr.kind else {
                out.push(item.clone());
                continue;
            };
            let user_function = self.scopes.get(&call.name.name).is_some();
            if user_function || !TUPLE_FUNCTIONS.contains(&call.name.name.as_str()) {
                out.push(item.clone());
                continue;
            }
            let mut arrays = 0;
            for a in &call.args {
                if self.expr(&a.value, input)?.ty != KqlType::Dynamic {
                    break;
                }
                arrays += 1;
            }
            if arrays < 2 {
                out.push(item.clone());
                continue;
            }
            if !item.names.is_empty() && item.names.len() != arrays {
                return Err(error(
                    codes::BAD_ARGUMENTS,
                    format!(
                        "{}() returns {arrays} arrays here, but {} {} given",
                        call.name.name,
                        item.names.len(),
                        if item.names.len() == 1 {
                            "name is"
                        } else {
                            "names are"
                        }
                    ),
                    item.span,
                ));
            }
            let span = item.expr.span;
            for (k, arg) in call.args.iter().take(arrays).enumerate() {
                let name = match item.names.get(k) {
                    Some(n) => n.clone(),
                    None => {
                        let base = derived_name(&arg.value, false)
                            .unwrap_or_else(|| format!("array{}", k + 1));
                        Ident::new(format!("{base}_sorted"), span)
                    }
                };
                let index = Expr::new(
                    ExprKind::Literal(Literal::Long(Some(i64::try_from(k).unwrap_or(i64::MAX)))),
                    span,
                );
                let expr = Expr::new(
                    ExprKind::Index {
                        target: Box::new(item.expr.clone()),
                        index: Box::new(index),
                    },
                    span,
                );
                out.push(NamedExpr {
                    names: vec![name],
                    expr,
                    span: item.span,
                });
            }
        }
        Ok(out)
    }
}
