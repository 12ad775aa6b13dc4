#![cfg(target_arch = "wasm32")]
//! Submitting from the cancellation dialog against a scripted `fetch`: a stale version (412)
//! shows what changed and re-checks the rules; a network failure keeps the dialog and Retry
//! resends the same intent with the same Idempotency-Key and If-Match.

use app::api::Api;
use app::cancel::dialog::CancelDialog;
use app::i18n::text;
use domain::{BlockedCode, DeliveryMethod, Problem, ProblemCode, Reason, Shipment, Status};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function script_fetch(answers) {
  const queue = JSON.parse(answers);
  window.__cancelCalls = [];
  window.fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (!new URL(request.url).pathname.endsWith('/cancel')) {
      return Promise.resolve(new Response('{}', { status: 404 }));
    }
    window.__cancelCalls.push({
      key: request.headers.get('Idempotency-Key'),
      ifMatch: request.headers.get('If-Match'),
    });
    const next = queue.shift();
    if (!next || next.network) {
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    return Promise.resolve(new Response(next.body, {
      status: next.status,
      headers: { 'Content-Type': next.status >= 400 ? 'application/problem+json' : 'application/json' },
    }));
  };
}
export function cancel_calls() {
  return JSON.stringify(window.__cancelCalls || []);
}
"#)]
extern "C" {
    fn script_fetch(answers: &str);
    fn cancel_calls() -> String;
}

fn shipment(status: Status, method: DeliveryMethod, version: u64) -> Shipment {
    let mut shipment = support::shipment(status, method);
    shipment.posting_number = "87654321-0005-1".to_owned();
    shipment.order_number = "87654321-0005".to_owned();
    shipment.ship_by = shipment.created_at;
    shipment.version = version;
    shipment
}

struct Mounted {
    root: Element,
    updated: RwSignal<Vec<Shipment>>,
    done: RwSignal<u32>,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

impl Mounted {
    fn button(&self, name: &str) -> Option<HtmlElement> {
        let list = self.root.query_selector_all("button").expect("a selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
            .find(|button| button.text_content().unwrap_or_default().trim() == name)
    }

    fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }

    fn choose(&self, reason: Reason) {
        self.root
            .query_selector(&format!("input[value='{}']", reason.code()))
            .expect("a selector")
            .expect("the reason is offered")
            .unchecked_into::<HtmlElement>()
            .click();
    }
}

fn mount(shipment: Shipment) -> Mounted {
    let root = support::root();
    let updated = RwSignal::new(Vec::new());
    let done = RwSignal::new(0u32);
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
        provide_context(Api::new("test-token"));
        view! {
            <CancelDialog
                shipment
                on_close=Callback::new(|()| ())
                on_shipment=Callback::new(move |s| updated.update(|all| all.push(s)))
                on_done=Callback::new(move |_| done.update(|n| *n += 1))
            />
        }
    });
    Mounted {
        root,
        updated,
        done,
        _handle: Box::new(handle),
    }
}

/// The server's answer to a confirm sent with an old version: 412 with the shipment as it is now.
fn answer_with_a_newer_version(current: Shipment) {
    let problem = Problem::new(
        412,
        ProblemCode::VersionMismatch,
        "The shipment has changed",
    )
    .with_shipment(current);
    let answers = serde_json::json!([
        { "status": 412, "body": serde_json::to_string(&problem).unwrap() }
    ]);
    script_fetch(&answers.to_string());
}

/// Opens the dialog on the shipment the seller saw, confirms `reason`, and waits for "what changed".
async fn confirm_until_changed(seen: Shipment, reason: Reason) -> Mounted {
    let mounted = mount(seen);
    leptos::task::tick().await;
    mounted.choose(reason);
    leptos::task::tick().await;
    mounted
        .button(text::cancel_shipment())
        .expect("confirm")
        .click();
    until("the changes", &mounted.root, || {
        mounted.text().contains(text::changed_heading())
    })
    .await;
    mounted
}

/// Waits, a browser task at a time, until `condition` holds; fails after about five seconds,
/// showing the page and the calls made.
async fn until(what: &str, root: &Element, condition: impl Fn() -> bool) {
    for _ in 0..250 {
        if condition() {
            return;
        }
        TimeoutFuture::new(20).await;
        leptos::task::tick().await;
    }
    panic!(
        "timed out waiting for {what}; the dialog says {:?}; calls: {}",
        root.text_content(),
        cancel_calls()
    );
}

