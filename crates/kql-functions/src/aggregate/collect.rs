//! `make_list`, `make_list_with_nulls`, `make_set` and `make_bag`: aggregates that collect values
//! into a `dynamic` array or bag, as JSON text.
//!
//! Each row's value is encoded as JSON once, by its KQL type: strings quoted (a null string is
//! `""`: KQL strings have no null), numbers and bools bare, datetimes and timespans as their KQL
//! text, `dynamic` values embedded as compact JSON. The partial state is that list of encoded
//! texts, so DataFusion's two-phase (partial, then final) aggregation merges lists of strings.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StringArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Field, FieldRef, Float64Type, Int64Type, TimeUnit,
    TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use kql_parser::temporal;

use crate::KqlType;
use crate::scalar::dynamic::json::{Json, quote, write_string};

/// The most elements `make_list`, `make_set` and `make_bag` keep by default (and at most), as in
/// KQL.
pub(crate) const MAX_SIZE: usize = 1_048_576;

/// What the aggregate builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Collect {
    /// An array of the non-null values.
    List,
    /// An array of every value, null included.
    ListWithNulls,
    /// An array of the distinct non-null values; the elements of array values are added one by
    /// one (KQL docs: `make_set` of array values is the set of their elements).
    Set,
    /// A bag of the members of the bag values; a repeated key keeps its first value.
    Bag,
}

impl Collect {
    fn base_name(self) -> &'static str {
        match self {
            Self::List => "make_list",
            Self::ListWithNulls => "make_list_with_nulls",
            Self::Set => "make_set",
            Self::Bag => "make_bag",
        }
    }
}

/// The UDAF for one kind of collection of one KQL type of value. The name carries the value type
/// and a non-default size limit, so two instances are equal exactly when they behave the same.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct CollectUdaf {
    name: String,
    collect: Collect,
    ty: KqlType,
    max_size: usize,
    signature: Signature,
}

