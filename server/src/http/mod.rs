//! The HTTP surface: thin poem-openapi handlers, one file per resource. Each handler
//! extracts its inputs, calls one service function and returns its answer.

mod auth;
mod comments;
pub mod errors;
mod follows;
mod health;
mod media;
mod middleware;
mod notes;
mod paths;
mod posts;
mod text;
mod users;

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, Response, Route, endpoint::make_sync, middleware::CatchPanic, web::Html,
};
use poem_openapi::{OpenApiService, Tags};

use crate::service::Services;

#[derive(Tags)]
pub(crate) enum ApiTags {
    /// Accounts, login and tokens
    Auth,
    /// Profiles
    Users,
    /// Posts, comments, reactions, likes and the feed
    Posts,
    /// Follow requests, followers and following
    Follows,
    /// Short statuses shown for 24 hours
    Notes,
    /// Stored images
    Media,
    /// Health and service information
    Meta,
}

type Apis = (
    auth::AuthApi,
    users::UsersApi,
    posts::PostsApi,
    comments::CommentsApi,
    follows::FollowsApi,
    notes::NotesApi,
    media::MediaApi,
    health::HealthApi,
);

const DESCRIPTION: &str = "SocMel: posts and follows, spaces and rooms, DMs and group chats. \
Errors are always JSON `{\"detail\", \"code\"}` (plus `fields` for 422). Every route \
answers with and without its trailing slash. Timestamps are UTC RFC 3339.";

fn api_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            auth::AuthApi,
            users::UsersApi,
            posts::PostsApi,
            comments::CommentsApi,
            follows::FollowsApi,
            notes::NotesApi,
            media::MediaApi,
            health::HealthApi,
        ),
        "SocMel API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(DESCRIPTION)
    .license("MIT")
}

/// The OpenAPI document as published (and committed in `openapi.json`): paths spelled
/// the upstream way, keys sorted, so the file is stable from build to build.
pub fn openapi_json() -> String {
    let raw = api_service().spec();
    let mut spec = publish(&raw);
    spec.push('\n');
    spec
}

fn publish(raw_spec: &str) -> String {
    let mut spec: serde_json::Value = serde_json::from_str(raw_spec).unwrap_or_default();
    if let Some(paths) = spec
        .get_mut("paths")
        .and_then(serde_json::Value::as_object_mut)
    {
        *paths = std::mem::take(paths)
            .into_iter()
            .map(|(path, item)| (paths::published(&path), item))
            .collect();
    }
    serde_json::to_string_pretty(&spec).unwrap_or_default()
}

fn routed_templates(raw_spec: &str) -> Vec<String> {
    let spec: serde_json::Value = serde_json::from_str(raw_spec).unwrap_or_default();
    spec["paths"]
        .as_object()
        .map(|paths| paths.keys().cloned().collect())
        .unwrap_or_default()
}

/// The whole HTTP application.
pub fn app(services: Services) -> impl Endpoint {
    let api = api_service();
    let raw_spec = api.spec();
    let published = publish(&raw_spec);
    // The UI embeds the document it renders; show the published spelling there too.
    let docs_html = api.swagger_ui_html().replacen(&raw_spec, &published, 1);
    let templates = routed_templates(&raw_spec);
    let routes_table = Arc::new(paths::RouteTable::new(templates.iter().map(String::as_str)));

    Route::new()
        .at("/docs", make_sync(move |_| Html(docs_html.clone())))
        .at(
            "/openapi.json",
            make_sync(move |_| {
                Response::builder()
                    .content_type("application/json")
                    .body(published.clone())
            }),
        )
        .nest("/", api)
        .with(CatchPanic::new())
        .data(services)
        .around(move |routes, req| middleware::around(routes, routes_table.clone(), req))
}
