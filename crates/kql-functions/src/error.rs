//! Errors of function resolution and lowering, without spans: the planner attaches them.

use std::fmt;

use crate::KqlType;

/// Why a call could not be resolved or lowered.
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionError {
    /// No function of that name.
    Unknown {
        /// The name called.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
    },
    /// A known KQL function this engine does not implement.
    Unsupported {
        /// The name called.
        name: String,
    },
    /// Wrong number of arguments.
    Arity {
        /// The function.
        name: String,
        /// What it accepts, e.g. "2" or "1 to 3".
        expected: String,
        /// How many were given.
        got: usize,
    },
    /// An argument of the wrong type.
    ArgumentType {
        /// The function.
        name: String,
        /// 0-based argument position.
        index: usize,
        /// What the argument must be.
        expected: String,
        /// What it is.
        got: KqlType,
    },
    /// An argument that must be a constant (e.g. a percentile) is not.
    NotConstant {
        /// The function.
        name: String,
        /// 0-based argument position.
        index: usize,
    },
    /// Any other reason, in words.
    Invalid {
        /// The function.
        name: String,
        /// What is wrong.
        message: String,
    },
}

impl FunctionError {
    /// The argument the error is about, if it is about one.
    pub fn argument_index(&self) -> Option<usize> {
        match self {
            Self::ArgumentType { index, .. } | Self::NotConstant { index, .. } => Some(*index),
            _ => None,
        }
    }
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown { name, .. } => write!(f, "unknown function '{name}'"),
            Self::Unsupported { name } => write!(f, "function '{name}' is not supported"),
            Self::Arity {
                name,
                expected,
                got,
            } => write!(
                f,
                "{name}() takes {expected} argument{}, got {got}",
                if expected == "1" { "" } else { "s" }
            ),
            Self::ArgumentType {
                name,
                index,
                expected,
                got,
            } => write!(
                f,
                "argument {} of {name}() must be {expected}, got {got}",
                index + 1
            ),
            Self::NotConstant { name, index } => {
                write!(f, "argument {} of {name}() must be a constant", index + 1)
            }
            Self::Invalid { name, message } => write!(f, "{name}(): {message}"),
        }
    }
}

impl std::error::Error for FunctionError {}
