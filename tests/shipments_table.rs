#![cfg(target_arch = "wasm32")]
//! The shipments table in a real browser: rows, labels, and the Cancel shipment button that the
//! client-side rules enable or explain.

use app::i18n::text;
use app::shipments::table::ShipmentsTable;
use chrono::{DateTime, Utc};
use domain::{
    BlockedCode, Cancellation, CancellationState, DeliveryMethod, Initiator, Shipment, Status,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 time")
}

fn now() -> DateTime<Utc> {
    at("2026-11-24T12:00:00Z")
}

fn shipment(
    posting_number: &str,
    status: Status,
    method: DeliveryMethod,
    provider: Option<&str>,
    units: u32,
) -> Shipment {
    let mut shipment = support::shipment(status, method);
    shipment.posting_number = posting_number.to_owned();
    shipment.order_number = posting_number
        .rsplit_once('-')
        .map_or("", |(order, _)| order)
        .to_owned();
    shipment.delivery.provider = provider.map(str::to_owned);
    shipment.products[0].quantity = units;
    support::evaluated(shipment)
}

/// A mounted table, unmounted when dropped.
struct Mounted {
    root: Element,
    _handle: Box<dyn std::any::Any>,
}

impl Mounted {
    fn rows(&self) -> Vec<Element> {
        all(&self.root, "tbody tr")
    }

    fn row(&self, posting_number: &str) -> Element {
        self.root
            .query_selector(&format!("tr[data-posting-number='{posting_number}']"))
            .expect("a valid selector")
            .unwrap_or_else(|| panic!("a row for {posting_number}"))
    }

