//! The split dialog: units of each product per parcel, checked by the rules crate as the seller
//! types, then sent with the version seen and an idempotency key.

use domain::split::ParcelLine;
use domain::wire::SplitRequest;
use domain::{Shipment, validate_split};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError};
use crate::cancel::follow_up::parse_quantity;
use crate::cancel::retry::new_key;
use crate::cancel::submit::with_retries;
use crate::dialog::DialogHeader;
use crate::i18n::text;
use crate::split::plan::{parcels, products, suggest};

/// One split intent: these parcels for this version, under one key.
#[derive(Clone, Debug, PartialEq)]
struct SplitIntent {
    version: u64,
    parcels: Vec<Vec<ParcelLine>>,
    key: String,
}

#[component]
pub fn SplitDialog(
    shipment: Shipment,
    on_close: Callback<()>,
    /// The shipment's current state after a refusal, for its row.
    on_shipment: Callback<Shipment>,
    /// Every parcel as a shipment, the original first.
    on_split: Callback<Vec<Shipment>>,
) -> impl IntoView {
    crate::focus::restore_on_close(Some(shipment.posting_number.clone()));
    let dialog_ref = NodeRef::<leptos::html::Div>::new();
    crate::focus::hold_focus_in(dialog_ref);
    let api = expect_context::<Api>();
    let current = RwSignal::new(shipment);
    let items = StoredValue::new(current.with_untracked(|s| products(&s.products)));
    let grid = RwSignal::new(items.with_value(|p| suggest(p)));
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let intent = StoredValue::new(None::<SplitIntent>);

    let planned = Memo::new(move |_| items.with_value(|p| grid.with(|g| parcels(p, g))));
    let verdict = Memo::new(move |_| {
        current.with(|s| planned.with(|plan| validate_split(s.status, &s.products, plan)))
    });
    let close = move || {
        if !sending.get_untracked() {
            on_close.run(());
        }
    };
    let keydown = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || keydown.remove());

    let submit = move |_| {
        if sending.get_untracked() || verdict.with_untracked(Result::is_err) {
            return;
        }
        let seen = current.get_untracked();
        let plan = planned.get_untracked();
        let reuse = intent
            .get_value()
            .filter(|previous| previous.version == seen.version && previous.parcels == plan);
        let next = match reuse {
            Some(previous) => previous,
            None => match new_key() {
                Ok(key) => SplitIntent {
                    version: seen.version,
                    parcels: plan,
                    key,
                },
                Err(error) => {
                    {
                        leptos::logging::warn!("{error}");
                        problem.set(Some(text::no_key().to_owned()))
                    };
                    return;
                }
            },
        };
        intent.set_value(Some(next.clone()));
        sending.set(true);
        problem.set(None);
        let api = api.clone();
        spawn_local(async move {
            let request = SplitRequest {
                parcels: next.parcels.clone(),
            };
            let answer = with_retries(
                || api.split(&seen.posting_number, next.version, &next.key, &request),
                |_| (),
            )
            .await;
            sending.try_set(false);
            match answer {
                Ok(response) => on_split.run(response.shipments),
                Err(error) => {
                    if let ApiError::Problem(details) = &error
                        && let Some(now) = details.shipment.clone()
                    {
                        current.try_set((*now).clone());
                        on_shipment.run(*now);
                    }
                    problem.try_set(Some(error.message()));
                }
            }
        });
    };

    let header_cells = move || {
        (1..=grid.with(Vec::len))
            .map(|parcel| view! { <th scope="col">{text::parcel_heading(parcel)}</th> })
            .collect_view()
    };
    let body_rows = move || {
        items.with_value(|all| {
            all.iter()
                .enumerate()
                .map(|(column, product)| {
                    let cells = (0..grid.with(Vec::len))
                        .map(|parcel| {
                            let label = text::parcel_cell_label(&product.name, parcel + 1);
                            view! {
                                <td>
                                    <input
                                        type="number"
                                        inputmode="numeric"
                                        min="0"
                                        max="3"
                                        step="1"
                                        aria-label=label
                                        prop:value=move || {
                                            grid.with(|g| g.get(parcel).and_then(|row| row.get(column)).copied().unwrap_or(0))
                                                .to_string()
                                        }
                                        on:input=move |event| {
                                            // An unreadable entry counts as none, which the check then reports.
                                            let units = parse_quantity(&event_target_value(&event)).unwrap_or(0);
                                            grid.update(|g| {
                                                if let Some(cell) = g.get_mut(parcel).and_then(|row| row.get_mut(column)) {
                                                    *cell = units;
                                                }
                                            });
                                        }
                                    />
                                </td>
                            }
                        })
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
        })
    };
    let verdict_view = move || {
        verdict.get().err().map(|error| {
            view! { <p class="field-error" role="alert">{text::split_error(&error)}</p> }
        })
    };

    view! {
        <div class="backdrop" on:click=move |_| close()></div>
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="split-title" tabindex="-1" node_ref=dialog_ref>
            <DialogHeader title_id="split-title" title=text::split_title busy=sending on_close=Callback::new(move |()| close()) />
            <div class="dialog-body">
                <p>{move || current.with(|s| s.posting_number.clone())}</p>
                <p>{text::split_intro}</p>
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
                <div class="split-parcels">
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            grid.update(|g| g.push(vec![0; items.with_value(Vec::len)]))
                        }
                    >
                        {text::add_parcel}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        disabled=move || grid.with(Vec::len) <= 2
                        on:click=move |_| {
                            grid.update(|g| {
                                g.pop();
                            })
                        }
                    >
                        {text::remove_parcel}
                    </button>
                </div>
                {verdict_view}
                {move || problem.get().map(|words| view! { <p class="notice error" role="alert">{words}</p> })}
            </div>
            <footer class="dialog-footer">
                <button
                    type="button"
                    class="secondary"
                    disabled=move || sending.get()
                    on:click=move |_| close()
                >
                    {text::keep_shipment}
                </button>
                <button
                    type="button"
                    disabled=move || sending.get() || verdict.with(Result::is_err)
                    aria-busy=move || sending.get().then_some("true")
                    on:click=submit
                >
                    {move || if sending.get() { text::splitting() } else { text::split_confirm() }}
                </button>
            </footer>
        </div>
    }
}
