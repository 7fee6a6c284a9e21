//! `/auth/…`: accounts, login, tokens; and the bearer scheme every protected route uses.

use poem::{Request, RequestBody, web::Data};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions, OpenApi, SecurityScheme,
    auth::Bearer, payload::Form, registry::Registry,
};
use socmel_api_types::{
    Detail,
    auth::{LoginForm, RefreshRequest, TokenResponse, UserCreate},
    users::UserDisplay,
};

use super::{ApiTags, errors::ApiError, errors::ApiResult, json::Json};
use crate::service::{self, Services, auth::AuthUser};

/// `Authorization: Bearer <access token>` from `POST /auth/login/`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub AuthUser);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<AuthUser> {
    let svc = services(req)?;
    Ok(service::auth::authenticate(svc, &bearer.token)
        .await
        .map_err(ApiError::from)?)
}

/// Optional sign-in, for routes anyone may read (feed, a post, a user's posts, a post's
/// comments). No `Authorization` header: anonymous. A header with an invalid or
/// expired token: 401, never a silent fall-back to anonymous. Published as the bearer
/// scheme or no security at all.
pub struct MaybeAuth(pub Option<AuthUser>);

impl MaybeAuth {
    pub fn user(&self) -> Option<&AuthUser> {
        self.0.as_ref()
    }
}

impl<'a> ApiExtractor<'a> for MaybeAuth {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <BearerAuth as ApiExtractor>::register(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        <BearerAuth as ApiExtractor>::security_schemes()
    }

    fn has_security_fallback() -> bool {
        true
    }

    async fn from_request(
        req: &'a Request,
        body: &mut RequestBody,
        param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        if !req
            .headers()
            .contains_key(poem::http::header::AUTHORIZATION)
        {
            return Ok(Self(None));
        }
        let BearerAuth(user) = BearerAuth::from_request(req, body, param_opts).await?;
        Ok(Self(Some(user)))
    }
}

/// The access token a request carries: the `Authorization: Bearer …` header (the scheme
/// in any case, RFC 7235), or else the `token` query parameter (what browsers' WebSocket
/// API can send). A header of another scheme means no token. The one reading of a token
/// outside poem-openapi's own security scheme: rate-limit keys and the socket's upgrade.
pub fn bearer_token(req: &Request) -> Option<String> {
    if let Some(header) = req.headers().get(poem::http::header::AUTHORIZATION) {
        let header = header.to_str().ok()?;
        let (scheme, token) = header.split_once(' ')?;
        let token = token.trim();
        return (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty())
            .then(|| token.to_owned());
    }
    query_param(req, "token").filter(|token| !token.is_empty())
}

/// One query-string parameter, as sent (tokens and numbers need no decoding).
pub fn query_param(req: &Request, name: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// The services, put on every request by `app()`.
pub(crate) fn services(req: &Request) -> poem::Result<&Services> {
    req.data::<Services>().ok_or_else(|| {
        poem::Error::from_string(
            "services missing",
            poem::http::StatusCode::INTERNAL_SERVER_ERROR,
        )
    })
}

#[derive(ApiResponse)]
enum Registered {
    /// The account was created.
    #[oai(status = 201)]
    Created(Json<UserDisplay>),
}

pub struct AuthApi;

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Create an account
    ///
    /// Username: 3–32 of `A-Z a-z 0-9 _ . -` (unique, case-insensitively); a valid
    /// email (unique); a password of at least 8 characters.
    #[oai(path = "/auth/register/", method = "post", operation_id = "register")]
    async fn register(
        &self,
        svc: Data<&Services>,
        body: Json<UserCreate>,
    ) -> ApiResult<Registered> {
        let user = service::auth::register(svc.0, body.0).await?;
        Ok(Registered::Created(Json(user)))
    }

    /// Log in
    ///
    /// An OAuth2 password-grant form: `username` holds the email or the username.
    /// Answers an access token and a single-use refresh token.
    #[oai(path = "/auth/login/", method = "post", operation_id = "login")]
    async fn login(
        &self,
        svc: Data<&Services>,
        form: Form<LoginForm>,
    ) -> ApiResult<Json<TokenResponse>> {
        Ok(Json(service::auth::login(svc.0, form.0).await?))
    }

    /// Refresh tokens
    ///
    /// Exchanges a refresh token for a new access and refresh token. Each refresh
    /// token works once; replaying a spent one revokes its whole session.
    #[oai(path = "/auth/refresh/", method = "post", operation_id = "refresh")]
    async fn refresh(
        &self,
        svc: Data<&Services>,
        body: Json<RefreshRequest>,
    ) -> ApiResult<Json<TokenResponse>> {
        Ok(Json(
            service::auth::refresh(svc.0, &body.refresh_token).await?,
        ))
    }

    /// Log out
    ///
    /// Revokes the session of this refresh token. Access tokens live until they expire.
    #[oai(path = "/auth/logout/", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        svc: Data<&Services>,
        body: Json<RefreshRequest>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::auth::logout(svc.0, &body.refresh_token).await?,
        ))
    }

    /// Log out everywhere
    ///
    /// Revokes every access and refresh token of the caller at once.
    #[oai(
        path = "/auth/logout_all/",
        method = "post",
        operation_id = "logout_all"
    )]
    async fn logout_all(&self, svc: Data<&Services>, auth: BearerAuth) -> ApiResult<Json<Detail>> {
        Ok(Json(service::auth::logout_all(svc.0, &auth.0).await?))
    }

    /// The signed-in user
    #[oai(
        path = "/auth/current_user/",
        method = "get",
        operation_id = "current_user"
    )]
    async fn current_user(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(service::users::me(svc.0, &auth.0).await?))
    }

    /// The signed-in user (upstream's second spelling)
    ///
    /// Same as `current_user`; 401 when anonymous.
    #[oai(
        path = "/auth/currentuser/",
        method = "get",
        operation_id = "currentuser"
    )]
    async fn currentuser(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
    ) -> ApiResult<Json<UserDisplay>> {
        self.current_user(svc, auth).await
    }
}
