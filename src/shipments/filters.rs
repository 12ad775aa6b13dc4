//! The filter bar: delivery method, provider, destination city, text search and sort.
//!
//! The bar comes with the list's extras, after the first rows ([`crate::lazy::parts::filters`]);
//! the filter it edits is the URL's, so the list's first request does not wait for it.
//! [`filters_waiting`], in the list's own module, holds its place meanwhile.

use domain::api::list as names;
use domain::{DeliveryMethod, Sort, SortKey, SortOrder};
use leptos::prelude::*;

use crate::api::Api;
use crate::html::escape;
use crate::i18n::text;
use crate::shipments::first_rows::FirstRows;
use crate::shipments::query::ShipmentFilter;

/// A filter change, and whether it should replace the current history entry rather than add one:
/// typing in the search box should not leave a Back step per keystroke.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterChange {
    pub filter: ShipmentFilter,
    pub replace: bool,
}

fn sort_label(sort: Sort) -> &'static str {
    match (sort.key, sort.order) {
        (SortKey::ShipBy, SortOrder::Asc) => text::sort_ship_by_asc(),
        (SortKey::ShipBy, SortOrder::Desc) => text::sort_ship_by_desc(),
        (SortKey::CreatedAt, SortOrder::Desc) => text::sort_created_desc(),
        (SortKey::CreatedAt, SortOrder::Asc) => text::sort_created_asc(),
    }
}

#[component]
pub fn Filters(filter: Memo<ShipmentFilter>, on_change: Callback<FilterChange>) -> impl IntoView {
    let change = edit(filter, on_change);

    let methods = DeliveryMethod::ALL
        .into_iter()
        .map(|method| {
            view! {
                <option value=method.code() selected=move || filter.get().delivery == Some(method)>
                    {move || text::delivery_method(method)}
                </option>
            }
        })
        .collect_view();
    let sorts = Sort::CHOICES
        .into_iter()
        .map(|sort| {
            view! {
                <option value=sort.token() selected=move || filter.get().sort == sort>
                    {move || sort_label(sort)}
                </option>
            }
        })
        .collect_view();

    view! {
        <form
            class="filters"
            role="search"
            aria-label=text::filters_name
            on:submit=|event| event.prevent_default()
        >
            <SearchBox filter on_change />
            <label>
                <span>{text::filter_delivery}</span>
                <select
                    name=names::DELIVERY
                    on:change=move |event| {
                        let method = DeliveryMethod::from_code(&event_target_value(&event));
                        change(&|f| f.delivery = method, false);
                    }
                >
                    <option value="" selected=move || filter.get().delivery.is_none()>
                        {text::filter_delivery_any}
                    </option>
                    {methods}
                </select>
            </label>
            <ProviderSelect filter on_change />
            <label>
                <span>{text::filter_city}</span>
                <input
                    type="text"
                    name=names::CITY
                    prop:value=move || filter.get().city
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        change(&|f| f.city = value.trim().to_owned(), false);
                    }
                />
            </label>
            <label>
                <span>{text::filter_sort}</span>
                <select
                    name=names::SORT
                    on:change=move |event| {
                        if let Some(sort) = Sort::from_token(&event_target_value(&event)) {
                            change(&|f| f.sort = sort, false);
                        }
                    }
                >
                    {sorts}
                </select>
            </label>
            <Show when=move || filter.get().narrows()>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        on_change
                            .run(FilterChange {
                                filter: filter.get_untracked().cleared(),
                                replace: false,
                            })
                    }
                >
                    {text::clear_filters}
                </button>
            </Show>
        </form>
    }
}

/// The filter bar's shape while its module is on the way: the same labels and controls, disabled,
/// so that the bar takes the same space and nothing moves when it arrives; nothing can be typed
/// into it, so nothing typed is lost. Written as one string of markup: a view of the same nodes
/// would put their rendering code back into the list's own module.
pub fn filters_waiting(filter: Memo<ShipmentFilter>) -> impl IntoView {
    let markup = waiting_markup(&filter.get_untracked());
    view! { <div class="filters filters-waiting" aria-busy="true" inner_html=markup></div> }
}

/// The waiting bar's markup, showing the filter the URL asked for (its method, provider, city,
/// search and sort), as the bar will once it arrives.
fn waiting_markup(shown: &ShipmentFilter) -> String {
    let sort = shown.sort;
    let option = |words: &str, selected: bool| {
        let selected = if selected { " selected" } else { "" };
        format!("<option{selected}>{}</option>", escape(words))
    };
    let methods: String = std::iter::once(option(
        text::filter_delivery_any(),
        shown.delivery.is_none(),
    ))
    .chain(DeliveryMethod::ALL.into_iter().map(|method| {
        option(
            text::delivery_method(method),
            shown.delivery == Some(method),
        )
    }))
    .collect();
    // The seller's providers come with the bar; the one the URL names is the one shown meanwhile.
    let provider = if shown.provider.is_empty() {
        option(text::filter_provider_any(), true)
    } else {
        option(&shown.provider, true)
    };
    let sorts: String = Sort::CHOICES
        .into_iter()
        .map(|choice| option(sort_label(choice), choice == sort))
        .collect();
    let label = |name: &str, control: String| {
        format!("<label><span>{}</span>{control}</label>", escape(name))
    };
    let markup = [
        label(
            text::filter_search(),
            format!(
                r#"<input type="search" disabled placeholder="{}" value="{}">"#,
                escape(text::filter_search_hint()),
                escape(&shown.search)
            ),
        ),
        label(
            text::filter_delivery(),
            format!("<select disabled>{methods}</select>"),
        ),
        label(
            text::filter_provider(),
            format!("<select disabled>{provider}</select>"),
        ),
        label(
            text::filter_city(),
            format!(
                r#"<input type="text" disabled value="{}">"#,
                escape(&shown.city)
            ),
        ),
        label(
            text::filter_sort(),
            format!("<select disabled>{sorts}</select>"),
        ),
    ]
    .concat();
    let clear = if shown.narrows() {
        format!(
            r#"<button type="button" class="secondary" disabled>{}</button>"#,
            escape(text::clear_filters())
        )
    } else {
        String::new()
    };
    markup + &clear
}

