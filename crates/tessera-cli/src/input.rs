//! Reading files and stdin with a size cap, and writing output files and stdout.
//!
//! Every input is bounded before it is read: a key or claims file larger than [`MAX_FILE`] is
//! refused from its metadata, and the read itself stops one byte past the cap, so a FIFO or a
//! device that lies about its size cannot make the tool allocate without bound.

use crate::error::{CliError, Result};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

/// Largest key, claims or token input read, in bytes (1 MiB).
pub const MAX_FILE: u64 = 1024 * 1024;

/// A plain wording of an I/O error, without Rust's `(os error N)` suffix.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        io::ErrorKind::BrokenPipe => "broken pipe".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

/// Reads at most `limit` bytes; `None` when there is more.
fn read_capped(r: impl Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    r.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

/// Reads a whole, non-empty input file of at most [`MAX_FILE`] bytes, or stdin when `path` is
/// `-`. `what` names the input in messages ("key file", "claims file").
pub fn read_input(path: &Path, what: &str) -> Result<Vec<u8>> {
    let (bytes, name) = if path.as_os_str() == "-" {
        let bytes = read_capped(io::stdin().lock(), MAX_FILE)
            .map_err(|e| CliError::usage(format!("{what} on stdin: {}", io_reason(&e))))?;
        (bytes, format!("{what} on stdin"))
    } else {
        let name = format!("{what} {}", path.display());
        let fail = |e: io::Error| CliError::usage(format!("{name}: {}", io_reason(&e)));
        let meta = fs::metadata(path).map_err(fail)?;
        if meta.is_dir() {
            return Err(CliError::usage(format!(
                "{name}: is a directory, not a file"
            )));
        }
        if meta.len() > MAX_FILE {
            return Err(too_large(&name, Some(meta.len())));
        }
        let bytes = read_capped(File::open(path).map_err(fail)?, MAX_FILE).map_err(fail)?;
        (bytes, name)
    };
    match bytes {
        None => Err(too_large(&name, None)),
        Some(b) if b.is_empty() => Err(CliError::usage(format!("{name}: is empty"))),
        Some(b) => Ok(b),
    }
}

fn too_large(name: &str, size: Option<u64>) -> CliError {
    let size = size.map_or_else(String::new, |s| format!(" ({s} bytes)"));
    CliError::usage(format!("{name}: larger than the 1 MiB limit{size}"))
}

/// The token argument, or the token read from stdin when it is `-` (at most `limit` bytes,
/// trailing whitespace removed).
pub fn token(arg: &str, limit: usize) -> Result<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let limit = (limit as u64).max(MAX_FILE);
    let bytes = read_capped(io::stdin().lock(), limit)
        .map_err(|e| CliError::usage(format!("token on stdin: {}", io_reason(&e))))?
        .ok_or_else(|| CliError::rejected(format!("token on stdin: more than {limit} bytes")))?;
    let mut token = String::from_utf8(bytes)
        .map_err(|_| CliError::rejected("token on stdin: not UTF-8 text"))?;
    token.truncate(token.trim_end().len());
    Ok(token)
}

/// Writes `bytes` to a new or truncated file; a private one gets mode 0600 on Unix, including
/// when the file already existed with a wider mode (it is changed before anything is written).
pub fn write_file(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let fail = |e: io::Error| {
        CliError::usage(format!(
            "cannot write {}: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    file.write_all(bytes).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// Writes `bytes` to stdout and flushes.
pub fn stdout(bytes: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| CliError::usage(format!("cannot write to stdout: {}", io_reason(&e))))
}
