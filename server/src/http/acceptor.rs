//! Accepting connections: `TCP_NODELAY` on each, a cap on connections per client
//! address, and deadlines for a request's headers and for idle keep-alive connections.
//!
//! poem's own acceptor leaves sockets at the operating system's defaults. With Nagle's
//! algorithm on, a reply written in two pieces waits for the client's delayed ACK
//! (40 ms on Linux) whenever the client also keeps its defaults, which is every
//! request–reply exchange of a browser or a Python client. hyper, under poem, has no
//! header deadline without a timer poem does not give it, so a client that sends a
//! header byte now and then held its connection for ever; the deadline is kept here,
//! on the socket, by watching for the blank line that ends a request's headers.

use std::{
    collections::HashMap,
    io,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use poem::{
    http::uri::Scheme,
    listener::Acceptor,
    web::{LocalAddr, RemoteAddr},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    time::{Instant, Sleep},
};

/// The acceptor's limits (see the module).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub header_timeout: Duration,
    pub keep_alive_timeout: Duration,
    /// 0: no cap.
    pub per_address: usize,
}

/// Accepts TCP connections for poem's server with the limits applied.
pub struct GuardedAcceptor {
    listener: TcpListener,
    local: LocalAddr,
    limits: ConnectionLimits,
    open: OpenCounts,
}

impl GuardedAcceptor {
    pub fn new(listener: TcpListener, limits: ConnectionLimits) -> io::Result<Self> {
        let local = LocalAddr(listener.local_addr()?.into());
        Ok(Self {
            listener,
            local,
            limits,
            open: Arc::default(),
        })
    }

    /// Counts the connection against its address, or `None` when the address is at
    /// its cap.
    fn admit(&self, address: IpAddr) -> Option<Slot> {
        if self.limits.per_address == 0 {
            return Some(Slot(None));
        }
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_default();
        if *count >= self.limits.per_address {
            return None;
        }
        *count += 1;
        Some(Slot(Some((address, self.open.clone()))))
    }
}

impl Acceptor for GuardedAcceptor {
    type Io = GuardedStream;

    fn local_addr(&self) -> Vec<LocalAddr> {
        vec![self.local.clone()]
    }

    async fn accept(&mut self) -> io::Result<(GuardedStream, LocalAddr, RemoteAddr, Scheme)> {
        loop {
            let (stream, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of descriptors, most likely: poem's loop calls again at
                    // once, so pause rather than spin.
                    tracing::warn!(error = %err, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    return Err(err);
                }
            };
            let Some(slot) = self.admit(peer.ip()) else {
                tracing::debug!(address = %peer.ip(), "too many connections from one address");
                continue;
            };
            // Replies go out as soon as they are written (see the module).
            if let Err(err) = stream.set_nodelay(true) {
                tracing::debug!(error = %err, "setting TCP_NODELAY");
                continue;
            }
            let stream = GuardedStream::new(stream, slot, self.limits);
            return Ok((stream, self.local.clone(), remote(peer), Scheme::HTTP));
        }
    }
}

fn remote(peer: SocketAddr) -> RemoteAddr {
    RemoteAddr(peer.into())
}

/// A connection's place in its address's count, given back when it closes.
struct Slot(Option<(IpAddr, OpenCounts)>);

/// Open connections per client address.
type OpenCounts = Arc<Mutex<HashMap<IpAddr, usize>>>;

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some((address, open)) = self.0.take() {
            let mut open = open.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(count) = open.get_mut(&address) {
                *count -= 1;
                if *count == 0 {
                    open.remove(&address);
                }
            }
        }
    }
}

/// Where a connection is in its current exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request's headers (from the accept, or from the first byte of a
    /// later request): the header deadline runs.
    Headers,
    /// Headers complete: the body (which has its own deadline, `http::hardening`) and
    /// the answer.
    Request,
    /// An answer was written: the keep-alive deadline runs until the next request.
    Idle,
    /// Not HTTP/1 any more (a WebSocket, or HTTP/2, which has its own rules).
    Upgraded,
}

/// A guarded connection (see the module).
pub struct GuardedStream {
    inner: TcpStream,
    _slot: Slot,
    limits: ConnectionLimits,
    phase: Phase,
    deadline: Pin<Box<Sleep>>,
    /// The last three bytes read, to find a `\r\n\r\n` split across reads.
    tail: [u8; 3],
    /// Whether anything was read yet (to recognise HTTP/2's preface).
    started: bool,
}

const HTTP2_PREFACE: &[u8] = b"PRI * HTTP/2.0";

impl GuardedStream {
    fn new(inner: TcpStream, slot: Slot, limits: ConnectionLimits) -> Self {
        Self {
            inner,
            _slot: slot,
            limits,
            phase: Phase::Headers,
            deadline: Box::pin(tokio::time::sleep(limits.header_timeout)),
            tail: [0; 3],
            started: false,
        }
    }

