//! A boxed table for people (`comfy-table`), fitted to the terminal: long values are cut with
//! `…`, columns that do not fit are left out and named under the table, numbers are aligned
//! right. Without a width the table is as wide as its values (for pipes and files).

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, modifiers, presets};

use super::ColumnValues;
use crate::{EngineError, ResultTable};

/// The longest value shown in a terminal, in characters.
const CELL_CAP: usize = 60;
/// The width a wide column is counted with when deciding which columns fit: wider values wrap.
const FIT_CAP: usize = 30;

/// How [`render_table`] lays a table out.
#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    /// The terminal's width: columns beyond it are left out (and named under the table), long
    /// values are cut and wrapped. `None`: no limit.
    pub width: Option<u16>,
    /// Show at most this many rows; a line under the table says how many were left out.
    pub max_rows: Option<usize>,
}

/// The table as text, with notes under it for rows or columns left out; ends with a newline.
pub fn render_table(table: &ResultTable, options: &TableOptions) -> Result<String, EngineError> {
    let total_rows = table.row_count();
    let shown_rows = options.max_rows.map_or(total_rows, |m| m.min(total_rows));
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(shown_rows);
    'batches: for batch in &table.batches {
        let columns = ColumnValues::of_batch(batch, &table.columns)?;
        for row in 0..batch.num_rows() {
            if rows.len() == shown_rows {
                break 'batches;
            }
            rows.push(
                columns
                    .iter()
                    .map(|c| shown(&c.get(row).text(), options.width.map(|_| CELL_CAP)))
                    .collect(),
            );
        }
    }
    let names: Vec<&str> = table.column_names();
    let widths: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            rows.iter()
                .map(|r| r[i].lines().map(|l| l.chars().count()).max().unwrap_or(0))
                .chain([n.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let shown_columns = match options.width {
        Some(width) => fitting_columns(&widths, usize::from(width)),
        None => names.len(),
    };
    let left_out = names.len() - shown_columns;

    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .apply_modifier(modifiers::UTF8_ROUND_CORNERS);
    if let Some(width) = options.width {
        t.set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    let mut header: Vec<Cell> = names[..shown_columns].iter().map(Cell::new).collect();
    if left_out > 0 {
        header.push(Cell::new("…"));
    }
    t.set_header(header);
    for row in rows {
        let mut cells: Vec<Cell> = row.into_iter().take(shown_columns).map(Cell::new).collect();
        if left_out > 0 {
            cells.push(Cell::new("…"));
        }
        t.add_row(cells);
    }
    for (i, c) in table.columns.iter().take(shown_columns).enumerate() {
        if c.ty.is_numeric()
            && let Some(column) = t.column_mut(i)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = t.to_string();
    out.push('\n');
    if left_out > 0 {
        let rest = names[shown_columns..].join(", ");
        let note = format!(
            "{left_out} more column{}: {rest}",
            if left_out == 1 { "" } else { "s" }
        );
        out.push_str(&shown(&note, options.width.map(usize::from)));
        out.push('\n');
    }
    if shown_rows < total_rows {
        let more = total_rows - shown_rows;
        out.push_str(&format!(
            "{more} more row{} not shown ({shown_rows} of {total_rows})\n",
            if more == 1 { "" } else { "s" }
        ));
    }
    Ok(out)
}

/// How many columns, from the left, fit in `width` (at least one), counting wide columns as
/// [`FIT_CAP`] wide since their values wrap.
fn fitting_columns(widths: &[usize], width: usize) -> usize {
    // Borders: "│ a │ b │" is 1 + (w + 3) per column.
    let all: usize = 1 + widths.iter().map(|w| w.min(&FIT_CAP) + 3).sum::<usize>();
    if all <= width {
        return widths.len();
    }
    let ellipsis = 4;
    let mut used = 1 + ellipsis;
    let mut n = 0;
    for w in widths {
        let need = w.min(&FIT_CAP) + 3;
        if used + need > width {
            break;
        }
        used += need;
        n += 1;
    }
    n.max(1)
}

/// A value as a terminal shows it: tabs as spaces, no carriage returns, and at most `cap`
/// characters.
fn shown(text: &str, cap: Option<usize>) -> String {
    let clean: String = text
        .chars()
        .filter(|c| *c != '\r')
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    if let Some(cap) = cap
        && clean.chars().count() > cap
    {
        let mut cut: String = clean.chars().take(cap.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_columns() {
        assert_eq!(fitting_columns(&[5, 5, 5], 80), 3);
        assert_eq!(fitting_columns(&[30, 30, 30], 60), 1);
        assert_eq!(fitting_columns(&[100], 20), 1);
        assert_eq!(fitting_columns(&[10, 10, 10, 10, 10, 10], 40), 2);
    }

    #[test]
    fn cuts_long_values() {
        assert_eq!(
            shown(&"x".repeat(100), Some(CELL_CAP)).chars().count(),
            CELL_CAP
        );
        assert_eq!(shown(&"x".repeat(100), None).len(), 100);
        assert_eq!(shown("a\tb\r\n", None), "a b\n");
    }
}
