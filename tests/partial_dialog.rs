#![cfg(target_arch = "wasm32")]
//! The "Cancel some products" dialog in a real browser: a stepper per product, announced through
//! the live region; the rules' refusal next to the stepper it concerns; what remains; and choosing
//! every unit handing over to the whole cancellation with what was entered.

use app::api::Api;
use app::feedback::{Announcer, LiveRegion};
use app::i18n::text;
use app::partial::dialog::PartialDialog;
use app::partial::flow::{StepperError, ToWhole};
use domain::partial::ItemsError;
use domain::{DeliveryMethod, ProductLine, Reason, Shipment, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

/// Awaiting packaging: 2 phone cases and 1 cable.
fn two_products() -> Shipment {
    let mut shipment = support::shipment(Status::AwaitingPackaging, DeliveryMethod::Partner);
    shipment.products[0].quantity = 2;
    shipment.products.push(ProductLine {
        sku: "2002".to_owned(),
        name: "USB cable".to_owned(),
        quantity: 1,
        price: "1.50".to_owned(),
        currency: "USD".to_owned(),
    });
    shipment.version = 3;
    support::evaluated(shipment)
}

struct Mounted {
    root: Element,
    whole: RwSignal<Option<ToWhole>>,
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

    fn stepper(&self, sku: &str) -> Element {
        self.find(&format!(".stepper[data-sku='{sku}']"))
            .unwrap_or_else(|| panic!("a stepper for {sku}"))
    }

    fn field(&self, sku: &str) -> HtmlInputElement {
        self.stepper(sku)
            .query_selector("input")
            .expect("a selector")
            .expect("its number field")
            .unchecked_into()
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

    fn type_units(&self, sku: &str, typed: &str) {
        let field = self.field(sku);
        field.set_value(typed);
        field
            .dispatch_event(&web_sys::Event::new("input").expect("an event"))
            .expect("dispatched");
    }

    fn announced(&self) -> String {
        self.find("#status-announcer")
            .and_then(|region| region.text_content())
            .unwrap_or_default()
    }

    fn remains(&self) -> Vec<String> {
        self.all("ul.remains li")
            .iter()
            .map(|li| li.text_content().unwrap_or_default())
            .collect()
    }
}

fn mount(shipment: Shipment) -> Mounted {
    let root = support::root();
    let whole = RwSignal::new(None::<ToWhole>);
    let done = RwSignal::new(0u32);
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
        // No server answers in these tests: the token only has to exist.
        provide_context(Api::new("test-token"));
        let announcer = Announcer::provide();
        view! {
            <LiveRegion announcer />
            <PartialDialog
                shipment
                on_close=Callback::new(|()| ())
                on_shipment=Callback::new(|_| ())
                on_done=Callback::new(move |_| done.update(|n| *n += 1))
                on_whole=Callback::new(move |to_whole| whole.set(Some(to_whole)))
            />
        }
    });
    Mounted {
        root,
        whole,
        done,
        _handle: Box::new(handle),
    }
}

#[wasm_bindgen_test]
async fn each_product_has_a_labelled_stepper_whose_changes_are_announced() {
    let mounted = mount(two_products());
    leptos::task::tick().await;

    let fields = mounted.all(".stepper input[type='number']");
    assert_eq!(fields.len(), 2, "one stepper per product");
    let phone = mounted.field("1001");
    assert_eq!(phone.value(), "0");
    assert_eq!(phone.max(), "2");
    let label = mounted
        .find(&format!("label[for='{}']", phone.id()))
        .expect("a label for the field");
    assert_eq!(
        label.text_content().unwrap_or_default(),
        text::partial_units_label("Phone case")
    );
    assert!(
        mounted
            .button(&text::partial_fewer("Phone case"))
            .has_attribute("disabled"),
        "nothing to take away from 0"
    );
    assert!(
        mounted.remains().is_empty(),
        "nothing chosen, nothing shown yet"
    );

    mounted.button(&text::partial_more("Phone case")).click();
    leptos::task::tick().await;
    assert_eq!(phone.value(), "1");
    assert_eq!(
        mounted.announced(),
        text::partial_units_chosen("Phone case", 1, 2)
    );
    assert_eq!(mounted.remains(), vec!["Phone case × 1", "USB cable × 1"]);

    mounted.button(&text::partial_more("Phone case")).click();
    leptos::task::tick().await;
    assert!(
        mounted
            .button(&text::partial_more("Phone case"))
            .has_attribute("disabled"),
        "never more than the shipment holds"
    );
    assert_eq!(mounted.remains(), vec!["USB cable × 1"]);
}

