//! What the seller is offered after a cancellation, by reason: new stock, archiving, and removing
//! the product from the other shipments at the warehouse after `out_of_stock` (whole or partial);
//! stopping delivery to the city and cancelling its other shipments after `undeliverable_address`.
//! What they decide is in [`plan`] and [`sweep::run`].

pub mod plan;
pub mod sweep;

use domain::limits::MAX_STOCK;
use domain::wire::{GeographyExclusion, StockUpdate};
use domain::{Reason, Shipment};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::bulk::dialog::BulkOpen;
use crate::form::quantity::parse_quantity;

use crate::i18n::text;
use plan::{Others, latest_cancellation, others_found, others_to_city};
use sweep::SweepFollowUp;
use sweep::run::{OutOfStock, SweepSummary};

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Idle,
    Confirming,
    Working,
    Done(String),
    Failed(String),
}

#[component]
pub fn FollowUp(
    shipment: Shipment,
    /// Opens the bulk cancellation for these shipments with the reason preset.
    on_bulk: Callback<BulkOpen>,
    /// A shipment the out-of-stock sweep changed: its row.
    on_shipment: Callback<Shipment>,
    /// The out-of-stock sweep ended.
    on_sweep: Callback<SweepSummary>,
) -> impl IntoView {
    let (reason, products) = latest_cancellation(&shipment)?;
    let body = match reason {
        Reason::OutOfStock => products
            .into_iter()
            .map(|product| {
                view! {
                    <StockFollowUp product=product.clone() />
                    <SweepFollowUp product on_shipment on_finished=on_sweep />
                }
            })
            .collect_view()
            .into_any(),
        Reason::UndeliverableAddress => {
            view! { <GeographyFollowUp shipment=shipment.clone() on_bulk /> }.into_any()
        }
        _ => return None,
    };
    Some(view! {
        <section class="follow-up" aria-labelledby="follow-up-heading">
            <h2 id="follow-up-heading">{text::next_steps}</h2>
            {body}
        </section>
    })
}

#[component]
fn StockFollowUp(product: OutOfStock) -> impl IntoView {
    let api = expect_context::<Api>();
    let typed = RwSignal::new(String::new());
    let saving = RwSignal::new(Step::Idle);
    let archiving = RwSignal::new(Step::Idle);
    let input_id = format!("stock-{}", product.sku);
    let name = sweep::product_words(&product);
    let warehouse = product.warehouse_id.clone();
    let line = product;

    let save = {
        let api = api.clone();
        let sku = line.sku.clone();
        let name = name.clone();
        let warehouse = warehouse.clone();
        move || {
            let Some(quantity) = parse_quantity(&typed.get_untracked(), MAX_STOCK) else {
                saving.set(Step::Failed(text::quantity_invalid().to_owned()));
                return;
            };
            saving.set(Step::Working);
            let (api, sku, name) = (api.clone(), sku.clone(), name.clone());
            let update = StockUpdate {
                warehouse_id: warehouse.clone(),
                quantity,
            };
            spawn_local(async move {
                let step = match api.set_stock(&sku, &update).await {
                    Ok(_) => Step::Done(text::quantity_saved(&name, quantity)),
                    Err(error) => Step::Failed(error.message()),
                };
                saving.try_set(step);
            });
        }
    };
    let archive = {
        let api = api.clone();
        let sku = line.sku.clone();
        let name = name.clone();
        move || {
            archiving.set(Step::Working);
            let (api, sku, name) = (api.clone(), sku.clone(), name.clone());
            spawn_local(async move {
                let step = match api.archive(&sku).await {
                    Ok(_) => Step::Done(text::archived(&name)),
                    Err(error) => Step::Failed(error.message()),
                };
                archiving.try_set(step);
            });
        }
    };

    let save_message = move || match saving.get() {
        Step::Done(words) => Some(view! { <p class="notice" role="status">{words}</p> }.into_any()),
        Step::Failed(words) => {
            Some(view! { <p class="field-error" role="alert">{words}</p> }.into_any())
        }
        _ => None,
    };
    let archive_view = {
        let name = name.clone();
        move || {
            let archive = archive.clone();
            match archiving.get() {
                Step::Idle => view! {
                    <button type="button" class="secondary" on:click=move |_| archiving.set(Step::Confirming)>
                        {text::archive_product(&name)}
                    </button>
                }
                .into_any(),
                Step::Confirming => view! {
                    <div class="confirm" role="group" aria-label=text::archive_product(&name)>
                        <p>{text::archive_question(&name)}</p>
                        <button type="button" class="danger" on:click=move |_| archive()>
                            {text::archive_confirm_yes}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| archiving.set(Step::Idle)>
                            {text::archive_confirm_no}
                        </button>
                    </div>
                }
                .into_any(),
                Step::Working => view! { <p role="status">{text::saving}</p> }.into_any(),
                Step::Done(words) => view! { <p class="notice" role="status">{words}</p> }.into_any(),
                Step::Failed(words) => view! { <p class="field-error" role="alert">{words}</p> }.into_any(),
            }
        }
    };

    // An archived product takes no new stock (the server refuses it), so it is no longer offered.
    let archived = move || matches!(archiving.get(), Step::Done(_));

    view! {
        <div class="follow-up-item">
            // The app says what is wrong in its own words, in the page, rather than the browser's
            // bubble, which a screen reader may not announce.
            <form
                class="stock-form"
                novalidate
                on:submit=move |event| {
                    event.prevent_default();
                    save();
                }
            >
                <label for=input_id.clone()>{text::new_quantity_label(&name, &warehouse)}</label>
                <input
                    id=input_id
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max=MAX_STOCK.to_string()
                    step="1"
                    prop:value=move || typed.get()
                    on:input=move |event| typed.set(event_target_value(&event))
                    disabled=archived
                />
                <button
                    type="submit"
                    disabled=move || archived() || saving.get() == Step::Working
                >
                    {text::save_quantity}
                </button>
            </form>
            {save_message}
            {archive_view}
        </div>
    }
}

