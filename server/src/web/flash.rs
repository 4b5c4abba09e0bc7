//! A one-time message carried across a form's redirect ("Approved …", or why it was refused):
//! a short-lived cookie the next page shows once and clears.
//!
//! The message is sealed to the session it was given to (a hash over it under the session's
//! form token, which only that session knows), so a page never shows "Approved …" from a cookie
//! written by hand, tossed in by a sibling site, or given to another session.

use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use maud::{html, Markup};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::session::{cookie, is_https, set_cookie, Session};

const FLASH_COOKIE: &str = "cl_flash";
/// Long enough to follow a redirect, short enough not to surprise later.
const FLASH_SECONDS: u32 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    Done(String),
    Refused(String),
}

impl Flash {
    /// The `Set-Cookie` that carries this message to the next page of `session`.
    pub fn cookie(
        &self,
        headers: &HeaderMap,
        session: &Session,
    ) -> (axum::http::HeaderName, HeaderValue) {
        let (tag, text) = match self {
            Flash::Done(t) => ("d", t),
            Flash::Refused(t) => ("r", t),
        };
        let value = format!(
            "{tag}{}.{}",
            hex::encode(text.as_bytes()),
            seal(session, tag, text)
        );
        (
            SET_COOKIE,
            set_cookie(FLASH_COOKIE, &value, Some(FLASH_SECONDS), is_https(headers)),
        )
    }

    /// The message the request carries for `session`, if any, and the `Set-Cookie` that clears
    /// it. A message not sealed to this session is not shown.
    pub fn take(
        headers: &HeaderMap,
        session: &Session,
    ) -> Option<(Self, (axum::http::HeaderName, HeaderValue))> {
        let raw = cookie(headers, FLASH_COOKIE)?;
        let (tag, rest) = raw.split_at_checked(1)?;
        let (hexed, sealed) = rest.split_once('.')?;
        let text = String::from_utf8(hex::decode(hexed).ok()?).ok()?;
        if !bool::from(
            seal(session, tag, &text)
                .as_bytes()
                .ct_eq(sealed.as_bytes()),
        ) {
            return None;
        }
        let flash = match tag {
            "d" => Flash::Done(text),
            "r" => Flash::Refused(text),
            _ => return None,
        };
        let clear = set_cookie(FLASH_COOKIE, "", Some(0), is_https(headers));
        Some((flash, (SET_COOKIE, clear)))
    }

    pub fn render(&self) -> Markup {
        match self {
            Flash::Done(t) => html! { p.flash.done role="status" { (t) } },
            Flash::Refused(t) => html! { p.flash.refused role="alert" { (t) } },
        }
    }
}

/// What binds a message to the session it was given to: a hash over the message under the
/// session's form token, cut to 128 bits.
fn seal(session: &Session, tag: &str, text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"channel-ledger console flash\0");
    hasher.update(session.csrf.as_bytes());
    hasher.update(b"\0");
    hasher.update(tag.as_bytes());
    hasher.update(text.as_bytes());
    hex::encode(&hasher.finalize()[..16])
}