#[wasm_bindgen_test]
async fn the_rules_refusal_is_shown_next_to_the_stepper_it_concerns() {
    let mounted = mount(two_products());
    leptos::task::tick().await;

    mounted.type_units("1001", "3");
    leptos::task::tick().await;
    let phone = mounted.field("1001");
    assert_eq!(phone.get_attribute("aria-invalid").as_deref(), Some("true"));
    let error = mounted
        .stepper("1001")
        .query_selector(".field-error")
        .expect("a selector")
        .expect("the error beside the phone case");
    let expected = text::partial_stepper_error(&StepperError::Items(ItemsError::MoreThanHeld {
        sku: "1001".to_owned(),
        held: 2,
        asked: 3,
    }));
    assert_eq!(error.text_content().as_deref(), Some(expected.as_str()));
    assert!(
        phone
            .get_attribute("aria-describedby")
            .unwrap_or_default()
            .split(' ')
            .any(|id| id == error.id()),
        "the field is described by its error"
    );
    assert!(
        mounted
            .stepper("2002")
            .query_selector(".field-error")
            .expect("a selector")
            .is_none(),
        "the cable is fine"
    );

    // Nothing chosen: the confirm says so at the steppers and lands on the first one.
    mounted.type_units("1001", "0");
    mounted
        .find("input[name='partial-reason'][value='customer_request']")
        .expect("customer request is offered")
        .unchecked_into::<HtmlElement>()
        .click();
    leptos::task::tick().await;
    mounted.button(text::partial_confirm()).click();
    leptos::task::tick().await;
    assert!(
        mounted
            .root
            .text_content()
            .unwrap_or_default()
            .contains(text::partial_nothing_chosen())
    );
    let focused = leptos::prelude::document()
        .active_element()
        .expect("something has the focus");
    assert_eq!(focused.id(), phone.id());
    assert_eq!(mounted.done.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn the_partial_reasons_are_offered_and_every_unit_hands_over_to_the_whole_cancellation() {
    let mounted = mount(two_products());
    leptos::task::tick().await;
    let offered: Vec<String> = mounted
        .all("input[name='partial-reason']")
        .iter()
        .filter_map(|input| input.get_attribute("value"))
        .collect();
    assert_eq!(offered, vec!["out_of_stock", "customer_request", "other"]);

    mounted
        .find("input[name='partial-reason'][value='other']")
        .expect("other is offered")
        .unchecked_into::<HtmlElement>()
        .click();
    leptos::task::tick().await;
    let description: HtmlTextAreaElement = mounted
        .find("textarea")
        .expect("other asks for a description")
        .unchecked_into();
    description.set_value("Both damaged in the warehouse");
    description
        .dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("dispatched");

    mounted.type_units("1001", "2");
    mounted.type_units("2002", "1");
    leptos::task::tick().await;
    assert!(
        mounted.find(".notice.whole").is_some(),
        "every unit is said"
    );
    assert!(mounted.remains().is_empty());
    mounted.button(text::partial_to_whole()).click();
    leptos::task::tick().await;

    let handed = mounted.whole.get_untracked().expect("handed over");
    assert_eq!(handed.reason, Some(Reason::Other));
    assert_eq!(handed.description, "Both damaged in the warehouse");
    assert_eq!(handed.shipment.posting_number, "87654321-0001-1");
    assert_eq!(mounted.announced(), text::partial_became_whole());
    assert_eq!(mounted.done.get_untracked(), 0, "nothing was sent");
}
