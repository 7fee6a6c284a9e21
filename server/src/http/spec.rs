//! What the published OpenAPI document needs beyond poem-openapi's rendering so that
//! client generators (openapi-python-client, openapi-typescript) and schema validators
//! take it whole. Each step is a rule over the whole document, not a patch of one
//! operation, so new operations get it for free; `server/tests/openapi.rs` walks the
//! result and fails on anything a generator would drop or a validator would refuse
//! (a new parameter name without a doc comment, a request body without an example).
//!
//! - A property typed by an enum or another object is rendered by poem-openapi as
//!   `allOf: [{$ref}, {description}]` when it has a doc comment; generators refuse an
//!   `allOf` of an enum. It becomes a plain `$ref` with the description beside it
//!   (ignored by OpenAPI 3.0 tools, shown by the rest).
//! - An `Option` field (a property that is not required and has no default) is
//!   `nullable: true`: the server sends `null` for it, and accepts `null` in requests.
//!   A field with a default is absent when unused; its default is told in words.
//!   A nullable reference is `oneOf: [{$ref}]` + `nullable`, OpenAPI 3.0's only way to
//!   say "this object or null".
//! - Every parameter has a description and every bounded number its bounds, taken from
//!   the service's own limits ([`parameter_rule`]).
//! - Media types are keyed `application/json` (what generators look for), `servers`
//!   names the default address, and every JSON request body carries an example.

use serde_json::{Map, Value, json};

use crate::service::{messages::MAX_HISTORY, pagination};

/// The key poem-openapi gives JSON bodies, and the one generators recognise.
const CHARSET_JSON: &str = "application/json; charset=utf-8";
const JSON: &str = "application/json";

/// The default `--bind` address, as the URL clients start from.
const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8000";

/// Applies every rule of this module to a document poem-openapi rendered.
pub fn for_generators(spec: &mut Value) {
    spec["servers"] = json!([{
        "url": DEFAULT_SERVER_URL,
        "description": "A server started with the default `--bind` address.",
    }]);
    rekey_json_media_types(spec);
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            tidy_schema(schema);
        }
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(operations) = item.as_object_mut() else {
                continue;
            };
            for operation in operations.values_mut() {
                tidy_operation(path, operation);
            }
        }
    }
}

/// `application/json; charset=utf-8` → `application/json`, wherever a `content` map is.
fn rekey_json_media_types(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(content)) = map.get_mut("content")
                && let Some(media) = content.remove(CHARSET_JSON)
            {
                content.insert(JSON.to_owned(), media);
            }
            map.values_mut().for_each(rekey_json_media_types);
        }
        Value::Array(items) => items.iter_mut().for_each(rekey_json_media_types),
        _ => {}
    }
}

/// Plain references for described properties, and `nullable` on `Option` fields, in
/// this schema and every schema inside it.
fn tidy_schema(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let required: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            unwrap_described_ref(property);
            let optional = !required.contains(name);
            if optional && !move_default_to_description(property) {
                make_nullable(property);
            }
        }
    }
    // The schemas inside: each property's, an array's items, a map's values, and the
    // parts of a union.
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        properties.values_mut().for_each(tidy_schema);
    }
    for key in ["additionalProperties", "items"] {
        if let Some(inner) = object.get_mut(key) {
            tidy_schema(inner);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(inner)) = object.get_mut(key) {
            inner.iter_mut().for_each(tidy_schema);
        }
    }
}

/// `{allOf: [{$ref: X}, {description: D}], description: D}` → `{$ref: X, description: D}`.
fn unwrap_described_ref(property: &mut Value) {
    let Some(all_of) = property.get("allOf").and_then(Value::as_array) else {
        return;
    };
    let reference = all_of.iter().find_map(|part| part.get("$ref")).cloned();
    let only_ref_and_descriptions = all_of.iter().all(|part| {
        part.as_object().is_some_and(|part| {
            part.keys()
                .all(|key| key == "$ref" || key == "description" || key == "title")
        })
    });
    let (Some(reference), true) = (reference, only_ref_and_descriptions) else {
        return;
    };
    let description = property.get("description").cloned().or_else(|| {
        all_of
            .iter()
            .find_map(|part| part.get("description"))
            .cloned()
    });
    let mut plain = Map::new();
    plain.insert("$ref".into(), reference);
    if let Some(description) = description {
        plain.insert("description".into(), description);
    }
    *property = Value::Object(plain);
}

