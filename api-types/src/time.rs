//! `Timestamp`: a UTC instant written as RFC 3339 with a `Z` and millisecond precision
//! (`2026-11-24T19:42:53.530Z`). Input without an offset is read as UTC.

use std::{fmt, str::FromStr};

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC instant; on the wire RFC 3339 with a `Z` and milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The current instant.
    pub fn now() -> Self {
        Self(Utc::now())
    }

    /// From Unix milliseconds; out-of-range values clamp to the epoch.
    pub fn from_millis(millis: i64) -> Self {
        Self(DateTime::from_timestamp_millis(millis).unwrap_or_default())
    }

    /// The instant in Unix milliseconds.
    pub fn millis(&self) -> i64 {
        self.0.timestamp_millis()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

/// Why a timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 date-time: {}", self.0)
    }
}

impl std::error::Error for TimestampError {}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(with_offset) = DateTime::parse_from_rfc3339(s) {
            return Ok(Self(with_offset.with_timezone(&Utc)));
        }
        NaiveDateTime::from_str(s)
            .map(|naive| Self(naive.and_utc()))
            .map_err(|_| TimestampError(s.to_owned()))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
mod openapi {
    use std::borrow::Cow;

    use poem_openapi::{
        registry::{MetaSchema, MetaSchemaRef},
        types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
    };
    use serde_json::Value;

    use super::Timestamp;

    impl Type for Timestamp {
        const IS_REQUIRED: bool = true;
        type RawValueType = Self;
        type RawElementValueType = Self;

        fn name() -> Cow<'static, str> {
            "string_date-time".into()
        }

        fn schema_ref() -> MetaSchemaRef {
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date-time")))
        }

        fn as_raw_value(&self) -> Option<&Self::RawValueType> {
            Some(self)
        }

        fn raw_element_iter<'a>(
            &'a self,
        ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
            Box::new(self.as_raw_value().into_iter())
        }
    }

    impl ParseFromJSON for Timestamp {
        fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
            match value.unwrap_or_default() {
                Value::String(text) => text.parse().map_err(ParseError::custom),
                other => Err(ParseError::expected_type(other)),
            }
        }
    }

    impl ParseFromParameter for Timestamp {
        fn parse_from_parameter(value: &str) -> ParseResult<Self> {
            value.parse().map_err(ParseError::custom)
        }
    }

    impl ToJSON for Timestamp {
        fn to_json(&self) -> Option<Value> {
            Some(Value::String(self.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_in_utc_with_z_and_millis() {
        let at = Timestamp::from_millis(1_700_000_000_123);
        assert_eq!(
            serde_json::to_string(&at).unwrap(),
            "\"2023-11-14T22:13:20.123Z\""
        );
    }

    #[test]
    fn offsets_are_converted_and_naive_input_is_utc() {
        let a: Timestamp = "2023-11-14T23:13:20.123+01:00".parse().unwrap();
        let b: Timestamp = "2023-11-14T22:13:20.123".parse().unwrap();
        assert_eq!(a, Timestamp::from_millis(1_700_000_000_123));
        assert_eq!(a, b);
        assert!("yesterday".parse::<Timestamp>().is_err());
    }

    #[test]
    fn roundtrips() {
        crate::roundtrip::assert_roundtrip(&Timestamp::from_millis(1_700_000_000_123));
    }
}
