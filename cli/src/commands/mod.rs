//! One module per subcommand.

pub mod check;
#[cfg(unix)]
pub mod child;
#[cfg(unix)]
pub mod credential_helper;
#[cfg(target_os = "linux")]
pub mod exec;
#[cfg(not(target_os = "linux"))]
#[path = "exec_elsewhere.rs"]
pub mod exec;
#[cfg(unix)]
pub mod exec_helper;
pub mod import;
pub mod render;
