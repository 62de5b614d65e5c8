//! A dog's page, `/@NAME`: who it is, its counts, a Follow / Unfollow
//! button, and its woofs, newest first; the lists of the dogs that follow
//! it and that it follows (`/@NAME/followers`, `/@NAME/following`); and
//! following or unfollowing it.
//!
//! Rocket's paths cannot hold a literal and a parameter in one segment, so
//! these routes take any first segment and answer only when it starts with
//! `@`; static routes (`/login`, `/woofs/ID`) outrank them.

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use woofer_shared::api::{Profile, User, PAGE_LIMIT_DEFAULT};

use crate::actions::{self, find_dog};
use crate::body::FormBody;
use crate::db::Db;
use crate::error::Error;
use crate::routes::paging::{cursor, PageQuery};
use crate::store::follows::{self, Direction};
use crate::store::woofs::{self, Scope};
use crate::web::back::local_path;
use crate::web::csrf;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;
use crate::web::woof_list::{PageLink, WoofList};
use crate::web::woofs::ButtonForm;

#[derive(Template)]
#[template(path = "dog.html")]
struct DogPage {
    layout: Layout,
    profile: Profile,
    /// The dog's own page: no Follow button.
    is_me: bool,
    /// The name's first letter, for the round badge beside it.
    initial: char,
    list: WoofList,
}

#[derive(Template)]
#[template(path = "follows.html")]
struct FollowsPage {
    layout: Layout,
    /// Whose follows these are.
    dog: String,
    /// The followers (else the dogs it follows).
    followers: bool,
    users: Vec<User>,
    first: Option<PageLink>,
    next: Option<PageLink>,
}

/// The dog's name in a first path segment `@NAME`; any other segment is
/// not a page of this module.
fn name_in(handle: &str) -> Result<&str, WebError> {
    handle.strip_prefix('@').ok_or(WebError::NotHere)
}

#[rocket::get("/<handle>?<before>")]
async fn dog(
    ctx: PageContext<'_>,
    db: &Db,
    handle: &str,
    before: Option<&str>,
) -> Result<Page, WebError> {
    let name = name_in(handle)?;
    let session = ctx.logged_in()?;
    let query = PageQuery::parse(before, None)?;
    let profile = actions::profile(db, session.user.id, name).await?;
    let page = woofs::page(
        db,
        session.user.id,
        Scope::Author(profile.user.id),
        query.before,
        query.limit,
    )
    .await?;
    let home = format!("/@{}", profile.user.username);
    let list =
        WoofList::newest_first(db, page, query.before.is_some(), &home, "No woofs yet.").await?;
    Page::ok(&DogPage {
        layout: ctx.layout(format!("@{}", profile.user.username)),
        is_me: profile.user.id == session.user.id,
        initial: profile.user.username.chars().next().unwrap_or('?'),
        profile,
        list,
    })
}

async fn follows_page(
    ctx: &PageContext<'_>,
    db: &Db,
    handle: &str,
    before: Option<&str>,
    direction: Direction,
) -> Result<Page, WebError> {
    let name = name_in(handle)?;
    ctx.logged_in()?;
    let before = cursor("before", before)?;
    let dog = find_dog(db, name).await?;
    let page = follows::list(db, dog.id, direction, before, PAGE_LIMIT_DEFAULT).await?;
    let (followers, segment, title) = match direction {
        Direction::Followers => (true, "followers", format!("Followers of @{}", dog.username)),
        Direction::Following => (false, "following", format!("Followed by @{}", dog.username)),
    };
    let url = format!("/@{}/{segment}", dog.username);
    Page::ok(&FollowsPage {
        layout: ctx.layout(title),
        next: page.next_before.map(|c| PageLink {
            url: format!("{url}?before={c}"),
            label: "More",
        }),
        first: before.map(|_| PageLink {
            url: url.clone(),
            label: "First",
        }),
        dog: dog.username,
        followers,
        users: page.users,
    })
}

#[rocket::get("/<handle>/followers?<before>", rank = 1)]
async fn followers(
    ctx: PageContext<'_>,
    db: &Db,
    handle: &str,
    before: Option<&str>,
) -> Result<Page, WebError> {
    follows_page(&ctx, db, handle, before, Direction::Followers).await
}

#[rocket::get("/<handle>/following?<before>", rank = 1)]
async fn following(
    ctx: PageContext<'_>,
    db: &Db,
    handle: &str,
    before: Option<&str>,
) -> Result<Page, WebError> {
    follows_page(&ctx, db, handle, before, Direction::Following).await
}

/// Follows (`follow`) or unfollows the dog, then back to the page the
/// button was on (its page, unless the form says another of ours).
async fn set_follow(
    ctx: &PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    handle: &str,
    form: Result<FormBody<ButtonForm>, Error>,
    follow: bool,
) -> Result<Flash<Redirect>, WebError> {
    let name = name_in(handle)?;
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    let dog = find_dog(db, name).await?;
    actions::follow(db.writer(), &session.user, &dog.username, follow).await?;
    let back = local_path(&form.back, format!("/@{}", dog.username));
    let notice = if follow {
        format!("You follow @{} now.", dog.username)
    } else {
        format!("You no longer follow @{}.", dog.username)
    };
    Ok(see_other(back, notice))
}

#[rocket::post("/<handle>/follow", data = "<form>", rank = 1)]
async fn follow(
    ctx: PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    handle: &str,
    form: Result<FormBody<ButtonForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    set_follow(&ctx, db, cookies, handle, form, true).await
}

#[rocket::post("/<handle>/unfollow", data = "<form>", rank = 1)]
async fn unfollow(
    ctx: PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    handle: &str,
    form: Result<FormBody<ButtonForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    set_follow(&ctx, db, cookies, handle, form, false).await
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web dog pages", |rocket| async {
        rocket.mount(
            "/",
            rocket::routes![dog, followers, following, follow, unfollow],
        )
    })
}
