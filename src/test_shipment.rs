//! One shipment for the app's unit tests to start from; each test changes only what it is about.

use chrono::{DateTime, Utc};
use domain::{Delivery, DeliveryMethod, Destination, ProductLine, Shipment, Status};

/// Awaiting shipment, by Cainiao (a partner provider) to Kazan, one phone case, version 1, with
/// the eligibility the rules give it.
pub fn shipment(posting_number: &str) -> Shipment {
    let at: DateTime<Utc> = "2026-11-20T08:00:00Z".parse().expect("a time");
    let status = Status::AwaitingShipment;
    let delivery = Delivery {
        method: DeliveryMethod::Partner,
        provider: Some("Cainiao".to_owned()),
    };
    let products = vec![ProductLine {
        sku: "1001".to_owned(),
        name: "Phone case".to_owned(),
        quantity: 1,
        price: "3.20".to_owned(),
        currency: "USD".to_owned(),
    }];
    rejudged(Shipment {
        cancelled_items: Vec::new(),
        posting_number: posting_number.to_owned(),
        order_number: format!("ORD-{posting_number}"),
        status,
        eligibility: domain::eligibility(status, delivery.method, None, &products),
        delivery,
        destination: Destination {
            country: "RU".to_owned(),
            city: "Kazan".to_owned(),
        },
        warehouse_id: "wh-shenzhen".to_owned(),
        products,
        created_at: at,
        ship_by: at,
        version: 1,
        cancellation: None,
    })
}

/// The shipment with the eligibility its fields now give, after a test changed them.
pub fn rejudged(mut shipment: Shipment) -> Shipment {
    shipment.eligibility = shipment.evaluate();
    shipment
}
