-- The feed walks each followee's newest profile posts: with space posts left out of the
-- index, it stops after a page per followee instead of reading every row to test it.
CREATE INDEX posts_profile_by_author_idx ON posts (user_id, created_at DESC, id DESC)
    WHERE space_id IS NULL;