#[component]
fn GeographyFollowUp(shipment: Shipment, on_bulk: Callback<BulkOpen>) -> impl IntoView {
    let api = expect_context::<Api>();
    let excluding = RwSignal::new(Step::Idle);
    let finding = RwSignal::new(Step::Idle);
    let city = shipment.destination.city.clone();
    let country = shipment.destination.country.clone();

    let exclude = {
        let api = api.clone();
        let exclusion = GeographyExclusion {
            country: country.clone(),
            city: city.clone(),
        };
        move |_| {
            excluding.set(Step::Working);
            let (api, exclusion) = (api.clone(), exclusion.clone());
            spawn_local(async move {
                let step = match api.exclude_city(&exclusion).await {
                    Ok(_) => Step::Done(text::city_excluded(&exclusion.city)),
                    Err(error) => Step::Failed(error.message()),
                };
                excluding.try_set(step);
            });
        }
    };
    let find_others = {
        let api = api.clone();
        let shipment = shipment.clone();
        move |_| {
            finding.set(Step::Working);
            let (api, shipment) = (api.clone(), shipment.clone());
            spawn_local(async move {
                let request = others_to_city(&shipment);
                let step = match api.precheck_matching(&request).await {
                    Ok(answer) => match others_found(&shipment, &request, &answer) {
                        Others::None => Step::Done(text::none_other_to(&shipment.destination.city)),
                        Others::Cancel(open) => {
                            on_bulk.run(open);
                            Step::Idle
                        }
                    },
                    Err(error) => Step::Failed(error.message()),
                };
                finding.try_set(step);
            });
        }
    };
    let message = |step: Step| match step {
        Step::Done(words) => Some(view! { <p class="notice" role="status">{words}</p> }.into_any()),
        Step::Failed(words) => {
            Some(view! { <p class="field-error" role="alert">{words}</p> }.into_any())
        }
        Step::Working => Some(view! { <p role="status">{text::looking_up}</p> }.into_any()),
        Step::Idle | Step::Confirming => None,
    };

    view! {
        <div class="follow-up-item">
            <button
                type="button"
                class="secondary"
                disabled=move || matches!(excluding.get(), Step::Working | Step::Done(_))
                on:click=exclude
            >
                {text::exclude_city(&city, &country)}
            </button>
            {move || message(excluding.get())}
        </div>
        <div class="follow-up-item">
            <button
                type="button"
                class="secondary"
                disabled=move || finding.get() == Step::Working
                on:click=find_others
            >
                {text::cancel_others_to(&city)}
            </button>
            {move || message(finding.get())}
        </div>
    }
}
