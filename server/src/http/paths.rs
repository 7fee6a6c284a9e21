//! Route spelling. poem-openapi routes every operation without a trailing slash, so
//! each request path loses its trailing slash before routing: both `/users/me/` and
//! `/users/me` reach the same handler. The published document then spells each path
//! as upstream clients know it: with a trailing slash, except the few listed here.

/// Paths published without a trailing slash (upstream's five, and our additions
/// that are not collections).
const SLASHLESS: &[&str] = &[
    "/spaces/create",
    "/posts/{post_id}/comment/all",
    "/note/{user_id}",
    "/limit",
    "/messages/ws",
    "/health",
    "/media/{key}",
];

/// The published spelling of an operation path template.
pub fn published(template: &str) -> String {
    if template == "/" || template.ends_with('/') || SLASHLESS.contains(&template) {
        template.to_owned()
    } else {
        format!("{template}/")
    }
}

/// The routed form of a request path: without its trailing slash.
pub fn routed(path: &str) -> Option<&str> {
    path.strip_suffix('/').filter(|trimmed| !trimmed.is_empty())
}

/// The declared path templates, so errors about path parameters can name them:
/// poem-openapi reports them by position (`param0`).
#[derive(Debug, Default)]
pub struct RouteTable {
    templates: Vec<Vec<String>>,
}

impl RouteTable {
    /// From routed templates such as `/users/{user_id}/view`.
    pub fn new<'a>(templates: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            templates: templates
                .into_iter()
                .map(|t| t.split('/').map(str::to_owned).collect())
                .collect(),
        }
    }

    /// The name of the `index`-th path parameter of the route `path` matched.
    pub fn param_name(&self, path: &str, index: usize) -> Option<&str> {
        let parts: Vec<&str> = path.split('/').collect();
        let template = self.templates.iter().find(|template| {
            template.len() == parts.len()
                && template
                    .iter()
                    .zip(&parts)
                    .all(|(segment, part)| is_param(segment) || segment == part)
        })?;
        template
            .iter()
            .filter(|segment| is_param(segment))
            .nth(index)
            .map(|segment| segment.trim_matches(|c| c == '{' || c == '}'))
    }
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_spelling_follows_upstream() {
        assert_eq!(published("/users/me"), "/users/me/");
        assert_eq!(published("/users/{user_id}/view"), "/users/{user_id}/view/");
        assert_eq!(published("/note/{user_id}"), "/note/{user_id}");
        assert_eq!(published("/spaces/create"), "/spaces/create");
        assert_eq!(published("/health"), "/health");
    }

    #[test]
    fn request_paths_lose_their_trailing_slash() {
        assert_eq!(routed("/users/me/"), Some("/users/me"));
        assert_eq!(routed("/users/me"), None);
        assert_eq!(routed("/"), None);
    }

    #[test]
    fn positional_parameters_get_their_names() {
        let table = RouteTable::new(["/users/me", "/users/{user_id}/view", "/a/{x}/b/{y}"]);
        assert_eq!(table.param_name("/users/abc/view", 0), Some("user_id"));
        assert_eq!(table.param_name("/a/1/b/2", 1), Some("y"));
        assert_eq!(table.param_name("/users/me", 0), None);
        assert_eq!(table.param_name("/nowhere", 0), None);
    }
}
