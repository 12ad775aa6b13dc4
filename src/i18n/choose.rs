//! Which locale to start in, and what a language tag from the portal or the browser maps to.

use super::Locale;

/// Maps a BCP 47 tag to one of our locales: any Chinese written in simplified characters (`zh`,
/// `zh-Hans`, `zh-CN`, `zh-SG`) to zh-CN, any Russian to ru, English to en. Traditional Chinese
/// and every other language get `None`, so that the caller can try the seller's next language.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let lower = tag.trim().replace('_', "-").to_ascii_lowercase();
    let mut parts = lower.split('-');
    let language = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    match language {
        "en" => Some(Locale::en),
        "ru" => Some(Locale::ru),
        "zh" => {
            let traditional = rest
                .iter()
                .any(|part| matches!(*part, "hant" | "tw" | "hk" | "mo"));
            (!traditional).then_some(Locale::zh_CN)
        }
        _ => None,
    }
}

/// The first of the seller's tags that we have, or English.
pub fn first_supported<'a>(tags: impl IntoIterator<Item = &'a str>) -> Locale {
    tags.into_iter().find_map(from_tag).unwrap_or_default()
}

/// The locale the page opens in: `?lang=` if it names one we have, else the browser's languages
/// in the seller's order. The portal's `init` may still change it once it arrives.
pub fn at_start() -> Locale {
    let window = leptos::prelude::window();
    let from_query = window
        .location()
        .search()
        .ok()
        .and_then(|search| lang_parameter(&search))
        .and_then(|tag| from_tag(&tag));
    if let Some(locale) = from_query {
        return locale;
    }
    let languages: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|language| language.as_string())
        .collect();
    first_supported(languages.iter().map(String::as_str))
}

/// The value of `lang` in a query string such as `?tab=all&lang=ru`.
pub fn lang_parameter(search: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "lang")
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_tags_in_simplified_script_map_to_zh_cn() {
        for tag in [
            "zh",
            "zh-Hans",
            "zh-CN",
            "zh_CN",
            "zh-Hans-CN",
            "ZH-cn",
            "zh-SG",
        ] {
            assert_eq!(from_tag(tag), Some(Locale::zh_CN), "{tag}");
        }
        for tag in ["zh-TW", "zh-Hant", "zh-Hant-HK"] {
            assert_eq!(from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn russian_and_english_variants_map_to_their_language() {
        assert_eq!(from_tag("ru-RU"), Some(Locale::ru));
        assert_eq!(from_tag("ru"), Some(Locale::ru));
        assert_eq!(from_tag("en-GB"), Some(Locale::en));
        assert_eq!(from_tag("fr-FR"), None);
        assert_eq!(from_tag(""), None);
    }

    #[test]
    fn the_first_supported_language_wins_and_english_is_the_fallback() {
        assert_eq!(first_supported(["fr", "ru-RU", "en"]), Locale::ru);
        assert_eq!(first_supported(["de", "fr"]), Locale::en);
        assert_eq!(first_supported([]), Locale::en);
    }

    #[test]
    fn the_lang_parameter_is_read_from_the_query() {
        assert_eq!(lang_parameter("?lang=ru"), Some("ru".to_owned()));
        assert_eq!(
            lang_parameter("?tab=all&lang=zh-CN"),
            Some("zh-CN".to_owned())
        );
        assert_eq!(lang_parameter("?lang="), None);
        assert_eq!(lang_parameter(""), None);
    }
}
