-- Intents expire after the retention (24 h by default): the pruner deletes by age, and each seller's
-- stored intents are counted so that the per-seller cap is one lookup, not a count.
CREATE INDEX idempotency_by_age ON idempotency (created_at);

CREATE TABLE idempotency_counts (
    seller_id TEXT PRIMARY KEY,
    stored    INTEGER NOT NULL CHECK (stored >= 0)
) STRICT;

INSERT INTO idempotency_counts (seller_id, stored)
    SELECT seller_id, COUNT(*) FROM idempotency GROUP BY seller_id;

CREATE TRIGGER idempotency_counted AFTER INSERT ON idempotency BEGIN
    INSERT INTO idempotency_counts (seller_id, stored) VALUES (NEW.seller_id, 1)
        ON CONFLICT (seller_id) DO UPDATE SET stored = stored + 1;
END;

CREATE TRIGGER idempotency_uncounted AFTER DELETE ON idempotency BEGIN
    UPDATE idempotency_counts SET stored = stored - 1 WHERE seller_id = OLD.seller_id;
END;
