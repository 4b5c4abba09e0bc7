//! The console's session: the API token, kept in an HttpOnly, `SameSite=Strict` cookie (and
//! `Secure` when the request came over HTTPS), authenticated on every request exactly as a
//! bearer token is. Nothing is stored server-side, so revoking the token ends the session too.
//!
//! Forms that change something carry a form token: the SHA-256 of the session token under a
//! fixed label. It cannot be computed without the session token, and `SameSite=Strict` keeps
//! the cookie off cross-site requests in the first place. Forms are also refused when their
//! `Origin` names another site.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Redirect, Response};
use channel_ledger_domain::{Actor, Role};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::WebError;
use crate::auth::{authenticate, Authenticated};
use crate::state::AppState;

/// The cookie that holds the session's token.
pub const SESSION_COOKIE: &str = "cl_session";

/// A signed-in reader of the console.
#[derive(Debug, Clone)]
pub struct Session {
    pub auth: Authenticated,
    /// The form token every state-changing form of this session carries.
    pub csrf: String,
}

impl Session {
    pub fn actor(&self) -> &Actor {
        &self.auth.actor
    }

    pub fn role(&self) -> Role {
        self.auth.actor.role
    }

    /// Whether `presented` is this session's form token (constant time).
    pub fn verify_csrf(&self, presented: &str) -> bool {
        bool::from(self.csrf.as_bytes().ct_eq(presented.as_bytes()))
    }
}

/// The form token of the session holding `token`.
pub fn csrf_token(token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"channel-ledger console form token\0");
    hasher.update(token.as_bytes());
    hex::encode(hasher.finalize())
}

/// Without a valid session a page answers a redirect to the sign-in page, which comes back to
/// the page asked for.
impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in(parts));
        };
        match authenticate(state, token).await {
            Ok(auth) => {
                tracing::Span::current()
                    .record("staff.id", tracing::field::display(auth.actor.staff_id));
                Ok(Session {
                    csrf: csrf_token(token),
                    auth,
                })
            }
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => {
                let mut response = to_sign_in(parts);
                response
                    .headers_mut()
                    .append(SET_COOKIE, clear_cookie(is_https(&parts.headers)));
                Err(response)
            }
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

/// The sign-in page, coming back afterwards to the page asked for. A form's target is no page to
/// come back to (the browser would GET it: 405), so a form sent without a session signs in to
/// the home page.
fn to_sign_in(parts: &Parts) -> Response {
    let page = parts.method == Method::GET || parts.method == Method::HEAD;
    let next = parts
        .uri
        .path_and_query()
        .filter(|_| page)
        .map_or("/", |p| p.as_str())
        .to_owned();
    let target = if next == "/" {
        "/sign-in".to_owned()
    } else {
        format!("/sign-in?next={}", percent_encode(&next))
    };
    Redirect::to(&target).into_response()
}

/// The value of cookie `name` in the request, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Whether the request reached us over HTTPS (directly, or as a proxy in front says).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// A cookie for this site only, invisible to scripts, never sent cross-site.
pub fn set_cookie(name: &str, value: &str, max_age: Option<u32>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session cookie holding `token`, for as long as the browser runs.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    set_cookie(SESSION_COOKIE, token, None, secure)
}

/// Removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", Some(0), secure)
}

/// False when the request names an `Origin` other than the host it was sent to: a form posted
/// from another site. Browsers send `Origin` on every POST; without one there is no evidence
/// either way, and the form token decides. An `Origin` that is there but cannot be read (not
/// ASCII, `null`, another scheme than http or https), or a second one, is not "no evidence": each
/// `Origin` sent must name this host.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    headers.get_all(ORIGIN).iter().all(|origin| {
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .filter(|(scheme, _)| {
                scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
            })
            .map(|(_, rest)| rest);
        matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
    })
}

/// A path (with its query) is only ever a local one: `/…`, never `//host` or a scheme.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    ok.then_some(next)
}

/// A local path as a `Location` header: a URI is ASCII, so what is not printable ASCII (a space,
/// `/\u{3000}/…`) is percent-encoded, as a browser would before following it.
pub fn location(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_token_depends_on_the_session_token() {
        assert_eq!(csrf_token("clt_a"), csrf_token("clt_a"));
        assert_ne!(csrf_token("clt_a"), csrf_token("clt_b"));
        assert!(!csrf_token("clt_a").contains("clt_a"));
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            local_path("/partners/1?as_of=2025-01-01"),
            Some("/partners/1?as_of=2025-01-01")
        );
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "console",
        ] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_location_is_ascii() {
        assert_eq!(
            location("/partners/1?as_of=2025-01-01"),
            "/partners/1?as_of=2025-01-01"
        );
        assert_eq!(location("/\u{3000}/x y"), "/%E3%80%80/x%20y");
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; cl_session=clt_x; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("clt_x"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn a_form_from_another_site_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn an_origin_that_cannot_be_read_or_a_second_one_is_not_no_origin() {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        let origin = |h: &mut HeaderMap, v: &[u8]| {
            h.remove(ORIGIN);
            h.insert(ORIGIN, HeaderValue::from_bytes(v).unwrap());
        };
        origin(&mut h, "http://évil.example".as_bytes());
        assert!(!same_origin(&h), "not ASCII");
        origin(&mut h, b"http://127.0.0.1:8080\xC3\xA9");
        assert!(!same_origin(&h), "not ASCII after the host");
        for other in ["null", "", "127.0.0.1:8080", "ftp://127.0.0.1:8080"] {
            origin(&mut h, other.as_bytes());
            assert!(!same_origin(&h), "{other}");
        }
        origin(&mut h, b"http://127.0.0.1:8080");
        h.append(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h), "a second Origin of another site");
        h.remove(HOST);
        origin(&mut h, b"http://127.0.0.1:8080");
        assert!(!same_origin(&h), "an Origin and no Host to compare it with");
    }
}
