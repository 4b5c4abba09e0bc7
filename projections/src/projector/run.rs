//! The projector's loop inside `serve`: catch up, then sleep until woken or the poll interval
//! passes; back off on errors; checkpoint on shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::Projector;

/// The longest pause between retries after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Projector {
    /// Keeps the live model caught up until `shutdown` completes, then stores a snapshot.
    ///
    /// Writers call `wake.notify_one()` after an append: the permit is kept if the loop is busy,
    /// so no append goes unnoticed. The poll interval is the fallback (another process wrote).
    /// Errors are logged and retried with a growing pause; the model is never half-applied, so
    /// a failed or cancelled catch-up simply resumes from the live position.
    pub async fn run(self: Arc<Self>, wake: Arc<Notify>, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut failures: u32 = 0;
        loop {
            let caught_up = tokio::select! {
                biased;
                () = &mut shutdown => break,
                result = self.catch_up() => result,
            };
            let pause = match caught_up {
                Ok(_) => {
                    failures = 0;
                    None
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    let pause = backoff(self.config.poll_interval, failures);
                    tracing::error!(
                        %error,
                        retry.in_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
                        retry.failures = failures,
                        "projector catch-up failed"
                    );
                    Some(pause)
                }
            };
            match pause {
                // After a failure only time ends the pause: a stream of appends must not turn
                // the backoff into a busy retry loop.
                Some(pause) => tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(pause) => {}
                },
                None => tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = wake.notified() => {}
                    () = tokio::time::sleep(self.config.poll_interval) => {}
                },
            }
        }
        match self.checkpoint().await {
            Ok(saved) => tracing::info!(
                snapshot.saved = saved,
                log.position = self.position(),
                "projector stopped"
            ),
            Err(error) => {
                tracing::error!(%error, "projector could not store its snapshot on shutdown")
            }
        }
    }
}

/// `base` doubled per consecutive failure, at most [`MAX_BACKOFF`].
fn backoff(base: Duration, failures: u32) -> Duration {
    let factor = 1u32 << failures.min(16);
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let base = Duration::from_millis(500);
        assert_eq!(backoff(base, 1), Duration::from_secs(1));
        assert_eq!(backoff(base, 2), Duration::from_secs(2));
        assert_eq!(backoff(base, 40), MAX_BACKOFF);
    }
}
