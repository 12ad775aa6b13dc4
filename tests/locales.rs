#![cfg(target_arch = "wasm32")]
//! The app in Chinese and Russian, in a real browser: no English catalogue sentence shows up in
//! the list or the cancellation dialog, plurals follow Russian rules, Intl formats per locale, and
//! switching language live keeps an open dialog open with what the seller typed.

use app::api::Api;
use app::cancel::dialog::CancelDialog;
use app::i18n::{self, Locale, intl, text};
use app::shipments::table::ShipmentsTable;
use chrono::{DateTime, Utc};
use domain::{
    Cancellation, CancellationState, DeliveryMethod, Initiator, Reason, Shipment, Status,
};
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

mod support;

wasm_bindgen_test_configure!(run_in_browser);

const ENGLISH: &str = include_str!("../locales/en.json");

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 time")
}

/// Every English sentence, cut at its placeholders into the fragments a reader would see.
fn english_fragments() -> Vec<String> {
    fn walk(value: &Value, into: &mut Vec<String>) {
        match value {
            Value::Object(map) => map.values().for_each(|value| walk(value, into)),
            Value::String(sentence) => {
                let mut rest = sentence.as_str();
                while let Some((before, after)) = rest.split_once("{{") {
                    into.push(before.to_owned());
                    rest = after.split_once("}}").map_or("", |(_, after)| after);
                }
                into.push(rest.to_owned());
            }
            _ => {}
        }
    }
    let mut fragments = Vec::new();
    walk(
        &serde_json::from_str(ENGLISH).expect("en.json parses"),
        &mut fragments,
    );
    fragments
        .into_iter()
        .map(|fragment| {
            fragment
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_owned()
        })
        // Shorter fragments ("of", "at") could match inside data; the sentences are longer.
        .filter(|fragment| fragment.chars().filter(char::is_ascii_alphabetic).count() >= 4)
        .collect()
}

/// The words a seller sees or hears: the text, and the labels, placeholders and titles.
fn rendered_words(root: &Element) -> String {
    let mut words = root.text_content().unwrap_or_default();
    let all = root.query_selector_all("*").expect("a valid selector");
    for index in 0..all.length() {
        let Some(element) = all
            .item(index)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        for attribute in ["aria-label", "placeholder", "title", "alt"] {
            if let Some(value) = element.get_attribute(attribute) {
                words.push('\n');
                words.push_str(&value);
            }
        }
    }
    words
}

fn english_left_in(words: &str) -> Vec<String> {
    english_fragments()
        .into_iter()
        .filter(|fragment| words.contains(fragment.as_str()))
        .collect()
}

/// Shipments that show every kind of row: cancellable, blocked with advice, requested and
/// cancelled, commercial and overdue.
fn shipments() -> Vec<Shipment> {
    let mut list = Vec::new();
    let mut awaiting = support::shipment(Status::AwaitingPackaging, DeliveryMethod::Partner);
    awaiting.delivery.provider = Some("Cainiao".to_owned());
    awaiting.products[0].quantity = 4;
    list.push(support::evaluated(awaiting));
    let mut china_post = support::shipment(Status::InTransit, DeliveryMethod::ChinaPost);
    china_post.posting_number = "87654321-0002-1".to_owned();
    list.push(support::evaluated(china_post));
    let mut pending = support::shipment(Status::InTransit, DeliveryMethod::Partner);
    pending.posting_number = "87654321-0003-1".to_owned();
    pending.delivery.provider = Some("YunExpress".to_owned());
    pending.cancellation = Some(Cancellation {
        state: CancellationState::Requested,
        reason: Some(Reason::CustomerRequest),
        comment: None,
        initiator: Initiator::Seller,
        requested_at: at("2026-11-24T10:00:00Z"),
        decided_at: None,
        provider_message: None,
    });
    list.push(support::evaluated(pending));
    let mut cancelled = support::shipment(Status::Cancelled, DeliveryMethod::Seller);
    cancelled.posting_number = "87654321-0004-1".to_owned();
    list.push(support::evaluated(cancelled));
    let mut delivered = support::shipment(Status::Delivered, DeliveryMethod::Seller);
    delivered.posting_number = "87654321-0005-1".to_owned();
    list.push(support::evaluated(delivered));
    list
}

