//! A one-time message carried across a form's redirect ("Approved …", or why it was refused):
//! a short-lived cookie the next page shows once and clears.

use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use maud::{html, Markup};

use super::session::{cookie, is_https, set_cookie};

const FLASH_COOKIE: &str = "cl_flash";
/// Long enough to follow a redirect, short enough not to surprise later.
const FLASH_SECONDS: u32 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    Done(String),
    Refused(String),
}

impl Flash {
    /// The `Set-Cookie` that carries this message to the next page.
    pub fn cookie(&self, headers: &HeaderMap) -> (axum::http::HeaderName, HeaderValue) {
        let (tag, text) = match self {
            Flash::Done(t) => ('d', t),
            Flash::Refused(t) => ('r', t),
        };
        let value = format!("{tag}{}", hex::encode(text.as_bytes()));
        (
            SET_COOKIE,
            set_cookie(FLASH_COOKIE, &value, Some(FLASH_SECONDS), is_https(headers)),
        )
    }

    /// The message the request carries, if any, and the `Set-Cookie` that clears it.
    pub fn take(headers: &HeaderMap) -> Option<(Self, (axum::http::HeaderName, HeaderValue))> {
        let raw = cookie(headers, FLASH_COOKIE)?;
        let (tag, hexed) = raw.split_at_checked(1)?;
        let text = String::from_utf8(hex::decode(hexed).ok()?).ok()?;
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
