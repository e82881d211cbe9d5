//! `project`, `project-away`, `project-keep`, `project-rename`, `project-reorder`.

use super::{comma_list, named_expr_list};
use crate::ast::{ColumnPattern, OperatorKind, Rename, ReorderItem, ReorderOrder};
use crate::parser::ident::{column_pattern, ident};
use crate::parser::input::{Input, PResult, equals, expect, keyword};

/// Production: `project = "project" named_expression { "," named_expression }`.
pub(super) fn project(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, items) = named_expr_list(i, "after 'project'")?;
    Ok((i, OperatorKind::Project(items)))
}

fn patterns<'a>(i: Input<'a>, op: &str) -> PResult<'a, Vec<ColumnPattern>> {
    let what = format!("a column name or pattern after '{op}'");
    comma_list(i, |r| {
        let (r, (pattern, span)) = expect(r, what.clone(), column_pattern)?;
        Ok((r, ColumnPattern { pattern, span }))
    })
}

/// Production: `project_away = "project-away" column_pattern { "," column_pattern }`.
pub(super) fn project_away(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, p) = patterns(i, "project-away")?;
    Ok((i, OperatorKind::ProjectAway(p)))
}

/// Production: `project_keep = "project-keep" column_pattern { "," column_pattern }`.
pub(super) fn project_keep(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, p) = patterns(i, "project-keep")?;
    Ok((i, OperatorKind::ProjectKeep(p)))
}

/// Production: `project_by_names = "project-by-names" expression { "," expression }`.
pub(super) fn project_by_names(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, names) = comma_list(i, |r| {
        crate::parser::expr::expect_expr(r, "after 'project-by-names'")
    })?;
    Ok((i, OperatorKind::ProjectByNames(names)))
}

/// Production: `project_rename = "project-rename" identifier "=" identifier { "," … }`.
pub(super) fn project_rename(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, renames) = comma_list(i, |r| {
        let (r, new) = expect(r, "a new column name after 'project-rename'", ident)?;
        let (r, _) = expect(r, format!("'=' after '{}'", new.name), equals)?;
        let (r, old) = expect(r, "the existing column name after '='", ident)?;
        Ok((r, Rename { new, old }))
    })?;
    Ok((i, OperatorKind::ProjectRename(renames)))
}

/// Production: `project_reorder = "project-reorder" column_pattern [reorder_order] { "," … }`.
pub(super) fn project_reorder(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, items) = comma_list(i, |r| {
        let (r, (pattern, span)) = expect(r, "a column name or pattern", column_pattern)?;
        let mut order = None;
        let mut r = r;
        for (word, o) in [
            ("granny-asc", ReorderOrder::GrannyAsc),
            ("granny-desc", ReorderOrder::GrannyDesc),
            ("asc", ReorderOrder::Asc),
            ("desc", ReorderOrder::Desc),
        ] {
            if let Ok((rest, _)) = keyword(r, word) {
                order = Some(o);
                r = rest;
                break;
            }
        }
        Ok((
            r,
            ReorderItem {
                pattern: ColumnPattern { pattern, span },
                order,
            },
        ))
    })?;
    Ok((i, OperatorKind::ProjectReorder(items)))
}