fn mount_list(locale: Locale) -> (Element, Box<dyn std::any::Any>) {
    let root = support::root();
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
        i18n::provide(locale);
        let on_cancel = Callback::new(|_| ());
        view! { <ShipmentsTable shipments=shipments() now=at("2026-11-26T12:00:00Z") on_cancel /> }
    });
    (root, Box::new(handle))
}

fn mount_dialog(locale: Locale, shipment: Shipment) -> (Element, Box<dyn std::any::Any>) {
    let root = support::root();
    let handle = leptos::mount::mount_to(root.clone().unchecked_into::<HtmlElement>(), move || {
        i18n::provide(locale);
        // No server answers in these tests: the token only has to exist.
        provide_context(Api::new("test-token"));
        let on_close = Callback::new(|()| ());
        let on_done = Callback::new(|_| ());
        let on_shipment = Callback::new(|_| ());
        view! { <CancelDialog shipment on_close on_shipment on_done /> }
    });
    (root, Box::new(handle))
}

fn choose(root: &Element, reason: Reason) {
    root.query_selector(&format!("input[name='reason'][value='{}']", reason.code()))
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("the reason {reason} is offered"))
        .unchecked_into::<HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
async fn the_list_shows_no_english_in_chinese_or_russian() {
    // English first, to prove that the check finds English where there is some.
    let (root, _handle) = mount_list(Locale::en);
    leptos::task::tick().await;
    assert!(!english_left_in(&rendered_words(&root)).is_empty());
    root.remove();

    for locale in [Locale::zh_CN, Locale::ru] {
        let (root, _handle) = mount_list(locale);
        leptos::task::tick().await;
        let words = rendered_words(&root);
        assert!(
            words.contains(text::cancel_shipment()),
            "{words} is in {locale:?}"
        );
        let left = english_left_in(&words);
        assert!(
            left.is_empty(),
            "{locale:?} shows English: {left:?}\n{words}"
        );
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_dialog_shows_no_english_in_chinese_or_russian() {
    for locale in [Locale::zh_CN, Locale::ru] {
        for (status, method, reasons) in [
            (
                Status::AwaitingPackaging,
                DeliveryMethod::Partner,
                [
                    Reason::OutOfStock,
                    Reason::UndeliverableAddress,
                    Reason::Other,
                ],
            ),
            (
                Status::InTransit,
                DeliveryMethod::Partner,
                [
                    Reason::CustomerRequest,
                    Reason::LostByCarrier,
                    Reason::Other,
                ],
            ),
        ] {
            let mut shipment = support::shipment(status, method);
            shipment.delivery.provider = Some("Cainiao".to_owned());
            shipment.products[0].quantity = 4;
            let (root, _handle) = mount_dialog(locale, support::evaluated(shipment));
            leptos::task::tick().await;
            for reason in reasons {
                choose(&root, reason);
                leptos::task::tick().await;
                let words = rendered_words(&root);
                let left = english_left_in(&words);
                assert!(
                    left.is_empty(),
                    "{locale:?}, {status}, {reason}: English {left:?}\n{words}"
                );
            }
            root.remove();
        }
    }
}

#[wasm_bindgen_test]
async fn russian_plurals_take_three_forms() {
    let (root, _handle) = mount_list(Locale::ru);
    leptos::task::tick().await;
    let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 25]
        .into_iter()
        .map(text::shipments)
        .collect();
    assert_eq!(
        forms,
        [
            "1 отправление",
            "2 отправления",
            "5 отправлений",
            "11 отправлений",
            "21 отправление",
            "22 отправления",
            "25 отправлений",
        ]
    );
    assert_eq!(text::bulk_confirm(21), "Отменить 21 отправление");
    assert_eq!(text::bulk_confirm(3), "Отменить 3 отправления");
    assert_eq!(intl::plural(Locale::en, 1), intl::Plural::One);
    assert_eq!(intl::plural(Locale::en, 2), intl::Plural::Other);
    assert_eq!(intl::plural(Locale::zh_CN, 1), intl::Plural::Other);
    root.remove();
}

#[wasm_bindgen_test]
fn intl_formats_dates_and_numbers_per_locale() {
    // Intl separates with no-break spaces; the test reads them as spaces.
    let plain = |text: String| text.replace(['\u{a0}', '\u{202f}'], " ");
    let when = at("2026-11-23T08:05:00Z");
    let english = plain(intl::date_time(Locale::en, when));
    assert!(
        english.contains("Nov") && english.contains("2026") && english.contains("08:05"),
        "{english}"
    );
    let chinese = plain(intl::date_time(Locale::zh_CN, when));
    assert!(
        chinese.contains("2026年") && chinese.contains("08:05"),
        "{chinese}"
    );
    let russian = plain(intl::date_time(Locale::ru, when));
    assert!(
        russian.contains("нояб") && russian.contains("08:05"),
        "{russian}"
    );

    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).expect("a date");
    assert_eq!(plain(intl::day_month(Locale::zh_CN, day)), "11月3日");
    assert_eq!(plain(intl::day_month(Locale::ru, day)), "3 нояб.");

    assert_eq!(plain(intl::percent(Locale::en, 0.075)), "7.5%");
    assert_eq!(plain(intl::percent(Locale::zh_CN, 0.1)), "10.0%");
    assert_eq!(plain(intl::percent(Locale::ru, 0.075)), "7,5 %");
    assert_eq!(plain(intl::count(Locale::en, 12345)), "12,345");
    assert_eq!(plain(intl::count(Locale::ru, 12345)), "12 345");
    assert_eq!(plain(intl::money(Locale::en, 3.2, "USD")), "$3.20");
    assert_eq!(plain(intl::money(Locale::ru, 3.2, "USD")), "3,20 $");
}

