//! The pipeline's state as operators see it in `/readyz` and `/metrics`: whether the
//! integration token is refused (a pipeline-wide pause) and how each stage is doing.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Why the pipeline is paused, as `/readyz` says it.
pub const PAUSED_TOKEN: &str = "paused: integration token refused";

/// A stage's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageState {
    Running,
    /// Ended unexpectedly (panic or return) and waits to be started again.
    Restarting {
        error: String,
    },
}

#[derive(Debug, Default)]
pub struct Health {
    /// The events feed refused the integration token (401/403).
    feed_refused: AtomicBool,
    /// Ticket reads refused the integration token (401/403).
    reads_refused: AtomicBool,
    stages: Mutex<BTreeMap<&'static str, StageState>>,
    restarts: Mutex<BTreeMap<&'static str, u64>>,
    /// Set once the pipeline is started (off when neither a token nor webhooks are set).
    enabled: AtomicBool,
    /// Unix ms of the last refusal, for the log's rate limit.
    last_refusal_log: AtomicU64,
}

/// Which call saw the token refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Feed,
    Reads,
}

impl Health {
    pub fn enable(&self) {
        self.enabled.store(true, Ordering::Relaxed);
    }

    fn flag(&self, which: Refused) -> &AtomicBool {
        match which {
            Refused::Feed => &self.feed_refused,
            Refused::Reads => &self.reads_refused,
        }
    }

    /// Records a refusal; true when this starts the pause (worth an error log).
    pub fn refuse(&self, which: Refused) -> bool {
        let was_paused = self.is_paused();
        self.flag(which).store(true, Ordering::Relaxed);
        !was_paused
    }

    /// Records that the token was accepted again for `which`; true when this ends the
    /// pause.
    pub fn accept(&self, which: Refused) -> bool {
        let was_paused = self.is_paused();
        self.flag(which).store(false, Ordering::Relaxed);
        was_paused && !self.is_paused()
    }

    pub fn is_paused(&self) -> bool {
        self.feed_refused.load(Ordering::Relaxed) || self.reads_refused.load(Ordering::Relaxed)
    }

    pub fn set_stage(&self, stage: &'static str, state: StageState) {
        if let Ok(mut s) = self.stages.lock() {
            s.insert(stage, state);
        }
    }

    pub fn count_restart(&self, stage: &'static str) {
        if let Ok(mut r) = self.restarts.lock() {
            *r.entry(stage).or_insert(0) += 1;
        }
    }

    pub fn restarts(&self) -> Vec<(&'static str, u64)> {
        self.restarts
            .lock()
            .map(|r| r.iter().map(|(k, v)| (*k, *v)).collect())
            .unwrap_or_default()
    }

    /// Whether a refusal log line is due (at most one a minute while paused).
    pub fn log_due(&self, now_ms: u64) -> bool {
        let last = self.last_refusal_log.load(Ordering::Relaxed);
        if now_ms.saturating_sub(last) >= 60_000 {
            self.last_refusal_log.store(now_ms, Ordering::Relaxed);
            true
        } else {
            false
        }
    }

    /// One word for `/readyz`: `off`, `running`, the pause, or `degraded: …`.
    pub fn summary(&self) -> String {
        if !self.enabled.load(Ordering::Relaxed) {
            return "off".into();
        }
        if self.is_paused() {
            return PAUSED_TOKEN.into();
        }
        let restarting: Vec<&str> = self
            .stages
            .lock()
            .map(|s| {
                s.iter()
                    .filter(|(_, st)| **st != StageState::Running)
                    .map(|(k, _)| *k)
                    .collect()
            })
            .unwrap_or_default();
        if restarting.is_empty() {
            "running".into()
        } else {
            format!("degraded: restarting {}", restarting.join(", "))
        }
    }

    /// Each stage and its state, for `/readyz`.
    pub fn stages(&self) -> serde_json::Value {
        let map = self
            .stages
            .lock()
            .map(|s| {
                s.iter()
                    .map(|(k, st)| {
                        let v = match st {
                            StageState::Running => "running".to_string(),
                            StageState::Restarting { error } => format!("restarting: {error}"),
                        };
                        (k.to_string(), serde_json::Value::String(v))
                    })
                    .collect::<serde_json::Map<_, _>>()
            })
            .unwrap_or_default();
        serde_json::Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_lasts_until_every_refusing_call_accepts_again() {
        let h = Health::default();
        h.enable();
        assert_eq!(h.summary(), "running");
        assert!(h.refuse(Refused::Feed));
        assert!(!h.refuse(Refused::Reads), "already paused");
        assert_eq!(h.summary(), PAUSED_TOKEN);
        assert!(!h.accept(Refused::Feed), "reads still refused");
        assert!(h.is_paused());
        assert!(h.accept(Refused::Reads));
        assert_eq!(h.summary(), "running");
    }

    #[test]
    fn a_restarting_stage_shows_in_the_summary() {
        let h = Health::default();
        h.enable();
        h.set_stage("poller", StageState::Running);
        h.set_stage(
            "dispatcher",
            StageState::Restarting {
                error: "panicked".into(),
            },
        );
        assert_eq!(h.summary(), "degraded: restarting dispatcher");
        assert_eq!(h.stages()["dispatcher"], "restarting: panicked");
    }
}
