//! Woofs as the pages draw them: each with the woof it answers (`↳ @name`),
//! in a list with its paging links.

use std::collections::HashMap;

use sqlx::AnyPool;
use woofer_shared::api::{FeedPage, ReplyPage};
use woofer_shared::{Woof, WoofId};

use crate::error::Result;
use crate::store::woofs;

/// The woof a reply answers.
pub struct Answered {
    pub id: WoofId,
    /// Its author, or `None` when that woof has been deleted (the reply
    /// stays; there is nothing left to link to).
    pub author: Option<String>,
}

/// A woof and, when it is a reply, what it answers.
pub struct ShownWoof {
    pub woof: Woof,
    pub answers: Option<Answered>,
}

/// `woofs` ready to draw: the authors of the woofs they answer are looked
/// up in one query for the whole page.
pub async fn shown(db: &AnyPool, woofs: Vec<Woof>) -> Result<Vec<ShownWoof>> {
    let mut parents: Vec<WoofId> = woofs.iter().filter_map(|w| w.reply_to).collect();
    parents.sort_by_key(|id| id.0);
    parents.dedup();
    let authors: HashMap<i64, String> = woofs::authors(db, &parents)
        .await?
        .into_iter()
        .map(|(id, name)| (id.0, name))
        .collect();
    Ok(woofs
        .into_iter()
        .map(|woof| ShownWoof {
            answers: woof.reply_to.map(|id| Answered {
                id,
                author: authors.get(&id.0).cloned(),
            }),
            woof,
        })
        .collect())
}

/// One woof ready to draw (see [`shown`]).
pub async fn shown_one(db: &AnyPool, woof: Woof) -> Result<ShownWoof> {
    Ok(shown(db, vec![woof]).await?.pop().expect("one in, one out"))
}

/// A link in a list's pager.
pub struct PageLink {
    pub url: String,
    pub label: &'static str,
}

/// A page of woofs with its links: back to the first page (when this is
/// not it) and on to the next.
pub struct WoofList {
    pub woofs: Vec<ShownWoof>,
    pub first: Option<PageLink>,
    pub next: Option<PageLink>,
    pub empty_message: &'static str,
}

impl WoofList {
    /// `page` of the newest-first list found at `url` ("Newest", "Older
    /// woofs" by `?before=ID`).
    pub async fn newest_first(
        db: &AnyPool,
        page: FeedPage,
        paged: bool,
        url: &str,
        empty_message: &'static str,
    ) -> Result<Self> {
        Ok(Self {
            next: page.next_before.map(|id| PageLink {
                url: format!("{url}?before={id}"),
                label: "Older woofs",
            }),
            first: paged.then(|| PageLink {
                url: url.to_owned(),
                label: "Newest",
            }),
            woofs: shown(db, page.woofs).await?,
            empty_message,
        })
    }

    /// `page` of the replies to the woof at `url`, oldest first ("First
    /// replies", "More replies" by `?after=ID`).
    pub async fn oldest_first(
        db: &AnyPool,
        page: ReplyPage,
        paged: bool,
        url: &str,
        empty_message: &'static str,
    ) -> Result<Self> {
        Ok(Self {
            next: page.next_after.map(|id| PageLink {
                url: format!("{url}?after={id}"),
                label: "More replies",
            }),
            first: paged.then(|| PageLink {
                url: url.to_owned(),
                label: "First replies",
            }),
            woofs: shown(db, page.woofs).await?,
            empty_message,
        })
    }
}