/// An optional field with a default (`attachment_ids: []`) is absent rather than
/// `null` when unused, so it is not nullable. Its default moves into the description:
/// openapi-typescript types a field with a `default` as always present, which is true
/// of answers but makes every request spell it out. Whether there was one is returned.
fn move_default_to_description(property: &mut Value) -> bool {
    let Some(object) = property.as_object_mut() else {
        return false;
    };
    let Some(default) = object.remove("default") else {
        return false;
    };
    let description = object
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let description = format!("{description} Absent means `{default}`.");
    object.insert(
        "description".into(),
        Value::String(description.trim().to_owned()),
    );
    true
}

/// Marks a property nullable; a reference is wrapped in a one-element `oneOf` first,
/// since OpenAPI 3.0 ignores every keyword beside `$ref`.
fn make_nullable(property: &mut Value) {
    let Some(object) = property.as_object_mut() else {
        return;
    };
    if let Some(reference) = object.remove("$ref") {
        object.insert("oneOf".into(), json!([{ "$ref": reference }]));
    }
    object.insert("nullable".into(), Value::Bool(true));
}

/// Parameter descriptions and bounds, and the example of a JSON request body.
fn tidy_operation(path: &str, operation: &mut Value) {
    if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
        for parameter in parameters {
            tidy_parameter(path, parameter);
        }
    }
    if let Some(Value::Object(content)) = operation.pointer_mut("/requestBody/content")
        && let Some(media) = content.get_mut(JSON)
        && media.get("example").is_none()
        && let Some(example) = request_example(&media["schema"])
    {
        media["example"] = example;
    }
}

fn tidy_parameter(path: &str, parameter: &mut Value) {
    let name = parameter["name"].as_str().unwrap_or_default().to_owned();
    let rule = parameter_rule(path, &name);
    let described = parameter
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|text| !text.is_empty());
    if !described {
        // An id parameter's type names what it is ("The id of a space.").
        let text = rule
            .description
            .map(str::to_owned)
            .or_else(|| parameter["schema"]["title"].as_str().map(str::to_owned));
        if let Some(text) = text {
            parameter["description"] = Value::String(text);
        }
    }
    if let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut) {
        if let Some(minimum) = rule.minimum {
            schema.insert("minimum".into(), json!(minimum));
        }
        if let Some(maximum) = rule.maximum {
            schema.insert("maximum".into(), json!(maximum));
        }
    }
}

/// What the document says about a parameter that its handler does not: a description
/// for names whose meaning is the same everywhere, and the bounds the service checks.
#[derive(Debug, Default, PartialEq)]
struct ParameterRule {
    description: Option<&'static str>,
    minimum: Option<i64>,
    maximum: Option<i64>,
}

