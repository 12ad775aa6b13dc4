-- The out-of-stock sweep finds the shipments that hold one SKU: an index from the SKU to its
-- shipments, so that the pre-check reads those shipments only, not every shipment of the seller.
CREATE INDEX shipment_lines_by_sku ON shipment_lines (sku, shipment_id);
