//! The array-building step of `make-series`: for each group, the aggregated value of every bin of
//! the axis, as a `dynamic` array with the default value where a bin has no rows.
//!
//! The planner aggregates by (group, bin) first, so this aggregate sees at most one row per bin:
//! the bin's index and its value. Its partial state is the list of `index<TAB>json` entries.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

use super::collect::{encode, list_scalar, state_strings, utf8_list};
use crate::KqlType;

/// Fills a series of `bins` elements from (bin index, value) rows of one group.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct SeriesUdaf {
    name: String,
    ty: KqlType,
    bins: usize,
    default: String,
    signature: Signature,
}

impl SeriesUdaf {
    /// Values of type `ty`; `default` is the JSON text of the value of an empty bin.
    pub(crate) fn new(ty: KqlType, bins: usize, default: String) -> Self {
        Self {
            name: format!("kql_make_series_{}_{bins}_{default}", ty.name()),
            ty,
            bins,
            default,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for SeriesUdaf {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, _acc_args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SeriesAccumulator {
            ty: self.ty,
            bins: self.bins,
            default: self.default.clone(),
            entries: Vec::new(),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "bins"),
            utf8_list(),
            true,
        ))])
    }
}

#[derive(Debug)]
struct SeriesAccumulator {
    ty: KqlType,
    bins: usize,
    default: String,
    /// `(bin, JSON of its value)`.
    entries: Vec<(usize, String)>,
}

impl SeriesAccumulator {
    fn add(&mut self, bin: i64, json: String) {
        if let Ok(bin) = usize::try_from(bin)
            && bin < self.bins
        {
            self.entries.push((bin, json));
        }
    }
}

impl Accumulator for SeriesAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [bins, values] = values else {
            return exec_err!("make-series takes a bin and a value");
        };
        let bins = cast(bins, &DataType::Int64)?;
        let bins = bins.as_primitive::<Int64Type>();
        let texts = if self.ty == KqlType::Dynamic {
            cast(values, &DataType::Utf8)?
                .as_string::<i32>()
                .iter()
                .map(|v| v.map(str::to_string))
                .collect()
        } else {
            encode(values, self.ty)?
        };
        for (row, text) in texts.into_iter().enumerate() {
            if bins.is_valid(row) {
                self.add(bins.value(row), text.unwrap_or_else(|| "null".into()));
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(list) = states.first().and_then(|s| s.as_list_opt::<i32>()) else {
            return exec_err!("make-series state is not a list");
        };
        for row in 0..list.len() {
            for entry in state_strings(list, row)?.into_iter().flatten() {
                let Some((bin, json)) = entry.split_once('\t') else {
                    return exec_err!("bad make-series state entry");
                };
                let Ok(bin) = bin.parse::<i64>() else {
                    return exec_err!("bad make-series state entry");
                };
                self.add(bin, json.to_string());
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|(bin, json)| format!("{bin}\t{json}"))
            .collect();
        Ok(vec![list_scalar(&entries)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut slots: Vec<Option<&str>> = vec![None; self.bins];
        for (bin, json) in &self.entries {
            slots[*bin] = Some(json);
        }
        let mut out = String::with_capacity(self.bins * (self.default.len() + 1) + 2);
        out.push('[');
        for (i, slot) in slots.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(slot.unwrap_or(&self.default));
        }
        out.push(']');
        Ok(ScalarValue::Utf8(Some(out)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self
                .entries
                .iter()
                .map(|(_, j)| j.capacity() + std::mem::size_of::<(usize, String)>())
                .sum::<usize>()
    }
}
