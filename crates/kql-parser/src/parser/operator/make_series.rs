//! `make-series`.

use super::{comma_list, named_expr, named_expr_list, params};
use crate::ast::{MakeSeries, OperatorKind, SeriesAggregate, SeriesRange};
use crate::parser::expr::{additive_expr, expect_expr};
use crate::parser::input::{
    Input, PResult, equals, expect, expect_symbol, hard, keyword, peek_keyword,
};

/// Production: `make_series = "make-series" { operator_param } series_aggregate { "," … } "on"
/// expression ( "in" "range" "(" expression "," expression "," expression ")" | [ "from"
/// expression ] [ "to" expression ] "step" expression ) [ "by" named_expression { "," … } ]`,
/// `series_aggregate = named_expression [ "default" "=" expression ]`.
pub(super) fn make_series(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, params) = params(i, &["kind"])?;
    let (i, aggregates) = comma_list(i, |r| {
        let (r, agg) = named_expr(r, "(an aggregate) after 'make-series'")?;
        let (r, default) = match keyword(r, "default") {
            Ok((rest, _)) => {
                let (rest, _) = expect(rest, "'=' after 'default'", equals)?;
                let (rest, e) = expect_expr(rest, "after 'default ='")?;
                (rest, Some(e))
            }
            Err(_) => (r, None),
        };
        Ok((r, SeriesAggregate { agg, default }))
    })?;
    let (i, _) = expect(i, "'on' and the axis column of 'make-series'", |r| {
        keyword(r, "on")
    })?;
    let (i, on) = expect(i, "an expression (the axis) after 'on'", additive_expr)?;
    let (i, range) = if let Ok((rest, _)) = keyword(i, "in") {
        let (rest, _) = expect(rest, "'range' after 'in'", |r| keyword(r, "range"))?;
        let (rest, _) = expect_symbol(rest, "(", "after 'range'")?;
        let (rest, start) = expect_expr(rest, "(the start) in range()")?;
        let (rest, _) = expect_symbol(rest, ",", "after the start")?;
        let (rest, stop) = expect_expr(rest, "(the stop) in range()")?;
        let (rest, _) = expect_symbol(rest, ",", "after the stop")?;
        let (rest, step) = expect_expr(rest, "(the step) in range()")?;
        let (rest, _) = expect_symbol(rest, ")", "to close range(")?;
        (rest, SeriesRange::InRange { start, stop, step })
    } else {
        let (rest, from) = match keyword(i, "from") {
            Ok((rest, _)) => {
                let (rest, e) = expect_expr(rest, "after 'from'")?;
                (rest, Some(e))
            }
            Err(_) => (i, None),
        };
        let (rest, to) = match keyword(rest, "to") {
            Ok((rest, _)) => {
                let (rest, e) = expect_expr(rest, "after 'to'")?;
                (rest, Some(e))
            }
            Err(_) => (rest, None),
        };
        if !peek_keyword(rest, "step") {
            return hard(&rest, "'step' and the bin size of 'make-series'");
        }
        let (rest, _) = keyword(rest, "step")?;
        let (rest, step) = expect_expr(rest, "after 'step'")?;
        (rest, SeriesRange::FromTo { from, to, step })
    };
    let (i, by) = match keyword(i, "by") {
        Ok((rest, _)) => named_expr_list(rest, "after 'by'")?,
        Err(_) => (i, Vec::new()),
    };
    Ok((
        i,
        OperatorKind::MakeSeries(MakeSeries {
            params,
            aggregates,
            on,
            range,
            by,
        }),
    ))
}
