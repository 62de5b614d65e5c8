//! A refused form's message, tied to its field.

use crate::web::refusal::sentence;

/// A refused form's message and the field it belongs to (`"form"` for the
/// whole form), so the page can tie it to its input.
#[derive(Default)]
pub struct FormError {
    field: &'static str,
    message: String,
}

impl FormError {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn on(field: &'static str, message: &str) -> Self {
        Self {
            field,
            message: sentence(message),
        }
    }

    /// The message, if it is shown under `field`.
    pub fn under(&self, field: &str) -> Option<&str> {
        (!self.message.is_empty() && self.field == field).then_some(self.message.as_str())
    }

    /// The id of the message that describes `field`: its own, or the
    /// whole form's.
    pub fn describing(&self, field: &str) -> Option<String> {
        match self.field {
            _ if self.message.is_empty() => None,
            "form" => Some("form-error".to_owned()),
            own if own == field => Some(format!("{field}-error")),
            _ => None,
        }
    }
}
