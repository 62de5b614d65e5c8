//! A woof's own page, and deleting your own woof: a button leading to one
//! confirmation page, whose form does it.

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use woofer_shared::Woof;

use crate::actions::{self, woof_id};
use crate::auth::CurrentSession;
use crate::body::FormBody;
use crate::db::Db;
use crate::error::Error;
use crate::web::account::TokenForm;
use crate::web::csrf;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;

#[derive(Template)]
#[template(path = "woof.html")]
struct WoofPage {
    layout: Layout,
    woof: Woof,
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmDeletePage {
    layout: Layout,
    woof: Woof,
}

fn logged_in<'r>(ctx: &PageContext<'r>) -> Result<&'r CurrentSession, WebError> {
    ctx.session.ok_or(WebError::Refused(Error::Unauthenticated))
}

#[rocket::get("/woofs/<id>")]
async fn show(ctx: PageContext<'_>, db: &Db, id: &str) -> Result<Page, WebError> {
    let session = logged_in(&ctx)?;
    let (woof, _) = actions::read_woof(db, woof_id(id)?, session.user.id).await?;
    Page::ok(&WoofPage {
        layout: ctx.layout(format!("Woof by @{}", woof.author)),
        woof,
    })
}

#[rocket::get("/woofs/<id>/delete")]
async fn confirm_delete(ctx: PageContext<'_>, db: &Db, id: &str) -> Result<Page, WebError> {
    let session = logged_in(&ctx)?;
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
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<TokenForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    let session = logged_in(&ctx)?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    actions::delete_woof(db.writer(), woof_id(id)?, session.user.id).await?;
    Ok(see_other("/", "Woof deleted."))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web woof pages", |rocket| async {
        rocket.mount("/", rocket::routes![show, confirm_delete, delete])
    })
}
