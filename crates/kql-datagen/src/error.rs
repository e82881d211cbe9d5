use std::path::PathBuf;

/// Everything that can go wrong while generating or writing data.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("arrow error: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("parquet error: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("internal error: {0}")]
    Internal(String),
    #[error("cannot write column '{column}' of type {data_type} as JSON")]
    UnsupportedType { column: String, data_type: String },
}

impl GenError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        GenError::Io {
            path: path.into(),
            source,
        }
    }
}
