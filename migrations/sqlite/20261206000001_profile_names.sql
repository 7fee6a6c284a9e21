-- Profiles gain a display name (any script; `display_name_folded` is its Unicode
-- lower-case form, written by the server, so people search matches it
-- case-insensitively on SQLite too, whose lower() folds ASCII only) and a bio.
ALTER TABLE users ADD COLUMN display_name TEXT;
ALTER TABLE users ADD COLUMN display_name_folded TEXT;
ALTER TABLE users ADD COLUMN bio TEXT;
