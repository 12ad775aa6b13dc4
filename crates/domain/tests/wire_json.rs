//! The wire types against the JSON of DESIGN.md, byte for byte in meaning.

use domain::fixture::Fixture;
use domain::{Mode, Problem, ProblemCode, Reason, Shipment, Status, Warning};
use serde_json::{Value, json};

const DESIGN_EXAMPLE: &str = r#"{"posting_number":"87654321-0001-1","order_number":"87654321-0001","status":"in_transit",
 "delivery":{"method":"partner","provider":"Cainiao"},"destination":{"country":"RU","city":"Kazan"},
 "warehouse_id":"wh-shenzhen","products":[{"sku":"1001","name":"Phone case","quantity":4,"price":"3.20","currency":"USD"}],
 "created_at":"2026-11-20T08:00:00Z","ship_by":"2026-11-23T08:00:00Z","version":3,
 "cancellation":null,
 "eligibility":{"cancellable":true,"mode":"carrier_request","reasons":["customer_request","lost_by_carrier","other"],
                "warnings":["commercial_shipment"],"blocked":null}}"#;

#[test]
fn the_design_example_round_trips() {
    let shipment: Shipment =
        serde_json::from_str(DESIGN_EXAMPLE).expect("the DESIGN.md example parses");
    assert_eq!(shipment.status, Status::InTransit);
    assert_eq!(shipment.version, 3);
    assert_eq!(shipment.eligibility.mode, Some(Mode::CarrierRequest));
    let back = serde_json::to_value(&shipment).unwrap();
    let mut original: Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
    // DESIGN.md's example predates partial cancellations: a Shipment now always carries
    // `cancelled_items`, an empty list when none, and reads without it.
    original["cancelled_items"] = json!([]);
    assert_eq!(back, original);
}

#[test]
fn the_rules_agree_with_the_design_example() {
    let shipment: Shipment = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
    assert_eq!(shipment.evaluate(), shipment.eligibility);
    assert_eq!(shipment.eligibility.warnings, [Warning::CommercialShipment]);
}

#[test]
fn codes_are_snake_case() {
    assert_eq!(
        serde_json::to_value(Reason::UndeliverableAddress).unwrap(),
        json!("undeliverable_address")
    );
    assert_eq!(
        serde_json::to_value(ProblemCode::ChinaPostInTransit).unwrap(),
        json!("china_post_in_transit")
    );
    assert_eq!(
        serde_json::to_value(ProblemCode::IdempotencyKeyReused).unwrap(),
        json!("idempotency_key_reused")
    );
    for status in Status::ALL {
        assert_eq!(serde_json::to_value(status).unwrap(), json!(status.code()));
    }
    for reason in Reason::ALL {
        assert_eq!(serde_json::to_value(reason).unwrap(), json!(reason.code()));
    }
}

#[test]
fn unknown_fields_and_codes_are_refused() {
    let mut extra: Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
    extra["surprise"] = json!(1);
    assert!(serde_json::from_value::<Shipment>(extra).is_err());
    let mut bad_status: Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
    bad_status["status"] = json!("delivering");
    assert!(serde_json::from_value::<Shipment>(bad_status).is_err());
    assert!(
        serde_json::from_value::<domain::wire::CancelRequest>(json!({"reason":"because"})).is_err()
    );
    assert!(
        serde_json::from_value::<domain::wire::CancelRequest>(
            json!({"reason":"other","comment":"x","x":1})
        )
        .is_err()
    );
}

#[test]
fn a_problem_is_rfc_9457_with_a_code() {
    let problem = Problem::new(422, ProblemCode::ReasonNotOffered, "Reason not offered")
        .with_detail("lost_by_carrier is offered in transit only");
    let value = serde_json::to_value(&problem).unwrap();
    assert_eq!(
        value,
        json!({"type":"about:blank","title":"Reason not offered","status":422,
               "detail":"lost_by_carrier is offered in transit only","code":"reason_not_offered"})
    );
}

#[test]
fn a_fixture_shipment_has_the_wire_shape_without_version_and_eligibility() {
    let mut shipment: Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
    let object = shipment.as_object_mut().unwrap();
    object.remove("version");
    object.remove("eligibility");
    object.insert(
        "provider_decision".into(),
        json!({"decision":"reject","after_ms":1500,"message":"Parcel already handed to the airline"}),
    );
    let fixture = json!({"sellers":[{"id":"s-1","name":"Seller","products":[],"shipments":[shipment]}],
                         "settings":{"threshold":0.1}});
    let parsed: Fixture = serde_json::from_value(fixture).expect("the fixture parses");
    assert_eq!(
        parsed.sellers[0].shipments[0].posting_number,
        "87654321-0001-1"
    );
    assert!(parsed.sellers[0].shipments[0].provider_decision.is_some());
}
