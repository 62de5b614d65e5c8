//! The rules on values from the API contract, as types that can only hold
//! valid values: once a `Username` exists, it is a valid one.

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 20;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const WOOF_MAX: usize = 280;

/// A value that breaks a rule: which field, and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    pub field: &'static str,
    pub message: &'static str,
}

impl ValueError {
    pub const fn new(field: &'static str, message: &'static str) -> Self {
        Self { field, message }
    }
}

/// A dog's name: 3 to 20 of `a-z`, `0-9` and `_`, after trimming and lowercasing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub const RULE: &'static str =
        "a username must be 3 to 20 characters: lowercase letters, digits and _";

    /// Trims and lowercases, then checks. ` Rex` and `rex` are the same dog.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let name = normalise_username(raw);
        let len_ok = (USERNAME_MIN..=USERNAME_MAX).contains(&name.len());
        let chars_ok = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if len_ok && chars_ok {
            Ok(Self(name))
        } else {
            Err(ValueError::new("username", Self::RULE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The form a username is compared in. Only ASCII is lowercased, so a
/// look-alike such as the Kelvin sign never folds into a valid name.
pub fn normalise_username(raw: &str) -> String {
    raw.trim().to_ascii_lowercase()
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A password: 8 to 128 Unicode scalar values, any characters, never trimmed.
/// Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const RULE: &'static str = "a password must be 8 to 128 characters";

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let n = raw.chars().count();
        if (PASSWORD_MIN..=PASSWORD_MAX).contains(&n) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValueError::new("password", Self::RULE))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// The body of a woof: trimmed, 1 to 280 grapheme clusters, no control or
/// bidirectional formatting characters other than `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WoofBody(String);

impl WoofBody {
    pub const TOO_LONG: &'static str = "a woof may hold at most 280 characters";
    pub const EMPTY: &'static str = "a woof cannot be empty";
    pub const CONTROL: &'static str =
        "a woof may not contain control characters (tabs, escapes and the like); line breaks are fine";
    pub const BIDI: &'static str =
        "a woof may not contain bidirectional override or isolate characters";

    /// Checks the body as sent (so trimming never excuses a forbidden
    /// character), then trims it.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        if let Some(c) = raw.chars().find(|&c| is_forbidden_in_woof(c)) {
            let message = if is_bidi_control(c) {
                Self::BIDI
            } else {
                Self::CONTROL
            };
            return Err(ValueError::new("body", message));
        }
        let body = raw.trim();
        match woof_length(body) {
            0 => Err(ValueError::new("body", Self::EMPTY)),
            n if n > WOOF_MAX => Err(ValueError::new("body", Self::TOO_LONG)),
            _ => Ok(Self(body.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// How many characters a reader sees: extended grapheme clusters of the
/// trimmed text. The client's counter and the server's check both use this.
pub fn woof_length(text: &str) -> usize {
    text.trim().graphemes(true).count()
}

/// C0 (tab and CR included), DEL, C1 and the bidi embedding, override and
/// isolate characters; `\n` is the one control character a woof may hold.
pub fn is_forbidden_in_woof(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi_control(c)
}

/// U+202A–U+202E and U+2066–U+2069.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn username_is_trimmed_and_lowercased() {
        assert_eq!(Username::parse("  Rex_9 ").unwrap().as_str(), "rex_9");
    }

    #[test]
    fn username_length_bounds() {
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"a".repeat(20)).is_ok());
        assert!(Username::parse(&"a".repeat(21)).is_err());
    }

    #[test]
    fn username_refuses_other_characters() {
        for bad in ["rex!", "re x", "rëx", "rex-1", "\u{212A}ing", "r\u{0}x"] {
            let err = Username::parse(bad).unwrap_err();
            assert_eq!(err.field, "username", "{bad:?}");
        }
    }

    #[test]
    fn password_counts_scalar_values_and_is_never_trimmed() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("🐕🐕🐕🐕🐕🐕🐕🐕").is_ok());
        assert_eq!(
            Password::parse("  spaced  ").unwrap().expose(),
            "  spaced  "
        );
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn password_debug_is_redacted() {
        let p = Password::parse("hunter2hunter2").unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn woof_counts_graphemes() {
        let family = "👨‍👩‍👧‍👦";
        let e_acute = "e\u{301}";
        assert_eq!(woof_length(family), 1);
        assert_eq!(woof_length(e_acute), 1);
        assert!(WoofBody::parse(&"🐕".repeat(280)).is_ok());
        assert!(WoofBody::parse(&family.repeat(280)).is_ok());
        assert_eq!(
            WoofBody::parse(&"🐕".repeat(281)).unwrap_err().message,
            WoofBody::TOO_LONG
        );
    }

    #[test]
    fn woof_is_trimmed_and_not_empty() {
        assert_eq!(WoofBody::parse("  hi\n").unwrap().as_str(), "hi");
        assert_eq!(
            WoofBody::parse(" \n \u{3000}").unwrap_err().message,
            WoofBody::EMPTY
        );
    }

    #[test]
    fn woof_allows_newlines_but_no_other_controls() {
        assert!(WoofBody::parse("line one\nline two").is_ok());
        for bad in [
            "a\tb",
            "a\rb",
            "\x1b[31mred",
            "a\x7fb",
            "a\u{85}b",
            "a\u{9b}b",
            "x\t",
        ] {
            assert_eq!(
                WoofBody::parse(bad).unwrap_err().message,
                WoofBody::CONTROL,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn woof_refuses_bidi_controls() {
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let err = WoofBody::parse(&format!("abc{c}def")).unwrap_err();
            assert_eq!(err.message, WoofBody::BIDI);
        }
    }

    proptest! {
        #[test]
        fn accepted_woofs_obey_every_rule(raw in "\\PC{0,300}|[\\x00-\\x7f\u{200e}-\u{206f}]{0,50}") {
            if let Ok(body) = WoofBody::parse(&raw) {
                let s = body.as_str();
                prop_assert!(!s.chars().any(is_forbidden_in_woof));
                prop_assert!((1..=WOOF_MAX).contains(&woof_length(s)));
                prop_assert_eq!(s, s.trim());
            }
        }

        #[test]
        fn accepted_usernames_are_canonical(raw in "\\PC{0,25}") {
            if let Ok(name) = Username::parse(&raw) {
                prop_assert_eq!(Username::parse(name.as_str()).unwrap(), name.clone());
                prop_assert!(name.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
            }
        }

        #[test]
        fn parse_never_panics(raw in any::<String>()) {
            let _ = WoofBody::parse(&raw);
            let _ = Username::parse(&raw);
            let _ = Password::parse(&raw);
        }
    }
}
