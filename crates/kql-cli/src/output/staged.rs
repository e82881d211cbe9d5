//! `--out` files that appear whole or not at all. Each file is written under a temporary name
//! beside it and renamed over its own name once the whole query has succeeded, so a statement
//! that fails half way through a batch neither leaves a half-written file nor clobbers the one
//! that was there. A path that is not a regular file (`/dev/null`, a named pipe) or is a
//! symbolic link is written in place: renaming over it would replace the device or the link.
//! A file that was there keeps its permissions (the new one takes them before the rename); its
//! owner is the writer's, and other hard links to it keep the old contents.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::Failure;

/// The files written so far under temporary names, and their own names.
#[derive(Default)]
pub(crate) struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Creates the file that becomes `path` at [`commit`](Self::commit).
    pub(crate) fn create(&mut self, path: &Path) -> Result<File, Failure> {
        let cannot =
            |e: std::io::Error| Failure::Other(format!("cannot create {}: {e}", path.display()));
        let existing = std::fs::symlink_metadata(path).ok();
        let in_place = existing.as_ref().is_some_and(|m| !m.file_type().is_file());
        let Some(name) = path.file_name().filter(|_| !in_place) else {
            return File::create(path).map_err(cannot);
        };
        let temp = path.with_file_name(format!(
            ".{}.kql-{}.partial",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = File::create(&temp).map_err(cannot)?;
        self.files.push((temp, path.to_path_buf()));
        if let Some(existing) = existing {
            file.set_permissions(existing.permissions())
                .map_err(cannot)?;
        }
        Ok(file)
    }

    /// Gives every file its own name. The files must be closed (flushed) first.
    pub(crate) fn commit(mut self) -> Result<(), Failure> {
        while let Some((temp, path)) = self.files.first() {
            std::fs::rename(temp, path)
                .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
            self.files.remove(0);
        }
        Ok(())
    }
}

impl Drop for Staged {
    /// A query that failed leaves no temporary file behind.
    fn drop(&mut self) {
        for (temp, _) in &self.files {
            let _ = std::fs::remove_file(temp);
        }
    }
}
