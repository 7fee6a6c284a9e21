-- Images attached to chat messages. Uploaded first (message_id NULL), then claimed by
-- the message that carries them; unclaimed ones are swept by the orphan-media job.
CREATE TABLE message_attachments (
    id           INTEGER PRIMARY KEY,
    uploader_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id   INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    file         TEXT    NOT NULL,               -- URL
    file_key     TEXT    NOT NULL,               -- storage key
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX message_attachments_key ON message_attachments (file_key);
CREATE INDEX message_attachments_message_idx ON message_attachments (message_id, id);
CREATE INDEX message_attachments_unclaimed_idx ON message_attachments (created_at) WHERE message_id IS NULL;
