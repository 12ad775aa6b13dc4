//! Which clicks on a link the app takes over (a new URL without reloading the page) and which it
//! leaves to the browser: a new tab, a new window, a download, another site.

/// The click, as the event tells it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Click {
    /// `MouseEvent.button`: 0 is the main (left) button.
    pub button: i16,
    /// Ctrl, Cmd (meta), Shift or Alt held: the seller asks the browser for a new tab or window,
    /// or to save the link.
    pub modified: bool,
    /// Something on the page already handled it.
    pub default_prevented: bool,
}

/// The link clicked.
#[derive(Clone, Copy, Debug, Default)]
pub struct Link<'a> {
    /// Its `target` attribute (`_blank` opens elsewhere).
    pub target: &'a str,
    /// It has a `download` attribute (the history's CSV export).
    pub download: bool,
    /// Its `rel` attribute.
    pub rel: &'a str,
    /// It leads to this page's origin.
    pub same_origin: bool,
}

/// Whether the app navigates itself for this click on this link.
pub fn app_navigates(click: Click, link: Link) -> bool {
    let plain = click.button == 0 && !click.modified && !click.default_prevented;
    let here = (link.target.is_empty() || link.target == "_self")
        && !link.download
        && !link
            .rel
            .split_ascii_whitespace()
            .any(|rel| rel == "external")
        && link.same_origin;
    plain && here
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_link() -> Link<'static> {
        Link {
            same_origin: true,
            ..Link::default()
        }
    }

    #[test]
    fn a_plain_left_click_on_an_own_link_stays_in_the_app() {
        assert!(app_navigates(Click::default(), own_link()));
        let this_frame = Link {
            target: "_self",
            ..own_link()
        };
        assert!(app_navigates(Click::default(), this_frame));
    }

    #[test]
    fn a_modified_or_other_button_click_is_the_browsers() {
        let modified = Click {
            modified: true,
            ..Click::default()
        };
        assert!(!app_navigates(modified, own_link()));
        let middle = Click {
            button: 1,
            ..Click::default()
        };
        assert!(!app_navigates(middle, own_link()));
        let handled = Click {
            default_prevented: true,
            ..Click::default()
        };
        assert!(!app_navigates(handled, own_link()));
    }

    #[test]
    fn links_that_leave_the_page_are_the_browsers() {
        let cases = [
            Link {
                target: "_blank",
                ..own_link()
            },
            Link {
                download: true,
                ..own_link()
            },
            Link {
                rel: "noopener external",
                ..own_link()
            },
            Link {
                same_origin: false,
                ..own_link()
            },
        ];
        for link in cases {
            assert!(!app_navigates(Click::default(), link), "{link:?}");
        }
    }
}
