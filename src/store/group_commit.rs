//! Group commit: many writers, one `fsync`.
//!
//! Flushing after every write caps throughput at the disk's sync rate; never flushing
//! acknowledges writes a crash can lose. Here a writer calls [`GroupCommit::wait`] after its
//! write returned. Flushes are numbered; a waiter needs the first flush that *starts* after
//! its call (flush `started + 1` at the time of the call), because a flush already running may
//! have begun before its write. One flusher at a time runs flushes back to back while anyone
//! waits for a later one, so every flush releases all writes that landed while the previous
//! one ran.
//!
//! The flusher runs detached (a blocking task), so a waiter whose future is dropped — say a
//! client hung up — cannot leave the others waiting for a flush that never comes.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use tokio::sync::watch;

use super::{DurableFuture, StoreError};

type FlushFn = dyn Fn() -> Result<(), StoreError> + Send + Sync;

/// Shares one flush between all writers waiting at the same time.
pub struct GroupCommit {
    shared: Arc<Shared>,
    /// Only this handle keeps the flush function (and the database it holds) alive; the
    /// flusher borrows it per flush, so dropping the store releases the database promptly.
    flush: Arc<FlushFn>,
}

struct Shared {
    state: Mutex<State>,
    /// Bumped after each flush; waiters re-check the state when it changes.
    changed: watch::Sender<()>,
}

#[derive(Default)]
struct State {
    /// Number of flushes started.
    started: u64,
    /// Highest flush number that completed successfully.
    completed: u64,
    /// Highest flush number any waiter needs.
    wanted: u64,
    /// Whether a flusher is running.
    running: bool,
    /// Set by the first failed flush; sticky (see [`super::Store::durable`]).
    failed: Option<String>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is updated in single assignments, so it is consistent even if a holder
        // panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl GroupCommit {
    /// `flush` must make every write that returned before it was called durable.
    pub fn new(flush: impl Fn() -> Result<(), StoreError> + Send + Sync + 'static) -> Self {
        let (changed, _) = watch::channel(());
        GroupCommit {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                changed,
            }),
            flush: Arc::new(flush),
        }
    }

    /// Resolves once a flush that started after this call has completed.
    pub fn wait(&self) -> DurableFuture {
        let shared = Arc::clone(&self.shared);
        let flush = Arc::downgrade(&self.flush);
        // Register now, not on first poll: the caller's writes are done by the time it calls.
        let mut changed = shared.changed.subscribe();
        let registered = {
            let mut state = shared.lock();
            match &state.failed {
                Some(message) => Err(failed(message)),
                None => {
                    let target = state.started + 1;
                    state.wanted = state.wanted.max(target);
                    let start = !state.running;
                    state.running = true;
                    Ok((target, start))
                }
            }
        };
        let (target, start) = match registered {
            Ok(registered) => registered,
            Err(e) => return Box::pin(std::future::ready(Err(e))),
        };
        if start {
            spawn_flusher(Arc::clone(&shared), flush);
        }
        Box::pin(async move {
            loop {
                {
                    let state = shared.lock();
                    if state.completed >= target {
                        return Ok(());
                    }
                    if let Some(message) = &state.failed {
                        return Err(failed(message));
                    }
                }
                // `shared` owns the sender, so this cannot fail.
                let _ = changed.changed().await;
            }
        })
    }
}

fn failed(message: &str) -> StoreError {
    StoreError::Backend(format!(
        "an earlier flush failed, nothing can be confirmed: {message}"
    ))
}

fn spawn_flusher(shared: Arc<Shared>, flush: Weak<FlushFn>) {
    let run = move || loop {
        let number = {
            let mut state = shared.lock();
            if state.wanted <= state.started || state.failed.is_some() {
                state.running = false;
                return;
            }
            state.started += 1;
            state.started
        };
        // The upgraded handle is dropped before waiters are woken.
        let result = match flush.upgrade() {
            Some(flush) => flush(),
            None => Err(StoreError::Backend("the store was closed".into())),
        };
        {
            let mut state = shared.lock();
            match result {
                Ok(()) => state.completed = number,
                Err(e) => {
                    tracing::error!(error = %e, "store flush failed; refusing further commits");
                    state.failed = Some(e.to_string());
                }
            }
        }
        shared.changed.send_replace(());
    };
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn_blocking(run);
        }
        Err(_) => {
            std::thread::spawn(run);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::time::Duration;

    /// A fake disk: `written` is what writers did, `durable` what the last flush saw.
    struct Disk {
        written: AtomicU64,
        durable: AtomicU64,
        flushes: AtomicUsize,
        fail: std::sync::atomic::AtomicBool,
    }

    fn commit(disk: &Arc<Disk>) -> GroupCommit {
        let disk = Arc::clone(disk);
        GroupCommit::new(move || {
            let seen = disk.written.load(Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(2));
            disk.flushes.fetch_add(1, Ordering::SeqCst);
            if disk.fail.load(Ordering::SeqCst) {
                return Err(StoreError::Backend("disk on fire".into()));
            }
            disk.durable.fetch_max(seen, Ordering::SeqCst);
            Ok(())
        })
    }

    fn disk() -> Arc<Disk> {
        Arc::new(Disk {
            written: AtomicU64::new(0),
            durable: AtomicU64::new(0),
            flushes: AtomicUsize::new(0),
            fail: false.into(),
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn every_waiter_sees_its_write_flushed_and_flushes_are_shared() {
        let disk = disk();
        let gc = Arc::new(commit(&disk));
        let mut tasks = Vec::new();
        for _ in 0..400 {
            let (disk, gc) = (Arc::clone(&disk), Arc::clone(&gc));
            tasks.push(tokio::spawn(async move {
                let mine = disk.written.fetch_add(1, Ordering::SeqCst) + 1;
                gc.wait().await.unwrap();
                assert!(disk.durable.load(Ordering::SeqCst) >= mine);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let flushes = disk.flushes.load(Ordering::SeqCst);
        assert!(
            (1..400).contains(&flushes),
            "{flushes} flushes for 400 writes"
        );
    }

    #[tokio::test]
    async fn a_dropped_waiter_does_not_stall_the_next() {
        let disk = disk();
        let gc = commit(&disk);
        drop(gc.wait());
        tokio::time::timeout(Duration::from_secs(10), gc.wait())
            .await
            .expect("second waiter released")
            .unwrap();
    }

    #[tokio::test]
    async fn a_failed_flush_is_reported_and_sticks() {
        let disk = disk();
        let gc = commit(&disk);
        gc.wait().await.unwrap();
        disk.fail.store(true, Ordering::SeqCst);
        assert!(matches!(gc.wait().await, Err(StoreError::Backend(_))));
        disk.fail.store(false, Ordering::SeqCst);
        let flushes = disk.flushes.load(Ordering::SeqCst);
        let err = gc.wait().await.unwrap_err();
        assert!(err.to_string().contains("earlier flush failed"), "{err}");
        assert_eq!(
            disk.flushes.load(Ordering::SeqCst),
            flushes,
            "no flush after failure"
        );
    }

    #[test]
    fn works_without_a_runtime_and_after_the_owner_is_gone() {
        let disk = disk();
        let gc = commit(&disk);
        let waiting = gc.wait();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(waiting).unwrap();
        // A future outliving its GroupCommit resolves with an error instead of hanging,
        // unless its flush already ran.
        let late = gc.wait();
        drop(gc);
        let _ = rt.block_on(late);
    }
}
