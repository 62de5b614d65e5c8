//! Following, likes, replies and the home timeline in the pages, over
//! HTTP: the Home and Everyone tabs, the like buttons (and where they send
//! the dog back to), a woof's thread with its reply form, a dog's counts
//! with Follow / Unfollow, and the lists of followers and followed dogs.

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::web::form_token;
use woofer_tests::{on_every_backend, ApiClient, ServerOptions, TestServer, WebClient};

use super::{assert_page, assert_see_other};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        home_shows_the_dogs_you_follow_and_everyone_shows_every_dog,
        a_like_button_counts_and_sends_the_dog_back_where_it_was,
        like_and_follow_buttons_refuse_a_forged_form_and_a_far_away_back,
        a_woof_page_shows_its_thread_and_takes_replies,
        a_refused_reply_keeps_the_draft_and_a_long_thread_pages,
        replies_to_a_deleted_woof_stay_and_say_so,
        a_dog_page_counts_and_follows,
        followers_and_following_are_listed_and_paged,
    ]
}

/// The `<article>` of woof `id` on `html`.
#[track_caller]
fn article(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!(r#"<article class="woof" id="woof-{id}">"#))
        .unwrap_or_else(|| panic!("woof {id} is not on the page: {html}"));
    let end = html[start..].find("</article>").expect("a closed article") + start;
    &html[start..end]
}

async fn home_shows_the_dogs_you_follow_and_everyone_shows_every_dog(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let luna = ApiClient::registered(server.base_url(), "luna").await;
    let fidos = fido.woof_id("fido was here").await;
    let lunas = luna.woof_id("luna was here").await;
    let mine = rex.api().woof_id("rex was here").await;
    let csrf = rex.token_from("/@fido").await;

    let before = rex.get("/").await;
    let followed = rex
        .post_form("/@fido/follow", &[("csrf", &csrf), ("back", "/@fido")])
        .await;
    let home = rex.get("/").await;
    let everyone = rex.get("/everyone").await;
    let visitor = WebClient::new(server.base_url()).get("/everyone").await;

    assert_page(&before, StatusCode::OK, "Home");
    assert!(before.text.contains("rex was here") && !before.text.contains("fido was here"));
    assert_see_other(&followed, "/@fido");
    assert_page(&home, StatusCode::OK, "Home");
    assert!(home
        .text
        .contains(r#"<a class="tab" href="/" aria-current="page">Home</a>"#));
    assert!(home
        .text
        .contains(r#"<a class="tab" href="/everyone">Everyone</a>"#));
    article(&home.text, fidos);
    article(&home.text, mine);
    assert!(!home.text.contains("luna was here"), "luna is not followed");
    assert_page(&everyone, StatusCode::OK, "Everyone");
    assert!(everyone
        .text
        .contains(r#"<a class="tab" href="/everyone" aria-current="page">Everyone</a>"#));
    for id in [fidos, lunas, mine] {
        article(&everyone.text, id);
    }
    assert!(
        everyone
            .text
            .contains(r#"<input type="hidden" name="back" value="/everyone">"#),
        "the compose form says which tab it is on"
    );
    assert_see_other(&visitor, "/");
}

async fn a_like_button_counts_and_sends_the_dog_back_where_it_was(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let liked = fido.woof_id("like me").await;
    for i in 0..21 {
        fido.woof_id(&format!("filler {i}")).await;
    }
    let newest = rex.get("/everyone").await;
    let older_page = format!("/everyone?before={}", liked + 1);
    let older = rex.get(&older_page).await;
    let csrf = form_token(&older.text).unwrap();

    let like = rex
        .post_form(
            &format!("/woofs/{liked}/like"),
            &[("csrf", &csrf), ("back", &older_page)],
        )
        .await;
    let after_like = rex.get(&older_page).await;
    let seen_by_fido = fido.woof(liked).await;
    let unlike = rex
        .post_form(
            &format!("/woofs/{liked}/unlike"),
            &[("csrf", &csrf), ("back", &older_page)],
        )
        .await;
    let after_unlike = rex.get(&older_page).await;
    let no_such = rex
        .post_form("/woofs/999999/like", &[("csrf", &csrf), ("back", "/")])
        .await;

    assert!(!newest.text.contains(&format!(r#"id="woof-{liked}""#)));
    let before = article(&older.text, liked);
    assert!(before.contains(&format!(r#"action="/woofs/{liked}/like""#)));
    assert!(before.contains(&format!(
        r#"<input type="hidden" name="back" value="{older_page}">"#
    )));
    assert!(before.contains(r#"like-count">0 likes</span>"#));
    assert!(before.contains(&format!(r#"href="/woofs/{liked}#reply">Reply"#)));
    assert!(before.contains(r#"reply-count" href="#));
    assert_see_other(&like, &format!("{older_page}#woof-{liked}"));
    let shown = article(&after_like.text, liked);
    assert!(after_like.text.contains("Liked."), "the notice");
    assert!(shown.contains(&format!(r#"action="/woofs/{liked}/unlike""#)));
    assert!(shown.contains(r#"class="button quiet small like liked""#));
    assert!(shown.contains("</span> Unlike<"), "{shown}");
    assert!(shown.contains(r#"like-count">1 like</span>"#));
    assert_eq!(seen_by_fido["like_count"], 1);
    assert_eq!(seen_by_fido["liked_by_me"], false);
    assert_see_other(&unlike, &format!("{older_page}#woof-{liked}"));
    let shown = article(&after_unlike.text, liked);
    assert!(shown.contains(r#"like-count">0 likes</span>"#));
    assert!(shown.contains("</span> Like<"));
    assert_page(&no_such, StatusCode::NOT_FOUND, "Nothing here");
    assert!(no_such.text.contains("There is no woof with that id."));
}

async fn like_and_follow_buttons_refuse_a_forged_form_and_a_far_away_back(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let id = fido.woof_id("hello").await;
    let csrf = rex.token_from("/").await;
    let visitor = WebClient::new(server.base_url());
    let visitor_csrf = visitor.token_from("/").await;

    let forged_like = rex
        .post_form(&format!("/woofs/{id}/like"), &[("back", "/")])
        .await;
    let forged_follow = rex
        .post_form("/@fido/follow", &[("csrf", "0".repeat(64).as_str())])
        .await;
    let mut far_away = Vec::new();
    for back in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/x\r\nSet-Cookie: a=b",
    ] {
        far_away.push(
            rex.post_form(
                &format!("/woofs/{id}/like"),
                &[("csrf", &csrf), ("back", back)],
            )
            .await,
        );
    }
    let follow_far = rex
        .post_form(
            "/@FIDO/follow",
            &[("csrf", &csrf), ("back", "https://evil.example/")],
        )
        .await;
    let myself = rex
        .post_form("/@rex/follow", &[("csrf", &csrf), ("back", "/")])
        .await;
    let logged_out = visitor
        .post_form(
            &format!("/woofs/{id}/like"),
            &[("csrf", &visitor_csrf), ("back", "/")],
        )
        .await;
    let not_a_dog = rex.post_form("/fido/follow", &[("csrf", &csrf)]).await;

    assert_page(&forged_like, StatusCode::FORBIDDEN, "Not allowed");
    assert_page(&forged_follow, StatusCode::FORBIDDEN, "Not allowed");
    for r in &far_away {
        assert_see_other(r, &format!("/woofs/{id}#woof-{id}"));
    }
    assert_see_other(&follow_far, "/@fido");
    assert_page(&myself, StatusCode::UNPROCESSABLE_ENTITY, "Not accepted");
    assert!(myself.text.contains("A dog cannot follow itself."));
    assert_see_other(&logged_out, "/");
    assert_page(&not_a_dog, StatusCode::NOT_FOUND, "Nothing here");
    let woof = fido.woof(id).await;
    assert_eq!(
        woof["like_count"], 1,
        "liked once, by the forms with a token"
    );
    let profile = fido.get("/api/users/fido").await.json();
    assert_eq!(profile["follower_count"], 1, "only the form with a token");
    assert_eq!(
        fido.get("/api/users/rex").await.json()["following_count"],
        1
    );
}

async fn a_woof_page_shows_its_thread_and_takes_replies(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let root = fido.woof_id("Who took my ball?").await;
    let thread = format!("/woofs/{root}");
    let csrf = rex.token_from(&thread).await;

    let first = rex.get(&thread).await;
    let replied = rex
        .post_form(
            &format!("/woofs/{root}/replies"),
            &[("body", "  Not me. <b>Honest</b>  "), ("csrf", &csrf)],
        )
        .await;
    let replies = fido.get(&format!("/api/woofs/{root}/replies")).await.json();
    let reply = replies["woofs"][0]["id"].as_i64().expect("a reply stored");
    let after = rex.get(&thread).await;
    let reply_page = rex.get(&format!("/woofs/{reply}")).await;
    let everyone = rex.get("/everyone").await;

    assert_page(&first, StatusCode::OK, "Woof by @fido");
    assert!(first.text.contains(&format!(
        r#"<form class="card compose reply-form" id="reply" method="post" action="/woofs/{root}/replies">"#
    )));
    assert!(first
        .text
        .contains(r#"<label class="compose-label" for="body">Reply to @fido</label>"#));
    assert!(first.text.contains("No replies yet."));
    assert!(!first.text.contains("In reply to"), "the woof answers none");
    assert_see_other(&replied, &format!("{thread}#woof-{reply}"));
    assert_eq!(replies["woofs"][0]["body"], "Not me. <b>Honest</b>");
    assert_eq!(replies["woofs"][0]["reply_to"], root);
    assert_page(&after, StatusCode::OK, "Woof by @fido");
    assert!(after.text.contains("Reply posted."));
    assert!(article(&after.text, root).contains(r#"reply-count" href="#));
    assert!(article(&after.text, root).contains(">1 reply</a>"));
    let shown = article(&after.text, reply);
    assert!(
        shown.contains("Not me. &#60;b&#62;Honest&#60;/b&#62;"),
        "{shown}"
    );
    assert!(shown.contains(&format!(r#"<a class="woof-answers" href="/woofs/{root}""#)));
    assert!(shown.contains("</span> @fido</a>"));
    assert_page(&reply_page, StatusCode::OK, "Woof by @rex");
    let parent_at = reply_page.text.find("In reply to").expect("the parent");
    let parent = article(&reply_page.text, root);
    let reply_at = reply_page
        .text
        .find(&format!(r#"id="woof-{reply}""#))
        .unwrap();
    assert!(parent_at < reply_page.text.find(parent).unwrap() && parent_at < reply_at);
    assert!(parent.contains("Who took my ball?"));
    assert!(reply_page.text.contains("Reply to @rex"));
    assert!(
        article(&everyone.text, reply).contains("</span> @fido</a>"),
        "lists say what a reply answers"
    );
}

async fn a_refused_reply_keeps_the_draft_and_a_long_thread_pages(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let root = fido.woof_id("Roll call!").await;
    let mut replies = Vec::new();
    for i in 0..21 {
        replies.push(fido.reply_id(root, &format!("here {i}")).await);
    }
    let thread = format!("/woofs/{root}");
    let csrf = rex.token_from(&thread).await;
    let long = format!("<script>{}", "🐕".repeat(281));

    let refused = rex
        .post_form(
            &format!("/woofs/{root}/replies"),
            &[("body", &long), ("csrf", &csrf)],
        )
        .await;
    let first = rex.get(&thread).await;
    let second = rex.get(&format!("{thread}?after={}", replies[19])).await;
    let replied = rex
        .post_form(
            &format!("/woofs/{root}/replies"),
            &[("body", "Present"), ("csrf", &csrf)],
        )
        .await;
    let bad_after = rex.get(&format!("{thread}?after=x")).await;

    assert_page(&refused, StatusCode::UNPROCESSABLE_ENTITY, "Woof by @fido");
    assert!(refused
        .text
        .contains(r#"id="body-error">A woof may hold at most 280 characters.</p>"#));
    assert!(refused
        .text
        .contains(r#"aria-describedby="body-counter body-error" aria-invalid="true">"#));
    let escaped = long.replace('<', "&#60;").replace('>', "&#62;");
    assert!(
        refused.text.contains(&format!(">{escaped}</textarea>")),
        "kept, inert"
    );
    assert_page(&first, StatusCode::OK, "Woof by @fido");
    assert!(first.text.contains(">here 0</p>") && first.text.contains(">here 19</p>"));
    assert!(!first.text.contains(">here 20</p>"));
    assert!(first.text.contains(&format!(
        r#"rel="next" href="{thread}?after={}">More replies</a>"#,
        replies[19]
    )));
    assert!(second.text.contains(">here 20</p>") && !second.text.contains(">here 19</p>"));
    assert!(second
        .text
        .contains(&format!(r#"href="{thread}">First replies</a>"#)));
    assert!(!second.text.contains(r#"rel="next""#));
    let location = replied.header("location").expect("a redirect");
    let new_reply: i64 = location.rsplit("#woof-").next().unwrap().parse().unwrap();
    assert_eq!(
        location,
        format!("{thread}?after={}#woof-{new_reply}", new_reply - 1),
        "the page that shows the new reply of a long thread"
    );
    let landed = rex.get(location.split('#').next().unwrap()).await;
    assert!(article(&landed.text, new_reply).contains(">Present</p>"));
    assert_page(&bad_after, StatusCode::UNPROCESSABLE_ENTITY, "Not accepted");
}

async fn replies_to_a_deleted_woof_stay_and_say_so(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let root = fido.woof_id("Soon gone").await;
    let reply = rex.api().reply_id(root, "Still here").await;
    let csrf = rex.token_from("/").await;
    assert_eq!(
        fido.delete(&format!("/api/woofs/{root}")).await.status,
        StatusCode::NO_CONTENT
    );

    let reply_page = rex.get(&format!("/woofs/{reply}")).await;
    let home = rex.get("/").await;
    let answer_the_gone = rex
        .post_form(
            &format!("/woofs/{root}/replies"),
            &[("body", "Hello?"), ("csrf", &csrf)],
        )
        .await;

    assert_page(&reply_page, StatusCode::OK, "Woof by @rex");
    assert!(reply_page
        .text
        .contains("In reply to a woof that has been deleted."));
    let shown = article(&home.text, reply);
    assert!(shown.contains("</span> a deleted woof</span>"), "{shown}");
    assert!(
        !shown.contains(&format!(r#"href="/woofs/{root}""#)),
        "no dead link"
    );
    assert_page(&answer_the_gone, StatusCode::NOT_FOUND, "Nothing here");
    assert_eq!(rex.api().walk("/api/woofs", 100).await.len(), 1);
}

async fn a_dog_page_counts_and_follows(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    fido.woof_id("one").await;
    fido.woof_id("two").await;

    let before = rex.get("/@Fido").await;
    let own = rex.get("/@rex").await;
    let csrf = form_token(&before.text).unwrap();
    let followed = rex.post_form("/@fido/follow", &[("csrf", &csrf)]).await;
    let again = rex.post_form("/@fido/follow", &[("csrf", &csrf)]).await;
    let after = rex.get("/@fido").await;
    let own_after = rex.get("/@rex").await;
    let unfollowed = rex
        .post_form(
            "/@fido/unfollow",
            &[("csrf", &csrf), ("back", "/@fido/followers")],
        )
        .await;
    let list_after = rex.get("/@fido/followers").await;

    assert_page(&before, StatusCode::OK, "@fido");
    assert!(before.text.contains("2 woofs · joined"));
    assert!(before.text.contains(
        r#"<a href="/@fido/followers">0 followers</a> · <a href="/@fido/following">0 following</a>"#
    ));
    assert!(before.text.contains(r#"action="/@fido/follow">"#));
    assert!(before
        .text
        .contains(r#"type="submit">Follow<span class="visually-hidden"> @fido</span>"#));
    assert_page(&own, StatusCode::OK, "@rex");
    assert!(
        !own.text.contains("/@rex/follow\""),
        "no Follow on your own page"
    );
    assert!(!own.text.contains(">Follow<"));
    assert_see_other(&followed, "/@fido");
    assert_see_other(&again, "/@fido");
    assert!(after.text.contains("You follow @fido now."));
    assert!(after.text.contains(">1 follower</a>"));
    assert!(after.text.contains(r#"action="/@fido/unfollow">"#));
    assert!(after.text.contains(">Unfollow<"));
    assert!(own_after.text.contains(">1 following</a>"));
    assert_see_other(&unfollowed, "/@fido/followers");
    assert!(list_after.text.contains("You no longer follow @fido."));
    assert!(list_after.text.contains("No dog follows @fido yet."));
}

async fn followers_and_following_are_listed_and_paged(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    ApiClient::registered(server.base_url(), "fido").await;
    let mut names = Vec::new();
    for i in 0..21 {
        let name = format!("pup{i:02}");
        let pup = ApiClient::registered(server.base_url(), &name).await;
        let r = pup.put("/api/users/fido/follow").await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        names.push(name);
    }
    rex.api().put("/api/users/fido/follow").await;

    let followers = rex.get("/@FIDO/followers").await;
    let next = followers
        .text
        .split(r#"rel="next" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to more")
        .to_owned();
    let more = rex.get(&next).await;
    let following = rex.get("/@rex/following").await;
    let nobody = rex.get("/@nobody/followers").await;
    let bad_before = rex.get("/@fido/followers?before=0").await;
    let visitor = WebClient::new(server.base_url())
        .get("/@fido/following")
        .await;

    assert_page(&followers, StatusCode::OK, "Followers of @fido");
    assert!(followers
        .text
        .contains(r#"<a class="tab" href="/@fido/followers" aria-current="page">Followers</a>"#));
    let rex_at = followers
        .text
        .find(r#"href="/@rex">@rex</a>"#)
        .expect("rex");
    let pup_at = followers.text.find(r#"href="/@pup20">@pup20</a>"#).unwrap();
    assert!(rex_at < pup_at, "most recent follow first");
    assert!(!followers.text.contains("@pup00<"), "a page of 20");
    assert!(next.starts_with("/@fido/followers?before="), "{next}");
    assert_page(&more, StatusCode::OK, "Followers of @fido");
    assert!(more.text.contains(r#"href="/@pup00">@pup00</a>"#));
    assert!(more.text.contains(r#"href="/@fido/followers">First</a>"#));
    assert!(!more.text.contains(r#"rel="next""#));
    assert_page(&following, StatusCode::OK, "Followed by @rex");
    assert!(following.text.contains(r#"href="/@fido">@fido</a>"#));
    assert_page(&nobody, StatusCode::NOT_FOUND, "Nothing here");
    assert_page(
        &bad_before,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Not accepted",
    );
    assert_see_other(&visitor, "/");
}
