-- Posts (with tags, likes, comments, reactions and attachments), follows, notes, and the
-- storage key of profile pictures. Timestamps are Unix milliseconds (UTC).

-- The storage key of the current profile picture, so replacing or removing it can
-- delete the stored object (upstream's `pfp_public_id`).
ALTER TABLE users ADD COLUMN pfp_key TEXT;

-- visibility: 'public' | 'followers'. A space post (space_id set) is for the space's
-- members only, whatever this says.
CREATE TABLE posts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    space_id   INTEGER REFERENCES spaces (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    visibility TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'followers')),
    likes_nbr  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX posts_user_created_idx ON posts (user_id, created_at DESC, id DESC);
CREATE INDEX posts_space_created_idx ON posts (space_id, created_at DESC, id DESC);
CREATE INDEX posts_created_idx ON posts (created_at DESC, id DESC);
-- The anonymous feed reads only these.
CREATE INDEX posts_public_created_idx ON posts (created_at DESC, id DESC)
    WHERE space_id IS NULL AND visibility = 'public';

CREATE TABLE post_tags (
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag      TEXT    NOT NULL,                   -- normalised: trimmed, lower-case, no '#'
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag_idx ON post_tags (tag);

CREATE TABLE likes (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX likes_user_idx ON likes (user_id);

-- root_id: the top-level comment a reply belongs to (NULL for top-level comments), so a
-- page of threads loads in one query.
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    root_id    INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    depth      INTEGER NOT NULL DEFAULT 0,
    content    TEXT    NOT NULL,
    likes_nbr  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX comments_post_idx ON comments (post_id);
-- Top-level comments of a post, newest first.
CREATE INDEX comments_top_level_idx ON comments (post_id, created_at DESC, id DESC)
    WHERE parent_id IS NULL;
CREATE INDEX comments_parent_idx ON comments (parent_id);
CREATE INDEX comments_root_idx ON comments (root_id);
CREATE INDEX comments_user_idx ON comments (user_id);

CREATE TABLE reactions (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reaction   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id, reaction)
);
CREATE INDEX reactions_user_idx ON reactions (user_id);

-- file: the URL clients fetch; file_public_id: the storage key.
CREATE TABLE post_attachments (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    file           TEXT    NOT NULL,
    file_public_id TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX post_attachments_key ON post_attachments (file_public_id);
CREATE INDEX post_attachments_post_idx ON post_attachments (post_id, id);

-- status: 'pending' | 'accepted'. Every follow needs the followed user's approval.
CREATE TABLE follows (
    id          INTEGER PRIMARY KEY,
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted')),
    created_at  INTEGER NOT NULL,
    accepted_at INTEGER,
    CONSTRAINT follows_pair_key UNIQUE (follower_id, followed_id),
    CONSTRAINT follows_not_self CHECK (follower_id <> followed_id)
);
CREATE INDEX follows_follower_status_idx ON follows (follower_id, status);
CREATE INDEX follows_followed_status_idx ON follows (followed_id, status);

-- One note per user, shown for 24 hours after created_at.
CREATE TABLE notes (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX notes_created_idx ON notes (created_at);
