-- Every lane's emergency reserve of Focus credits (issue #16, fifth wave): requests per minute it may
-- send at once without the store. Handed out at pairing, never changed afterwards (so a lane never has
-- to learn that it shrank); the store holds every live lane's reserve back from every grant. Lanes
-- paired before this migration get theirs in pairing order, within the same pool of 40.
ALTER TABLE lanes ADD COLUMN credit_reserve integer NOT NULL DEFAULT 0;
UPDATE lanes SET credit_reserve = 5
  WHERE id IN (SELECT id FROM lanes WHERE NOT revoked ORDER BY paired_ms, id LIMIT 8);
