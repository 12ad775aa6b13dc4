#![cfg(target_arch = "wasm32")]
//! The split dialog in a real browser: its first plan passes the rules, and a parcel with more than
//! three identical products is refused before anything is sent.

use app::api::Api;
use app::i18n::text;
use app::split::dialog::SplitDialog;
use domain::{DeliveryMethod, Shipment, SplitError, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

fn commercial_shipment() -> Shipment {
    let mut shipment = support::shipment(Status::AwaitingPackaging, DeliveryMethod::Partner);
    shipment.posting_number = "87654321-0024-1".to_owned();
    shipment.order_number = "87654321-0024".to_owned();
    shipment.delivery.provider = Some("YunExpress".to_owned());
    shipment.destination.country = "KZ".to_owned();
    shipment.destination.city = "Almaty".to_owned();
    shipment.products[0].sku = "1004".to_owned();
    shipment.products[0].name = "Screen protector".to_owned();
    shipment.products[0].quantity = 4;
    shipment.products[0].price = "1.10".to_owned();
    shipment.ship_by = shipment.created_at;
    shipment.version = 2;
    support::evaluated(shipment)
}

fn cells(root: &Element) -> Vec<HtmlInputElement> {
    let list = root
        .query_selector_all("input[type='number']")
        .expect("a selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlInputElement>().ok())
        .collect()
}

fn split_button(root: &Element) -> Element {
    let list = root.query_selector_all("button").expect("a selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .find(|button| button.text_content().unwrap_or_default().trim() == text::split_confirm())
        .expect("the split button")
}

#[wasm_bindgen_test]
async fn too_many_identical_products_in_a_parcel_are_refused_before_sending() {
    let root = support::root();
    let split = RwSignal::new(0u32);
    let _handle =
        leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
            provide_context(Api::new("test-token"));
            view! {
                <SplitDialog
                    shipment=commercial_shipment()
                    on_close=Callback::new(|()| ())
                    on_shipment=Callback::new(|_| ())
                    on_split=Callback::new(move |_| split.update(|n| *n += 1))
                />
            }
        });
    leptos::task::tick().await;

    let inputs = cells(&root);
    let values: Vec<String> = inputs.iter().map(HtmlInputElement::value).collect();
    assert_eq!(values, vec!["3", "1"], "four units go three and one");
    assert!(!split_button(&root).has_attribute("disabled"));
    assert_eq!(
        inputs[0].get_attribute("aria-label").as_deref(),
        Some("Screen protector in parcel 1")
    );

    inputs[0].set_value("4");
    inputs[0]
        .dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("dispatched");
    leptos::task::tick().await;

    let alert = root
        .query_selector("[role='alert']")
        .expect("a selector")
        .expect("the rule's refusal");
    let expected = text::split_error(&SplitError::TooManyIdentical {
        parcel: 1,
        sku: "1004".to_owned(),
        units: 4,
    });
    assert_eq!(alert.text_content().as_deref(), Some(expected.as_str()));
    let button = split_button(&root);
    assert!(button.has_attribute("disabled"));
    button.unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;
    assert_eq!(split.get_untracked(), 0);
    root.remove();
}
