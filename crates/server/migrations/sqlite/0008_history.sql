-- The cancellation history (GET /history) reads one seller's cancellations newest first. Each
-- cancellation names its seller, and one index holds every filter column (state, initiator,
-- reason) after the time, so that a page walks it and a count reads it alone, never the table.

ALTER TABLE cancellations ADD COLUMN seller_id TEXT REFERENCES sellers(id);
UPDATE cancellations SET seller_id = (SELECT s.seller_id FROM shipments s WHERE s.id = cancellations.shipment_id);
CREATE INDEX cancellations_by_seller_time ON cancellations (seller_id, requested_at, id, state, initiator, reason);
