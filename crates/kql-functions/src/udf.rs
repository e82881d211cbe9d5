//! The scalar UDFs KQL needs where DataFusion's built-ins differ in semantics, and the one
//! generic UDF type they are built from.
//!
//! [`KernelUdf`] wraps a plain function over Arrow arrays, so a new UDF is a kernel function plus
//! one line here; a call whose arguments are all scalars is computed once and returned as a
//! scalar.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanBuilder, DurationNanosecondArray, Float64Array, Int64Array,
    StringArray, StringBuilder, TimestampNanosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Field, FieldRef, TimeUnit, TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use kql_parser::temporal;

/// A kernel: the argument arrays (all of the row count) in, the result array out.
pub type Kernel = fn(&[ArrayRef]) -> Result<ArrayRef>;

/// A kernel that sees scalar arguments as scalars (so a constant needle or pattern is prepared
/// once per batch, not once per row): the arguments and the row count in, that many rows out.
pub type ColumnarKernel = fn(&[ColumnarValue], usize) -> Result<ArrayRef>;

/// The two shapes of kernel a [`KernelUdf`] can wrap.
#[derive(Debug, Clone, Copy)]
enum KernelFn {
    Arrays(Kernel),
    Columnar(ColumnarKernel),
}

/// A scalar UDF defined by a kernel and a fixed return type. Two are equal when their names
/// are: every `KernelUdf` has a name of its own.
#[derive(Debug)]
pub struct KernelUdf {
    name: &'static str,
    signature: Signature,
    return_type: DataType,
    kernel: KernelFn,
    /// The argument whose value the kernel falls back to, if that is the only way its result
    /// can be null (see [`KernelUdf::null_only_from`]).
    null_only_from: Option<usize>,
}

impl KernelUdf {
    /// A UDF named `name` taking `args` (DataFusion coerces to them) and returning `return_type`.
    pub fn new(
        name: &'static str,
        args: Vec<DataType>,
        return_type: DataType,
        kernel: Kernel,
    ) -> Self {
        Self {
            name,
            signature: Signature::exact(args, Volatility::Immutable),
            return_type,
            kernel: KernelFn::Arrays(kernel),
            null_only_from: None,
        }
    }

    /// A UDF that takes any arguments (the kernel checks their types).
    pub fn any_args(name: &'static str, return_type: DataType, kernel: Kernel) -> Self {
        Self {
            name,
            signature: Signature::variadic_any(Volatility::Immutable),
            return_type,
            kernel: KernelFn::Arrays(kernel),
            null_only_from: None,
        }
    }

    /// A UDF that takes any arguments and whose kernel reads them as DataFusion passes them.
    pub fn columnar(name: &'static str, return_type: DataType, kernel: ColumnarKernel) -> Self {
        Self {
            name,
            signature: Signature::variadic_any(Volatility::Immutable),
            return_type,
            kernel: KernelFn::Columnar(kernel),
            null_only_from: None,
        }
    }

    /// Declares that the kernel's result is null only where argument `arg` is (the value it
    /// falls back to), so a call with a non-null literal there, or a non-nullable column, gives
    /// a non-nullable column: `kql_split_part(s, "/", 8, "")` is as non-nullable as the
    /// `coalesce(…, "")` it replaces. Without that argument the result is nullable.
    pub fn null_only_from(mut self, arg: usize) -> Self {
        self.null_only_from = Some(arg);
        self
    }

    /// As a shareable [`ScalarUDF`].
    pub fn into_udf(self) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(self))
    }
}

impl PartialEq for KernelUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for KernelUdf {}

