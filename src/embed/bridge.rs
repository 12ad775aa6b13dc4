//! The app's side of the portal protocol: it listens only to `window.parent` from a configured
//! portal origin, and posts only to that exact origin, never to `*`.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_channel::oneshot;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::embed::protocol::{Inbound, Outbound, accept};

/// How long the app waits for the portal's `init` or `token` before saying it can't sign in.
const ANSWER_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    #[error("the portal did not answer")]
    NoAnswer,
    #[error("the page has no parent window")]
    NoParent,
    #[error("the message could not be posted: {0}")]
    Post(String),
}

/// What the portal's `init` hands over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Init {
    pub token: String,
    pub locale: Option<String>,
    pub theme: Option<String>,
}

type Waiter<T> = oneshot::Sender<Result<T, EmbedError>>;

#[derive(Debug)]
struct State {
    portal_origins: Vec<String>,
    /// The portal's origin, once its `init` arrived: every later message goes there only.
    parent_origin: Mutex<Option<String>>,
    init: Mutex<Option<Waiter<Init>>>,
    tokens: Mutex<Vec<Waiter<String>>>,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[derive(Clone, Debug)]
pub struct Bridge {
    state: Arc<State>,
}

impl Bridge {
    /// Starts listening to the portal. The listener lives as long as the page.
    pub fn install(portal_origins: Vec<String>) -> Bridge {
        let bridge = Bridge {
            state: Arc::new(State {
                portal_origins,
                parent_origin: Mutex::new(None),
                init: Mutex::new(None),
                tokens: Mutex::new(Vec::new()),
            }),
        };
        let listening = bridge.clone();
        let handle = window_event_listener_untyped("message", move |event| {
            if let Ok(event) = event.dyn_into::<web_sys::MessageEvent>() {
                listening.receive(&event);
            }
        });
        // The bridge serves the whole session; the page's end removes the listener.
        std::mem::forget(handle);
        bridge
    }

    fn receive(&self, event: &web_sys::MessageEvent) {
        let from_parent = match (event.source(), web_sys::window().map(|w| w.parent())) {
            (Some(source), Some(Ok(Some(parent)))) => {
                JsValue::from(source) == JsValue::from(parent)
            }
            _ => false,
        };
        if !from_parent {
            return;
        }
        let origin = event.origin();
        let data = js_sys::JSON::stringify(&event.data())
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default();
        match accept(&origin, &self.state.portal_origins, &data) {
            Ok(Inbound::Init {
                token,
                locale,
                theme,
            }) => {
                *locked(&self.state.parent_origin) = Some(origin);
                apply_locale(locale.as_deref());
                apply_theme(theme.as_deref());
                if let Some(waiter) = locked(&self.state.init).take() {
                    // A closed receiver means nobody waits any more; nothing is lost.
                    let _ = waiter.send(Ok(Init {
                        token,
                        locale,
                        theme,
                    }));
                }
            }
            Ok(Inbound::Token { token }) => {
                for waiter in locked(&self.state.tokens).drain(..) {
                    let _ = waiter.send(Ok(token.clone()));
                }
            }
            Ok(Inbound::Locale { locale }) => apply_locale(Some(&locale)),
            Ok(Inbound::Theme { theme }) => apply_theme(Some(&theme)),
            Err(rejected) => leptos::logging::warn!("ignored a message from {origin}: {rejected}"),
        }
    }

    /// Says `ready` and waits for the portal's `init`.
    pub async fn start(&self) -> Result<Init, EmbedError> {
        let (sender, receiver) = oneshot::channel();
        *locked(&self.state.init) = Some(sender);
        self.post(&Outbound::Ready)?;
        let state = self.state.clone();
        spawn_local(async move {
            TimeoutFuture::new(ANSWER_WAIT.as_millis() as u32).await;
            if let Some(waiter) = locked(&state.init).take() {
                let _ = waiter.send(Err(EmbedError::NoAnswer));
            }
        });
        receiver.await.unwrap_or(Err(EmbedError::NoAnswer))
    }

    /// Asks the portal for a fresh token, as when the server refuses the current one.
    pub async fn renew_token(&self) -> Result<String, EmbedError> {
        let (sender, receiver) = oneshot::channel();
        locked(&self.state.tokens).push(sender);
        self.post(&Outbound::TokenRequest)?;
        let state = self.state.clone();
        spawn_local(async move {
            TimeoutFuture::new(ANSWER_WAIT.as_millis() as u32).await;
            for waiter in locked(&state.tokens).drain(..) {
                let _ = waiter.send(Err(EmbedError::NoAnswer));
            }
        });
        receiver.await.unwrap_or(Err(EmbedError::NoAnswer))
    }

    /// Posts to the portal's origin. Before `init` names it, `ready` goes to each configured
    /// origin, and the browser delivers it only to the one the parent really has.
    pub fn post(&self, message: &Outbound) -> Result<(), EmbedError> {
        let parent = web_sys::window()
            .and_then(|window| window.parent().ok().flatten())
            .ok_or(EmbedError::NoParent)?;
        let data = js_sys::JSON::parse(&message.to_json())
            .map_err(|error| EmbedError::Post(format!("{error:?}")))?;
        let targets = match locked(&self.state.parent_origin).clone() {
            Some(origin) => vec![origin],
            None if *message == Outbound::Ready => self.state.portal_origins.clone(),
            None => return Err(EmbedError::NoParent),
        };
        for origin in targets {
            parent
                .post_message(&data, &origin)
                .map_err(|error| EmbedError::Post(format!("{error:?}")))?;
        }
        Ok(())
    }

    /// Posts a message whose loss only costs the portal a nicety (a toast, a resize), logging a
    /// failure instead of interrupting the seller.
    pub fn tell(&self, message: &Outbound) {
        if let Err(error) = self.post(message) {
            leptos::logging::warn!("could not tell the portal: {error}");
        }
    }

    /// Tells the portal the content height whenever it changes, so the frame fits the app.
    pub fn follow_height(&self) {
        let Some(root) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
        else {
            return;
        };
        let bridge = self.clone();
        let measured = root.clone();
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |_entries: js_sys::Array| {
            let height = u32::try_from(measured.scroll_height()).unwrap_or(0);
            bridge.tell(&Outbound::Resize { height });
        });
        match web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            Ok(observer) => {
                observer.observe(&root);
                // Both live as long as the page.
                callback.forget();
                std::mem::forget(observer);
            }
            Err(error) => leptos::logging::warn!("the frame will not follow the height: {error:?}"),
        }
    }
}

fn root_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The locale the portal chose, for the whole app at once (`<html lang>` follows it).
fn apply_locale(locale: Option<&str>) {
    if let Some(locale) = locale {
        crate::i18n::switch_to_tag(locale);
    }
}

/// The portal's theme, as `data-theme` on the page, which the style sheet reads.
fn apply_theme(theme: Option<&str>) {
    if let (Some(theme), Some(root)) = (theme, root_element())
        && let Err(error) = root.set_attribute("data-theme", theme)
    {
        leptos::logging::warn!("could not set the theme: {error:?}");
    }
}
