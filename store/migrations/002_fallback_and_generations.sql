-- One Focus budget across lanes even when one of them is cut off (issue #16, third wave), and journal
-- generations (a lane whose journal was restored from an older copy starts a new outbox history).

-- When the store last heard from the lane (any authenticated request), until when its even share
-- stays held back after it came back, and the share it said it would spend on its own.
ALTER TABLE lanes ADD COLUMN last_seen_ms bigint;
ALTER TABLE lanes ADD COLUMN fallback_until_ms bigint;
ALTER TABLE lanes ADD COLUMN fallback_share integer;
ALTER TABLE lanes ADD COLUMN token_key text;
UPDATE lanes SET last_seen_ms = GREATEST(paired_ms, COALESCE(last_push_ms, 0), COALESCE(last_pull_ms, 0));

-- A lane's outbox histories: generation 0 is the first; a journal restored from an older copy
-- reuses seqs, so it sends under a new journal id and the store numbers a new generation. Seqs are
-- unique per generation; event ids stay unique across all of them (the deduplication key).
CREATE TABLE lane_generations (
  lane_id text NOT NULL REFERENCES lanes (id),
  generation integer NOT NULL,
  journal_id uuid,
  start_seq bigint NOT NULL,
  started_ms bigint NOT NULL,
  PRIMARY KEY (lane_id, generation),
  UNIQUE (lane_id, journal_id)
);
ALTER TABLE lanes ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE lanes ADD COLUMN journal_id uuid;

ALTER TABLE events ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (lane_id, generation, seq);

-- Register sessions and movements are numbered by the lane's journal: a restored journal numbers
-- them again, so the generation is part of their key.
ALTER TABLE register_sessions ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE register_sessions DROP CONSTRAINT register_sessions_pkey;
ALTER TABLE register_sessions ADD PRIMARY KEY (lane_id, generation, session_id);
ALTER TABLE register_movements ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE register_movements DROP CONSTRAINT register_movements_pkey;
ALTER TABLE register_movements ADD PRIMARY KEY (lane_id, generation, movement_id);