#[wasm_bindgen_test]
async fn a_stale_version_shows_what_changed_and_checks_the_rules_again() {
    let seen = shipment(Status::AwaitingShipment, DeliveryMethod::ChinaPost, 3);
    let current = shipment(Status::InTransit, DeliveryMethod::ChinaPost, 4);
    answer_with_a_newer_version(current.clone());

    let mounted = confirm_until_changed(seen, Reason::CustomerRequest).await;

    let words = mounted.text();
    assert!(
        words.contains(&text::status_changed(Status::InTransit)),
        "{words}"
    );
    assert!(
        words.contains(text::blocked(BlockedCode::ChinaPostInTransit)),
        "{words}"
    );
    assert!(
        mounted
            .button(text::cancel_shipment())
            .expect("confirm")
            .has_attribute("disabled"),
        "the rules, run again on the current state, refuse"
    );
    assert_eq!(mounted.updated.get_untracked(), vec![current]);
    assert_eq!(mounted.done.get_untracked(), 0);
    let calls: serde_json::Value = serde_json::from_str(&cancel_calls()).unwrap();
    assert_eq!(calls.as_array().map(Vec::len), Some(1));
    assert_eq!(calls[0]["ifMatch"], "\"3\"");
}

#[wasm_bindgen_test]
async fn a_reason_the_change_took_away_is_asked_for_only_at_the_next_confirm() {
    // Out of stock is offered before the handover only: once the parcel is in transit with a
    // partner, the dialog drops that choice and waits for a new one.
    let seen = shipment(Status::AwaitingShipment, DeliveryMethod::Partner, 3);
    let current = shipment(Status::InTransit, DeliveryMethod::Partner, 4);
    answer_with_a_newer_version(current);

    let mounted = confirm_until_changed(seen, Reason::OutOfStock).await;
    leptos::task::tick().await;

    let words = mounted.text();
    assert!(
        !words.contains(text::choose_reason()),
        "no reason error before the seller confirms again: {words}"
    );
    assert!(
        mounted
            .root
            .query_selector("input[name='reason']:checked")
            .expect("a selector")
            .is_none(),
        "the reason no longer offered is unchosen"
    );

    mounted
        .button(text::cancel_shipment())
        .expect("confirm")
        .click();
    until("the reason error", &mounted.root, || {
        mounted.text().contains(text::choose_reason())
    })
    .await;
    let calls: serde_json::Value = serde_json::from_str(&cancel_calls()).unwrap();
    assert_eq!(
        calls.as_array().map(Vec::len),
        Some(1),
        "nothing is sent without a reason"
    );
}

#[wasm_bindgen_test]
async fn after_a_network_failure_retry_resends_the_same_intent() {
    let seen = shipment(Status::AwaitingShipment, DeliveryMethod::Seller, 7);
    let mut cancelled = shipment(Status::Cancelled, DeliveryMethod::Seller, 8);
    cancelled.eligibility = cancelled.evaluate();
    // Every automatic attempt fails; the seller's Retry then gets through.
    let answers = serde_json::json!([
        { "network": true },
        { "network": true },
        { "network": true },
        { "status": 200, "body": serde_json::to_string(&cancelled).unwrap() }
    ]);
    script_fetch(&answers.to_string());

    let mounted = mount(seen);
    leptos::task::tick().await;
    mounted.choose(Reason::Other);
    leptos::task::tick().await;
    let textarea = mounted
        .root
        .query_selector("textarea")
        .unwrap()
        .expect("a description field")
        .unchecked_into::<web_sys::HtmlTextAreaElement>();
    textarea.set_value("Packed the wrong colour");
    textarea
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    mounted
        .button(text::cancel_shipment())
        .expect("confirm")
        .click();

    until("the Retry button", &mounted.root, || {
        mounted.button(text::retry()).is_some()
    })
    .await;
    assert!(mounted.text().contains(text::network_error()));
    let typed = mounted
        .root
        .query_selector("textarea")
        .unwrap()
        .expect("the description stays")
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value();
    assert_eq!(typed, "Packed the wrong colour");
    assert_eq!(mounted.done.get_untracked(), 0);

    mounted.button(text::retry()).expect("retry").click();
    until("the cancellation", &mounted.root, || {
        mounted.done.get_untracked() == 1
    })
    .await;

    let calls: serde_json::Value = serde_json::from_str(&cancel_calls()).unwrap();
    let calls = calls.as_array().expect("a list").clone();
    assert_eq!(calls.len(), 4);
    let first_key = calls[0]["key"]
        .as_str()
        .expect("an Idempotency-Key")
        .to_owned();
    assert_eq!(first_key.len(), 36);
    for call in &calls {
        assert_eq!(call["key"], first_key.as_str());
        assert_eq!(call["ifMatch"], "\"7\"");
    }
    assert_eq!(mounted.updated.get_untracked(), vec![cancelled]);
}