impl CollectUdaf {
    pub(crate) fn new(collect: Collect, ty: KqlType, max_size: usize) -> Self {
        let mut name = format!("kql_{}_{}", collect.base_name(), ty.name());
        if max_size != MAX_SIZE {
            name.push_str(&format!("_max{max_size}"));
        }
        Self {
            name,
            collect,
            ty,
            max_size,
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

pub(super) fn utf8_list() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

impl AggregateUDFImpl for CollectUdaf {
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
        Ok(Box::new(CollectAccumulator {
            collect: self.collect,
            ty: self.ty,
            max_size: self.max_size,
            items: Vec::new(),
            values: Vec::new(),
            seen: HashSet::new(),
            bytes: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        let items = Field::new(format_state_name(args.name, "items"), utf8_list(), true);
        Ok(if self.collect == Collect::Bag {
            let values = Field::new(format_state_name(args.name, "values"), utf8_list(), true);
            vec![Arc::new(items), Arc::new(values)]
        } else {
            vec![Arc::new(items)]
        })
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        // KQL keeps the input order when the input is sorted, but promises nothing otherwise.
        AggregateOrderSensitivity::Insensitive
    }
}

/// The collected values. For a bag, `items` are the keys and `values` their JSON values.
#[derive(Debug)]
struct CollectAccumulator {
    collect: Collect,
    ty: KqlType,
    max_size: usize,
    items: Vec<String>,
    values: Vec<String>,
    /// Items (set) or keys (bag) already added.
    seen: HashSet<String>,
    bytes: usize,
}

impl CollectAccumulator {
    fn full(&self) -> bool {
        self.items.len() >= self.max_size
    }

    /// Adds one encoded value to a list or set.
    fn add(&mut self, item: String) {
        if self.full() {
            return;
        }
        if self.collect == Collect::Set && !self.seen.insert(item.clone()) {
            return;
        }
        self.bytes += item.len();
        self.items.push(item);
    }

    /// Adds one member to a bag unless the key is there.
    fn add_member(&mut self, key: String, value: String) {
        if self.full() || self.seen.contains(&key) {
            return;
        }
        self.seen.insert(key.clone());
        self.bytes += key.len() + value.len();
        self.items.push(key);
        self.values.push(value);
    }

    /// Adds a row's value: `None` is null.
    fn add_row(&mut self, value: Option<Json>, text: Option<String>) {
        match self.collect {
            Collect::List => {
                if let Some(text) = text {
                    self.add(text);
                }
            }
            Collect::ListWithNulls => self.add(text.unwrap_or_else(|| "null".into())),
            Collect::Set => match value {
                Some(Json::Array(items)) => {
                    for item in items.iter().filter(|i| **i != Json::Null) {
                        self.add(item.text());
                    }
                }
                _ => {
                    if let Some(text) = text {
                        self.add(text);
                    }
                }
            },
            Collect::Bag => {
                if let Some(Json::Object(entries)) = value {
                    for (k, v) in entries {
                        self.add_member(k, v.text());
                    }
                }
            }
        }
    }
}

/// A list state: the strings of one row of a `List<Utf8>` state column.
pub(super) fn state_strings(list: &ListArray, row: usize) -> Result<Vec<Option<String>>> {
    if list.is_null(row) {
        return Ok(Vec::new());
    }
    let values = list.value(row);
    let Some(strings) = values.as_string_opt::<i32>() else {
        return exec_err!("collect state is not a list of strings");
    };
    Ok(strings.iter().map(|s| s.map(str::to_string)).collect())
}

pub(super) fn list_scalar(items: &[String]) -> Result<ScalarValue> {
    let values: ArrayRef = Arc::new(StringArray::from_iter_values(items));
    let field = Arc::new(Field::new_list_field(DataType::Utf8, true));
    let offsets = OffsetBuffer::from_lengths([items.len()]);
    Ok(ScalarValue::List(Arc::new(ListArray::try_new(
        field, offsets, values, None,
    )?)))
}

impl Accumulator for CollectAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(input) = values.first() else {
            return exec_err!("{} takes one argument", self.collect.base_name());
        };
        let needs_value = matches!(self.collect, Collect::Set | Collect::Bag);
        if self.ty == KqlType::Dynamic {
            let text = cast(input, &DataType::Utf8)?;
            for v in text.as_string::<i32>().iter() {
                if self.full() {
                    break;
                }
                let parsed = v
                    .map(crate::scalar::dynamic::value_of)
                    .filter(|j| *j != Json::Null);
                let encoded = parsed.as_ref().map(Json::text);
                self.add_row(if needs_value { parsed } else { None }, encoded);
            }
        } else {
            for text in encode(input, self.ty)? {
                if self.full() {
                    break;
                }
                self.add_row(None, text);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(items) = states.first().and_then(|s| s.as_list_opt::<i32>()) else {
            return exec_err!("collect state is not a list");
        };
        if self.collect == Collect::Bag {
            let Some(values) = states.get(1).and_then(|s| s.as_list_opt::<i32>()) else {
                return exec_err!("bag state has no values");
            };
            for row in 0..items.len() {
                let keys = state_strings(items, row)?;
                let vals = state_strings(values, row)?;
                for (k, v) in keys.into_iter().zip(vals) {
                    if let (Some(k), Some(v)) = (k, v) {
                        self.add_member(k, v);
                    }
                }
            }
        } else {
            for row in 0..items.len() {
                for item in state_strings(items, row)?.into_iter().flatten() {
                    self.add(item);
                }
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let mut state = vec![list_scalar(&self.items)?];
        if self.collect == Collect::Bag {
            state.push(list_scalar(&self.values)?);
        }
        Ok(state)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut out = String::with_capacity(self.bytes + 2 * self.items.len() + 2);
        if self.collect == Collect::Bag {
            out.push('{');
            for (i, (k, v)) in self.items.iter().zip(&self.values).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, &mut out);
                out.push(':');
                out.push_str(v);
            }
            out.push('}');
        } else {
            out.push('[');
            out.push_str(&self.items.join(","));
            out.push(']');
        }
        Ok(ScalarValue::Utf8(Some(out)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.bytes * 2
            + (self.items.capacity() + self.values.capacity()) * std::mem::size_of::<String>()
    }
}

/// A real as a JSON value: KQL shows reals with a fraction (`[5.0]`, KQL docs of `summarize`),
/// and non-finite reals as strings.
fn real_json(v: f64) -> String {
    match serde_json::Number::from_f64(v) {
        Some(n) => n.to_string(),
        None => quote(&crate::udf::real_text(v)),
    }
}

/// A decimal's text without trailing zeros in the fraction.
fn decimal_json(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

/// Each row of a non-dynamic column as JSON text; `None` for null.
pub(super) fn encode(array: &ArrayRef, ty: KqlType) -> Result<Vec<Option<String>>> {
    Ok(match ty {
        KqlType::String => cast(array, &DataType::Utf8)?
            .as_string::<i32>()
            .iter()
            .map(|v| Some(quote(v.unwrap_or(""))))
            .collect(),
        KqlType::Guid | KqlType::Dynamic => cast(array, &DataType::Utf8)?
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(quote))
            .collect(),
        KqlType::Bool => cast(array, &DataType::Boolean)?
            .as_boolean()
            .iter()
            .map(|v| v.map(|b| b.to_string()))
            .collect(),
        KqlType::Int | KqlType::Long => cast(array, &DataType::Int64)?
            .as_primitive::<Int64Type>()
            .iter()
            .map(|v| v.map(|n| n.to_string()))
            .collect(),
        KqlType::Real => cast(array, &DataType::Float64)?
            .as_primitive::<Float64Type>()
            .iter()
            .map(|v| v.map(real_json))
            .collect(),
        KqlType::Decimal => cast(array, &DataType::Utf8)?
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(decimal_json))
            .collect(),
        KqlType::Datetime => cast(
            array,
            &DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
        )?
        .as_primitive::<TimestampNanosecondType>()
        .iter()
        .map(|v| v.map(|ns| quote(&temporal::format_datetime(ns.div_euclid(100)))))
        .collect(),
        KqlType::Timespan => cast(array, &DataType::Duration(TimeUnit::Nanosecond))?
            .as_primitive::<DurationNanosecondType>()
            .iter()
            .map(|v| v.map(|ns| quote(&temporal::format_timespan(ns / 100))))
            .collect(),
    })
}
