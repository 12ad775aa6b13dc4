-- Partial cancellations (RULES.md, "Cancelling some products of a shipment"). Each is a row of
-- `cancellations` marked `partial` (state cancelled, initiator seller), so that the history reads
-- one table in one time order; its units are rows of `cancelled_items`. `shipments.cancellation_id`
-- keeps naming whole cancellations only, so the wire `cancellation` means what it meant.

ALTER TABLE cancellations ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1));

CREATE TABLE cancelled_items (
    cancellation_id INTEGER NOT NULL REFERENCES cancellations(id),
    -- The order the request named them in.
    item_no         INTEGER NOT NULL,
    sku             TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (cancellation_id, item_no)
) STRICT;

-- A page of shipments reads its partial cancellations, oldest first, from this index alone.
CREATE INDEX cancellations_partial_by_shipment ON cancellations (shipment_id, requested_at, id) WHERE partial = 1;

-- The history's index also holds the new filter column, so that it stays covering.
DROP INDEX cancellations_by_seller_time;
CREATE INDEX cancellations_by_seller_time ON cancellations (seller_id, requested_at, id, state, initiator, reason, partial);
