-- The suppressed-invitation counts now follow the indicator query's unit, channel and kind filters: the partial index
-- carries those columns too, so the count stays an index-only scan.
DROP INDEX interactions_suppressed;
CREATE INDEX interactions_suppressed ON interactions (region, occurred_at) INCLUDE (suppressed_by, unit, channel, kind) WHERE survey = 'suppressed';
