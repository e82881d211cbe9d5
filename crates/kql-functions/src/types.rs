//! KQL's scalar types and how they sit on Arrow.

use std::collections::HashMap;
use std::fmt;

use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use kql_parser::ast::ScalarType;

/// Arrow field metadata key that marks a Utf8 column as holding JSON (`dynamic`).
pub const EXTENSION_KEY: &str = "ARROW:extension:name";
/// The Arrow canonical extension name for JSON text.
pub const JSON_EXTENSION: &str = "arrow.json";

/// A KQL scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KqlType {
    /// `bool`: Boolean.
    Bool,
    /// `int`: Int32.
    Int,
    /// `long`: Int64.
    Long,
    /// `real`: Float64.
    Real,
    /// `decimal`: Decimal128(38, 18).
    Decimal,
    /// `string`: Utf8.
    String,
    /// `datetime`: Timestamp(ns, "UTC").
    Datetime,
    /// `timespan`: Duration(ns).
    Timespan,
    /// `guid`: Utf8.
    Guid,
    /// `dynamic`: Utf8 holding JSON text.
    Dynamic,
}

impl KqlType {
    /// The type's KQL name.
    pub fn name(self) -> &'static str {
        self.to_scalar_type().name()
    }

    /// The parser's type for this type.
    pub fn to_scalar_type(self) -> ScalarType {
        match self {
            Self::Bool => ScalarType::Bool,
            Self::Int => ScalarType::Int,
            Self::Long => ScalarType::Long,
            Self::Real => ScalarType::Real,
            Self::Decimal => ScalarType::Decimal,
            Self::String => ScalarType::String,
            Self::Datetime => ScalarType::Datetime,
            Self::Timespan => ScalarType::Timespan,
            Self::Guid => ScalarType::Guid,
            Self::Dynamic => ScalarType::Dynamic,
        }
    }

    /// The KQL type of a type written in a query.
    pub fn from_scalar_type(t: ScalarType) -> Self {
        match t {
            ScalarType::Bool => Self::Bool,
            ScalarType::Int => Self::Int,
            ScalarType::Long => Self::Long,
            ScalarType::Real => Self::Real,
            ScalarType::Decimal => Self::Decimal,
            ScalarType::String => Self::String,
            ScalarType::Datetime => Self::Datetime,
            ScalarType::Timespan => Self::Timespan,
            ScalarType::Guid => Self::Guid,
            ScalarType::Dynamic => Self::Dynamic,
        }
    }

    /// The Arrow type values of this type have in plans and results.
    pub fn to_arrow(self) -> DataType {
        match self {
            Self::Bool => DataType::Boolean,
            Self::Int => DataType::Int32,
            Self::Long => DataType::Int64,
            Self::Real => DataType::Float64,
            Self::Decimal => DataType::Decimal128(38, 18),
            Self::String | Self::Guid | Self::Dynamic => DataType::Utf8,
            Self::Datetime => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            Self::Timespan => DataType::Duration(TimeUnit::Nanosecond),
        }
    }

    /// An Arrow field of this type; `dynamic` fields carry the JSON extension marker.
    pub fn to_field(self, name: &str) -> Field {
        let field = Field::new(name, self.to_arrow(), true);
        if self == Self::Dynamic {
            field.with_metadata(HashMap::from([(
                EXTENSION_KEY.to_string(),
                JSON_EXTENSION.to_string(),
            )]))
        } else {
            field
        }
    }

    /// The KQL type of an Arrow field: the JSON marker makes text `dynamic`; other Arrow types map
    /// to the nearest KQL type (loaders coerce data to the canonical Arrow types first).
    pub fn from_field(field: &Field) -> Option<Self> {
        if field.metadata().get(EXTENSION_KEY).map(String::as_str) == Some(JSON_EXTENSION) {
            return Some(Self::Dynamic);
        }
        Self::from_arrow(field.data_type())
    }

    /// The KQL type for an Arrow type, if there is one.
    pub fn from_arrow(dt: &DataType) -> Option<Self> {
        Some(match dt {
            DataType::Boolean => Self::Bool,
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::UInt8
            | DataType::UInt16 => Self::Int,
            DataType::Int64 | DataType::UInt32 | DataType::UInt64 => Self::Long,
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Self::Real,
            DataType::Decimal32(..)
            | DataType::Decimal64(..)
            | DataType::Decimal128(..)
            | DataType::Decimal256(..) => Self::Decimal,
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => Self::String,
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => Self::Datetime,
            DataType::Duration(_) => Self::Timespan,
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::Struct(_)
            | DataType::Map(..) => Self::Dynamic,
            DataType::Null => Self::Dynamic,
            _ => return None,
        })
    }

    /// `int`, `long`, `real`, `decimal`.
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Int | Self::Long | Self::Real | Self::Decimal)
    }

    /// `int`, `long`.
    pub fn is_integer(self) -> bool {
        matches!(self, Self::Int | Self::Long)
    }

    /// The type of `a op b` for numbers: any `real` makes `real`, any `decimal` makes `decimal`,
    /// else `long` (an `int` operand widens).
    pub fn numeric_join(a: Self, b: Self) -> Option<Self> {
        if !a.is_numeric() || !b.is_numeric() {
            return None;
        }
        Some(if a == Self::Real || b == Self::Real {
            Self::Real
        } else if a == Self::Decimal || b == Self::Decimal {
            Self::Decimal
        } else if a == Self::Int && b == Self::Int {
            Self::Int
        } else {
            Self::Long
        })
    }

    /// The .NET type name `getschema` reports in `DataType`.
    pub fn dotnet_name(self) -> &'static str {
        match self {
            Self::Bool => "System.SByte",
            Self::Int => "System.Int32",
            Self::Long => "System.Int64",
            Self::Real => "System.Double",
            Self::Decimal => "System.Data.SqlTypes.SqlDecimal",
            Self::String => "System.String",
            Self::Datetime => "System.DateTime",
            Self::Timespan => "System.TimeSpan",
            Self::Guid => "System.Guid",
            Self::Dynamic => "System.Object",
        }
    }
}

impl fmt::Display for KqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
