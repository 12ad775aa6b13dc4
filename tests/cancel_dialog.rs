#![cfg(target_arch = "wasm32")]
//! The cancellation dialog in a real browser: the reasons it offers, the description `other`
//! requires, the outcome and effects it announces, and how it closes.

use app::api::Api;
use app::cancel::dialog::CancelDialog;
use app::i18n::text;
use domain::{DeliveryMethod, Reason, Shipment, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

fn shipment(
    status: Status,
    method: DeliveryMethod,
    provider: Option<&str>,
    units: u32,
) -> Shipment {
    let mut shipment = support::shipment(status, method);
    shipment.delivery.provider = provider.map(str::to_owned);
    shipment.products[0].quantity = units;
    shipment.version = 3;
    support::evaluated(shipment)
}

struct Mounted {
    root: Element,
    closed: RwSignal<u32>,
    done: RwSignal<u32>,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

impl Mounted {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root
            .query_selector(selector)
            .expect("a valid selector")
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self
            .root
            .query_selector_all(selector)
            .expect("a valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<Element>().ok())
            .collect()
    }

    fn offered_reasons(&self) -> Vec<String> {
        self.all("input[name='reason']")
            .iter()
            .filter_map(|input| input.get_attribute("value"))
            .collect()
    }

    fn reason_labels(&self) -> Vec<String> {
        self.all("label.reason")
            .iter()
            .map(|label| label.text_content().unwrap_or_default().trim().to_owned())
            .collect()
    }

    fn choose(&self, reason: Reason) {
        let input = self
            .find(&format!("input[name='reason'][value='{}']", reason.code()))
            .unwrap_or_else(|| panic!("the reason {reason} is offered"));
        input.unchecked_ref::<HtmlElement>().click();
    }

    fn button(&self, name: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|button| {
                button.get_attribute("aria-label").as_deref() == Some(name)
                    || button.text_content().unwrap_or_default().trim() == name
            })
            .unwrap_or_else(|| panic!("a button named {name}"))
            .unchecked_into()
    }

    fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }
}

fn mount(shipment: Shipment) -> Mounted {
    let root = support::root();
    let closed = RwSignal::new(0u32);
    let done = RwSignal::new(0u32);
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
        // No server answers in these tests: the token only has to exist.
        provide_context(Api::new("test-token"));
        let on_close = Callback::new(move |()| closed.update(|n| *n += 1));
        let on_done = Callback::new(move |_| done.update(|n| *n += 1));
        let on_shipment = Callback::new(|_| ());
        view! { <CancelDialog shipment on_close on_shipment on_done /> }
    });
    Mounted {
        root,
        closed,
        done,
        _handle: Box::new(handle),
    }
}

