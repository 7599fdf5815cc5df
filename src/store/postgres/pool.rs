//! A small pool of `tokio_postgres` connections usable from synchronous code on any thread.
//!
//! The [`Store`](crate::store::Store) trait is synchronous and is called both from blocking
//! threads and, now and then, straight from async handlers. The `postgres` crate cannot serve
//! the latter: each of its clients drives its connection with a runtime of its own and panics
//! when entered from inside another runtime. Here the connections' I/O runs on a runtime the
//! pool owns, on threads of its own ([`IoRuntime`]); a caller only sends requests to a
//! connection and waits for the answers on a channel, which needs no runtime at all
//! (`futures_executor::block_on`). So the same store works from a plain thread, a blocking
//! task or an async task (there it blocks its worker for the length of a query, as sled does).

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio_postgres::{Client, Config, NoTls};

use crate::store::StoreError;

/// How long a caller waits for a free connection before giving up.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);

/// Awaits `future` on the calling thread. Only for futures that need no runtime of their own:
/// a `tokio_postgres::Client`'s requests, which travel over channels to the connection task.
///
/// On a worker thread of a multi-threaded tokio runtime (an async handler calling the store
/// directly) the wait is announced with `block_in_place`, so the runtime moves its other tasks
/// to another thread meanwhile: without it, each query would stall one of the few workers
/// (measured: verification at a quarter of its throughput, docs/BENCHMARKS.md).
pub(super) fn wait<F: Future>(future: F) -> F::Output {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| futures_executor::block_on(future))
        }
        _ => futures_executor::block_on(future),
    }
}

/// The runtime that drives the connections, on a thread that owns it: dropping a runtime
/// inside an async context panics, and a store may well be dropped in one.
struct IoRuntime {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl IoRuntime {
    fn start() -> Result<IoRuntime, StoreError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("postgres-io".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("postgres-io")
                    .enable_all()
                    .build();
                match runtime {
                    Ok(runtime) => {
                        let _ = ready_tx.send(Ok(runtime.handle().clone()));
                        runtime.block_on(async {
                            let _ = stopped.await;
                        });
                        runtime.shutdown_timeout(Duration::from_secs(1));
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                    }
                }
            })
            .map_err(|e| StoreError::Backend(format!("cannot start the postgres thread: {e}")))?;
        let handle = ready_rx
            .recv()
            .map_err(|_| StoreError::Backend("the postgres thread died at start".into()))?
            .map_err(|e| StoreError::Backend(format!("cannot start the postgres runtime: {e}")))?;
        Ok(IoRuntime {
            handle,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for IoRuntime {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Joined only from outside the runtime's own threads (a connection task never drops
        // the pool); detached otherwise.
        if let Some(thread) = self.thread.take() {
            if std::thread::current().id() != thread.thread().id() {
                let _ = thread.join();
            }
        }
    }
}

/// Connections to one database, opened on demand up to `max`, reused, and replaced when the
/// server closed them.
pub(super) struct Pool {
    config: Config,
    max: usize,
    state: Mutex<State>,
    freed: Condvar,
    // Declared last: dropped after the clients above, so their connections end first.
    io: IoRuntime,
}

#[derive(Default)]
struct State {
    idle: Vec<Client>,
    /// Connections open, idle or lent out (or being opened).
    open: usize,
}

impl Pool {
    pub(super) fn new(config: Config, max: usize) -> Result<Pool, StoreError> {
        Ok(Pool {
            config,
            max: max.max(1),
            state: Mutex::new(State::default()),
            freed: Condvar::new(),
            io: IoRuntime::start()?,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A connection, waiting for one to be returned when `max` are lent out.
    pub(super) fn get(&self) -> Result<Conn<'_>, StoreError> {
        let deadline = std::time::Instant::now() + CHECKOUT_TIMEOUT;
        let mut state = self.lock();
        loop {
            while let Some(client) = state.idle.pop() {
                if client.is_closed() {
                    state.open -= 1;
                    continue;
                }
                return Ok(Conn {
                    pool: self,
                    client: Some(client),
                });
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.connect() {
                    Ok(client) => Ok(Conn {
                        pool: self,
                        client: Some(client),
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Err(StoreError::Backend(format!(
                    "no database connection free after {} s ({} in use)",
                    CHECKOUT_TIMEOUT.as_secs(),
                    self.max
                )));
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn connect(&self) -> Result<Client, StoreError> {
        let config = self.config.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.io.handle.spawn(async move {
            let outcome = match config.connect(NoTls).await {
                Ok((client, connection)) => {
                    tokio::spawn(async move {
                        if let Err(e) = connection.await {
                            tracing::warn!(error = %e, "database connection ended");
                        }
                    });
                    Ok(client)
                }
                Err(e) => Err(e),
            };
            let _ = tx.send(outcome);
        });
        wait(rx)
            .map_err(|_| StoreError::Backend("the postgres runtime stopped".into()))?
            .map_err(|e| StoreError::Backend(format!("cannot connect to the database: {e}")))
    }

    fn put_back(&self, client: Client) {
        let mut state = self.lock();
        if client.is_closed() {
            state.open -= 1;
        } else {
            state.idle.push(client);
        }
        drop(state);
        self.freed.notify_one();
    }
}

/// A connection lent out by the [`Pool`]; goes back when dropped.
pub(super) struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl Deref for Conn<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("present until dropped")
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("present until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.pool.put_back(client);
        }
    }
}