impl std::hash::Hash for KernelUdf {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for KernelUdf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.return_type.clone())
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs<'_>) -> Result<FieldRef> {
        let nullable = self
            .null_only_from
            .is_none_or(|arg| args.arg_fields.get(arg).is_none_or(|f| f.is_nullable()));
        Ok(Arc::new(Field::new(
            self.name,
            self.return_type.clone(),
            nullable,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let all_scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let rows = if all_scalar { 1 } else { args.number_rows };
        let out = match self.kernel {
            KernelFn::Arrays(kernel) => {
                let arrays = args
                    .args
                    .iter()
                    .map(|a| a.to_array(rows))
                    .collect::<Result<Vec<_>>>()?;
                kernel(&arrays)?
            }
            KernelFn::Columnar(kernel) => kernel(&args.args, rows)?,
        };
        if out.len() != rows {
            return exec_err!(
                "{}: kernel returned {} rows, expected {rows}",
                self.name,
                out.len()
            );
        }
        if all_scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?))
        } else {
            Ok(ColumnarValue::Array(out))
        }
    }
}

/// The array as `Utf8` (casting `Utf8View`, `LargeUtf8`, …).
pub fn utf8(array: &ArrayRef) -> Result<ArrayRef> {
    if array.data_type() == &DataType::Utf8 {
        Ok(Arc::clone(array))
    } else {
        Ok(cast(array, &DataType::Utf8)?)
    }
}

/// A string array from per-row optional strings.
pub fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(values.collect::<StringArray>())
}

macro_rules! singleton {
    ($(#[$doc:meta])* $name:ident => $make:expr) => {
        $(#[$doc])*
        pub fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| $make))
        }
    };
}

fn utc_nanos() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

