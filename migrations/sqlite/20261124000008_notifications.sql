-- Notifications for a user: what happened, who did it, and what it is about.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id    INTEGER,
    comment_id INTEGER,
    space_id   INTEGER,
    message_id INTEGER,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
