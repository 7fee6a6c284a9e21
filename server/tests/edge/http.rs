//! Cross-cutting HTTP rules: the error body everywhere, both trailing-slash
//! spellings, request ids, health, the docs and the published spec.

use crate::common;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::Value;

async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json::<Value>().await.expect("a JSON body");
    (status, body)
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_the_json_error_body() {
    let server = TestServer::start().await;
    let (status, body) = json_of(
        server
            .raw()
            .get(server.at("/no/such/route/"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        serde_json::json!({"detail": "Not Found", "code": "not_found"})
    );

    let (status, body) = json_of(
        server
            .raw()
            .delete(server.at("/auth/register/"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 405);
    assert_eq!(body["code"], "method_not_allowed");
}

#[tokio::test]
async fn unreadable_bodies_and_parameters_are_422_with_fields() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let malformed = server
        .raw()
        .post(server.at("/auth/register/"))
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(malformed).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "validation");
    assert_eq!(body["fields"][0]["field"], "body");

    let missing_field = server
        .raw()
        .post(server.at("/auth/register/"))
        .json(&serde_json::json!({"username": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(missing_field).await.0, 422);

    let bad_id = server
        .raw()
        .get(server.at("/users/abc/view/"))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(bad_id).await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["field"], "user_id");
}

#[tokio::test]
async fn a_body_that_does_not_parse_names_the_bad_field() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let space = server.space("tea", ada.user.id, &[bob.user.id]).await;
    let role_path = format!("/spaces/{space}/members/{}/role/", bob.user.id);
    let cases = [
        (
            "POST",
            "/auth/refresh/",
            serde_json::json!({}),
            "refresh_token",
        ),
        ("POST", "/spaces/create", serde_json::json!({}), "name"),
        (
            "PUT",
            role_path.as_str(),
            serde_json::json!({"role": "emperor"}),
            "role",
        ),
        (
            "POST",
            "/security/request_verification_code/",
            serde_json::json!({"email": "ada@example.com", "purpose": "NAP"}),
            "purpose",
        ),
        (
            "POST",
            "/posts/create/",
            serde_json::json!({"title": "t", "content": "c", "tags": "notalist"}),
            "tags",
        ),
        (
            "POST",
            "/groups/create/",
            serde_json::json!({"name": "g", "members": [1, "two"]}),
            "members[1]",
        ),
    ];
    for (method, path, body, field) in cases {
        let response = server
            .raw()
            .request(method.parse().unwrap(), server.at(path))
            .bearer_auth(&ada.tokens.access_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, answer) = json_of(response).await;
        assert_eq!(status, 422, "{method} {path}: {answer}");
        assert_eq!(answer["code"], "validation", "{path}");
        assert_eq!(
            answer["fields"][0]["field"], field,
            "{method} {path}: {answer}"
        );
        assert!(
            answer["detail"].as_str().unwrap().contains(field),
            "{path}: {answer}"
        );
    }
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let server = TestServer::start().await;
    let response = server
        .raw()
        .post(server.at("/auth/register/"))
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(response).await;
    assert_eq!(status, 415);
    assert_eq!(body["code"], "unsupported_media");
}

#[tokio::test]
async fn a_missing_token_is_401_with_a_bearer_challenge() {
    let server = TestServer::start().await;
    let response = server
        .raw()
        .get(server.at("/users/me/"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        serde_json::json!({"detail": "Not authenticated", "code": "unauthorized"})
    );
}

#[tokio::test]
async fn both_trailing_slash_spellings_reach_the_route() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    for path in [
        "/users/me/",
        "/users/me",
        "/auth/current_user",
        "/auth/currentuser/",
    ] {
        let response = server
            .raw()
            .get(server.at(path))
            .bearer_auth(&ada.tokens.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    for path in ["/health", "/health/"] {
        assert_eq!(
            server
                .raw()
                .get(server.at(path))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{path}"
        );
    }
    // A query string survives the rewrite.
    let response = server
        .raw()
        .get(server.at(&format!("/users/{}/view?x=1", ada.user.id)))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_plain_one() {
    let server = TestServer::start().await;
    let generated = server.raw().get(server.at("/health")).send().await.unwrap();
    assert_eq!(generated.headers()["x-request-id"].len(), 16);
    let kept = server
        .raw()
        .get(server.at("/nowhere"))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "trace-42");
    let replaced = server
        .raw()
        .get(server.at("/health"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "bad id with spaces");
}

#[tokio::test]
async fn health_checks_the_database() {
    let server = TestServer::start().await;
    let health = server.client().health().await.unwrap();
    assert_eq!(health.status, "ok");
    let expected = if common::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(health.database, expected);
}

#[tokio::test]
async fn docs_render_and_the_live_spec_is_the_committed_one() {
    let server = TestServer::start().await;
    let docs = server.raw().get(server.at("/docs")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(
        docs.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(docs.text().await.unwrap().contains("SwaggerUIBundle"));

    let live: Value = server
        .raw()
        .get(server.at("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let committed: Value = serde_json::from_str(include_str!("../../../openapi.json")).unwrap();
    // Compared as values (key order aside); printed only as a hint, the spec is long.
    assert!(
        live == committed,
        "openapi.json is stale: run `cargo run -p socmel-server -- openapi --output openapi.json`"
    );
}

#[test]
fn every_websocket_frame_is_a_published_schema() {
    let spec: Value = serde_json::from_str(include_str!("../../../openapi.json")).unwrap();
    let schemas = &spec["components"]["schemas"];
    let frame_types = |union: &str| -> Vec<String> {
        let discriminator = &schemas[union]["discriminator"];
        assert_eq!(discriminator["propertyName"], "type", "{union}");
        let mapping = discriminator["mapping"].as_object().unwrap();
        for target in mapping.values() {
            let name = target.as_str().unwrap().rsplit('/').next().unwrap();
            assert!(
                schemas[name].is_object(),
                "{union}: {name} is not published"
            );
        }
        let mut types: Vec<String> = mapping.keys().cloned().collect();
        types.sort();
        types
    };
    assert_eq!(
        frame_types("ClientFrame"),
        ["dm", "group", "ping", "read", "space", "typing"]
    );
    assert_eq!(
        frame_types("ServerFrame"),
        [
            "ack",
            "dm",
            "error",
            "group",
            "membership",
            "message_deleted",
            "message_edited",
            "notification",
            "pong",
            "post_created",
            "presence",
            "read",
            "resync",
            "session_revoked",
            "space",
            "typing"
        ]
    );
    // A frame naming a conversation lists the conversation's fields beside its own.
    let read = schemas["MarkRead"]["properties"].as_object().unwrap();
    for field in [
        "kind",
        "user_id",
        "group_id",
        "space_id",
        "room_id",
        "message_id",
    ] {
        assert!(read.contains_key(field), "MarkRead lacks {field}");
    }
}

#[tokio::test]
async fn the_spec_documents_operations_security_and_errors() {
    let spec: Value = serde_json::from_str(&socmel_server::openapi_json()).unwrap();
    assert_eq!(
        spec["components"]["securitySchemes"]["BearerAuth"]["scheme"],
        "bearer"
    );
    let me = &spec["paths"]["/users/me/"]["get"];
    assert_eq!(me["operationId"], "get_me");
    assert_eq!(me["tags"][0], "Users");
    assert!(me["summary"].is_string());
    assert_eq!(me["security"][0]["BearerAuth"], serde_json::json!([]));
    for status in ["401", "404", "422", "500"] {
        assert_eq!(
            me["responses"][status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody",
            "{status}"
        );
    }
    // The upstream spelling is published.
    for path in [
        "/auth/register/",
        "/auth/login/",
        "/users/{user_id}/view/",
        "/health",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path}");
    }
}

#[tokio::test]
async fn the_server_stops_gracefully() {
    let server = TestServer::start().await;
    let url = server.url.clone();
    server.stop().await;
    assert!(reqwest::get(format!("{url}/health")).await.is_err());
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let server = TestServer::start().await;
    let api = server.raw().get(server.at("/health")).send().await.unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    assert_eq!(api.headers()["x-frame-options"], "DENY");
    assert_eq!(api.headers()["referrer-policy"], "no-referrer");
    assert!(
        api.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    // The docs page runs its own inline script, so it is spared the strict policy.
    let docs = server.raw().get(server.at("/docs")).send().await.unwrap();
    assert!(docs.headers().get("content-security-policy").is_none());
    assert_eq!(docs.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn oversized_bodies_are_413_before_they_are_read() {
    let server = TestServer::start_with(|config| config.max_body_bytes = 1024).await;
    let big = "x".repeat(4096);
    let response = server
        .raw()
        .post(server.at("/auth/register/"))
        .json(&serde_json::json!({"username": "ada", "email": "ada@example.com", "password": big}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(response).await;
    assert_eq!(status, 413);
    assert_eq!(body["code"], "payload_too_large");
    // Small bodies pass.
    assert!(
        server
            .client()
            .register(&socmel_client::types::auth::UserCreate {
                username: "ada".into(),
                email: "ada@example.com".into(),
                password: common::PASSWORD.into(),
            })
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn cors_is_off_by_default_and_follows_the_configured_origins() {
    let server = TestServer::start().await;
    let plain = server
        .raw()
        .get(server.at("/health"))
        .header("origin", "https://app.example")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("access-control-allow-origin").is_none());

    let server =
        TestServer::start_with(|config| config.cors_origins = Some("https://app.example".into()))
            .await;
    let preflight = server
        .raw()
        .request(reqwest::Method::OPTIONS, server.at("/users/me/"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let foreign = server
        .raw()
        .get(server.at("/health"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(
        foreign
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
