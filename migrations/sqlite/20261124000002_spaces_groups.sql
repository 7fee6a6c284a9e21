-- Spaces (with rooms, members and their roles, bans, invitations) and group chats.
CREATE TABLE spaces (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES users (id),
    members_nbr INTEGER NOT NULL DEFAULT 1,
    founded_on  INTEGER NOT NULL
);
CREATE UNIQUE INDEX spaces_name_key ON spaces (lower(name));

CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    space_id   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX rooms_space_name_key ON rooms (space_id, lower(name));

-- role: 'owner' | 'moderator' | 'member'
CREATE TABLE space_members (
    space_id  INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT    NOT NULL DEFAULT 'member',
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_members_user_idx ON space_members (user_id);

CREATE TABLE space_bans (
    space_id   INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, user_id)
);

CREATE TABLE space_invitations (
    id           INTEGER PRIMARY KEY,
    space_id     INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL,               -- SHA-256 of the token, hex
    max_uses     INTEGER NOT NULL,
    current_uses INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX space_invitations_token_key ON space_invitations (token_hash);
CREATE INDEX space_invitations_space_idx ON space_invitations (space_id);
CREATE INDEX space_invitations_expires_idx ON space_invitations (expires_at);

CREATE TABLE group_chats (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES group_chats (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);
