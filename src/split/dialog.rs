//! The split dialog: a thin view over [`SplitFlow`]: units of each product per parcel, checked by
//! the rules crate as the seller types, then sent with the version seen and an idempotency key.

use domain::Shipment;
use domain::eligibility::MAX_IDENTICAL_UNITS;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::i18n::text;
use crate::intent::{Versioned, new_key};
use crate::modal::Modal;
use crate::retry::with_retries;
use crate::split::flow::{ProblemShown, SplitFlow, SplitIntent};

#[component]
pub fn SplitDialog(
    shipment: Shipment,
    on_close: Callback<()>,
    /// The shipment's current state after a refusal, for its row.
    on_shipment: Callback<Shipment>,
    /// Every parcel as a shipment, the original first.
    on_split: Callback<Vec<Shipment>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let about = shipment.posting_number.clone();
    let flow = RwSignal::new(SplitFlow::new(shipment));
    let sending = Memo::new(move |_| flow.with(SplitFlow::sending));
    let submit = Callback::new(move |()| {
        if let Some(Some(intent)) = flow.try_update(|flow| flow.submit(new_key)) {
            send(api.clone(), flow, intent, on_shipment, on_split);
        }
    });
    let verdict_view = move || {
        flow.with(SplitFlow::verdict).err().map(|error| {
            view! { <p class="field-error" role="alert">{text::split_error(&error)}</p> }
        })
    };
    let problem_view = move || {
        flow.with(|f| match f.problem()? {
            ProblemShown::Refused(error) => Some(error.message()),
            ProblemShown::NoKey(_) => Some(text::no_key().to_owned()),
        })
        .map(|words| view! { <p class="notice error" role="alert">{words}</p> })
    };
    let footer = move || {
        view! {
            <button type="button" class="secondary" disabled=sending on:click=move |_| on_close.run(())>
                {text::keep_shipment}
            </button>
            <button
                type="button"
                disabled=move || sending.get() || flow.with(|f| f.verdict().is_err())
                aria-busy=move || sending.get().then_some("true")
                on:click=move |_| submit.run(())
            >
                {move || if sending.get() { text::splitting() } else { text::split_confirm() }}
            </button>
        }
    };

    view! {
        <Modal title_id="split-title" title=text::split_title busy=sending on_close about footer>
            <p>{move || flow.with(|f| f.shipment().posting_number.clone())}</p>
            <p>{text::split_intro}</p>
            <SplitGrid flow />
            <div class="split-parcels">
                <button
                    type="button"
                    class="secondary"
                    disabled=move || !flow.with(SplitFlow::can_add_parcel)
                    on:click=move |_| flow.update(SplitFlow::add_parcel)
                >
                    {text::add_parcel}
                </button>
                <button
                    type="button"
                    class="secondary"
                    disabled=move || !flow.with(SplitFlow::can_remove_parcel)
                    on:click=move |_| flow.update(SplitFlow::remove_parcel)
                >
                    {text::remove_parcel}
                </button>
            </div>
            {verdict_view}
            {problem_view}
        </Modal>
    }
}

/// One row per product, one column per parcel, a number field in each cell.
#[component]
fn SplitGrid(flow: RwSignal<SplitFlow>) -> impl IntoView {
    let parcel_count = Memo::new(move |_| flow.with(SplitFlow::parcel_count));
    let header_cells = move || {
        (1..=parcel_count.get())
            .map(|parcel| view! { <th scope="col">{text::parcel_heading(parcel)}</th> })
            .collect_view()
    };
    let cell = move |parcel: usize, column: usize, name: &str| {
        view! {
            <td>
                <input
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max=MAX_IDENTICAL_UNITS.to_string()
                    step="1"
                    aria-label=text::parcel_cell_label(name, parcel + 1)
                    prop:value=move || flow.with(|f| f.units(parcel, column)).to_string()
                    on:input=move |event| {
                        let typed = event_target_value(&event);
                        flow.update(|f| f.set_units(parcel, column, &typed));
                    }
                />
            </td>
        }
    };
    let body_rows = move || {
        let products = flow.with_untracked(|f| f.products().to_vec());
        products
            .into_iter()
            .enumerate()
            .map(|(column, product)| {
                let cells = (0..parcel_count.get())
                    .map(|parcel| cell(parcel, column, &product.name))
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">
                            {product.name.clone()} " × " {product.units}
                            <span class="detail">"SKU " {product.sku.clone()}</span>
                        </th>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="split-scroll">
            <table class="split-grid">
                <caption class="visually-hidden">{text::split_title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{text::col_product}</th>
                        {header_cells}
                    </tr>
                </thead>
                <tbody>{body_rows}</tbody>
            </table>
        </div>
    }
}

fn send(
    api: Api,
    flow: RwSignal<SplitFlow>,
    intent: SplitIntent,
    on_shipment: Callback<Shipment>,
    on_split: Callback<Vec<Shipment>>,
) {
    spawn_local(async move {
        let Versioned {
            posting_number,
            version,
            body,
        } = &intent.request;
        let request = domain::wire::SplitRequest {
            parcels: body.clone(),
        };
        let answer = with_retries(
            || api.split(posting_number, *version, &intent.key, &request),
            |_| (),
        )
        .await;
        let Some(settled) = flow.try_update(|flow| flow.settle(answer)) else {
            return;
        };
        if let Some(row) = settled.row {
            on_shipment.run(row);
        }
        if let Some(parcels) = settled.parcels {
            on_split.run(parcels);
        }
    });
}
