//! Logging in, registering and logging out with HTML forms, on the same
//! login service, rules and server-side sessions as the API: a dog logged
//! in here is logged in for `fetch('/api/…')`, and logout in either ends it.

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, State};
use serde::Deserialize;
use woofer_shared::api::Credentials;
use woofer_shared::{Password, Username};

use crate::actions;
use crate::auth::registration_limit::RegistrationAllowance;
use crate::auth::{ClientAgent, CurrentSession, Login, PasswordHasher, SessionStore};
use crate::body::FormBody;
use crate::config::WooferConfig;
use crate::db::Db;
use crate::error::Error;
use crate::web::csrf;
use crate::web::form_error::FormError;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    error: FormError,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    username: String,
    error: FormError,
    username_rule: String,
    password_rule: String,
}

/// The login and register forms. Every field defaults to empty, so a form
/// without its token is refused as such (`403`), not as malformed.
#[derive(Deserialize)]
struct CredentialsForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// A form that carries nothing but its token (logging out).
#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    pub csrf: String,
}

/// The login page, also served at `/` to anyone not logged in. After a
/// refused login the name is kept and the password never is.
pub(super) fn login_page(
    ctx: &PageContext<'_>,
    status: Status,
    username: &str,
    error: FormError,
) -> Result<Page, WebError> {
    Page::render(
        status,
        &LoginPage {
            layout: ctx.layout("Log in"),
            username: username.to_owned(),
            error,
        },
    )
}

fn register_page(
    ctx: &PageContext<'_>,
    status: Status,
    username: &str,
    error: FormError,
) -> Result<Page, WebError> {
    Page::render(
        status,
        &RegisterPage {
            layout: ctx.layout("Create an account"),
            username: username.to_owned(),
            error,
            username_rule: crate::web::refusal::sentence(Username::RULE),
            password_rule: crate::web::refusal::sentence(Password::RULE),
        },
    )
}

/// A wait as people say it: `45 seconds`, `1 minute`, `15 minutes`
/// (rounded up, so the page never promises too soon).
pub(super) fn wait_in_words(seconds: i64) -> String {
    match seconds.max(1) {
        1 => "1 second".to_owned(),
        s if s < 60 => format!("{s} seconds"),
        s if s <= 60 => "1 minute".to_owned(),
        s => format!("{} minutes", (s + 59) / 60),
    }
}

type FormAnswer = Result<Either<Flash<Redirect>, Page>, WebError>;

#[rocket::get("/login")]
fn login_form(ctx: PageContext<'_>) -> Result<Either<Redirect, Page>, WebError> {
    if ctx.session.is_some() {
        return Ok(Either::Left(Redirect::to("/")));
    }
    login_page(&ctx, Status::Ok, "", FormError::none()).map(Either::Right)
}

#[rocket::post("/login", data = "<form>")]
// Each argument is a request guard Rocket fills in.
#[allow(clippy::too_many_arguments)]
async fn login(
    ctx: PageContext<'_>,
    db: &Db,
    service: &State<Login>,
    store: &State<SessionStore>,
    config: &State<WooferConfig>,
    cookies: &CookieJar<'_>,
    agent: ClientAgent,
    form: Result<FormBody<CredentialsForm>, Error>,
) -> FormAnswer {
    let form = form?.0;
    csrf::check(csrf::pre_session_token(cookies), &form.csrf)?;
    match service
        .verify(db.writer(), &form.username, &form.password)
        .await
    {
        Ok(user) => {
            store
                .open_from(db.writer(), cookies, config, user.id, &agent)
                .await?;
            Ok(Either::Left(see_other(
                "/",
                format!("Welcome back, @{}.", user.username),
            )))
        }
        Err(e) => {
            let error = match e {
                // One message for an unknown name and a wrong password.
                Error::InvalidCredentials => FormError::on("form", &e.to_string()),
                Error::RateLimited { retry_after } => FormError::on(
                    "username",
                    &format!(
                        "too many failed logins for this username; try again in {}",
                        wait_in_words(retry_after)
                    ),
                ),
                _ => return Err(e.into()),
            };
            let page = login_page(&ctx, e.status(), &form.username, error)?;
            Ok(Either::Right(page.with_header(e.refusal_header())))
        }
    }
}

#[rocket::get("/register")]
fn register_form(ctx: PageContext<'_>) -> Result<Either<Redirect, Page>, WebError> {
    if ctx.session.is_some() {
        return Ok(Either::Left(Redirect::to("/")));
    }
    register_page(&ctx, Status::Ok, "", FormError::none()).map(Either::Right)
}

#[rocket::post("/register", data = "<form>")]
// Each argument is a request guard Rocket fills in.
#[allow(clippy::too_many_arguments)]
async fn register(
    ctx: PageContext<'_>,
    db: &Db,
    hasher: &State<PasswordHasher>,
    store: &State<SessionStore>,
    config: &State<WooferConfig>,
    cookies: &CookieJar<'_>,
    agent: ClientAgent,
    mut allowance: RegistrationAllowance,
    form: Result<FormBody<CredentialsForm>, Error>,
) -> FormAnswer {
    let form = match form.and_then(|form| {
        csrf::check(csrf::pre_session_token(cookies), &form.0.csrf)?;
        Ok(form.0)
    }) {
        Ok(form) => form,
        Err(e) => {
            allowance.settle(db.writer(), false).await?;
            return Err(e.into());
        }
    };
    let credentials = Credentials {
        username: form.username,
        password: form.password,
    };
    let registered = match allowance.check() {
        Ok(()) => actions::register(db.writer(), hasher, &credentials).await,
        Err(e) => Err(e),
    };
    allowance.settle(db.writer(), registered.is_ok()).await?;
    match registered {
        Ok(user) => {
            store
                .open_from(db.writer(), cookies, config, user.id, &agent)
                .await?;
            Ok(Either::Left(see_other(
                "/",
                format!("Welcome to Woofer, @{}!", user.username),
            )))
        }
        Err(e) => {
            let error = match &e {
                Error::Validation(rule) => FormError::on(rule.field, rule.message),
                Error::UsernameTaken => FormError::on("username", &e.to_string()),
                Error::TooManyRegistrations { .. } => FormError::on("username", &e.to_string()),
                _ => return Err(e.into()),
            };
            register_page(&ctx, e.status(), &credentials.username, error).map(Either::Right)
        }
    }
}

/// Ends the session (only with the session's own token: another site
/// cannot log a dog out), and says so on the login page.
#[rocket::post("/logout", data = "<form>")]
async fn logout(
    session: Option<&CurrentSession>,
    db: &Db,
    store: &State<SessionStore>,
    cookies: &CookieJar<'_>,
    form: Result<FormBody<TokenForm>, Error>,
) -> Result<Flash<Redirect>, WebError> {
    let form = form?.0;
    if session.is_some() {
        csrf::check(csrf::session_token(cookies), &form.csrf)?;
        store.close(db.writer(), cookies).await?;
    }
    Ok(see_other("/", "Logged out. See you soon!"))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web account pages", |rocket| async {
        rocket.mount(
            "/",
            rocket::routes![login_form, login, register_form, register, logout],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::wait_in_words;

    #[test]
    fn waits_read_as_people_say_them_rounded_up() {
        assert_eq!(wait_in_words(0), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(60), "1 minute");
        assert_eq!(wait_in_words(61), "2 minutes");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
