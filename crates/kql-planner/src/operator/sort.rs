//! `sort by` / `order by` and `top n by`, with KQL's defaults: descending, nulls last when
//! descending and first when ascending.

use datafusion::logical_expr::SortExpr;
use kql_parser::Span;
use kql_parser::ast::{NullsOrder, SortKey, SortOrder, Top};

use crate::error::{OrInternal, PResult, codes, error};
use crate::expr::finish;
use crate::planner::Planner;
use crate::{KqlColumn, Tabular};

impl Planner<'_> {
    pub(super) fn sort_exprs(
        &mut self,
        keys: &[SortKey],
        input: &Tabular,
    ) -> PResult<Vec<SortExpr>> {
        let schema = input.plan.schema().clone();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let v = self.expr(&key.expr, input)?;
            if v.ty == kql_functions::KqlType::Dynamic {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    "cannot sort by a dynamic value; convert it first (tostring(), tolong(), …)",
                    key.expr.span,
                ));
            }
            let asc = key.order == Some(SortOrder::Asc);
            let nulls_first = match key.nulls {
                Some(NullsOrder::First) => true,
                Some(NullsOrder::Last) => false,
                None => asc,
            };
            out.push(finish(&v, &schema).sort(asc, nulls_first));
        }
        Ok(out)
    }

    pub(super) fn sort(
        &mut self,
        keys: &[SortKey],
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let sorts = self.sort_exprs(keys, &input)?;
        let plan = input
            .builder()
            .sort(sorts)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular {
            plan,
            columns: input.columns,
        })
    }

    pub(super) fn top(&mut self, top: &Top, input: Tabular, span: Span) -> PResult<Tabular> {
        let n = self.row_count(&top.count, "top")?;
        let sorts = self.sort_exprs(std::slice::from_ref(&top.by), &input)?;
        let plan = input
            .builder()
            .sort_with_limit(sorts, Some(n))
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let columns: Vec<KqlColumn> = input.columns;
        Ok(Tabular { plan, columns })
    }
}
