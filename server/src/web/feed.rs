//! The front page: for a logged-in dog, two tabs — Home (its timeline: its
//! own woofs and those of the dogs it follows; the default, at `/`) and
//! Everyone (every dog's woofs, at `/everyone`) — each with the compose
//! form; the login page for anyone else. And posting a woof from that form.

use askama::Template;
use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, State};
use serde::Deserialize;
use woofer_shared::rules::WOOF_MAX;

use crate::actions;
use crate::auth::CurrentSession;
use crate::body::FormBody;
use crate::db::Db;
use crate::error::Error;
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};
use crate::stream::Hub;
use crate::web::account::login_page;
use crate::web::csrf;
use crate::web::form_error::FormError;
use crate::web::page::{see_other, Layout, Page, PageContext};
use crate::web::refusal::WebError;
use crate::web::woof_list::WoofList;

/// The front page's two tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Home,
    Everyone,
}

impl Tab {
    pub fn path(self) -> &'static str {
        match self {
            Tab::Home => "/",
            Tab::Everyone => "/everyone",
        }
    }

    /// The tab a compose form was sent from (its `back` field); Home
    /// unless it says Everyone.
    fn of_path(path: &str) -> Self {
        if path == Tab::Everyone.path() {
            Tab::Everyone
        } else {
            Tab::Home
        }
    }

    fn title(self) -> &'static str {
        match self {
            Tab::Home => "Home",
            Tab::Everyone => "Everyone",
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct FrontPage {
    layout: Layout,
    tab: Tab,
    dog: String,
    /// What was typed, kept when the woof was refused.
    draft: String,
    error: FormError,
    woof_max: usize,
    list: WoofList,
}

impl FrontPage {
    fn is(&self, tab: Tab) -> bool {
        self.tab == tab
    }
}

#[derive(Deserialize)]
struct WoofForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf: String,
    /// The tab the form was on.
    #[serde(default)]
    back: String,
}

#[allow(clippy::too_many_arguments)]
async fn front_page(
    ctx: &PageContext<'_>,
    session: &CurrentSession,
    db: &Db,
    tab: Tab,
    status: Status,
    before: Option<&str>,
    draft: &str,
    error: FormError,
) -> Result<Page, WebError> {
    let query = PageQuery::parse(before, None)?;
    let me = session.user.id;
    let (scope, empty) = match tab {
        Tab::Home => (
            Scope::Home(me),
            "Nothing here yet. Woof something, or follow some dogs: find them under Everyone.",
        ),
        Tab::Everyone => (Scope::Everyone, "No woofs yet. Be the first!"),
    };
    let page = woofs::page(db, me, scope, query.before, query.limit).await?;
    let list = WoofList::newest_first(db, page, query.before.is_some(), tab.path(), empty).await?;
    let here = match query.before {
        Some(before) => format!("{}?before={}", tab.path(), before.0),
        None => tab.path().to_owned(),
    };
    Page::render(
        status,
        &FrontPage {
            layout: ctx.layout(tab.title()).at(here),
            tab,
            dog: session.user.username.clone(),
            draft: draft.to_owned(),
            error,
            woof_max: WOOF_MAX,
            list,
        },
    )
}

#[rocket::get("/?<before>")]
async fn home(ctx: PageContext<'_>, db: &Db, before: Option<&str>) -> Result<Page, WebError> {
    match ctx.session {
        Some(session) => {
            front_page(
                &ctx,
                session,
                db,
                Tab::Home,
                Status::Ok,
                before,
                "",
                FormError::none(),
            )
            .await
        }
        None => login_page(&ctx, Status::Ok, "", FormError::none()),
    }
}

#[rocket::get("/everyone?<before>")]
async fn everyone(ctx: PageContext<'_>, db: &Db, before: Option<&str>) -> Result<Page, WebError> {
    let session = ctx.logged_in()?;
    front_page(
        &ctx,
        session,
        db,
        Tab::Everyone,
        Status::Ok,
        before,
        "",
        FormError::none(),
    )
    .await
}

#[rocket::post("/woofs", data = "<form>")]
async fn post(
    ctx: PageContext<'_>,
    db: &Db,
    hub: &State<Hub>,
    cookies: &CookieJar<'_>,
    form: Result<FormBody<WoofForm>, Error>,
) -> Result<Either<Flash<Redirect>, Page>, WebError> {
    let session = ctx.logged_in()?;
    let form = form?.0;
    csrf::check(csrf::session_token(cookies), &form.csrf)?;
    let tab = Tab::of_path(&form.back);
    match actions::post_woof(db.writer(), hub, &session.user, &form.body, None).await {
        Ok(_) => Ok(Either::Left(see_other(tab.path(), "Woof posted."))),
        Err(e) => {
            // A rule broken: the tab again, with what was typed kept.
            let Error::Validation(rule) = &e else {
                return Err(e.into());
            };
            let error = FormError::on(rule.field, rule.message);
            front_page(&ctx, session, db, tab, e.status(), None, &form.body, error)
                .await
                .map(Either::Right)
        }
    }
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web front page", |rocket| async {
        rocket.mount("/", rocket::routes![home, everyone, post])
    })
}
