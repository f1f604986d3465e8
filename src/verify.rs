//! The verify policy, shared by every driver that checks credentials before
//! handing a config over (the CLI's `--verify`, the Dagger module's
//! `verified`): a registry that cannot be reached stops everything; one that
//! refuses its credentials stops it too, or is left out.

use std::fmt;
use std::str::FromStr;

use crate::auth::{Outcome, Status};

/// What to do with a registry that refuses its credentials.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnRejected {
    /// Stop with an error naming it.
    #[default]
    Fail,
    /// Leave its entry out, so tools go to it anonymously.
    Drop,
}

impl FromStr for OnRejected {
    type Err = UnknownOnRejected;

    /// `fail` or `drop`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "fail" => Ok(OnRejected::Fail),
            "drop" => Ok(OnRejected::Drop),
            other => Err(UnknownOnRejected(other.to_owned())),
        }
    }
}

/// Neither `fail` nor `drop`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be \"fail\" or \"drop\", not {0:?}")]
pub struct UnknownOnRejected(pub String);

/// Why a verified config cannot be handed over.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No verdict for a registry: unreachable, TLS, timeout.
    #[error("cannot verify the credentials for {entry}: {detail}")]
    Unverified {
        /// The entry's canonical address.
        entry: String,
        /// The check's detail.
        detail: String,
    },
    /// A registry refused its credentials, and `OnRejected::Fail`.
    #[error("{entry} rejected the credentials: {detail}")]
    Rejected {
        /// The entry's canonical address.
        entry: String,
        /// The registry's message.
        detail: String,
    },
}

/// An entry left out under `OnRejected::Drop`; displays as the warning to give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// The entry's canonical address: what to remove.
    pub entry: String,
    /// The registry's message.
    pub detail: String,
}

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "left {} out: it rejected the credentials ({}); tools will try it anonymously",
            self.entry, self.detail
        )
    }
}

/// The entries to leave out, given each checked entry with its outcome. Any
/// registry without a verdict stops, whatever `on_rejected` says; then any
/// verdict but `Valid` fails or is dropped.
///
/// ```
/// use registry_config::auth::{Outcome, Status};
/// use registry_config::{verify, OnRejected};
///
/// let valid = Outcome { status: Status::Valid, detail: "ok".into() };
/// let rejected = Outcome { status: Status::Rejected, detail: "401".into() };
/// let dropped = verify([("ghcr.io", &valid), ("quay.io", &rejected)], OnRejected::Drop).unwrap();
/// assert_eq!(dropped[0].entry, "quay.io");
/// assert!(verify([("quay.io", &rejected)], OnRejected::Fail).is_err());
/// ```
pub fn verify<'a>(
    checked: impl IntoIterator<Item = (&'a str, &'a Outcome)> + Clone,
    on_rejected: OnRejected,
) -> Result<Vec<Dropped>, VerifyError> {
    let problem = |(entry, outcome): (&str, &Outcome)| (entry.to_owned(), outcome.detail.clone());
    if let Some((entry, detail)) = checked
        .clone()
        .into_iter()
        .find(|(_, outcome)| outcome.status == Status::Error)
        .map(problem)
    {
        return Err(VerifyError::Unverified { entry, detail });
    }
    let mut dropped = Vec::new();
    for (entry, detail) in checked
        .into_iter()
        .filter(|(_, outcome)| outcome.status != Status::Valid)
        .map(problem)
    {
        match on_rejected {
            OnRejected::Fail => return Err(VerifyError::Rejected { entry, detail }),
            OnRejected::Drop => dropped.push(Dropped { entry, detail }),
        }
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Status) -> Outcome {
        Outcome {
            status,
            detail: format!("{} detail", status.as_str()),
        }
    }

    #[test]
    fn an_unreachable_registry_stops_even_after_a_rejection_and_with_drop() {
        let (rejected, error) = (outcome(Status::Rejected), outcome(Status::Error));
        let checked = [("a.io", &rejected), ("b.io", &error)];
        for on_rejected in [OnRejected::Fail, OnRejected::Drop] {
            let err = verify(checked, on_rejected).unwrap_err();
            assert_eq!(
                err.to_string(),
                "cannot verify the credentials for b.io: error detail"
            );
        }
    }

    #[test]
    fn rejected_and_anonymous_fail_or_drop_in_order() {
        let (valid, rejected, anonymous) = (
            outcome(Status::Valid),
            outcome(Status::Rejected),
            outcome(Status::Anonymous),
        );
        let checked = [("a.io", &anonymous), ("b.io", &valid), ("c.io", &rejected)];
        let err = verify(checked, OnRejected::Fail).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.io rejected the credentials: anonymous detail"
        );
        let dropped = verify(checked, OnRejected::Drop).unwrap();
        let entries: Vec<_> = dropped.iter().map(|d| d.entry.as_str()).collect();
        assert_eq!(entries, ["a.io", "c.io"]);
        assert_eq!(
            dropped[1].to_string(),
            "left c.io out: it rejected the credentials (rejected detail); tools will try it anonymously"
        );
        assert_eq!(verify([("b.io", &valid)], OnRejected::Fail), Ok(vec![]));
    }

    #[test]
    fn on_rejected_reads_fail_and_drop_only() {
        assert_eq!("drop".parse(), Ok(OnRejected::Drop));
        assert_eq!("fail".parse(), Ok(OnRejected::Fail));
        let err = "warn".parse::<OnRejected>().unwrap_err();
        assert_eq!(err.to_string(), r#"must be "fail" or "drop", not "warn""#);
    }
}
