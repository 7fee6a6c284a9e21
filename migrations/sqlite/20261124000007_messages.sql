-- Messages of every kind in one table, keyed by conversation:
--   dm:<lower user id>:<higher user id> | group:<group id> | room:<room id>
-- so history, inbox and read state are the same queries for all three.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,               -- dm | group | room
    conversation TEXT    NOT NULL,
    sender_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    group_id     INTEGER REFERENCES group_chats (id) ON DELETE CASCADE,
    space_id     INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    room_id      INTEGER REFERENCES rooms (id) ON DELETE CASCADE,
    content      TEXT    NOT NULL,
    parent_id    INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    edited_at    INTEGER
);
CREATE INDEX messages_conversation_idx ON messages (conversation, id);
CREATE INDEX messages_recipient_idx ON messages (recipient_id, id);
CREATE INDEX messages_sender_dm_idx ON messages (sender_id, kind, id);

-- How far each user has read each conversation.
CREATE TABLE conversation_reads (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation TEXT    NOT NULL,
    last_read_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, conversation)
);
