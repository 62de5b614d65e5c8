//! A woof's own page — its thread: the woof it answers, the woof, a reply
//! form and its direct replies, oldest first — and what can be done to a
//! woof from any list: liking it, replying, and deleting your own (a
//! button leading to one confirmation page, whose form does it).

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::Either;
use rocket::State;
use serde::Deserialize;
use woofer_shared::api::PAGE_LIMIT_DEFAULT;
use woofer_shared::rules::WOOF_MAX;
use woofer_shared::{Woof, WoofId};

use crate::actions::{self, woof_id};
use crate::auth::CurrentSession;
use crate::body::FormBody;
use crate::db::Db;
use crate::error::Error;
use crate::routes::paging::cursor;
use crate::stream::Hub;
use crate::web::account::TokenForm;
use crate::web::back::{local_path, see_other_at};
use crate::web::csrf;
use crate::web::form_error::FormError;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;
use crate::web::woof_list::{shown_one, ShownWoof, WoofList};

#[derive(Template)]
#[template(path = "woof.html")]
struct ThreadPage {
    layout: Layout,
    /// The woof this one answers, when it does and that woof is still there.
    parent: Option<ShownWoof>,
    /// It answers a woof that has been deleted.
    parent_gone: bool,
    /// The woof itself (a list of one, drawn like every other woof).
    woof: Vec<ShownWoof>,
    author: String,
    id: WoofId,
    /// What was typed in the reply form, kept when it was refused.
    draft: String,
    error: FormError,
    woof_max: usize,
    replies: WoofList,
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmDeletePage {
    layout: Layout,
    woof: Woof,
}

/// A form whose button acts on something shown in a list, and sends the
/// dog back to that list (see [`crate::web::back`]).
#[derive(Deserialize)]
pub(super) struct ButtonForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub back: String,
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf: String,
}

/// The thread page of woof `id`, its replies from `after`.
#[allow(clippy::too_many_arguments)]
async fn thread_page(
    ctx: &PageContext<'_>,
    session: &CurrentSession,
    db: &Db,
    status: Status,
    id: WoofId,
    after: Option<WoofId>,
    draft: &str,
    error: FormError,
) -> Result<Page, WebError> {
    let me = session.user.id;
    let (woof, _) = actions::read_woof(db, id, me).await?;
    let (parent, parent_gone) = match woof.reply_to {
        None => (None, false),
        Some(parent) => match actions::read_woof(db, parent, me).await {
            Ok((parent, _)) => (Some(shown_one(db, parent).await?), false),
            Err(Error::NotFound(_)) => (None, true),
            Err(e) => return Err(e.into()),
        },
    };
    let url = format!("/woofs/{}", id.0);
    let page = actions::replies(db, me, id, after, PAGE_LIMIT_DEFAULT).await?;
    let replies =
        WoofList::oldest_first(db, page, after.is_some(), &url, "No replies yet.").await?;
    let here = match after {
        Some(after) => format!("{url}?after={}", after.0),
        None => url,
    };
    let author = woof.author.clone();
    Page::render(
        status,
        &ThreadPage {
            layout: ctx.layout(format!("Woof by @{author}")).at(here),
            parent,
            parent_gone,
            woof: vec![shown_one(db, woof).await?],
            author,
            id,
            draft: draft.to_owned(),
            error,
            woof_max: WOOF_MAX,
            replies,
        },
    )
}

#[rocket::get("/woofs/<id>?<after>")]
async fn show(
    ctx: PageContext<'_>,
    db: &Db,
    id: &str,
    after: Option<&str>,
) -> Result<Page, WebError> {
    let session = ctx.logged_in()?;
    let id = woof_id(id)?;
    let after = cursor("after", after)?.map(WoofId);
    thread_page(
        &ctx,
        session,
        db,
        Status::Ok,
        id,
        after,
        "",
        FormError::none(),
    )
    .await
}

#[rocket::post("/woofs/<id>/replies", data = "<form>")]
async fn reply(
    ctx: PageContext<'_>,
    db: &Db,
    hub: &State<Hub>,
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<ReplyForm>, Error>,
) -> Result<Either<Flash<Redirect>, Page>, WebError> {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    let parent = woof_id(id)?;
    match actions::post_woof(db.writer(), hub, &session.user, &form.body, Some(parent)).await {
        Ok(reply) => {
            // Replies are listed oldest first: when the thread is longer
            // than a page, the new one is on a later page, so the page
            // shown starts at it.
            let (parent_now, _) = actions::read_woof(db, parent, session.user.id).await?;
            let to = if parent_now.reply_count <= i64::from(PAGE_LIMIT_DEFAULT) {
                format!("/woofs/{}", parent.0)
            } else {
                format!("/woofs/{}?after={}", parent.0, reply.id.0 - 1)
            };
            Ok(Either::Left(see_other_at(
                &to,
                &format!("woof-{}", reply.id.0),
                "Reply posted.",
            )))
        }
        // The woof answered is gone: nothing to reply to.
        Err(Error::Validation(rule)) if rule.field == "reply_to" => {
            Err(actions::NO_SUCH_WOOF.into())
        }
        Err(Error::Validation(rule)) => {
            // A rule broken: the thread again, with what was typed kept.
            let error = FormError::on(rule.field, rule.message);
            let status = Error::Validation(rule).status();
            thread_page(&ctx, session, db, status, parent, None, &form.body, error)
                .await
                .map(Either::Right)
        }
        Err(e) => Err(e.into()),
    }
}

/// Likes (`liked`) or stops liking woof `id`, then back to the page the
/// button was on, scrolled to the woof.
async fn set_like(
    ctx: &PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<ButtonForm>, Error>,
    liked: bool,
) -> Result<Flash<Redirect>, WebError> {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    let id = woof_id(id)?;
    actions::like(db.writer(), session.user.id, id, liked).await?;
    let back = local_path(&form.back, format!("/woofs/{}", id.0));
    let notice = if liked { "Liked." } else { "Like taken back." };
    Ok(see_other_at(&back, &format!("woof-{}", id.0), notice))
}

#[rocket::post("/woofs/<id>/like", data = "<form>")]
async fn like(
    ctx: PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<ButtonForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    set_like(&ctx, db, cookies, id, form, true).await
}

#[rocket::post("/woofs/<id>/unlike", data = "<form>")]
async fn unlike(
    ctx: PageContext<'_>,
    db: &Db,
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<ButtonForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    set_like(&ctx, db, cookies, id, form, false).await
}

#[rocket::get("/woofs/<id>/delete")]
async fn confirm_delete(ctx: PageContext<'_>, db: &Db, id: &str) -> Result<Page, WebError> {
    let session = ctx.logged_in()?;
    let woof = actions::own_woof(db, woof_id(id)?, session.user.id).await?;
    Page::ok(&ConfirmDeletePage {
        layout: ctx.layout("Delete this woof?"),
        woof,
    })
}

#[rocket::post("/woofs/<id>/delete", data = "<form>")]
async fn delete(
    ctx: PageContext<'_>,
    db: &Db,
    hub: &State<Hub>,
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<TokenForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    actions::delete_woof(db.writer(), hub, woof_id(id)?, session.user.id).await?;
    Ok(see_other("/", "Woof deleted."))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web woof pages", |rocket| async {
        rocket.mount(
            "/",
            rocket::routes![show, reply, like, unlike, confirm_delete, delete],
        )
    })
}
