//! The app's two pages and their paths: the one place that spells them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The shipments list, at `/`; also what any unknown path shows, so that a mistyped or old
    /// link still opens the app.
    Shipments,
    /// The cancellation history, at `/history` (a lazily loaded part).
    History,
}

impl Page {
    pub const ALL: [Page; 2] = [Page::Shipments, Page::History];

    /// The page at a URL's path. A trailing slash is the same page (`/history/`).
    pub fn at(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        Page::ALL
            .into_iter()
            .find(|page| page.path().trim_end_matches('/') == path)
            .unwrap_or(Page::Shipments)
    }

    /// The path of its links.
    pub fn path(self) -> &'static str {
        match self {
            Page::Shipments => "/",
            Page::History => "/history",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_is_at_its_own_path() {
        for page in Page::ALL {
            assert_eq!(Page::at(page.path()), page, "{page:?}");
        }
    }

    #[test]
    fn a_trailing_slash_is_the_same_page() {
        assert_eq!(Page::at("/history/"), Page::History);
        assert_eq!(Page::at(""), Page::Shipments);
    }

    #[test]
    fn an_unknown_path_shows_the_list() {
        assert_eq!(Page::at("/nowhere"), Page::Shipments);
        assert_eq!(Page::at("/history/older"), Page::Shipments);
        assert_eq!(Page::at("/History"), Page::Shipments);
    }
}
