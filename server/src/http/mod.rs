//! The HTTP surface: thin poem-openapi handlers, one file per resource. Each handler
//! extracts its inputs, calls one service function and returns its answer.

pub mod acceptor;
pub(crate) mod auth;
mod bans;
mod comments;
pub mod errors;
mod follows;
mod groups;
mod hardening;
mod health;
mod invitations;
mod json;
mod limit;
mod media;
mod messages;
mod middleware;
mod notes;
mod notifications;
mod paths;
mod posts;
mod ratelimit;
mod rooms;
mod security;
mod space_members;
mod spaces;
mod spec;
mod text;
mod users;

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, Response, Route, endpoint::make_sync, middleware::CatchPanic, web::Html,
};
use poem_openapi::{OpenApi, OpenApiService, Tags, registry::Registry, types::Type};
use socmel_api_types::frames::{ClientFrame, ServerFrame};

use crate::{config::Config, service::Services};

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
    /// Spaces, their rooms, members, roles, bans and invitations
    Spaces,
    /// Group chats
    Groups,
    /// DMs, group chats and rooms: history, inbox, read marks, edits
    Messages,
    /// Notifications, stored and pushed live
    Notifications,
    /// Verification codes, email and password changes
    Security,
    /// Health and service information
    Meta,
}

const DESCRIPTION: &str = "SocMel: posts and follows, spaces and rooms, DMs and group chats. \
Errors are always JSON `{\"detail\", \"code\"}` (plus `fields` for 422). Every route \
answers with and without its trailing slash. Timestamps are UTC RFC 3339.";

/// Every API, grouped (poem-openapi implements its trait for tuples of up to 16).
fn apis() -> impl OpenApi {
    (
        (auth::AuthApi, users::UsersApi, security::SecurityApi),
        (
            posts::PostsApi,
            comments::CommentsApi,
            follows::FollowsApi,
            notes::NotesApi,
            media::MediaApi,
        ),
        (
            spaces::SpacesApi,
            rooms::RoomsApi,
            space_members::SpaceMembersApi,
            bans::BansApi,
            invitations::InvitationsApi,
            groups::GroupsApi,
        ),
        (messages::MessagesApi, notifications::NotificationsApi),
        (health::HealthApi, limit::LimitApi),
    )
}

fn api_service() -> OpenApiService<impl OpenApi, ()> {
    OpenApiService::new(apis(), "SocMel API", env!("CARGO_PKG_VERSION"))
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
    add_frame_schemas(&mut spec);
    spec::for_generators(&mut spec);
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

/// The WebSocket's frames are no operation's body, so poem-openapi does not list them;
/// they are added to `components.schemas` (`ClientFrame`, `ServerFrame` and every frame
/// body) so that integrators can generate typed clients for `/messages/ws` too.
fn add_frame_schemas(spec: &mut serde_json::Value) {
    let mut registry = Registry::new();
    <ClientFrame as Type>::register(&mut registry);
    <ServerFrame as Type>::register(&mut registry);
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in registry.schemas {
        if let Ok(schema) = serde_json::to_value(schema) {
            schemas.entry(name).or_insert(schema);
        }
    }
}

fn routed_templates(raw_spec: &str) -> Vec<String> {
    let spec: serde_json::Value = serde_json::from_str(raw_spec).unwrap_or_default();
    spec["paths"]
        .as_object()
        .map(|paths| paths.keys().cloned().collect())
        .unwrap_or_default()
}

/// The whole HTTP application: the API, its documents, and `routes` (the WebSocket,
/// which the caller assembles), all behind the same middleware.
pub fn app(services: Services, config: &Config, routes: Route) -> impl Endpoint + use<> {
    let api = api_service();
    let raw_spec = api.spec();
    let published = publish(&raw_spec);
    // The UI embeds the document it renders; show the published spelling there too.
    let docs_html = api.swagger_ui_html().replacen(&raw_spec, &published, 1);
    let templates = routed_templates(&raw_spec);
    let routes_table = Arc::new(paths::RouteTable::new(templates.iter().map(String::as_str)));
    let trust_forwarded_for = config.trust_forwarded_for;
    let body_limits = hardening::BodyLimits {
        json: config.max_body_bytes,
        upload: config.max_upload_bytes,
        timeout: std::time::Duration::from_secs(config.body_read_timeout_secs),
    };
    let cors = hardening::cors(config.cors_origins.as_deref());

    routes
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
        .with_if(cors.is_some(), cors.unwrap_or_default())
        .data(services.clone())
        .around(move |routes, req| {
            let edge = middleware::Edge {
                routes: routes_table.clone(),
                services: services.clone(),
                trust_forwarded_for,
                body_limits,
            };
            middleware::around(routes, edge, req)
        })
}
