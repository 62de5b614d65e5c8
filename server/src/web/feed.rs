//! The front page: the feed and the compose form for a logged-in dog, the
//! login page for anyone else; and posting a woof from that form.

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::Either;
use serde::Deserialize;
use woofer_shared::api::FeedPage;
use woofer_shared::rules::WOOF_MAX;
use woofer_shared::UserId;

use crate::actions;
use crate::auth::CurrentSession;
use crate::body::FormBody;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};
use crate::web::account::login_page;
use crate::web::form_error::FormError;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;
use crate::web::{csrf, WoofList};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    dog: String,
    /// What was typed, kept when the woof was refused.
    draft: String,
    error: FormError,
    woof_max: usize,
    list: WoofList,
}

#[derive(Deserialize)]
struct WoofForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf: String,
}

/// A page of the feed, `before` a woof id given in the query.
async fn feed_page(db: &Db, viewer: UserId, before: Option<&str>) -> Result<(FeedPage, bool)> {
    let query = PageQuery::parse(before, None)?;
    let page = woofs::page(db, viewer, Scope::Everyone, query.before, query.limit).await?;
    Ok((page, query.before.is_some()))
}

async fn home_page(
    ctx: &PageContext<'_>,
    session: &CurrentSession,
    db: &Db,
    status: Status,
    before: Option<&str>,
    draft: &str,
    error: FormError,
) -> Result<Page, WebError> {
    let (page, paged) = feed_page(db, session.user.id, before).await?;
    Page::render(
        status,
        &HomePage {
            layout: ctx.layout("Home"),
            dog: session.user.username.clone(),
            draft: draft.to_owned(),
            error,
            woof_max: WOOF_MAX,
            list: WoofList::new(page, paged, "/", "No woofs yet. Be the first!"),
        },
    )
}

#[rocket::get("/?<before>")]
async fn front(ctx: PageContext<'_>, db: &Db, before: Option<&str>) -> Result<Page, WebError> {
    match ctx.session {
        Some(session) => {
            home_page(&ctx, session, db, Status::Ok, before, "", FormError::none()).await
        }
        None => login_page(&ctx, Status::Ok, "", FormError::none()),
    }
}

#[rocket::post("/woofs", data = "<form>")]
async fn post(
    ctx: PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    form: Result<FormBody<WoofForm>, Error>,
) -> Result<Either<Flash<Redirect>, Page>, WebError> {
    let Some(session) = ctx.session else {
        return Err(Error::Unauthenticated.into());
    };
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    match actions::post_woof(db, &session.user, &form.body, None).await {
        Ok(_) => Ok(Either::Left(see_other("/", "Woof posted."))),
        Err(e) => {
            // A rule broken: the feed again, with what was typed kept.
            let Error::Validation(rule) = &e else {
                return Err(e.into());
            };
            let error = FormError::on(rule.field, rule.message);
            home_page(&ctx, session, db, e.status(), None, &form.body, error)
                .await
                .map(Either::Right)
        }
    }
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web front page", |rocket| async {
        rocket.mount("/", rocket::routes![front, post])
    })
}
