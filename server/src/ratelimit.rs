//! Rate limits: named rules ("login", "register", …), each a keyed GCRA limiter
//! (governor). The key is whatever the caller chooses: a client IP, a user id, an
//! account name or an email. In-memory and per node.

use std::{collections::HashMap, fmt, num::NonZeroU32, str::FromStr, sync::Arc, time::Duration};

use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

/// Every rule the server applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Login attempts per client IP.
    Login,
    /// Login attempts per account (email or username), wherever they come from.
    LoginAccount,
    /// Registrations per client IP.
    Register,
    /// Verification-code requests per client IP.
    Codes,
    /// Verification-code requests per email address.
    CodesEmail,
    /// Password resets and changes per client IP or user.
    Password,
    /// New posts per user.
    Post,
    /// New comments and replies per user.
    Comment,
    /// WebSocket connections per user or IP.
    WsConnect,
    /// Chat messages per user.
    Message,
    /// Uploaded images (attachments, profile pictures) per user.
    Upload,
    /// Upstream's demonstration route `GET /limit`; never switched off.
    Demo,
}

impl Limit {
    const ALL: [Limit; 12] = [
        Limit::Login,
        Limit::LoginAccount,
        Limit::Register,
        Limit::Codes,
        Limit::CodesEmail,
        Limit::Password,
        Limit::Post,
        Limit::Comment,
        Limit::WsConnect,
        Limit::Message,
        Limit::Upload,
        Limit::Demo,
    ];

    /// The name used in `RATE_LIMITS`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::LoginAccount => "login_account",
            Self::Register => "register",
            Self::Codes => "codes",
            Self::CodesEmail => "codes_email",
            Self::Password => "password",
            Self::Post => "post",
            Self::Comment => "comment",
            Self::WsConnect => "ws_connect",
            Self::Message => "message",
            Self::Upload => "upload",
            Self::Demo => "demo",
        }
    }

    /// What an operator would choose.
    fn default_rule(self) -> Rule {
        let (count, seconds) = match self {
            Self::Login => (10, 60),
            Self::LoginAccount => (5, 60),
            Self::Register => (5, 60),
            Self::Codes => (10, 600),
            Self::CodesEmail => (3, 600),
            Self::Password => (5, 60),
            Self::Post => (30, 60),
            Self::Comment => (60, 60),
            Self::WsConnect => (30, 60),
            Self::Message => (120, 60),
            Self::Upload => (20, 60),
            Self::Demo => (2, 60),
        };
        Rule {
            count,
            period: Duration::from_secs(seconds),
        }
    }
}

/// `count` requests per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub count: u32,
    pub period: Duration,
}

impl FromStr for Rule {
    type Err = String;

    /// `10/m`, `3/10m`, `100/h`, `5/30s`, `1000/d`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{text:?} is not a rule like 10/m or 3/10m");
        let (count, per) = text.trim().split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let per = per.trim();
        let unit_at = per.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let times: u64 = if unit_at == 0 {
            1
        } else {
            per[..unit_at].parse().map_err(|_| bad())?
        };
        let unit = match &per[unit_at..] {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(bad()),
        };
        if count == 0 || times == 0 {
            return Err(bad());
        }
        Ok(Self {
            count,
            period: Duration::from_secs(times * unit),
        })
    }
}

/// The `RATE_LIMITS` setting: `off`, or overrides such as `login=10/m,register=5/m`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitConfig {
    pub off: bool,
    pub overrides: Vec<(Limit, Rule)>,
}

impl FromStr for RateLimitConfig {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(Self {
                off: true,
                overrides: Vec::new(),
            });
        }
        let mut overrides = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (name, rule) = entry
                .split_once('=')
                .ok_or_else(|| format!("{entry:?} is not name=rule"))?;
            let limit = Limit::ALL
                .into_iter()
                .find(|l| l.name() == name.trim())
                .ok_or_else(|| format!("unknown rate limit {name:?}"))?;
            overrides.push((limit, rule.parse()?));
        }
        Ok(Self {
            off: false,
            overrides,
        })
    }
}

impl fmt::Display for RateLimitConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.off {
            return f.write_str("off");
        }
        let parts: Vec<String> = self
            .overrides
            .iter()
            .map(|(limit, rule)| {
                format!("{}={}/{}s", limit.name(), rule.count, rule.period.as_secs())
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// Where a key stands after an allowed request: for `X-RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the full allowance is back.
    pub reset_secs: u64,
}

/// A refused request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub limit: u32,
    /// The rule's period, in seconds.
    pub period_secs: u64,
    /// Seconds until one more request will be allowed (at least 1).
    pub retry_after_secs: u64,
}

type Limiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

struct Entry {
    rule: Rule,
    limiter: Limiter,
}

/// All limiters of one server. Cheap to clone.
#[derive(Clone)]
pub struct RateLimits {
    entries: Arc<HashMap<Limit, Entry>>,
    clock: DefaultClock,
}

impl RateLimits {
    pub fn new(config: &RateLimitConfig) -> Self {
        let mut entries = HashMap::new();
        for limit in Limit::ALL {
            if config.off && limit != Limit::Demo {
                continue;
            }
            let rule = config
                .overrides
                .iter()
                .rev()
                .find(|(l, _)| *l == limit)
                .map_or_else(|| limit.default_rule(), |(_, rule)| *rule);
            entries.insert(
                limit,
                Entry {
                    rule,
                    limiter: limiter_for(rule),
                },
            );
        }
        Self {
            entries: Arc::new(entries),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request of `key` against `limit`. With the limit switched off, allows.
    pub fn check(&self, limit: Limit, key: &str) -> Result<Option<Allowed>, Refused> {
        let Some(entry) = self.entries.get(&limit) else {
            return Ok(None);
        };
        let per_request = entry.rule.period.as_secs_f64() / f64::from(entry.rule.count);
        match entry.limiter.check_key(&key.to_owned()) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                let used = entry.rule.count.saturating_sub(remaining);
                Ok(Some(Allowed {
                    limit: entry.rule.count,
                    remaining,
                    reset_secs: (f64::from(used) * per_request).ceil() as u64,
                }))
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Err(Refused {
                    limit: entry.rule.count,
                    period_secs: entry.rule.period.as_secs(),
                    retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
                })
            }
        }
    }

    /// Forgets keys whose allowance is full again, so memory follows recent traffic only.
    pub fn forget_idle_keys(&self) {
        for entry in self.entries.values() {
            entry.limiter.retain_recent();
            entry.limiter.shrink_to_fit();
        }
    }
}

fn limiter_for(rule: Rule) -> Limiter {
    let count = NonZeroU32::new(rule.count).unwrap_or(NonZeroU32::MIN);
    let replenish = rule.period / count.get();
    let quota = Quota::with_period(replenish.max(Duration::from_millis(1)))
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(count);
    RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        assert_eq!(
            "10/m".parse::<Rule>().unwrap(),
            Rule {
                count: 10,
                period: Duration::from_secs(60)
            }
        );
        assert_eq!(
            "3/10m".parse::<Rule>().unwrap(),
            Rule {
                count: 3,
                period: Duration::from_secs(600)
            }
        );
        assert_eq!(
            "5/30s".parse::<Rule>().unwrap().period,
            Duration::from_secs(30)
        );
        for bad in ["", "10", "x/m", "10/", "10/y", "0/m", "10/0m"] {
            assert!(bad.parse::<Rule>().is_err(), "{bad}");
        }
    }

    #[test]
    fn config_parses_overrides_and_off() {
        let config: RateLimitConfig = "login=3/m, register=1/h".parse().unwrap();
        assert_eq!(config.overrides.len(), 2);
        assert!("OFF".parse::<RateLimitConfig>().unwrap().off);
        assert!("nope=1/m".parse::<RateLimitConfig>().is_err());
        assert_eq!(
            "".parse::<RateLimitConfig>().unwrap(),
            RateLimitConfig::default()
        );
    }

    #[test]
    fn the_allowance_is_spent_per_key_then_refused_with_a_wait() {
        let limits = RateLimits::new(&"login=3/m".parse().unwrap());
        for left in [2, 1, 0] {
            let allowed = limits.check(Limit::Login, "1.2.3.4").unwrap().unwrap();
            assert_eq!((allowed.limit, allowed.remaining), (3, left));
        }
        let refused = limits.check(Limit::Login, "1.2.3.4").unwrap_err();
        assert_eq!(refused.limit, 3);
        assert!((1..=20).contains(&refused.retry_after_secs), "{refused:?}");
        // Another key has its own allowance.
        assert!(limits.check(Limit::Login, "5.6.7.8").is_ok());
    }

    #[test]
    fn off_switches_everything_but_the_demo_route() {
        let limits = RateLimits::new(&"off".parse().unwrap());
        for _ in 0..100 {
            assert_eq!(limits.check(Limit::Login, "k"), Ok(None));
        }
        assert!(limits.check(Limit::Demo, "k").is_ok());
        assert!(limits.check(Limit::Demo, "k").is_ok());
        assert!(limits.check(Limit::Demo, "k").is_err());
    }
}
