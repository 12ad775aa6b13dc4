-- A page of some statuses reads those statuses' entries in sort order (per status, then merged by
-- SQLite's early-out sorter) instead of walking every shipment: the statuses a seller still acts on
-- are the newest, at the far end of the ship_by order. A count of all the seller's shipments reads
-- the narrowest index.

DROP INDEX shipments_by_status;
CREATE INDEX shipments_by_status_ship_by ON shipments (seller_id, status, ship_by, id, delivery_method, city_key);
CREATE INDEX shipments_by_status_created ON shipments (seller_id, status, created_at, id, delivery_method, city_key);
CREATE INDEX shipments_by_seller ON shipments (seller_id);
