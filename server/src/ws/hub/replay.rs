//! The replay log: each user's recent durable frames, numbered by a per-user `seq`, so
//! a client that reconnects with `since` gets what it missed.

use super::*;

/// Durable frames kept per user for resume.
pub(super) const REPLAY_WINDOW: usize = 512;

/// How long a user's replay window outlives their last connection.
pub(super) const LOG_RETENTION: Duration = Duration::from_secs(600);

/// Forgets users who have been offline longer than their replay log is kept.
pub(super) fn forget_stale_logs(state: &mut State) {
    let stale: Vec<UserId> = state
        .users
        .iter()
        .filter(|(_, u)| {
            u.connections.is_empty()
                && u.last_seen
                    .is_none_or(|seen| seen.elapsed() >= LOG_RETENTION)
        })
        .map(|(user, _)| *user)
        .collect();
    for user in stale {
        if let Some(entry) = state.users.remove(&user) {
            for topic in entry.topics {
                remove_from_topic(state, topic, user);
            }
        }
    }
}

/// The frames after `since`, or `None` when some of them are no longer kept.
pub(super) fn replay_after(entry: &UserState, since: u64) -> Option<Vec<Outgoing>> {
    if since > entry.next_seq {
        return None; // a seq from before this node restarted
    }
    let oldest_kept = entry
        .recent
        .front()
        .map_or(entry.next_seq + 1, |(seq, _)| *seq);
    if since + 1 < oldest_kept && since < entry.next_seq {
        return None;
    }
    Some(
        entry
            .recent
            .iter()
            .filter(|(seq, _)| *seq > since)
            .map(|(seq, body)| with_seq(*seq, body))
            .collect(),
    )
}

/// `{"seq":N,` spliced in front of a serialised frame body (`{"type":…}`).
pub(super) fn with_seq(seq: u64, body: &str) -> Outgoing {
    let rest = body.strip_prefix('{').unwrap_or(body);
    format!("{{\"seq\":{seq},{rest}").into()
}

impl Hub {
    /// Sends a durable frame: each receiver gets their next `seq`, kept for resume.
    pub(super) fn send_durable(&self, users: &[UserId], frame: &ServerFrame) {
        self.send_durable_except(users, frame, None);
    }

    /// As [`Self::send_durable`], leaving out the connection `skip`.
    pub(super) fn send_durable_except(
        &self,
        users: &[UserId],
        frame: &ServerFrame,
        skip: Option<u64>,
    ) {
        let Some(body) = serialise(frame) else { return };
        let mut state = self.state();
        for user in users {
            let Some(entry) = state.users.get_mut(user) else {
                continue; // never connected to this node: nothing to resume
            };
            entry.next_seq += 1;
            let seq = entry.next_seq;
            entry.recent.push_back((seq, body.clone()));
            if entry.recent.len() > REPLAY_WINDOW {
                entry.recent.pop_front();
            }
            let with_seq = with_seq(seq, &body);
            deliver_except(&mut state, *user, &with_seq, skip);
        }
    }
}
