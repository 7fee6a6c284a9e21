//! Many `/messages/ws` connections at once, for the real-time scenarios: opening them
//! as the seeded users, and one driver task per connection that sends what it is told
//! to and reports when each tagged message arrives.
//!
//! A message's text is `bench <tag>`, so a receiver can tell which send it answers
//! without any shared state between the sending and the receiving side.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use futures_util::{StreamExt, stream};
use socmel_client::{
    Client, ClientError, Session,
    types::frames::{ClientFrame, ServerFrame},
};
use tokio::{
    sync::{mpsc, oneshot, watch},
    task::JoinHandle,
    time::Instant,
};

use crate::{seed::User, stats::Failure};

/// A connection and the seeded user (by index) it is signed in as.
pub struct Connection {
    pub user: usize,
    pub session: Session,
}

/// `tag` arrived at connection `connection` at `at`.
#[derive(Debug, Clone, Copy)]
pub struct Arrival {
    pub connection: usize,
    pub tag: u64,
    pub at: Instant,
}

/// The text of the message with `tag`.
pub fn text(tag: u64) -> String {
    format!("bench {tag}")
}

/// The tag of a message frame sent by [`text`], if `frame` is one.
pub fn tag_of(frame: &ServerFrame) -> Option<u64> {
    let content = match frame {
        ServerFrame::Dm(message) => &message.content,
        ServerFrame::Group(message) => &message.content,
        ServerFrame::Space(message) => &message.content,
        _ => return None,
    };
    content.strip_prefix("bench ")?.parse().ok()
}

/// What opening connections came to.
pub struct Opened {
    pub connections: Vec<Connection>,
    pub seconds: f64,
    /// Connections that could not be opened, by kind.
    pub failures: BTreeMap<String, u64>,
}

/// Opens `count` connections, connection `i` as user `i % users.len()`, `concurrency`
/// handshakes at a time; the opened ones come back in that order.
pub async fn open(
    url: &str,
    users: &[User],
    count: usize,
    concurrency: usize,
) -> anyhow::Result<Opened> {
    anyhow::ensure!(!users.is_empty(), "connections need at least one user");
    let base = Client::new(url)?;
    let started = Instant::now();
    let results: Vec<(usize, Result<Session, ClientError>)> = stream::iter(0..count)
        .map(|index| {
            let user = index % users.len();
            let client = base.signed_in_as(&users[user].token);
            async move { (user, client.connect_ws(None).await) }
        })
        // In index order, so that scenarios can say which connection is whose.
        .buffered(concurrency.max(1))
        .collect()
        .await;
    let mut opened = Opened {
        connections: Vec::with_capacity(count),
        seconds: started.elapsed().as_secs_f64(),
        failures: BTreeMap::new(),
    };
    for (user, result) in results {
        match result {
            Ok(session) => opened.connections.push(Connection { user, session }),
            Err(err) => *opened.failures.entry(err.kind()).or_default() += 1,
        }
    }
    Ok(opened)
}

/// A running connection: frames to send go in, the connection comes back at the end.
pub struct Driver {
    pub outbox: mpsc::UnboundedSender<ClientFrame>,
    task: JoinHandle<DriverEnd>,
}

/// How a driver ended.
pub struct DriverEnd {
    pub connection: Connection,
    /// The server closed the connection (or it broke) before it was stopped.
    pub dropped: bool,
}

impl Driver {
    /// Waits for the driver to stop (after [`Drivers::stop`]).
    pub async fn join(self) -> anyhow::Result<DriverEnd> {
        Ok(self.task.await?)
    }
}

/// Every driver of a scenario, stopped together.
pub struct Drivers {
    pub drivers: Vec<Driver>,
    stop: watch::Sender<bool>,
}

impl Drivers {
    /// Starts a driver per connection. Connection `i` reports its tagged arrivals on
    /// `arrivals` when `reports(i)`; the others still read (every real client does, and
    /// the server drops one that lets its queue fill) but stay quiet.
    pub fn start(
        connections: Vec<Connection>,
        arrivals: &mpsc::UnboundedSender<Arrival>,
        reports: impl Fn(usize) -> bool,
    ) -> Self {
        let mut drivers = Self::empty();
        for (index, connection) in connections.into_iter().enumerate() {
            drivers.add(connection, reports(index).then(|| arrivals.clone()));
        }
        drivers
    }

    /// No drivers yet: connections join with [`Self::add`] as they open.
    pub fn empty() -> Self {
        let (stop, _) = watch::channel(false);
        Self {
            drivers: Vec::new(),
            stop,
        }
    }

    /// Starts reading `connection` at once, as the next connection (its index is the
    /// number added before it), reporting its tagged arrivals on `arrivals` if given.
    pub fn add(
        &mut self,
        connection: Connection,
        arrivals: Option<mpsc::UnboundedSender<Arrival>>,
    ) {
        let index = self.drivers.len();
        let (outbox, inbox) = mpsc::unbounded_channel();
        let stopped = self.stop.subscribe();
        let task = tokio::spawn(drive(index, connection, inbox, arrivals, stopped));
        self.drivers.push(Driver { outbox, task });
    }

