//! Handing the terminal to a command that runs in a process group of its
//! own (see `bounded`), and taking it back.
//!
//! Why: a process that is not in the terminal's foreground process group is
//! stopped (SIGTTIN) when it reads the terminal, so a `cmd:` source that
//! asks for a passphrase on /dev/tty would hang until `--source-timeout`
//! killed it. A shell gives the terminal to each job it runs; so does this.

use std::fs::File;

use nix::sys::signal::{killpg, SigSet, SigmaskHow, Signal};
use nix::unistd::{getpgrp, tcgetpgrp, tcsetpgrp, Pid};

/// The terminal, lent to a process group until this is dropped.
pub struct Lent {
    tty: File,
    owner: Pid,
}

/// Gives the controlling terminal to the process group `group` when this
/// process's group holds it now; `None` when there is no terminal, or it
/// belongs to another group (a background job), which is left alone.
pub fn lend(group: Pid) -> Option<Lent> {
    let tty = File::open("/dev/tty").ok()?;
    let owner = getpgrp();
    if tcgetpgrp(&tty).ok()? != owner {
        return None;
    }
    tcsetpgrp(&tty, group).ok()?;
    // It may have read the terminal before it was handed over, and been stopped.
    let _ = killpg(group, Signal::SIGCONT);
    Some(Lent { tty, owner })
}

impl Drop for Lent {
    /// Takes the terminal back. This process is in a background group by
    /// now, where `tcsetpgrp` raises SIGTTOU unless that signal is blocked.
    fn drop(&mut self) {
        let mut ttou = SigSet::empty();
        ttou.add(Signal::SIGTTOU);
        let mut previous = SigSet::empty();
        if nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&ttou), Some(&mut previous))
            .is_ok()
        {
            let _ = tcsetpgrp(&self.tty, self.owner);
            let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&previous), None);
        }
    }
}
