//! A dog's page, `/@NAME`: who it is and its woofs, newest first.

use askama::Template;
use rocket::fairing::AdHoc;
use woofer_shared::api::User;

use crate::actions::{self, find_dog};
use crate::db::Db;
use crate::error::Error;
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};
use crate::web::page::{Layout, Page, PageContext};
use crate::web::refusal::WebError;
use crate::web::WoofList;

#[derive(Template)]
#[template(path = "dog.html")]
struct DogPage {
    layout: Layout,
    dog: User,
    woof_count: i64,
    /// The name's first letter, for the round badge beside it.
    initial: char,
    list: WoofList,
}

/// Any one-segment path: a dog's page when it starts with `@` (Rocket's
/// paths cannot hold a literal and a parameter in one segment); static
/// routes such as `/login` outrank it.
#[rocket::get("/<handle>?<before>")]
async fn dog(
    ctx: PageContext<'_>,
    db: &Db,
    handle: &str,
    before: Option<&str>,
) -> Result<Page, WebError> {
    let Some(name) = handle.strip_prefix('@') else {
        return Err(WebError::NotHere);
    };
    let Some(session) = ctx.session else {
        return Err(Error::Unauthenticated.into());
    };
    let query = PageQuery::parse(before, None)?;
    let dog = find_dog(db, name).await?;
    let woof_count = actions::profile(db, session.user.id, name)
        .await?
        .woof_count;
    let page = woofs::page(
        db,
        session.user.id,
        Scope::Author(dog.id),
        query.before,
        query.limit,
    )
    .await?;
    let home = format!("/@{}", dog.username);
    Page::ok(&DogPage {
        layout: ctx.layout(format!("@{}", dog.username)),
        list: WoofList::new(page, query.before.is_some(), &home, "No woofs yet."),
        initial: dog.username.chars().next().unwrap_or('?'),
        dog,
        woof_count,
    })
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web dog pages", |rocket| async {
        rocket.mount("/", rocket::routes![dog])
    })
}