singleton!(
    /// `datetime` → ISO 8601 text as Log Analytics shows it.
    format_datetime => KernelUdf::new("kql_format_datetime", vec![utc_nanos()], DataType::Utf8, |a| {
        let a = cast(&a[0], &utc_nanos())?;
        let values = a.as_primitive::<TimestampNanosecondType>();
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 28);
        for v in values.iter() {
            out.append_option(v.map(|ns| temporal::format_datetime(ns.div_euclid(100))));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

singleton!(
    /// `datetime` → ISO 8601 with seven fractional digits, as `tostring()` gives it.
    format_datetime_full => KernelUdf::new("kql_format_datetime_full", vec![utc_nanos()], DataType::Utf8, |a| {
        let a = cast(&a[0], &utc_nanos())?;
        let values = a.as_primitive::<TimestampNanosecondType>();
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 28);
        for v in values.iter() {
            out.append_option(v.map(|ns| temporal::format_datetime_full(ns.div_euclid(100))));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

singleton!(
    /// `timespan` → `[-][d.]hh:mm:ss[.fffffff]`.
    format_timespan => KernelUdf::new("kql_format_timespan", vec![DataType::Duration(TimeUnit::Nanosecond)], DataType::Utf8, |a| {
        let values = a[0].as_primitive::<DurationNanosecondType>();
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
        for v in values.iter() {
            out.append_option(v.map(|ns| temporal::format_timespan(ns / 100)));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

/// KQL's text form of a real, which is .NET's `double.ToString()`: the shortest digits that read
/// back to the same value, in plain notation when the decimal exponent is from -5 (exclusive) to
/// 15 (exclusive), else as `1.5E+20` / `1E-05`; and `NaN`, `Infinity`, `-Infinity`.
pub fn real_text(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `-1.2345e-7`.
    let scientific = format!("{v:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::from(sign);
    if (-4..15).contains(&exponent) {
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.push_str(&"0".repeat(int_len - digits.len()));
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!(
            "E{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.unsigned_abs()
        ));
    }
    out
}

singleton!(
    /// `real` → text.
    format_real => KernelUdf::new("kql_format_real", vec![DataType::Float64], DataType::Utf8, |a| {
        let values = a[0].as_primitive::<datafusion::arrow::datatypes::Float64Type>();
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 8);
        for v in values.iter() {
            out.append_option(v.map(real_text));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

singleton!(
    /// Text → `datetime`, in every format KQL reads; null when it does not parse.
    parse_datetime => KernelUdf::new("kql_parse_datetime", vec![DataType::Utf8], utc_nanos(), |a| {
        let a = utf8(&a[0])?;
        let values = a.as_string::<i32>();
        let out: TimestampNanosecondArray = values
            .iter()
            .map(|v| v.and_then(temporal::parse_datetime).and_then(|t| t.checked_mul(100)))
            .collect();
        Ok(Arc::new(out.with_timezone("UTC")))
    }).into_udf()
);

singleton!(
    /// Text → `timespan`; null when it does not parse.
    parse_timespan => KernelUdf::new("kql_parse_timespan", vec![DataType::Utf8], DataType::Duration(TimeUnit::Nanosecond), |a| {
        let a = utf8(&a[0])?;
        let out: DurationNanosecondArray = a
            .as_string::<i32>()
            .iter()
            .map(|v| v.and_then(temporal::parse_timespan).and_then(|t| t.checked_mul(100)))
            .collect();
        Ok(Arc::new(out))
    }).into_udf()
);

/// `tobool` of text: `true`/`false` in any case, or an integer (non-zero is true).
pub fn bool_of_text(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        t.parse::<i64>().ok().map(|n| n != 0)
    }
}

singleton!(
    /// Text → `bool`.
    parse_bool => KernelUdf::new("kql_parse_bool", vec![DataType::Utf8], DataType::Boolean, |a| {
        let a = utf8(&a[0])?;
        let values = a.as_string::<i32>();
        let mut out = BooleanBuilder::with_capacity(values.len());
        for v in values.iter() {
            out.append_option(v.and_then(bool_of_text));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

/// `tolong` of text: an integer, or a real truncated towards zero.
pub fn long_of_text(text: &str) -> Option<i64> {
    let t = text.trim();
    t.parse::<i64>().ok().or_else(|| {
        let r: f64 = t.parse().ok()?;
        (r.is_finite() && r.abs() < 9.2e18).then(|| r.trunc() as i64)
    })
}

singleton!(
    /// Text → `long`.
    parse_long => KernelUdf::new("kql_parse_long", vec![DataType::Utf8], DataType::Int64, |a| {
        let a = utf8(&a[0])?;
        let out: Int64Array = a.as_string::<i32>().iter().map(|v| v.and_then(long_of_text)).collect();
        Ok(Arc::new(out))
    }).into_udf()
);

/// `parse_json` of text: valid JSON stays as written; anything else becomes a JSON string
/// holding the text, as KQL does.
pub fn json_of_text(text: &str) -> String {
    let trimmed = text.trim();
    if serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok() {
        trimmed.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

singleton!(
    /// Text → `dynamic`.
    parse_json => KernelUdf::new("kql_parse_json", vec![DataType::Utf8], DataType::Utf8, |a| {
        let a = utf8(&a[0])?;
        let values = a.as_string::<i32>();
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
        for v in values.iter() {
            out.append_option(v.map(json_of_text));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

singleton!(
    /// A scalar value → `dynamic`. Arguments: the value (as text for datetime, timespan and
    /// real) and the KQL type name, a literal.
    to_json => KernelUdf::any_args("kql_to_json", DataType::Utf8, |a| {
        if a.len() != 2 {
            return exec_err!("kql_to_json takes 2 arguments");
        }
        let type_name = utf8(&a[1])?;
        let type_name = type_name.as_string::<i32>();
        let quoted = type_name.is_empty()
            || !matches!(type_name.value(0), "long" | "int" | "real" | "bool" | "decimal");
        let text = utf8(&a[0])?;
        let values = text.as_string::<i32>();
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 8);
        for v in values.iter() {
            out.append_option(v.map(|s| {
                if quoted || s == "NaN" || s.contains("Infinity") {
                    serde_json::Value::String(s.to_string()).to_string()
                } else {
                    s.to_string()
                }
            }));
        }
        Ok(Arc::new(out.finish()))
    }).into_udf()
);

/// Reals of an array, for kernels that take a number.
pub fn reals(array: &ArrayRef) -> Result<Float64Array> {
    Ok(cast(array, &DataType::Float64)?.as_primitive().clone())
}
