//! How the app gets a session when it starts.
//!
//! The portal hands a framed app its token. Standalone, only a demo server offers a session, through
//! the dev endpoint; anywhere else the seller is sent to the portal.

use domain::wire::AppConfig;

use crate::api::{self, Api, ApiError};
use crate::embed::bridge::{Bridge, EmbedError};

/// What the app does after reading `GET /api/v1/config`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Standalone on a demo server: sign in as the demo seller.
    DemoSignIn { seller_id: String },
    /// Framed, with portal origins configured: the portal hands over the token.
    Portal { origins: Vec<String> },
    /// No way to sign in here: the seller must open the app from the portal.
    OpenFromPortal,
}

pub fn plan(framed: bool, config: &AppConfig) -> Plan {
    match (&config.demo_seller_id, config.demo, framed) {
        (_, _, true) if !config.portal_origins.is_empty() => Plan::Portal {
            origins: config.portal_origins.clone(),
        },
        (Some(seller_id), true, false) => Plan::DemoSignIn {
            seller_id: seller_id.clone(),
        },
        _ => Plan::OpenFromPortal,
    }
}

/// The outcome of starting.
#[derive(Clone, Debug)]
pub enum Started {
    SignedIn(Api),
    /// Signed in by the portal, which the bridge keeps talking to.
    Embedded(Api, Bridge),
    OpenFromPortal,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Portal(#[from] EmbedError),
}

impl StartError {
    pub fn message(&self) -> String {
        match self {
            StartError::Api(error) => error.message(),
            StartError::Portal(_) => crate::i18n::text::portal_silent().to_owned(),
        }
    }
}

pub async fn start() -> Result<Started, StartError> {
    let config = api::config().await?;
    match plan(is_framed(), &config) {
        Plan::DemoSignIn { seller_id } => {
            // The first answer is already in (or its second has passed): `main` waits for it
            // before the app mounts.
            let session = api::dev_session(&seller_id).await?;
            Ok(Started::SignedIn(Api::demo(&session.token, &seller_id)))
        }
        Plan::Portal { origins } => {
            let bridge = Bridge::install(origins);
            let init = bridge.start().await?;
            bridge.follow_height();
            Ok(Started::Embedded(
                Api::portal(&init.token, bridge.clone()),
                bridge,
            ))
        }
        Plan::OpenFromPortal => Ok(Started::OpenFromPortal),
    }
}

/// True inside an iframe. Comparing the window proxies is allowed across origins.
fn is_framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.top() {
        Ok(Some(top)) => top != window,
        // A browser that hides the top window from us is framing us.
        Ok(None) | Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(demo: bool, seller: Option<&str>) -> AppConfig {
        AppConfig {
            demo,
            demo_seller_id: seller.map(str::to_owned),
            portal_origins: vec!["http://127.0.0.1:8092".to_owned()],
        }
    }

    #[test]
    fn a_standalone_demo_signs_in_as_the_demo_seller() {
        assert_eq!(
            plan(false, &config(true, Some("s-1001"))),
            Plan::DemoSignIn {
                seller_id: "s-1001".to_owned()
            }
        );
    }

    #[test]
    fn inside_a_frame_the_portal_signs_in() {
        assert_eq!(
            plan(true, &config(true, Some("s-1001"))),
            Plan::Portal {
                origins: vec!["http://127.0.0.1:8092".to_owned()]
            }
        );
        let mut unframeable = config(true, Some("s-1001"));
        unframeable.portal_origins.clear();
        assert_eq!(plan(true, &unframeable), Plan::OpenFromPortal);
    }

    #[test]
    fn standalone_without_demo_mode_sends_the_seller_to_the_portal() {
        assert_eq!(plan(false, &config(false, None)), Plan::OpenFromPortal);
        assert_eq!(plan(false, &config(true, None)), Plan::OpenFromPortal);
    }
}