#[wasm_bindgen_test]
async fn switching_language_live_keeps_the_open_dialog_and_its_description() {
    let shipment = support::evaluated(support::shipment(
        Status::AwaitingPackaging,
        DeliveryMethod::Partner,
    ));
    let (root, _handle) = mount_dialog(Locale::en, shipment);
    leptos::task::tick().await;
    choose(&root, Reason::Other);
    leptos::task::tick().await;
    let textarea: HtmlTextAreaElement = root
        .query_selector("textarea")
        .expect("a valid selector")
        .expect("the description field")
        .unchecked_into();
    textarea.set_value("Упаковали не тот цвет");
    let input = web_sys::Event::new("input").expect("an input event");
    textarea.dispatch_event(&input).expect("dispatched");
    leptos::task::tick().await;
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains("Cancel shipment")
    );

    i18n::switch(Locale::ru);
    leptos::task::tick().await;

    let words = root.text_content().unwrap_or_default();
    assert!(words.contains("Отмена отправления"), "{words}");
    assert!(words.contains("Другое (вина продавца)"), "{words}");
    assert!(!words.contains("Cancel shipment"), "{words}");
    let textarea: HtmlTextAreaElement = root
        .query_selector("textarea")
        .expect("a valid selector")
        .expect("the description field is still there")
        .unchecked_into();
    assert_eq!(textarea.value(), "Упаковали не тот цвет");
    let other: web_sys::HtmlInputElement = root
        .query_selector("input[name='reason'][value='other']")
        .expect("a valid selector")
        .expect("the reason other")
        .unchecked_into();
    assert!(other.checked(), "the chosen reason stays chosen");
    assert_eq!(
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .as_deref(),
        Some("ru")
    );
    root.remove();
}
