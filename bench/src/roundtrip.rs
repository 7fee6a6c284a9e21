//! Request–reply over the socket, the way people chat: one user sends, waits until
//! the other's reply arrives, and sends again. Both ends use `socmel-client` as it is,
//! which leaves the socket options at the operating system's defaults (Nagle's
//! algorithm on, as in browsers and Python clients), so these figures are what an
//! ordinary client sees. A one-way stream at a fixed rate hides what this shows: a
//! server that leaves Nagle on holds its second small write until the client's delayed
//! ACK (40 ms on Linux).

use std::time::Duration;

use socmel_client::{
    Client, Session,
    types::frames::{ClientFrame, MessageDraft, ServerFrame},
};
use tokio::time::Instant;

use crate::{
    pacing::Window,
    seed::User,
    sockets,
    stats::{Recorder, Summary},
};

/// A reply not back within this counts as lost, and the exchange is over.
const LOST_AFTER: Duration = Duration::from_secs(10);

/// Where `asker` and `answerer` talk; `to(user)` is the frame carrying `text` to the
/// other one (a DM to them, or a message in a room both are in).
pub async fn exchange(
    url: &str,
    asker: &User,
    answerer: &User,
    window: Window,
    to: impl Fn(&User, String) -> ClientFrame,
) -> anyhow::Result<Summary> {
    let base = Client::new(url)?;
    let mut ask = base.signed_in_as(&asker.token).connect_ws(None).await?;
    let mut answer = base.signed_in_as(&answerer.token).connect_ws(None).await?;
    let mut recorder = Recorder::default();
    let started = Instant::now();
    let measure_from = started + window.warmup;
    let end = measure_from + window.measure;
    let mut sequence = 0_u64;
    while Instant::now() < end {
        sequence += 1;
        let sent = Instant::now();
        ask.send(&to(answerer, sockets::text(sequence))).await?;
        if !arrives(&mut answer, sequence).await {
            recorder.failure("lost");
            break;
        }
        answer.send(&to(asker, sockets::text(sequence))).await?;
        // The asker sees its own message first (every device of the sender gets a
        // copy), then the reply: both carry the tag; the reply is the second.
        if !arrives_from(&mut ask, sequence, answerer).await {
            recorder.failure("lost");
            break;
        }
        if sent >= measure_from {
            recorder.success(sent.elapsed());
        }
    }
    let measured = Instant::now().saturating_duration_since(measure_from);
    let _ = ask.close().await;
    let _ = answer.close().await;
    Ok(recorder.summary(measured))
}

/// Waits for a message tagged `tag` on `session`.
async fn arrives(session: &mut Session, tag: u64) -> bool {
    wait_for(session, |frame| sockets::tag_of(frame) == Some(tag)).await
}

/// Waits for a message tagged `tag` sent by `from`.
async fn arrives_from(session: &mut Session, tag: u64, from: &User) -> bool {
    wait_for(session, |frame| {
        sockets::tag_of(frame) == Some(tag) && sender(frame) == Some(from.id)
    })
    .await
}

fn sender(frame: &ServerFrame) -> Option<socmel_client::types::UserId> {
    match frame {
        ServerFrame::Dm(message) => Some(message.sender_id),
        ServerFrame::Group(message) => Some(message.sender_id),
        ServerFrame::Space(message) => Some(message.sender_id),
        _ => None,
    }
}

async fn wait_for(session: &mut Session, wanted: impl Fn(&ServerFrame) -> bool) -> bool {
    let deadline = Instant::now() + LOST_AFTER;
    loop {
        match tokio::time::timeout_at(deadline, session.next()).await {
            Ok(Some(Ok(envelope))) if wanted(&envelope.frame) => return true,
            Ok(Some(Ok(_))) => {}
            _ => return false,
        }
    }
}

/// A DM draft, for [`exchange`].
pub fn draft(text: String) -> MessageDraft {
    MessageDraft::text(text)
}