    /// Whether `TCP_NODELAY` is set on the socket.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.inner.nodelay()
    }

    fn restart_deadline(&mut self, after: Duration) {
        self.deadline.as_mut().reset(Instant::now() + after);
    }

    /// Follows the bytes just read: the first byte of a request starts the header
    /// deadline, the blank line that ends its headers stops it.
    fn saw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() || self.phase == Phase::Upgraded {
            return;
        }
        if !self.started {
            self.started = true;
            if bytes.starts_with(HTTP2_PREFACE) {
                self.phase = Phase::Upgraded;
                return;
            }
        }
        if self.phase == Phase::Idle {
            self.phase = Phase::Headers;
            self.tail = [0; 3];
            self.restart_deadline(self.limits.header_timeout);
        }
        if self.phase == Phase::Headers && ends_headers(self.tail, bytes) {
            self.phase = Phase::Request;
        }
        let mut joined = self.tail.to_vec();
        joined.extend_from_slice(&bytes[bytes.len().saturating_sub(3)..]);
        self.tail.copy_from_slice(&joined[joined.len() - 3..]);
    }

    /// Follows what is written: an answer ends the exchange (an interim `100
    /// Continue` does not), and `101 Switching Protocols` ends HTTP/1.
    fn wrote(&mut self, bytes: &[u8]) {
        match self.phase {
            Phase::Upgraded => {}
            _ if bytes.starts_with(b"HTTP/1.1 101") => self.phase = Phase::Upgraded,
            _ if bytes.starts_with(b"HTTP/1.1 100") => {}
            Phase::Request | Phase::Headers => {
                self.phase = Phase::Idle;
                self.restart_deadline(self.limits.keep_alive_timeout);
            }
            Phase::Idle => {}
        }
    }
}

/// Whether `tail` (the three bytes before) and `bytes` hold `\r\n\r\n`.
fn ends_headers(tail: [u8; 3], bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(3)];
    let mut seam = tail.to_vec();
    seam.extend_from_slice(head);
    seam.windows(4).any(|w| w == b"\r\n\r\n") || bytes.windows(4).any(|w| w == b"\r\n\r\n")
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let fresh = buf.filled()[before..].to_vec();
                this.saw(&fresh);
                Poll::Ready(Ok(()))
            }
            Poll::Pending => {
                let timed = matches!(this.phase, Phase::Headers | Phase::Idle);
                if timed && this.deadline.as_mut().poll(cx).is_ready() {
                    let what = if this.phase == Phase::Idle {
                        "idle connection"
                    } else {
                        "request headers too slow"
                    };
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, what)));
                }
                Poll::Pending
            }
            other => other,
        }
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, bytes);
        if let Poll::Ready(Ok(n)) = &written {
            this.wrote(&bytes[..*n]);
        }
        written
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = &written
            && *n > 0
            && let Some(first) = bufs.iter().find(|b| !b.is_empty())
        {
            this.wrote(&first[..first.len().min(*n)]);
        }
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_address: usize) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(10),
            per_address,
        }
    }

    /// The option is read back from the accepted socket itself, on the server's side.
    #[tokio::test]
    async fn accepted_sockets_have_nodelay_set() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut acceptor = GuardedAcceptor::new(listener, limits(0)).unwrap();
        let client = TcpStream::connect(address).await.unwrap();
        assert!(
            !client.nodelay().unwrap(),
            "the client keeps the OS default"
        );
        let (accepted, ..) = acceptor.accept().await.unwrap();
        assert!(accepted.nodelay().unwrap());
    }

    /// Past the cap a connection is closed at once; a closed one frees its place.
    #[tokio::test]
    async fn connections_per_address_are_capped_and_given_back() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut acceptor = GuardedAcceptor::new(listener, limits(2)).unwrap();
        let _a = TcpStream::connect(address).await.unwrap();
        let _b = TcpStream::connect(address).await.unwrap();
        let first = acceptor.accept().await.unwrap().0;
        let _second = acceptor.accept().await.unwrap().0;
        // The third is refused inside `accept`, which then waits for a fourth.
        let mut third = TcpStream::connect(address).await.unwrap();
        let waiting = tokio::time::timeout(Duration::from_millis(300), acceptor.accept()).await;
        assert!(
            waiting.is_err(),
            "no third connection is handed to the server"
        );
        let mut byte = [0; 1];
        let read = tokio::io::AsyncReadExt::read(&mut third, &mut byte).await;
        assert!(matches!(read, Ok(0) | Err(_)), "the refused one is closed");
        drop(first);
        let _fourth = TcpStream::connect(address).await.unwrap();
        let admitted = tokio::time::timeout(Duration::from_secs(5), acceptor.accept()).await;
        assert!(admitted.is_ok(), "a closed connection gives its place back");
    }

    #[test]
    fn the_end_of_headers_is_found_across_reads() {
        assert!(ends_headers(*b"\0\0\0", b"GET / HTTP/1.1\r\nA: b\r\n\r\n"));
        assert!(ends_headers(*b"\r\n\r", b"\n"));
        assert!(ends_headers(*b"b\r\n", b"\r\nbody"));
        assert!(!ends_headers(*b"b\r\n", b"X-A: 1\r\n"));
    }
}