/// Applies an edit to the filter shown and hands the result on.
fn edit(
    filter: Memo<ShipmentFilter>,
    on_change: Callback<FilterChange>,
) -> impl Fn(&dyn Fn(&mut ShipmentFilter), bool) + Copy {
    move |edit: &dyn Fn(&mut ShipmentFilter), replace: bool| {
        let mut next = filter.get_untracked();
        edit(&mut next);
        on_change.run(FilterChange {
            filter: next,
            replace,
        });
    }
}

/// The text search, narrowed at each key.
#[component]
fn SearchBox(filter: Memo<ShipmentFilter>, on_change: Callback<FilterChange>) -> impl IntoView {
    let change = edit(filter, on_change);
    // The search box keeps what the seller typed, trailing spaces included; it follows the URL only
    // when the URL says something else, as after Back.
    let search = RwSignal::new(filter.get_untracked().search);
    Effect::new(move |_| {
        let from_url = filter.get().search;
        if search.get_untracked().trim() != from_url {
            search.set(from_url);
        }
    });

    view! {
        <label>
            <span>{text::filter_search}</span>
            <input
                type="search"
                name=names::Q
                placeholder=text::filter_search_hint
                prop:value=move || search.get()
                on:input=move |event| {
                    let value = event_target_value(&event);
                    search.set(value.clone());
                    // A new search is a Back step; refining it replaces that step.
                    let refining = !filter.get_untracked().search.is_empty();
                    change(&|f| f.search = value.trim().to_owned(), refining);
                }
            />
        </label>
    }
}

/// The delivery provider, among the seller's own.
#[component]
fn ProviderSelect(
    filter: Memo<ShipmentFilter>,
    on_change: Callback<FilterChange>,
) -> impl IntoView {
    let change = edit(filter, on_change);
    // The seller's own providers, as the server names them; the one in the URL stays choosable
    // while they load, or if it is not among them (an old link).
    // They wait for the list's first page (see crate::shipments::first_rows).
    let api = expect_context::<Api>();
    let first_rows = FirstRows::from_context();
    let providers = LocalResource::new(move || {
        let api = api.clone();
        async move {
            first_rows.wait().await;
            match api.providers().await {
                Ok(list) => list.providers,
                Err(error) => {
                    leptos::logging::warn!("could not load the providers: {error}");
                    Vec::new()
                }
            }
        }
    });
    let provider_options = move || {
        let chosen = filter.get().provider;
        let mut names: Vec<String> = providers
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|provider| provider.name)
            .collect();
        names.dedup();
        if !chosen.is_empty() && !names.contains(&chosen) {
            names.insert(0, chosen.clone());
        }
        names
            .into_iter()
            .map(|name| {
                let selected = name == chosen;
                view! {
                    <option value=name.clone() selected=selected>
                        {name.clone()}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <label>
            <span>{text::filter_provider}</span>
            <select
                name=names::PROVIDER
                prop:value=move || filter.get().provider
                on:change=move |event| {
                    let provider = event_target_value(&event);
                    change(&|f| f.provider = provider.clone(), false);
                }
            >
                <option value="" selected=move || filter.get().provider.is_empty()>
                    {text::filter_provider_any}
                </option>
                {provider_options}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waiting_bar_shows_the_filter_the_url_asked_for() {
        let shown = ShipmentFilter {
            delivery: Some(DeliveryMethod::Partner),
            provider: "Cainiao <EU>".to_owned(),
            city: "Minsk".to_owned(),
            search: "lamp".to_owned(),
            ..ShipmentFilter::default()
        };
        let markup = waiting_markup(&shown);
        let partner = format!(
            "<option selected>{}</option>",
            escape(text::delivery_method(DeliveryMethod::Partner))
        );
        assert!(markup.contains(&partner), "{markup}");
        assert_eq!(markup.matches("<option selected>").count(), 3, "{markup}");
        assert!(
            markup.contains("<option selected>Cainiao &lt;EU&gt;</option>"),
            "{markup}"
        );
        assert!(markup.contains(r#"value="Minsk""#), "{markup}");
        assert!(markup.contains(r#"value="lamp""#), "{markup}");
        assert!(markup.contains(&escape(text::clear_filters())), "{markup}");
    }

    #[test]
    fn without_a_filter_the_waiting_bar_shows_any() {
        let markup = waiting_markup(&ShipmentFilter::default());
        let any_method = format!("<option selected>{}</option>", text::filter_delivery_any());
        let any_provider = format!("<option selected>{}</option>", text::filter_provider_any());
        assert!(markup.contains(&any_method), "{markup}");
        assert!(markup.contains(&any_provider), "{markup}");
        assert!(!markup.contains(&escape(text::clear_filters())), "{markup}");
    }
}
