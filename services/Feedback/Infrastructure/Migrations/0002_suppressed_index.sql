-- The indicators count suppressed invitations per region and period: a small partial index instead of visiting every
-- interaction of the period (bench/feedback: the heap visits of ~11,000 interactions per query were a third of its time).
CREATE INDEX interactions_suppressed ON interactions (region, occurred_at) INCLUDE (suppressed_by) WHERE survey = 'suppressed';