    fn element_by_id(&self, id: &str) -> Element {
        document()
            .get_element_by_id(id)
            .unwrap_or_else(|| panic!("an element with id {id}"))
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

fn mount(shipments: RwSignal<Vec<Shipment>>, chosen: RwSignal<Option<Shipment>>) -> Mounted {
    let root = support::root();
    let on_cancel = Callback::new(move |shipment: Shipment| chosen.set(Some(shipment)));
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
        view! { <ShipmentsTable shipments now=now() on_cancel /> }
    });
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

fn cancel_button(row: &Element) -> Element {
    row.query_selector("button")
        .expect("a valid selector")
        .expect("a button in the row")
}

fn text_of(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn each_shipment_is_one_row_of_the_table_named_shipments() {
    let shipments = RwSignal::new(vec![
        shipment(
            "87654321-0001-1",
            Status::InTransit,
            DeliveryMethod::Partner,
            Some("Cainiao"),
            4,
        ),
        shipment(
            "87654321-0002-1",
            Status::AwaitingPackaging,
            DeliveryMethod::Seller,
            None,
            1,
        ),
        shipment(
            "87654321-0003-1",
            Status::Delivered,
            DeliveryMethod::ChinaPost,
            None,
            2,
        ),
    ]);
    let mounted = mount(shipments, RwSignal::new(None));
    leptos::task::tick().await;

    let caption = mounted
        .root
        .query_selector("table caption")
        .unwrap()
        .expect("a caption");
    assert_eq!(text_of(&caption), "Shipments");
    assert_eq!(mounted.rows().len(), 3);

    let row = mounted.row("87654321-0001-1");
    let row_text = text_of(&row);
    assert!(row_text.contains("87654321-0001-1"), "{row_text}");
    assert!(row_text.contains("Order 87654321-0001"), "{row_text}");
    assert!(row_text.contains("Phone case × 4"), "{row_text}");
    assert!(row_text.contains("Kazan, RU"), "{row_text}");
    assert!(
        row_text.contains("Partner delivery service · Cainiao"),
        "{row_text}"
    );
    let badge = row
        .query_selector(".badge")
        .unwrap()
        .expect("a status badge");
    assert_eq!(text_of(&badge), "In transit");
    // Four identical products: the commercial-shipment warning shows and describes the button.
    let warnings = row
        .query_selector(".warnings")
        .unwrap()
        .expect("the warnings");
    assert!(text_of(&warnings).contains("commercial shipment"));
    let button = cancel_button(&row);
    assert_eq!(text_of(&button), "Cancel shipment");
    assert!(!button.has_attribute("disabled"));
    assert_eq!(
        button.get_attribute("aria-describedby"),
        Some(warnings.id())
    );

    assert_eq!(
        text_of(
            &mounted
                .row("87654321-0002-1")
                .query_selector(".badge")
                .unwrap()
                .unwrap()
        ),
        "Awaiting packaging"
    );
}

#[wasm_bindgen_test]
async fn a_disabled_button_carries_its_explanation_as_accessible_description() {
    let shipments = RwSignal::new(vec![shipment(
        "87654321-0004-1",
        Status::InTransit,
        DeliveryMethod::ChinaPost,
        Some("China Post"),
        1,
    )]);
    let mounted = mount(shipments, RwSignal::new(None));
    leptos::task::tick().await;

    let row = mounted.row("87654321-0004-1");
    let button = cancel_button(&row);
    assert!(button.has_attribute("disabled"));
    let described_by = button
        .get_attribute("aria-describedby")
        .expect("the disabled button names its explanation");
    let explanation = mounted.element_by_id(&described_by);
    assert!(
        row.contains(Some(&explanation)),
        "the explanation is in the row"
    );
    let words = text_of(&explanation);
    assert!(
        words.contains(text::blocked(BlockedCode::ChinaPostInTransit)),
        "{words}"
    );
    assert!(
        words.contains(text::blocked_advice(BlockedCode::ChinaPostInTransit)),
        "{words}"
    );
    let visible = explanation.unchecked_ref::<HtmlElement>().offset_height() > 0;
    assert!(visible, "the explanation is visible, not only announced");
}

#[wasm_bindgen_test]
async fn the_client_rules_decide_even_when_the_server_field_disagrees() {
    let mut delivered = shipment(
        "87654321-0005-1",
        Status::Delivered,
        DeliveryMethod::Partner,
        None,
        1,
    );
    // A stale or wrong server answer must not enable the button.
    delivered.eligibility = shipment(
        "x-1",
        Status::AwaitingShipment,
        DeliveryMethod::Partner,
        None,
        1,
    )
    .eligibility;
    let mounted = mount(RwSignal::new(vec![delivered]), RwSignal::new(None));
    leptos::task::tick().await;

    let row = mounted.row("87654321-0005-1");
    assert!(cancel_button(&row).has_attribute("disabled"));
    assert!(text_of(&row).contains(text::blocked(BlockedCode::Delivered)));
}

#[wasm_bindgen_test]
async fn an_enabled_button_hands_its_shipment_to_the_page() {
    let cancellable = shipment(
        "87654321-0006-1",
        Status::AwaitingShipment,
        DeliveryMethod::Seller,
        None,
        1,
    );
    let chosen = RwSignal::new(None);
    let mounted = mount(RwSignal::new(vec![cancellable.clone()]), chosen);
    leptos::task::tick().await;

    let button = cancel_button(&mounted.row("87654321-0006-1"));
    assert!(!button.has_attribute("disabled"));
    assert_eq!(button.get_attribute("aria-describedby"), None);
    button.unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;
    assert_eq!(chosen.get_untracked(), Some(cancellable));
}

#[wasm_bindgen_test]
async fn a_changed_shipment_updates_its_row_in_place() {
    let before = shipment(
        "87654321-0007-1",
        Status::InTransit,
        DeliveryMethod::Partner,
        Some("YunExpress"),
        1,
    );
    let shipments = RwSignal::new(vec![
        shipment(
            "87654321-0008-1",
            Status::AwaitingShipment,
            DeliveryMethod::Seller,
            None,
            1,
        ),
        before.clone(),
    ]);
    let mounted = mount(shipments, RwSignal::new(None));
    leptos::task::tick().await;
    assert!(!cancel_button(&mounted.row("87654321-0007-1")).has_attribute("disabled"));

    let mut after = before;
    after.version += 1;
    after.cancellation = Some(Cancellation {
        state: CancellationState::Requested,
        reason: Some(domain::Reason::CustomerRequest),
        comment: None,
        initiator: Initiator::Seller,
        requested_at: at("2026-11-24T11:00:00Z"),
        decided_at: None,
        provider_message: None,
    });
    after.eligibility = after.evaluate();
    shipments.update(|rows| rows[1] = after);
    leptos::task::tick().await;

    let rows = mounted.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1].get_attribute("data-posting-number").as_deref(),
        Some("87654321-0007-1")
    );
    let row = mounted.row("87654321-0007-1");
    assert!(text_of(&row).contains("Cancellation requested from YunExpress"));
    assert!(cancel_button(&row).has_attribute("disabled"));
    assert!(text_of(&row).contains(text::blocked(BlockedCode::CancellationPending)));
}

#[wasm_bindgen_test]
async fn an_overdue_shipment_is_marked() {
    let mut late = shipment(
        "87654321-0009-1",
        Status::AwaitingPackaging,
        DeliveryMethod::Partner,
        None,
        1,
    );
    late.ship_by = at("2026-11-23T08:00:00Z");
    let on_time = shipment(
        "87654321-0010-1",
        Status::AwaitingPackaging,
        DeliveryMethod::Partner,
        None,
        1,
    );
    let mounted = mount(RwSignal::new(vec![late, on_time]), RwSignal::new(None));
    leptos::task::tick().await;

    assert!(text_of(&mounted.row("87654321-0009-1")).contains(text::overdue()));
    assert!(!text_of(&mounted.row("87654321-0010-1")).contains(text::overdue()));
}
