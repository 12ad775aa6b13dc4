//! Shipments for the browser tests, built once so that each test only says what differs.

use domain::{Delivery, DeliveryMethod, Destination, Eligibility, ProductLine, Shipment, Status};

/// DESIGN.md's example shipment in the given status and delivery method: one phone case to Kazan,
/// with no provider, at version 1, and the eligibility the rules compute.
pub fn shipment(status: Status, method: DeliveryMethod) -> Shipment {
    evaluated(Shipment {
        cancelled_items: Vec::new(),
        posting_number: "87654321-0001-1".to_owned(),
        order_number: "87654321-0001".to_owned(),
        status,
        delivery: Delivery {
            method,
            provider: None,
        },
        destination: Destination {
            country: "RU".to_owned(),
            city: "Kazan".to_owned(),
        },
        warehouse_id: "wh-shenzhen".to_owned(),
        products: vec![ProductLine {
            sku: "1001".to_owned(),
            name: "Phone case".to_owned(),
            quantity: 1,
            price: "3.20".to_owned(),
            currency: "USD".to_owned(),
        }],
        created_at: "2026-11-20T08:00:00Z"
            .parse()
            .expect("a valid RFC 3339 time"),
        ship_by: "2026-11-25T08:00:00Z"
            .parse()
            .expect("a valid RFC 3339 time"),
        version: 1,
        cancellation: None,
        eligibility: Eligibility {
            cancellable: false,
            mode: None,
            reasons: Vec::new(),
            warnings: Vec::new(),
            blocked: None,
        },
    })
}

/// The shipment with the eligibility that the rules compute from its facts, after a test changed them.
pub fn evaluated(mut shipment: Shipment) -> Shipment {
    shipment.eligibility = shipment.evaluate();
    shipment
}

/// A fresh element at the end of the body for a test to mount into.
pub fn root() -> web_sys::Element {
    let document = leptos::prelude::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    root
}
