//! The one error type of the tool: a message for stderr and the exit code that goes with it.

use std::fmt;

/// Exit code of a token that was rejected (`verify`) or could not be decoded (`inspect`).
pub const REJECTED: u8 = 1;
/// Exit code of a usage error or an unreadable or unusable key, claims or output file.
pub const USAGE: u8 = 2;

/// Longest piece of untrusted input repeated in a message.
const CLIP: usize = 64;

/// Why the command failed, already worded for the user.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    message: String,
}

/// The result of every command.
pub type Result<T, E = CliError> = std::result::Result<T, E>;

impl CliError {
    /// A usage error, or input the tool cannot work with (exit 2).
    pub fn usage(message: impl fmt::Display) -> Self {
        CliError {
            code: USAGE,
            message: message.to_string(),
        }
    }

    /// A token rejected or not decodable (exit 1).
    pub fn rejected(message: impl fmt::Display) -> Self {
        CliError {
            code: REJECTED,
            message: message.to_string(),
        }
    }

    /// The process exit code.
    pub fn code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.message))
    }
}

/// Folds a message onto one line: scripts read stderr line by line, and messages can quote
/// untrusted input (a file name, a kid) that holds line breaks or terminal escapes.
pub fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for word in message.split(|c: char| c.is_whitespace() || c.is_control()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// At most [`CLIP`] characters of untrusted input, for a message.
pub fn clip(s: &str) -> String {
    match s.char_indices().nth(CLIP) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_fold_to_one_line() {
        assert_eq!(one_line("a\n  b\r\n\x1b[31mc\t"), "a b [31mc");
        assert_eq!(clip(&"x".repeat(70)), format!("{}...", "x".repeat(64)));
    }
}
