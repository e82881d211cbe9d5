//! Function signatures in KQL types, and the implicit conversions KQL allows when matching them.

use crate::KqlType;

/// What one parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// Exactly this type, or one KQL converts to it implicitly: `int` → `long` → `real`,
    /// `int`/`long` → `decimal`, and for `string` also `dynamic` and `guid` (read as text).
    /// The argument reaches the lowering already converted.
    Of(KqlType),
    /// Any type; passed through unchanged.
    Any,
    /// Any type but `dynamic`.
    Scalar,
    /// `int`, `long`, `real` or `decimal`, unchanged.
    Numeric,
    /// `int` or `long`, unchanged.
    Integer,
    /// A number, `datetime` or `timespan` (what `bin`, `min`, `max` accept), unchanged.
    Orderable,
    /// A number or `timespan` (what `sum` and `avg` accept), unchanged.
    Summable,
    /// `datetime` or `timespan`, unchanged.
    Temporal,
}

impl Param {
    /// Words for error messages: "a string", "a number", …
    pub fn describe(self) -> String {
        match self {
            Self::Of(t) => format!("{} {t}", if matches!(t, KqlType::Int) { "an" } else { "a" }),
            Self::Any => "any value".into(),
            Self::Scalar => "a scalar (not dynamic)".into(),
            Self::Numeric => "a number".into(),
            Self::Integer => "an int or a long".into(),
            Self::Orderable => "a number, datetime or timespan".into(),
            Self::Summable => "a number or timespan".into(),
            Self::Temporal => "a datetime or timespan".into(),
        }
    }

    /// Whether an argument of type `t` fits, possibly after an implicit conversion.
    pub fn accepts(self, t: KqlType) -> bool {
        use KqlType::*;
        match self {
            Self::Any => true,
            Self::Scalar => t != Dynamic,
            Self::Numeric => t.is_numeric() || t == Dynamic,
            Self::Integer => t.is_integer() || t == Dynamic,
            Self::Orderable => t.is_numeric() || matches!(t, Datetime | Timespan),
            Self::Summable => t.is_numeric() || t == Timespan,
            Self::Temporal => matches!(t, Datetime | Timespan),
            Self::Of(want) => {
                want == t
                    || t == Dynamic
                    || match want {
                        Long => t == Int,
                        Real => matches!(t, Int | Long | Decimal),
                        Decimal => matches!(t, Int | Long | Real),
                        String => matches!(t, Guid),
                        Guid => t == String,
                        _ => false,
                    }
            }
        }
    }
}

/// How a signature's result type is found.
#[derive(Clone, Copy, Debug)]
pub enum Returns {
    /// Always this type.
    Type(KqlType),
    /// The type of argument `i`.
    SameAs(usize),
    /// `real` for a numeric argument `i`, else its type (`avg`, `round` of an int is …).
    RealOr(usize),
    /// Worked out from the argument types.
    Custom(fn(&[KqlType]) -> KqlType),
}

/// One signature: parameters, how many trailing ones may be left out, whether the last repeats,
/// and the result type.
#[derive(Clone, Debug)]
pub struct Signature {
    /// The parameters in order.
    pub params: Vec<Param>,
    /// How many trailing parameters are optional.
    pub optional: usize,
    /// Whether the last parameter may repeat any number of times (at least once, unless
    /// optional).
    pub variadic: bool,
    /// The result type.
    pub returns: Returns,
}

impl Signature {
    /// A fixed list of parameters.
    pub fn new(params: impl Into<Vec<Param>>, returns: Returns) -> Self {
        Self {
            params: params.into(),
            optional: 0,
            variadic: false,
            returns,
        }
    }

    /// Makes the last `n` parameters optional.
    pub fn optional(mut self, n: usize) -> Self {
        self.optional = n;
        self
    }

    /// Lets the last parameter repeat.
    pub fn variadic(mut self) -> Self {
        self.variadic = true;
        self
    }

    /// The fewest arguments accepted.
    pub fn min_args(&self) -> usize {
        self.params.len() - self.optional
    }

    /// The most arguments accepted (`None`: unbounded).
    pub fn max_args(&self) -> Option<usize> {
        (!self.variadic).then_some(self.params.len())
    }

    /// The parameter an argument at `index` binds to.
    pub fn param_at(&self, index: usize) -> Option<Param> {
        match self.params.get(index) {
            Some(p) => Some(*p),
            None if self.variadic => self.params.last().copied(),
            None => None,
        }
    }

    /// The result type for these argument types.
    pub fn result_type(&self, args: &[KqlType]) -> KqlType {
        match self.returns {
            Returns::Type(t) => t,
            Returns::SameAs(i) => args.get(i).copied().unwrap_or(KqlType::Dynamic),
            Returns::RealOr(i) => match args.get(i) {
                Some(t) if t.is_numeric() => KqlType::Real,
                Some(t) => *t,
                None => KqlType::Real,
            },
            Returns::Custom(f) => f(args),
        }
    }

    /// How the signature reads in documentation and errors: `(string, long [, long]) -> string`.
    pub fn display(&self, name: &str) -> String {
        let mut out = format!("{name}(");
        let required = self.min_args();
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let text = match p {
                Param::Of(t) => t.name().to_string(),
                other => other.describe(),
            };
            if i >= required {
                out.push('[');
                out.push_str(&text);
                out.push(']');
            } else {
                out.push_str(&text);
            }
        }
        if self.variadic {
            out.push_str(", …");
        }
        out.push(')');
        out
    }
}
