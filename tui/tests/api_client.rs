//! The client's API type and cookie jar against the real server.

use woofer::api::{ApiClient, ApiError};
use woofer::jar::JarFile;
use woofer_shared::api::ErrorCode;
use woofer_shared::{Password, Username, WoofBody};
use woofer_tests::{ServerOptions, TestServer};

fn name(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

fn password(raw: &str) -> Password {
    Password::parse(raw).unwrap()
}

fn body(raw: &str) -> WoofBody {
    WoofBody::parse(raw).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_jar_keeps_the_dog_logged_in() {
    let server = TestServer::start(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let jar = JarFile::new(dir.path().join("woofer/cookies.json"));
    let (first, warning) = ApiClient::new(server.base_url(), Some(jar.clone()));
    assert!(warning.is_none());

    let user = first
        .register(&name("rex"), &password("correct horse"))
        .await
        .unwrap();
    first.save_jar().unwrap();
    let (second, _) = ApiClient::new(server.base_url(), Some(jar.clone()));

    assert!(second.has_session_cookie());
    assert_eq!(second.whoami().await.unwrap(), user);
    let woof = second.post(&body("Squirrel!!"), None).await.unwrap();
    assert_eq!(second.feed(None).await.unwrap().woofs, vec![woof]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(jar.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let saved = std::fs::read_to_string(jar.path()).unwrap();
    assert!(!saved.contains("correct horse"), "never the password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_leaves_the_jar_unable_to_act() {
    let server = TestServer::start(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let jar = JarFile::new(dir.path().join("cookies.json"));
    let (client, _) = ApiClient::new(server.base_url(), Some(jar.clone()));
    client
        .register(&name("rex"), &password("correct horse"))
        .await
        .unwrap();
    client.save_jar().unwrap();
    let copy = std::fs::read(jar.path()).unwrap();

    client.logout().await.unwrap();
    client.save_jar().unwrap();

    let (after, _) = ApiClient::new(server.base_url(), Some(jar.clone()));
    assert!(!after.has_session_cookie());
    assert!(after.whoami().await.unwrap_err().is_session_ended());
    // Even the jar as it was before logging out opens nothing now.
    std::fs::write(jar.path(), copy).unwrap();
    let (old, _) = ApiClient::new(server.base_url(), Some(jar));
    assert!(old.has_session_cookie());
    assert!(old
        .post(&body("still here?"), None)
        .await
        .unwrap_err()
        .is_session_ended());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_jar_means_logged_out_not_a_crash() {
    let server = TestServer::start(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.json");
    std::fs::write(&path, "[{\"name\": \"woofer_session\", \"garbage").unwrap();

    let (client, warning) = ApiClient::new(server.base_url(), Some(JarFile::new(&path)));

    assert!(warning.unwrap().contains("not a Woofer cookie jar"));
    assert!(dir.path().join("cookies.json.bak").exists());
    assert!(!client.has_session_cookie());
    assert!(client.whoami().await.unwrap_err().is_session_ended());
    client
        .login(&name("nobody"), &password("correct horse"))
        .await
        .unwrap_err();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_arrive_typed() {
    let server = TestServer::start(ServerOptions::default()).await;
    let (client, _) = ApiClient::new(server.base_url(), None);
    client
        .register(&name("rex"), &password("correct horse"))
        .await
        .unwrap();

    let taken = client
        .register(&name("REX"), &password("correct horse"))
        .await
        .unwrap_err();
    let woof = client.post(&body("mine"), None).await.unwrap();
    let (fido, _) = ApiClient::new(server.base_url(), None);
    fido.register(&name("fido"), &password("correct horse"))
        .await
        .unwrap();
    let not_yours = fido.delete(woof.id).await.unwrap_err();
    let wrong = client
        .login(&name("rex"), &password("wrong horse"))
        .await
        .unwrap_err();

    assert_eq!(taken.code(), ErrorCode::UsernameTaken, "{taken:?}");
    assert_eq!(not_yours.code(), ErrorCode::Forbidden, "{not_yours:?}");
    assert_eq!(wrong.code(), ErrorCode::InvalidCredentials);
    assert!(
        !wrong.is_session_ended(),
        "a wrong password is not an ended session"
    );
    assert_eq!(wrong.to_string(), "wrong username or password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_is_unreachable_not_a_panic() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let (client, _) = ApiClient::new(&url, None);

    let error = client.feed(None).await.unwrap_err();

    assert_eq!(error, ApiError::Unreachable { url: url.clone() });
    assert_eq!(error.to_string(), format!("cannot reach {url}"));
}
