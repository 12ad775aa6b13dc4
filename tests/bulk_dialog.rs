#![cfg(target_arch = "wasm32")]
//! The bulk cancellation in a real browser: the pre-check names what is skipped and why, and the
//! table's checkboxes collect the selection.

use std::collections::BTreeMap;

use app::api::Api;
use app::bulk::dialog::BulkCancelDialog;
use app::i18n::text;
use app::shipments::table::ShipmentsTable;
use chrono::{DateTime, Utc};
use domain::{BlockedCode, DeliveryMethod, Reason, Shipment, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 time")
}

fn shipment(posting_number: &str, status: Status, method: DeliveryMethod) -> Shipment {
    let mut shipment = support::shipment(status, method);
    shipment.posting_number = posting_number.to_owned();
    shipment
}

struct Mounted {
    root: Element,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn mount_with<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> Mounted {
    let root = support::root();
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), view);
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

fn text_of(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_precheck_lists_what_one_reason_skips_and_why() {
    let shipments = vec![
        shipment("1-1-1", Status::AwaitingPackaging, DeliveryMethod::Seller),
        shipment("2-2-1", Status::InTransit, DeliveryMethod::Partner),
        shipment("3-3-1", Status::Delivered, DeliveryMethod::Partner),
    ];
    let mounted = mount_with(move || {
        provide_context(Api::new("test-token"));
        view! {
            <BulkCancelDialog
                shipments
                on_close=Callback::new(|()| ())
                on_shipment=Callback::new(|_| ())
                on_finished=Callback::new(|_: app::bulk::run::Summary| ())
            />
        }
    });
    leptos::task::tick().await;

    // Every reason some selected shipment allows is offered.
    let offered: Vec<String> = all(&mounted.root, "input[name='bulk-reason']")
        .iter()
        .filter_map(|input| input.get_attribute("value"))
        .collect();
    let expected: Vec<String> = Reason::ALL.iter().map(|r| r.code().to_owned()).collect();
    assert_eq!(offered, expected);

    let out_of_stock = mounted
        .root
        .query_selector("input[value='out_of_stock']")
        .unwrap()
        .unwrap();
    out_of_stock.unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;

    let precheck = text_of(
        &mounted
            .root
            .query_selector(".precheck")
            .unwrap()
            .expect("a pre-check"),
    );
    assert!(precheck.contains(&text::bulk_will_cancel(1)), "{precheck}");
    assert!(precheck.contains(&text::bulk_will_skip(2)), "{precheck}");
    let skipped: Vec<String> = all(&mounted.root, ".skipped li")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        skipped,
        vec![
            format!(
                "2-2-1: {}",
                text::problem(domain::ProblemCode::ReasonNotOffered)
            ),
            format!("3-3-1: {}", text::blocked(BlockedCode::Delivered)),
        ]
    );
    let confirm = all(&mounted.root, "button.danger")
        .pop()
        .expect("a confirm button");
    assert_eq!(text_of(&confirm).trim(), text::bulk_confirm(1));
    assert!(!confirm.has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn checkboxes_collect_the_selection() {
    let rows = RwSignal::new(vec![
        shipment("1-1-1", Status::AwaitingPackaging, DeliveryMethod::Seller),
        shipment("2-2-1", Status::InTransit, DeliveryMethod::Partner),
    ]);
    let selection = RwSignal::new(BTreeMap::<String, Shipment>::new());
    let mounted = mount_with(move || {
        let now = at("2026-11-24T12:00:00Z");
        view! {
            <ShipmentsTable shipments=rows now on_cancel=Callback::new(|_| ()) selection />
        }
    });
    leptos::task::tick().await;

    let boxes = all(&mounted.root, "tbody input[type='checkbox']");
    assert_eq!(boxes.len(), 2);
    assert_eq!(
        boxes[1].get_attribute("aria-label").as_deref(),
        Some("Select shipment 2-2-1")
    );
    boxes[1].unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;
    let ticked: Vec<String> = selection.with_untracked(|s| s.keys().cloned().collect());
    assert_eq!(ticked, vec!["2-2-1".to_owned()]);

    let header = mounted
        .root
        .query_selector("thead input[type='checkbox']")
        .unwrap()
        .expect("a select-all box");
    header.unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;
    assert_eq!(selection.with_untracked(BTreeMap::len), 2);
    header.unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;
    assert!(selection.with_untracked(BTreeMap::is_empty));
}
