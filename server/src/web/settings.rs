//! A dog's settings: where it is logged in (ending a session, or every
//! other one), a new password, and deleting the account. The same
//! sessions store, login service and actions as the API's `/api/sessions`
//! and `/api/account`.

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, State};
use serde::Deserialize;
use woofer_shared::api::Session;
use woofer_shared::rules::normalise_username;

use crate::actions::{self, Ended};
use crate::auth::{CurrentSession, Login, PasswordHasher, SessionStore};
use crate::body::FormBody;
use crate::db::Db;
use crate::error::Error;
use crate::stream::Hub;
use crate::web::account::{wait_in_words, TokenForm};
use crate::web::csrf;
use crate::web::form_error::FormError;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    dog: String,
    sessions: Vec<Session>,
    error: FormError,
    /// The name typed to confirm a deletion, kept when it was refused.
    delete_username: String,
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    delete_password: String,
    #[serde(default)]
    delete_username: String,
    #[serde(default)]
    csrf: String,
}

type FormAnswer = Result<Either<Flash<Redirect>, Page>, WebError>;

async fn settings_page(
    ctx: &PageContext<'_>,
    session: &CurrentSession,
    db: &Db,
    status: Status,
    error: FormError,
    delete_username: &str,
) -> Result<Page, WebError> {
    let sessions = actions::sessions(db, session).await?;
    Page::render(
        status,
        &SettingsPage {
            layout: ctx.layout("Settings"),
            dog: session.user.username.clone(),
            sessions,
            error,
            delete_username: delete_username.to_owned(),
        },
    )
}

/// A refused password check as a message under `field`: the wrong
/// password (`401`) or the lock (`429`, with how long to wait); anything
/// else is a refusal page.
fn password_refusal(e: &Error, field: &'static str) -> Option<FormError> {
    match e {
        Error::InvalidCredentials => Some(FormError::on(field, "that is not your password")),
        Error::RateLimited { retry_after } => Some(FormError::on(
            field,
            &format!(
                "too many wrong passwords; try again in {}",
                wait_in_words(*retry_after)
            ),
        )),
        _ => None,
    }
}

#[rocket::get("/settings")]
async fn show(ctx: PageContext<'_>, db: &Db) -> Result<Page, WebError> {
    let session = ctx.logged_in()?;
    settings_page(&ctx, session, db, Status::Ok, FormError::none(), "").await
}

#[rocket::post("/settings/sessions/end-others", data = "<form>")]
async fn end_others(
    ctx: PageContext<'_>,
    db: &Db,
    store: &State<SessionStore>,
    cookies: &CookieJar<'_>,
    form: Result<FormBody<TokenForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    let ended = store
        .end_others(db.writer(), session.user.id, &session.token_hash)
        .await?;
    let notice = match ended {
        0 => "You were not logged in anywhere else.".to_owned(),
        1 => "Logged out of 1 other session.".to_owned(),
        n => format!("Logged out of {n} other sessions."),
    };
    Ok(see_other("/settings", notice))
}

/// Ends one of the dog's sessions; the current one is a logout.
#[rocket::post("/settings/sessions/<id>/end", data = "<form>")]
async fn end_one(
    ctx: PageContext<'_>,
    db: &Db,
    store: &State<SessionStore>,
    cookies: &CookieJar<'_>,
    id: &str,
    form: Result<FormBody<TokenForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    if actions::end_session(db.writer(), store, cookies, session, id).await? == Ended::This {
        return Ok(see_other("/", "Logged out. See you soon!"));
    }
    Ok(see_other("/settings", "That session has ended."))
}

#[rocket::post("/settings/password", data = "<form>")]
async fn change_password(
    ctx: PageContext<'_>,
    db: &Db,
    store: &State<SessionStore>,
    login: &State<Login>,
    hasher: &State<PasswordHasher>,
    cookies: &CookieJar<'_>,
    form: Result<FormBody<PasswordForm>, Error>,
) -> FormAnswer {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    // A typo in the pair costs no password check (and no failed login).
    let changed = if form.new_password != form.new_password_again {
        Err(None)
    } else {
        actions::change_password(
            db.writer(),
            store,
            login,
            hasher,
            session,
            &form.current_password,
            &form.new_password,
        )
        .await
        .map_err(Some)
    };
    let (status, error, retry_after) = match changed {
        Ok(()) => {
            return Ok(Either::Left(see_other(
                "/settings",
                "Password changed. Every other session has ended.",
            )))
        }
        Err(None) => (
            Status::UnprocessableEntity,
            FormError::on(
                "new_password_again",
                "the new password and its repetition differ; type the same twice",
            ),
            None,
        ),
        Err(Some(Error::Validation(rule))) => (
            Status::UnprocessableEntity,
            FormError::on(rule.field, rule.message),
            None,
        ),
        Err(Some(e)) => match password_refusal(&e, "current_password") {
            Some(error) => (e.status(), error, e.refusal_header()),
            None => return Err(e.into()),
        },
    };
    let page = settings_page(&ctx, session, db, status, error, "").await?;
    Ok(Either::Right(page.with_header(retry_after)))
}

#[rocket::post("/settings/delete", data = "<form>")]
async fn delete(
    ctx: PageContext<'_>,
    db: &Db,
    store: &State<SessionStore>,
    hub: &State<Hub>,
    login: &State<Login>,
    cookies: &CookieJar<'_>,
    form: Result<FormBody<DeleteForm>, Error>,
) -> FormAnswer {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    // The name first: a slip costs no password check (and no failed login).
    if normalise_username(&form.delete_username) != session.user.username {
        let error = FormError::on(
            "delete_username",
            &format!(
                "type your name, {}, to confirm; nothing was deleted",
                session.user.username
            ),
        );
        let page = settings_page(
            &ctx,
            session,
            db,
            Status::UnprocessableEntity,
            error,
            &form.delete_username,
        )
        .await?;
        return Ok(Either::Right(page));
    }
    match actions::delete_account(
        db.writer(),
        store,
        hub,
        login,
        session,
        &form.delete_password,
    )
    .await
    {
        Ok(()) => {
            store.close(db.writer(), cookies).await?;
            Ok(Either::Left(see_other(
                "/",
                "Your account has been deleted. Goodbye!",
            )))
        }
        Err(e) => {
            let Some(error) = password_refusal(&e, "delete_password") else {
                return Err(e.into());
            };
            let page =
                settings_page(&ctx, session, db, e.status(), error, &form.delete_username).await?;
            Ok(Either::Right(page.with_header(e.refusal_header())))
        }
    }
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web settings page", |rocket| async {
        rocket.mount(
            "/",
            rocket::routes![show, end_others, end_one, change_password, delete],
        )
    })
}