#[wasm_bindgen_test]
async fn the_dialog_offers_exactly_the_reasons_the_rules_allow() {
    let cases = [
        (
            shipment(
                Status::AwaitingPackaging,
                DeliveryMethod::Partner,
                Some("Cainiao"),
                1,
            ),
            vec![
                "out_of_stock",
                "customer_request",
                "undeliverable_address",
                "other",
            ],
        ),
        (
            shipment(Status::ReadyForShipment, DeliveryMethod::ChinaPost, None, 1),
            vec![
                "out_of_stock",
                "customer_request",
                "undeliverable_address",
                "other",
            ],
        ),
        (
            shipment(
                Status::InTransit,
                DeliveryMethod::Partner,
                Some("Cainiao"),
                4,
            ),
            vec!["customer_request", "lost_by_carrier", "other"],
        ),
    ];
    for (shipment, expected) in cases {
        let status = shipment.status;
        let mounted = mount(shipment);
        leptos::task::tick().await;
        assert_eq!(mounted.offered_reasons(), expected, "for {status}");
        let labels: Vec<String> = expected
            .iter()
            .map(|code| Reason::from_code(code).unwrap().label_en().to_owned())
            .collect();
        assert_eq!(
            mounted.reason_labels(),
            labels,
            "the seed's words for {status}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_blocked_shipment_offers_no_reason_and_explains_why() {
    let mounted = mount(shipment(
        Status::InTransit,
        DeliveryMethod::ChinaPost,
        None,
        1,
    ));
    leptos::task::tick().await;
    assert!(mounted.offered_reasons().is_empty());
    assert!(
        mounted
            .text()
            .contains(text::blocked(domain::BlockedCode::ChinaPostInTransit))
    );
    assert!(
        mounted
            .button(text::cancel_shipment())
            .has_attribute("disabled")
    );
}

#[wasm_bindgen_test]
async fn other_blocks_submission_until_it_has_a_description() {
    let mounted = mount(shipment(
        Status::AwaitingShipment,
        DeliveryMethod::Seller,
        None,
        1,
    ));
    leptos::task::tick().await;

    mounted.choose(Reason::Other);
    leptos::task::tick().await;
    let textarea: HtmlTextAreaElement = mounted
        .find("textarea")
        .expect("other asks for a description")
        .unchecked_into();
    assert_eq!(
        textarea.get_attribute("aria-invalid"),
        None,
        "not red before a first try"
    );

    mounted.button(text::cancel_shipment()).click();
    leptos::task::tick().await;
    assert_eq!(
        textarea.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        mounted
            .text()
            .contains(text::comment_error(domain::CommentError::CommentRequired))
    );
    let confirm = mounted.button(text::cancel_shipment());
    assert!(!confirm.has_attribute("aria-busy"), "nothing was sent");
    assert_eq!(mounted.done.get_untracked(), 0);

    // The counter follows the trimmed length, and a valid description clears the error.
    textarea.set_value("  Packed the wrong colour ");
    let input = web_sys::Event::new("input").expect("an input event");
    textarea.dispatch_event(&input).expect("dispatched");
    leptos::task::tick().await;
    let counter = mounted.find(".counter").expect("a counter");
    assert_eq!(counter.text_content().as_deref(), Some("23 / 500"));
    assert_eq!(textarea.get_attribute("aria-invalid"), None);
    assert_eq!(confirm.get_attribute("data-valid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn the_outcome_and_effects_are_said_in_plain_words() {
    let in_transit = mount(shipment(
        Status::InTransit,
        DeliveryMethod::Partner,
        Some("Cainiao"),
        4,
    ));
    leptos::task::tick().await;
    assert!(
        in_transit
            .text()
            .contains(&text::outcome_request(Some("Cainiao")))
    );
    assert!(
        in_transit
            .text()
            .contains(text::warning(domain::Warning::CommercialShipment))
    );
    // The commercial warning's first alternative picks the customer's reason.
    in_transit.button(&text::use_customer_reason()).click();
    leptos::task::tick().await;
    let chosen: HtmlInputElement = in_transit
        .find("input[value='customer_request']")
        .unwrap()
        .unchecked_into();
    assert!(chosen.checked());
    assert!(in_transit.text().contains(text::rate_already_included()));
    drop(in_transit);

    let before_handover = mount(shipment(
        Status::AwaitingPackaging,
        DeliveryMethod::Partner,
        None,
        1,
    ));
    leptos::task::tick().await;
    assert!(before_handover.text().contains(text::outcome_now()));
    before_handover.choose(Reason::OutOfStock);
    leptos::task::tick().await;
    assert!(
        before_handover
            .text()
            .contains("reset to zero: Phone case (SKU 1001) at wh-shenzhen")
    );
}

#[wasm_bindgen_test]
async fn escape_and_keep_shipment_close_the_dialog() {
    let mounted = mount(shipment(
        Status::AwaitingShipment,
        DeliveryMethod::Seller,
        None,
        1,
    ));
    leptos::task::tick().await;

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keyboard event");
    window().dispatch_event(&escape).expect("dispatched");
    leptos::task::tick().await;
    assert_eq!(mounted.closed.get_untracked(), 1);

    mounted.button(text::keep_shipment()).click();
    mounted.button(text::close()).click();
    leptos::task::tick().await;
    assert_eq!(mounted.closed.get_untracked(), 3);
    assert_eq!(mounted.done.get_untracked(), 0);
}
