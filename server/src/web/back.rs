//! Where a form sends the dog back to. Buttons that act on a woof or a dog
//! from any list (like, follow) carry the page they sit on in a `back`
//! field, so the dog lands where it was. The field comes from the browser,
//! so it is used only when it is a path on this site: anything else
//! (another site, `//host`, `javascript:`, odd characters) is ignored for
//! the button's own page — never an open redirect.

use rocket::http::uri::Origin;
use rocket::response::{Flash, Redirect};

/// At most this long; a longer one is not a page of ours.
const MAX_LEN: usize = 1000;

/// `sent` when it is a local path (with any query), else `fallback`.
pub fn local_path(sent: &str, fallback: String) -> String {
    if is_local_path(sent) {
        sent.to_owned()
    } else {
        fallback
    }
}

fn is_local_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.len() <= MAX_LEN
        && bytes.first() == Some(&b'/')
        // `//host` and `/\host` are another site to a browser.
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        // Printable ASCII only: no white space, no controls, no `\`, and
        // no fragment (the redirect adds its own).
        && bytes
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b'\\' && b != b'#')
        && Origin::parse(path).is_ok()
}

/// `303 See Other` to `path` (local, see [`local_path`]) scrolled to the
/// element `anchor`, with a notice for the next page.
pub fn see_other_at(path: &str, anchor: &str, notice: impl Into<String>) -> Flash<Redirect> {
    Flash::success(Redirect::to(format!("{path}#{anchor}")), notice.into())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        let fallback = || "/woofs/7".to_owned();
        for ok in [
            "/",
            "/everyone?before=12",
            "/@rex/followers",
            "/woofs/3?after=9",
        ] {
            assert_eq!(local_path(ok, fallback()), ok);
        }
        for refused in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "evil",
            "/ spaced",
            "/tab\there",
            "/line\nbreak",
            "/x#frag",
            "/é",
        ] {
            assert_eq!(local_path(refused, fallback()), "/woofs/7", "{refused:?}");
        }
        assert_eq!(
            local_path(&format!("/{}", "a".repeat(1000)), fallback()),
            "/woofs/7"
        );
    }
}
