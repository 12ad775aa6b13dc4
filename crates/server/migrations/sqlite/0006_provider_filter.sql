-- The list filters by delivery provider too. Every index a list page or a count reads also holds the
-- provider, so that filtering by it never reaches the table; a provider-led index counts one
-- provider's shipments and lists the seller's providers (GET /providers) from the index alone.

DROP INDEX shipments_by_ship_by;
DROP INDEX shipments_by_created;
DROP INDEX shipments_by_status_ship_by;
DROP INDEX shipments_by_status_created;
DROP INDEX shipments_by_city;
DROP INDEX shipments_by_delivery;
DROP INDEX shipments_by_text_head;
CREATE INDEX shipments_by_ship_by ON shipments (seller_id, ship_by, id, status, delivery_method, city_key, provider);
CREATE INDEX shipments_by_created ON shipments (seller_id, created_at, id, status, delivery_method, city_key, provider);
CREATE INDEX shipments_by_status_ship_by ON shipments (seller_id, status, ship_by, id, delivery_method, city_key, provider);
CREATE INDEX shipments_by_status_created ON shipments (seller_id, status, created_at, id, delivery_method, city_key, provider);
CREATE INDEX shipments_by_city ON shipments (seller_id, city_key, status, delivery_method, provider);
CREATE INDEX shipments_by_delivery ON shipments (seller_id, delivery_method, status, city_key, provider);
CREATE INDEX shipments_by_text_head ON shipments (seller_id, substr(search_text, 1, 2), status, delivery_method, city_key, provider);
CREATE INDEX shipments_by_provider ON shipments (seller_id, provider, status, delivery_method, city_key);