fn parameter_rule(path: &str, name: &str) -> ParameterRule {
    let history = path.starts_with("/messages/history/");
    match name {
        "limit" if history => ParameterRule {
            description: Some("Messages per page, 1–200 (default 50)."),
            minimum: Some(1),
            maximum: Some(MAX_HISTORY),
        },
        "limit" => ParameterRule {
            description: Some("Items per page, 1–100 (default 50)."),
            minimum: Some(1),
            maximum: Some(pagination::MAX_LIMIT),
        },
        "page_size" => ParameterRule {
            description: Some("Items per page, 1–100 (default 10)."),
            minimum: Some(1),
            maximum: Some(pagination::MAX_PAGE_SIZE),
        },
        "page" => ParameterRule {
            description: Some("Page number, from 1."),
            minimum: Some(1),
            maximum: None,
        },
        "cursor" => ParameterRule {
            description: Some(
                "The `next_cursor` (or `X-Next-Cursor`) of the previous page; absent for the \
                 first page.",
            ),
            ..ParameterRule::default()
        },
        "before" => ParameterRule {
            description: Some("Only messages older than this one (scroll-back)."),
            ..ParameterRule::default()
        },
        "kind" => ParameterRule {
            description: Some("The conversation's kind: `dm`, `group` or `room`."),
            ..ParameterRule::default()
        },
        "key" => ParameterRule {
            description: Some("The file's storage key, as in its `/media/{key}` URL."),
            ..ParameterRule::default()
        },
        "If-None-Match" => ParameterRule {
            description: Some("The `ETag` of a copy the client holds; 304 when it is current."),
            ..ParameterRule::default()
        },
        "q" if path.starts_with("/users") => ParameterRule {
            description: Some(
                "The start of a username or display name (1–64 characters, any case).",
            ),
            ..ParameterRule::default()
        },
        "q" => ParameterRule {
            description: Some("Text to look for in space names; absent lists every space."),
            ..ParameterRule::default()
        },
        "invitation_token" => ParameterRule {
            description: Some("The token of the invitation link."),
            ..ParameterRule::default()
        },
        "username" => ParameterRule {
            description: Some(
                "A username, matched without regard to case (`@` is not part of it).",
            ),
            ..ParameterRule::default()
        },
        "receiver_id" => ParameterRule {
            description: Some("The other person of the DM."),
            ..ParameterRule::default()
        },
        _ => ParameterRule::default(),
    }
}

/// The example of a JSON request body, by the component it refers to.
fn request_example(schema: &Value) -> Option<Value> {
    if schema["type"] == "string" {
        return Some(json!("👍"));
    }
    let name = schema["$ref"].as_str()?.rsplit('/').next()?;
    let example = match name {
        "UserCreate" => json!({
            "username": "ada", "email": "ada@example.com", "password": "correct horse battery"
        }),
        "RefreshRequest" => json!({ "refresh_token": "the refresh token from login" }),
        "UserUpdate" => json!({ "username": "ada_l" }),
        "PostUpdate" => json!({
            "title": "Hello", "content": "First post.", "tags": ["rust", "intro"],
            "visibility": "public"
        }),
        "ContentBody" => json!({ "content": "Nice one!" }),
        "GroupChatCreate" => json!({ "name": "Lunch", "members": [2, 3] }),
        "GroupUpdate" => json!({ "name": "Lunch club" }),
        "SendMessage" => json!({
            "kind": "room", "space_id": 1, "room_id": 2, "message": "Hello, room!"
        }),
        "MarkRead" => json!({ "kind": "dm", "user_id": 2, "message_id": 41 }),
        "EditMessage" => json!({ "content": "Hello again" }),
        "MarkNotificationsRead" => json!({ "ids": [7, 8] }),
        "ChangeEmail" => json!({
            "old_email": "ada@example.com", "new_email": "ada@example.org", "key": "ABCD1234"
        }),
        "ChangePassword" => json!({
            "email": "ada@example.com", "old_password": "correct horse battery",
            "new_password": "battery staple horse", "new_password_confirm": "battery staple horse",
            "key": "ABCD1234"
        }),
        "ResetPassword" => json!({
            "email": "ada@example.com", "new_password": "battery staple horse",
            "new_password_confirm": "battery staple horse", "key": "ABCD1234"
        }),
        "CodeRequest" => json!({ "email": "ada@example.com", "purpose": "RESET_PASSWORD" }),
        "SpaceCreate" => json!({ "name": "Rustaceans" }),
        "SpaceUpdate" => json!({ "name": "Rustaceans of Lyon" }),
        "RoomCreate" => json!({ "name": "general" }),
        "RoomUpdate" => json!({ "name": "off-topic" }),
        "InvitationCreate" => json!({ "max_uses": 10, "expires_at": "2030-01-31T12:00:00Z" }),
        "RoleUpdate" => json!({ "role": "moderator" }),
        _ => return None,
    };
    Some(example)
}
