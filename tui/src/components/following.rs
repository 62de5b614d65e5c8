//! Whom the logged-in dog follows, so that the live woofs of every dog it
//! follows go on Home: loaded page by page (`GET /api/users/{me}/following`)
//! as the feed opens and after a reconnect, and changed at once by the
//! follows and unfollows made in the app.

use std::collections::HashSet;

use woofer_shared::api::UserPage;
use woofer_shared::Username;

use crate::api::ApiError;
use crate::effect::Request;

pub struct Following {
    me: Username,
    /// The names of the followed dogs, once every page has come.
    names: Option<HashSet<String>>,
    /// The pages come so far, while more are on their way.
    coming: Option<Pages>,
}

struct Pages {
    names: HashSet<String>,
    /// The cursor of the page on its way.
    asked: Option<i64>,
}

impl Following {
    pub fn new(me: Username) -> Self {
        Self {
            me,
            names: None,
            coming: None,
        }
    }

    /// The first page, unless pages are on their way already. The set
    /// loaded before stays in use until the new one is whole.
    pub fn load(&mut self) -> Option<Request> {
        if self.coming.is_some() {
            return None;
        }
        self.coming = Some(Pages {
            names: HashSet::new(),
            asked: None,
        });
        Some(Request::LoadFollowing(self.me.clone(), None))
    }

    /// A page asked for with `before`: the request for the next one, if
    /// any. A failed page drops the load (the set before stays); only an
    /// ended session is worth telling the dog.
    pub fn page_loaded(
        &mut self,
        before: Option<i64>,
        result: Result<UserPage, ApiError>,
    ) -> Result<Option<Request>, ApiError> {
        let Some(pages) = self.coming.as_mut().filter(|p| p.asked == before) else {
            return Ok(None);
        };
        match result {
            Ok(page) => {
                pages
                    .names
                    .extend(page.users.into_iter().map(|user| user.username));
                match page.next_before {
                    Some(next) => {
                        pages.asked = Some(next);
                        Ok(Some(Request::LoadFollowing(self.me.clone(), Some(next))))
                    }
                    None => {
                        self.names = self.coming.take().map(|pages| pages.names);
                        Ok(None)
                    }
                }
            }
            Err(e) => {
                self.coming = None;
                if e.is_session_ended() {
                    Err(e)
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// The dog followed (`true`) or unfollowed `name` from the app.
    pub fn changed(&mut self, name: &Username, follow: bool) {
        let sets = [
            self.names.as_mut(),
            self.coming.as_mut().map(|pages| &mut pages.names),
        ];
        for names in sets.into_iter().flatten() {
            if follow {
                names.insert(name.to_string());
            } else {
                names.remove(name.as_str());
            }
        }
    }

    /// Whether the dog follows `author`; `None` until the set has come.
    pub fn follows(&self, author: &str) -> Option<bool> {
        self.names.as_ref().map(|names| names.contains(author))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use woofer_shared::api::User;
    use woofer_shared::{Timestamp, UserId};

    use super::*;

    /// A page of the following list naming `names`.
    pub(crate) fn page(names: &[&str], next_before: Option<i64>) -> UserPage {
        UserPage {
            users: names
                .iter()
                .zip(2..)
                .map(|(name, id)| User {
                    id: UserId(id),
                    username: (*name).into(),
                    created_at: Timestamp::from_unix(1_795_633_445),
                })
                .collect(),
            next_before,
        }
    }

    #[test]
    fn a_reload_replaces_the_set_once_whole_and_a_stale_page_is_ignored() {
        let mut following = Following::new(Username::parse("rex").unwrap());
        assert!(following.load().is_some());
        following
            .page_loaded(None, Ok(page(&["fido"], None)))
            .unwrap();
        assert_eq!(following.follows("fido"), Some(true));

        following.load();
        following
            .page_loaded(None, Ok(page(&["luna"], Some(3))))
            .unwrap();
        assert_eq!(following.follows("fido"), Some(true), "not whole yet");
        following
            .page_loaded(Some(99), Ok(page(&["max"], None)))
            .unwrap();
        following.changed(&Username::parse("bruno").unwrap(), true);
        following
            .page_loaded(Some(3), Ok(page(&["daisy"], None)))
            .unwrap();

        assert_eq!(
            following.follows("fido"),
            Some(false),
            "unfollowed elsewhere"
        );
        for name in ["luna", "daisy", "bruno"] {
            assert_eq!(following.follows(name), Some(true), "{name}");
        }
        assert_eq!(following.follows("max"), Some(false), "a stale page");
    }
}
