//! The server loop against a real listening socket (src/server.rs, issue 16 item 3): idle
//! connections are closed after the header timeout, the connection cap holds, requests are
//! served, and graceful shutdown ends the loop.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::app::TestApp;
use skillpass::server::{serve_connections, ConnectionLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Starts the full API on a free port; the returned sender stops it.
async fn start(limits: ConnectionLimits) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<()>) {
    let app = TestApp::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve_connections(listener, app.router, limits, async {
        let _ = stopped.await;
    }));
    (address, stop, server)
}

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";

/// Reads until the server closes the connection; `None` if it is still open after `wait`.
async fn read_to_close(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    let mut all = Vec::new();
    let read = tokio::time::timeout(wait, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => all.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok().map(|_| all)
}

/// The first bytes the server sends; `None` if it sends nothing within `wait`.
async fn read_some(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    let mut buffer = [0u8; 4096];
    match tokio::time::timeout(wait, stream.read(&mut buffer)).await {
        Ok(Ok(n)) if n > 0 => Some(buffer[..n].to_vec()),
        Ok(_) => Some(Vec::new()),
        Err(_) => None,
    }
}

const KEEP_ALIVE_HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

async fn health(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(HEALTH).await.unwrap();
    let reply = read_to_close(&mut stream, Duration::from_secs(10))
        .await
        .expect("a reply and a close");
    String::from_utf8_lossy(&reply).into_owned()
}

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed_after_the_header_timeout() {
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(1),
        max_connections: 100,
    };
    let (address, _stop, _server) = start(limits).await;
    let started = Instant::now();
    let mut idle = Vec::new();
    for i in 0..20 {
        let mut stream = TcpStream::connect(address).await.unwrap();
        if i % 2 == 1 {
            // Half a request head, never finished.
            stream
                .write_all(b"GET /health HTTP/1.1\r\nHost: test\r\n")
                .await
                .unwrap();
        }
        idle.push(stream);
    }
    // While they hang, requests are still served.
    let reply = health(address).await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("ok"), "{reply}");
    for stream in &mut idle {
        let bytes = read_to_close(stream, Duration::from_secs(5))
            .await
            .expect("the server closes an idle connection");
        // Never served: no 200 for the half-sent request.
        assert!(!String::from_utf8_lossy(&bytes).contains(" 200 "));
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900),
        "closed too early: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "closed too late: {elapsed:?}"
    );
    // And the server still serves afterwards.
    assert!(health(address).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_one_closes() {
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(60),
        max_connections: 3,
    };
    let (address, _stop, _server) = start(limits).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Two more: the kernel completes their handshakes, but the server does not accept them.
    // Their requests keep the connection alive, so once served they hold their slot.
    let mut waiting = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(KEEP_ALIVE_HEALTH).await.unwrap();
        waiting.push(stream);
    }
    for stream in &mut waiting {
        assert!(
            read_some(stream, Duration::from_millis(800))
                .await
                .is_none(),
            "a connection over the cap was served"
        );
    }
    // One held connection closes: exactly one waiting connection is served.
    drop(held.pop());
    let first = read_some(&mut waiting[0], Duration::from_secs(5))
        .await
        .expect("served once a slot is free");
    assert!(String::from_utf8_lossy(&first).starts_with("HTTP/1.1 200"));
    assert!(
        read_some(&mut waiting[1], Duration::from_millis(800))
            .await
            .is_none(),
        "the cap was exceeded"
    );
    // The served one closes, freeing its slot for the last.
    drop(waiting.remove(0));
    let second = read_some(&mut waiting[0], Duration::from_secs(5))
        .await
        .expect("served after the first closed");
    assert!(String::from_utf8_lossy(&second).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn graceful_shutdown_finishes_and_closes_keep_alive_connections() {
    let (address, stop, server) = start(ConnectionLimits::default()).await;
    // A keep-alive connection that has had one response and stays open.
    let mut kept = TcpStream::connect(address).await.unwrap();
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), kept.read(&mut buffer))
        .await
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"));
    // A slow request in progress when shutdown starts still gets its answer.
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    slow.write_all(b"Host: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let reply = read_to_close(&mut slow, Duration::from_secs(5))
        .await
        .expect("the request in progress is answered");
    assert!(
        String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    // The idle keep-alive connection is closed and the loop returns.
    assert!(read_to_close(&mut kept, Duration::from_secs(5))
        .await
        .is_some());
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap();
    assert!(
        TcpStream::connect(address).await.is_err(),
        "still listening"
    );
}
