//! The published document as a checker: every answer a test server gives is validated
//! against the schema its operation declares for that status, so the document cannot
//! drift from what the server sends. A mismatch is printed at once and fails the test
//! when its server is dropped (`TestServer::drop`).
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`; [`json_schema`] turns
//! `nullable` into a `null` alternative so a standard validator reads them.

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

use poem::{Body, Endpoint, EndpointExt, Request, Response, endpoint::BoxEndpoint, http::Method};
use serde_json::{Value, json};

/// The published document, as served at `/openapi.json`.
pub static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(&socmel_server::openapi_json()).expect("the document is JSON")
});

/// `components` with every schema converted to plain JSON Schema.
static COMPONENTS: LazyLock<Value> = LazyLock::new(|| json_schema(&DOCUMENT["components"]));

/// Compiled validators by operation and status, shared by every test of the binary.
type Validators = HashMap<(String, String, u16), Arc<jsonschema::Validator>>;
static VALIDATORS: LazyLock<Mutex<Validators>> = LazyLock::new(Mutex::default);

/// The violations a server's answers showed, shared with its `TestServer`.
pub type Violations = Arc<Mutex<Vec<String>>>;

/// Wraps the application so that every JSON answer is checked.
pub fn checked(app: BoxEndpoint<'static>, violations: Violations) -> BoxEndpoint<'static> {
    let app = Arc::new(app);
    poem::endpoint::make(move |req: Request| {
        let app = app.clone();
        let violations = violations.clone();
        async move {
            let method = req.method().clone();
            let path = req.uri().path().to_owned();
            let response = app.get_response(req).await;
            Ok::<_, poem::Error>(check(&method, &path, response, &violations).await)
        }
    })
    .map_to_response()
    .boxed()
}

async fn check(
    method: &Method,
    path: &str,
    response: Response,
    violations: &Violations,
) -> Response {
    let status = response.status();
    let json = response
        .content_type()
        .is_some_and(|content_type| content_type.starts_with("application/json"));
    if !json || path == "/openapi.json" {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = body.into_vec().await.unwrap_or_default();
    if let Err(problem) = validate(method, path, status.as_u16(), &bytes) {
        let text = format!(
            "{method} {path} → {status}: {problem}\n  body: {}",
            String::from_utf8_lossy(&bytes)
        );
        eprintln!("contract violation: {text}");
        violations.lock().expect("violations").push(text);
    }
    Response::from_parts(parts, Body::from_vec(bytes))
}

/// Checks one answer against the document: its operation must exist, declare the
/// status with a JSON body, and the body must match that schema.
pub fn validate(method: &Method, path: &str, status: u16, body: &[u8]) -> Result<(), String> {
    let method = method.as_str().to_lowercase();
    // An unknown route or method is answered by the server's edge with its error body.
    let template = template_of(path)
        .filter(|template| !DOCUMENT["paths"][template][&method].is_null())
        .unwrap_or_else(|| ERROR_BODY.to_owned());
    let key = (template.clone(), method.clone(), status);
    let validator = {
        let mut validators = VALIDATORS.lock().expect("validators");
        match validators.get(&key) {
            Some(validator) => validator.clone(),
            None => {
                let validator = Arc::new(response_validator(&template, &method, status)?);
                validators.insert(key, validator.clone());
                validator
            }
        }
    };
    let instance: Value = serde_json::from_slice(body).map_err(|err| format!("not JSON: {err}"))?;
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{template}: {}", errors.join("; ")))
    }
}

/// Stands for "no operation": the answer must be an `ErrorBody`.
const ERROR_BODY: &str = "(no operation)";

fn response_validator(
    template: &str,
    method: &str,
    status: u16,
) -> Result<jsonschema::Validator, String> {
    if template == ERROR_BODY {
        if status < 400 {
            return Err("a success from no published operation".into());
        }
        return validator_for(&json!({ "$ref": "#/components/schemas/ErrorBody" }));
    }
    let operation = &DOCUMENT["paths"][template][method];
    if operation.is_null() {
        return Err(format!("{template} has no {method} operation"));
    }
    let schema =
        &operation["responses"][status.to_string()]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return Err(format!(
            "{method} {template} declares no JSON body for {status}"
        ));
    }
    validator_for(schema)
}

/// A validator for one schema of the document (its `$ref`s resolve in `components`).
pub fn validator_for(schema: &Value) -> Result<jsonschema::Validator, String> {
    let root = json!({ "allOf": [json_schema(schema)], "components": *COMPONENTS });
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&root)
        .map_err(|err| format!("the schema does not compile: {err}"))
}

/// OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a `null` alternative.
pub fn json_schema(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let converted: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(key, _)| key.as_str() != "nullable")
                .map(|(key, value)| (key.clone(), json_schema(value)))
                .collect();
            let converted = Value::Object(converted);
            if map.get("nullable") == Some(&Value::Bool(true)) {
                return json!({ "anyOf": [{ "type": "null" }, converted] });
            }
            converted
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

/// The published path a request path belongs to: segment by segment, `{name}` matching
/// any one segment, the template with the most literal segments winning. Trailing
/// slashes are ignored, as the server ignores them.
pub fn template_of(path: &str) -> Option<String> {
    let wanted: Vec<&str> = path.trim_matches('/').split('/').collect();
    let paths = DOCUMENT["paths"].as_object()?;
    paths
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.trim_matches('/').split('/').collect();
            if parts.len() != wanted.len() {
                return None;
            }
            let mut literal = 0;
            for (part, segment) in parts.iter().zip(&wanted) {
                if part.starts_with('{') {
                    continue;
                }
                if part != segment {
                    return None;
                }
                literal += 1;
            }
            Some((literal, template))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, template)| template.clone())
}