    /// Stops every driver and gives the connections back, in order.
    pub async fn stop(self) -> anyhow::Result<Vec<DriverEnd>> {
        let _ = self.stop.send(true);
        let mut ended = Vec::with_capacity(self.drivers.len());
        for driver in self.drivers {
            ended.push(driver.join().await?);
        }
        Ok(ended)
    }
}

async fn drive(
    index: usize,
    mut connection: Connection,
    mut inbox: mpsc::UnboundedReceiver<ClientFrame>,
    arrivals: Option<mpsc::UnboundedSender<Arrival>>,
    mut stopped: watch::Receiver<bool>,
) -> DriverEnd {
    let mut dropped = false;
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            Some(frame) = inbox.recv() => {
                if connection.session.send(&frame).await.is_err() {
                    dropped = true;
                    break;
                }
            }
            next = connection.session.next() => match next {
                Some(Ok(envelope)) => {
                    if let (Some(arrivals), Some(tag)) = (&arrivals, tag_of(&envelope.frame)) {
                        let at = Instant::now();
                        let _ = arrivals.send(Arrival { connection: index, tag, at });
                    }
                }
                // A frame this bench does not know is not a lost connection.
                Some(Err(ClientError::Json(_))) => {}
                Some(Err(_)) | None => {
                    dropped = true;
                    break;
                }
            },
        }
    }
    DriverEnd {
        connection,
        dropped,
    }
}

/// Collects arrivals until `done` says enough or `timeout` passes.
pub async fn collect_until(
    arrivals: &mut mpsc::UnboundedReceiver<Arrival>,
    timeout: Duration,
    mut on_arrival: impl FnMut(Arrival) -> bool,
) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, arrivals.recv()).await {
            Ok(Some(arrival)) => {
                if on_arrival(arrival) {
                    return true;
                }
            }
            Ok(None) | Err(_) => return false,
        }
    }
}

/// Operations waiting for their tagged message to arrive a number of times (once for a
/// DM, once per member for a room message).
#[derive(Default)]
pub struct Awaited {
    /// Per tag: arrivals still missing, and whom to tell when none are.
    pending: Mutex<HashMap<u64, (usize, oneshot::Sender<()>)>>,
}

impl Awaited {
    /// Resolves once `tag` has arrived `times` times.
    pub fn expect(&self, tag: u64, times: usize) -> oneshot::Receiver<()> {
        let (done, wait) = oneshot::channel();
        self.pending().insert(tag, (times.max(1), done));
        wait
    }

    /// Counts one arrival of `tag`; arrivals nobody waits for (any more) are ignored.
    fn arrived(&self, tag: u64) {
        let mut pending = self.pending();
        let Some((left, _)) = pending.get_mut(&tag) else {
            return;
        };
        *left -= 1;
        if *left == 0
            && let Some((_, done)) = pending.remove(&tag)
        {
            let _ = done.send(());
        }
    }

    fn pending(&self) -> MutexGuard<'_, HashMap<u64, (usize, oneshot::Sender<()>)>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Feeds every arrival to the waiting operations, until the drivers are gone.
    pub fn route(self: &Arc<Self>, mut arrivals: mpsc::UnboundedReceiver<Arrival>) {
        let awaited = self.clone();
        tokio::spawn(async move {
            while let Some(arrival) = arrivals.recv().await {
                awaited.arrived(arrival.tag);
            }
        });
    }
}

/// A connection per user, every one of them required, with their drivers started: the
/// ones `reports` picks feed the returned [`Awaited`].
pub async fn open_awaiting(
    url: &str,
    users: &[User],
    reports: impl Fn(usize) -> bool,
) -> anyhow::Result<(Drivers, Arc<Awaited>)> {
    let opened = open(url, users, users.len(), 64).await?;
    anyhow::ensure!(
        opened.failures.is_empty(),
        "could not open every connection: {:?}",
        opened.failures
    );
    let (arrivals, arrived) = mpsc::unbounded_channel();
    let drivers = Drivers::start(opened.connections, &arrivals, reports);
    let awaited = Arc::new(Awaited::default());
    awaited.route(arrived);
    Ok((drivers, awaited))
}

/// Waits for `wait` up to `limit`: a message that has not arrived by then is lost.
pub async fn delivered(wait: oneshot::Receiver<()>, limit: Duration) -> anyhow::Result<()> {
    match tokio::time::timeout(limit, wait).await {
        Ok(Ok(())) => Ok(()),
        // Not in time, or nobody will ever count it (the drivers are gone).
        Ok(Err(_)) | Err(_) => Err(anyhow::anyhow!("lost")),
    }
}
