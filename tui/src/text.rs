//! Text from the network is untrusted: scrubbed before it is drawn, then
//! wrapped by display width (emoji, CJK and combining marks included).

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;
use woofer_shared::rules::is_bidi_control;

/// Makes `text` inert for a terminal: no escape sequence, C0/C1 control or
/// bidi override survives. Tabs become a space; `\n` is kept only when
/// `keep_newlines` (woof bodies), else it becomes a space too.
pub fn scrub(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' | '\r' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c if is_bidi_control(c) => {}
            // Zero-width marks that can hide or reorder text are dropped too.
            '\u{200E}' | '\u{200F}' | '\u{061C}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Display width of `text` in terminal cells.
pub fn width(text: &str) -> usize {
    text.width()
}

/// Greedy word wrap to `max` cells; a word wider than a line is broken
/// between grapheme clusters, never inside one. Always at least one line.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0;
        for word in paragraph.split_word_bounds() {
            let w = word.width();
            if line_width + w <= max {
                line.push_str(word);
                line_width += w;
                continue;
            }
            if word.trim().is_empty() {
                // A space at the end of a line: break here, drop the space.
                lines.push(std::mem::take(&mut line));
                line_width = 0;
                continue;
            }
            if line_width > 0 && w <= max {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                line.push_str(word);
                line_width = w;
                continue;
            }
            for g in word.graphemes(true) {
                let gw = g.width();
                if line_width + gw > max && line_width > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0;
                }
                line.push_str(g);
                line_width += gw;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_made_inert() {
        let hostile = "\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{202e}evil\ttab\r";
        let clean = scrub(hostile, true);
        assert!(
            !clean.chars().any(|c| c.is_control() && c != '\n'),
            "{clean:?}"
        );
        assert!(!clean.contains('\u{202e}'));
        assert!(clean.contains("[2J") && clean.contains("evil tab"));
    }

    #[test]
    fn newlines_are_kept_only_where_asked() {
        assert_eq!(scrub("a\nb", true), "a\nb");
        assert_eq!(scrub("a\nb", false), "a b");
    }

    #[test]
    fn wrap_respects_display_width() {
        for line in wrap("🐕🐕🐕🐕🐕 日本語のテキスト e\u{301}e\u{301}", 6) {
            assert!(width(&line) <= 6, "{line:?}");
        }
        assert_eq!(wrap("hello world", 5), vec!["hello", "world"]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
    }

    #[test]
    fn wrap_never_splits_a_grapheme() {
        let family = "👨‍👩‍👧‍👦";
        let lines = wrap(&family.repeat(3), 2);
        assert!(lines.iter().all(|l| l == family), "{lines:?}");
    }
}
