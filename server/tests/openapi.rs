//! The published document is one that client generators take whole: walked here rule
//! by rule, so a new operation or field that would be dropped or mistyped by a
//! generator fails the build. (CI also runs the generators themselves:
//! `scripts/generated-clients`.)

mod common;

use common::contract::{DOCUMENT, validator_for};
use serde_json::Value;

/// Every schema in the document (components, parameters, bodies, responses), with
/// where it is.
fn schemas() -> Vec<(String, &'static Value)> {
    fn walk(at: String, value: &'static Value, out: &mut Vec<(String, &'static Value)>) {
        match value {
            Value::Object(map) => {
                if map.contains_key("type")
                    || map.contains_key("$ref")
                    || map.contains_key("allOf")
                    || map.contains_key("oneOf")
                {
                    out.push((at.clone(), value));
                }
                for (key, inner) in map {
                    walk(format!("{at}/{key}"), inner, out);
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    walk(format!("{at}/{i}"), inner, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(String::new(), &DOCUMENT, &mut out);
    out
}

fn target(reference: &Value) -> &'static Value {
    let name = reference.as_str().unwrap().rsplit('/').next().unwrap();
    &DOCUMENT["components"]["schemas"][name]
}

fn operations() -> Vec<(String, &'static Value)> {
    let mut out = Vec::new();
    for (path, item) in DOCUMENT["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            out.push((format!("{method} {path}"), operation));
        }
    }
    out
}

#[test]
fn the_default_server_is_published() {
    assert_eq!(DOCUMENT["openapi"], "3.0.0");
    let default_bind = socmel_server::Config::with_data_dir(std::path::Path::new("x")).bind;
    assert_eq!(
        DOCUMENT["servers"][0]["url"],
        format!("http://{default_bind}")
    );
}

#[test]
fn json_bodies_are_keyed_application_json() {
    let text = DOCUMENT.to_string();
    assert!(
        !text.contains("charset=utf-8"),
        "a media type keeps its charset"
    );
    for (at, operation) in operations() {
        for (status, response) in operation["responses"].as_object().unwrap() {
            if let Some(content) = response["content"].as_object() {
                for media_type in content.keys() {
                    assert!(!media_type.contains(';'), "{at} {status}: {media_type}");
                }
            }
        }
    }
}

#[test]
fn enums_and_objects_are_plain_references() {
    for (at, schema) in schemas() {
        let Some(all_of) = schema.get("allOf").and_then(Value::as_array) else {
            continue;
        };
        // `allOf` is left only where objects are merged (a frame's `type` and body).
        for part in all_of {
            let object = match part.get("$ref") {
                Some(reference) => target(reference),
                None => part,
            };
            assert_eq!(
                object["type"], "object",
                "{at}: allOf over something that is not an object: {part}"
            );
        }
        assert!(
            at.starts_with("/components/schemas/"),
            "{at}: allOf in place"
        );
    }
    for (name, schema) in DOCUMENT["components"]["schemas"].as_object().unwrap() {
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            assert!(
                property.get("allOf").is_none(),
                "{name}.{field}: {property}"
            );
        }
    }
}

#[test]
fn every_optional_field_is_nullable() {
    let mut seen = 0;
    for (at, schema) in schemas() {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (field, property) in properties {
            let optional = !required.contains(&field.as_str());
            // openapi-typescript would make a field with a default required in requests.
            assert!(
                property.get("default").is_none(),
                "{at}.{field}: {property}"
            );
            let defaulted = property["description"]
                .as_str()
                .is_some_and(|text| text.contains("Absent means"));
            if optional && !defaulted {
                seen += 1;
                assert_eq!(property["nullable"], true, "{at}.{field}: {property}");
                // OpenAPI 3.0 ignores `nullable` beside a `$ref`.
                assert!(property.get("$ref").is_none(), "{at}.{field}: {property}");
            }
        }
    }
    assert!(
        seen > 50,
        "only {seen} optional fields: is the walk broken?"
    );
}

#[test]
fn every_parameter_is_described_and_every_count_bounded() {
    for (at, operation) in operations() {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            let description = parameter["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty(), "{at}: {name} has no description");
            let schema = &parameter["schema"];
            // A count (not an id, whose type has a title) has its range.
            if schema["type"] == "integer" && schema.get("title").is_none() {
                assert!(schema["minimum"].is_number(), "{at}: {name} has no minimum");
            }
            if ["limit", "page_size"].contains(&name) {
                assert!(schema["maximum"].is_number(), "{at}: {name} has no maximum");
            }
        }
    }
    let history = &DOCUMENT["paths"]["/messages/history/group/{group_id}/"]["get"];
    let limit = history["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|parameter| parameter["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["maximum"], 200);

    // `q` means a different search on each listing, and says which.
    let q_of = |path: &str| {
        DOCUMENT["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|parameter| parameter["name"] == "q")
            .unwrap()["description"]
            .as_str()
            .unwrap()
    };
    assert!(q_of("/users/").contains("username"), "{}", q_of("/users/"));
    assert!(!q_of("/users/").contains("space"), "{}", q_of("/users/"));
    assert!(
        q_of("/spaces/").contains("space names"),
        "{}",
        q_of("/spaces/")
    );
}

#[test]
fn every_json_request_body_has_an_example_that_fits_its_schema() {
    let mut seen = 0;
    for (at, operation) in operations() {
        let Some(media) = operation.pointer("/requestBody/content/application~1json") else {
            continue;
        };
        seen += 1;
        let example = media
            .get("example")
            .unwrap_or_else(|| panic!("{at}: no example"));
        let validator = validator_for(&media["schema"]).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(example)
            .map(|error| error.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{at}: the example {example} fails: {errors:?}"
        );
    }
    assert!(seen > 20, "only {seen} JSON bodies");
}

/// The checker the harness puts in front of every test server refuses what breaks the
/// document, so its silence elsewhere means something.
#[test]
fn the_answer_checker_refuses_what_breaks_the_document() {
    use common::contract::validate;
    use poem::http::Method;
    let ok = br#"{"items": [], "next_cursor": null}"#;
    validate(&Method::GET, "/spaces/mine/", 200, ok).unwrap();
    let wrong = br#"{"items": [{"id": "one"}], "next_cursor": null}"#;
    assert!(validate(&Method::GET, "/spaces/mine/", 200, wrong).is_err());
    let undeclared = br#"{"detail": "x", "code": "internal"}"#;
    assert!(validate(&Method::GET, "/spaces/mine/", 299, undeclared).is_err());
    let not_found = br#"{"detail": "Not Found", "code": "not_found"}"#;
    validate(&Method::GET, "/no/such/route", 404, not_found).unwrap();
    assert!(validate(&Method::GET, "/no/such/route", 404, b"{}").is_err());
}
