//! How a command ended, as a process exit code.

use std::process::ExitCode;

/// How a command ended. The codes follow grep: 0 found, 1 nothing found, 2 trouble.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum ExitStatus {
    /// The command did its work; for `query`, at least one passage matched.
    Success,
    /// `query` (or `entities`) ran fine but nothing matched.
    NoMatch,
    /// Something failed; the details went to stderr.
    Error,
}

impl ExitStatus {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::NoMatch => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}
