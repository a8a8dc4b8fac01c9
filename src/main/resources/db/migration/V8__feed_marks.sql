-- Marks of the change feed: every change at a position below `bound` was written before
-- `marked_at` (by the database's clock). A pull by time reads from the last mark at or before its
-- since_timestamp instead of from the start of the feed, so its first page costs what changed
-- since, not the whole table. Nodes write a mark at most once a second when they read the
-- watermark, and thin out the ones older than a day to the last of each hour.
CREATE TABLE feed_marks (
    marked_at timestamptz NOT NULL,
    bound     bigint      NOT NULL
);
CREATE INDEX feed_marks_by_time ON feed_marks (marked_at);
