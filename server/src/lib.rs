//! The SocMel server as a library: `main.rs` and the integration tests both start it
//! through [`serve`].
// Outside tests nothing may unwrap (a panic is a 500 at best, a dead task at worst), and
// the server writes through `tracing`, never to stdout or stderr.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod effects;
pub mod events;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod media;
mod memory;
pub mod ratelimit;
mod secret;
pub mod service;
pub mod session;
pub mod store;
mod telemetry;
pub mod ws;

use std::{future::Future, path::Path, time::Duration};

use anyhow::Context;
use poem::{EndpointExt, Route, Server, endpoint::BoxEndpoint, listener::Acceptor};

pub use config::Config;
pub use http::openapi_json;
pub use telemetry::init_tracing;

use service::{Passwords, Services, TokenKeys, TokenSettings};

/// Opens the database (applying migrations) and builds the services.
pub async fn build_services(config: &Config) -> anyhow::Result<Services> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
    let url = match &config.database_url {
        Some(url) => url.expose().to_owned(),
        None => store::open::default_sqlite_url(&config.data_dir),
    };
    let store = store::open(&url, config.database_max_connections, config.durability)
        .await
        .context("opening the database")?;
    tracing::info!(backend = store.backend().name(), "database ready");

    let secret = match &config.secret_key {
        Some(secret) => secret.expose().as_bytes().to_vec(),
        None => load_or_create_secret(&config.data_dir)?,
    };
    let tokens = TokenKeys::new(
        &secret,
        TokenSettings {
            access_minutes: config.access_token_expires_minutes,
            refresh_days: config.refresh_token_expires_days,
        },
    );
    let concurrency = config
        .password_hash_concurrency
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, std::num::NonZero::get));
    let passwords = Passwords::new(concurrency).map_err(|err| anyhow::anyhow!("{err}"))?;
    let limits = ratelimit::RateLimits::new(&config.rate_limits);
    let smtp_url = config.smtp_url.as_ref().map(|url| url.expose().to_owned());
    let outbox = config.data_dir.join("outbox");
    let mailer = mail::Mailer::start(smtp_url.as_deref(), outbox, &config.mail_from)?;
    let media = media::Media::from_config(config).context("setting up media storage")?;
    let events = events::EventBus::new();
    Ok(Services::new(
        store, tokens, passwords, events, limits, mailer, media,
    ))
}

/// Serves the API on `listener` until `shutdown` completes, then drains in-flight
/// requests (up to 10 s) and closes the database.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(config, listener, shutdown, |app| app).await
}

/// [`serve`], with the whole HTTP application passed through `wrap` first: the
/// integration tests wrap it in a check of every answer against the published
/// document.
pub async fn serve_with(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    wrap: impl FnOnce(BoxEndpoint<'static>) -> BoxEndpoint<'static>,
) -> anyhow::Result<()> {
    let services = build_services(&config).await?;
    let store = services.store().clone();
    let mut scheduler = jobs::start(services.clone()).await?;
    let limits = http::acceptor::ConnectionLimits {
        header_timeout: Duration::from_secs(config.header_read_timeout_secs),
        keep_alive_timeout: Duration::from_secs(config.keep_alive_timeout_secs),
        // Behind a proxy every connection comes from the proxy's address.
        per_address: if config.trust_forwarded_for {
            0
        } else {
            config.max_connections_per_address
        },
    };
    let acceptor =
        http::acceptor::GuardedAcceptor::new(listener, limits).context("adopting the listener")?;
    let address = acceptor.local_addr().into_iter().next();
    // The socket's hub hears the bus from start-up on; the socket is routed with the
    // API, behind the same middleware.
    let hub = ws::start_hub(&services);
    let socket = Route::new().at("/messages/ws", poem::get(ws::endpoint).data(hub));
    let app = wrap(
        http::app(services, &config, socket)
            .map_to_response()
            .boxed(),
    );
    // Start-up is over (migrations, pools, the API description built): what it freed
    // goes back now rather than never, if no load follows.
    memory::return_freed_memory_while_idle();
    tracing::info!(address = ?address.map(|a| a.to_string()), "listening");
    Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app, shutdown, Some(std::time::Duration::from_secs(10)))
        .await
        .context("serving")?;
    if let Err(err) = scheduler.shutdown().await {
        tracing::warn!(error = %err, "stopping the job scheduler");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Without `SECRET_KEY`, a random key is made once and kept in the data folder, so
/// tokens survive restarts. Operators of several nodes must set `SECRET_KEY`.
fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("secret_key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let key = existing.trim();
        anyhow::ensure!(
            key.len() >= 32,
            "{} is too short to be a key",
            path.display()
        );
        return Ok(key.as_bytes().to_vec());
    }
    let key = hex::encode(rand::random::<[u8; 32]>());
    write_private(&path, &key).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(path = %path.display(), "SECRET_KEY not set: generated one and saved it");
    Ok(key.into_bytes())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
