//! Which columns of Parquet files hold no nulls, from the null counts in their footers.
//!
//! KQL strings have no null, so a nullable Parquet string column is read as
//! `coalesce(column, "")`. That wrapper costs at every query: it is evaluated on every row, and a
//! filter on it (`coalesce(JobName, "") == "x"`) cannot be checked against row-group statistics
//! or evaluated while decoding. Writers mark most columns nullable whether or not they hold a
//! null, so the footers are asked: a column whose every row group counts zero nulls is read as
//! it is. A column without a null count, or any file that cannot be read, keeps the wrapper.
//! The answer is for the files as they are at registration, like their schema.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use datafusion::parquet::file::metadata::ParquetMetaDataReader;

/// The top-level columns with no null in any row group of any of the files (directories are
/// searched for `.parquet` files). Empty when a footer cannot be read.
pub(crate) fn null_free_columns(paths: &[PathBuf]) -> HashSet<String> {
    let mut files = Vec::new();
    for path in paths {
        if collect_files(path, &mut files).is_err() {
            return HashSet::new();
        }
    }
    // Per column: whether every row group seen so far counted zero nulls.
    let mut null_free: HashMap<String, bool> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        let Some(footer) = std::fs::File::open(file)
            .ok()
            .and_then(|f| ParquetMetaDataReader::new().parse_and_finish(&f).ok())
        else {
            return HashSet::new();
        };
        let mut in_file: HashMap<String, bool> = HashMap::new();
        for row_group in footer.row_groups() {
            for column in row_group.columns() {
                let descr = column.column_descr();
                // Nested columns (a leaf below a group) are read whole; only top-level leaves count.
                if descr.path().parts().len() != 1 {
                    continue;
                }
                let zero = column
                    .statistics()
                    .and_then(|s| s.null_count_opt())
                    .is_some_and(|n| n == 0);
                let entry = in_file.entry(descr.name().to_string()).or_insert(true);
                *entry &= zero;
            }
        }
        if i == 0 {
            null_free = in_file;
        } else {
            // A column a file lacks is read as nulls from it.
            null_free.retain(|name, free| {
                *free &= in_file.get(name).copied().unwrap_or(false);
                *free
            });
        }
    }
    null_free
        .into_iter()
        .filter_map(|(name, free)| free.then_some(name))
        .collect()
}

/// `path` if it is a file, or the `.parquet` files below it.
fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?.path();
        if entry.is_dir() {
            collect_files(&entry, out)?;
        } else if entry.extension().is_some_and(|e| e == "parquet") {
            out.push(entry);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::StringArray;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::arrow::record_batch::RecordBatch;
    use datafusion::parquet::arrow::ArrowWriter;

    use super::*;

    fn write(path: &Path, a: Vec<Option<&str>>, b: Vec<Option<&str>>) {
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Utf8, true),
            Field::new("b", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(a)),
                Arc::new(StringArray::from(b)),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
        let mut writer = ArrowWriter::try_new(file, schema, None).unwrap_or_else(|e| panic!("{e}"));
        writer.write(&batch).unwrap_or_else(|e| panic!("{e}"));
        writer.close().unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_column_is_null_free_only_when_every_file_counts_no_null() {
        let dir = std::env::temp_dir().join(format!("kql-parquet-nulls-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("part")).unwrap_or_else(|e| panic!("{e}"));
        write(
            &dir.join("one.parquet"),
            vec![Some("x"), Some("")],
            vec![Some("y"), None],
        );
        assert_eq!(
            null_free_columns(&[dir.join("one.parquet")]),
            HashSet::from(["a".to_string()])
        );
        write(&dir.join("part/two.parquet"), vec![None], vec![Some("z")]);
        assert!(null_free_columns(std::slice::from_ref(&dir)).is_empty());
        assert!(null_free_columns(&[dir.join("missing.parquet")]).is_empty());
        std::fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    }
}
