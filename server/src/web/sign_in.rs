//! Signing in with an API token, and signing out.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::error::WebError;
use super::layout::bare_page;
use super::session::{
    clear_cookie, is_https, local_path, location, same_origin, session_cookie, Session,
};
use crate::auth::authenticate;
use crate::state::AppState;

fn form_page(next: Option<&str>, refused: Option<&str>) -> Markup {
    let body = html! {
        section.panel.sign-in {
            h1 { "Sign in" }
            p.muted {
                "Paste the access token you were given (" code { "channel-ledger serve --demo" }
                " prints one per person)."
            }
            @if let Some(r) = refused {
                p.flash.refused role="alert" #sign-in-error { (r) }
            }
            form method="post" action="/sign-in" {
                @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                label for="token" { "Access token" }
                input #token type="password" name="token" required autocomplete="off"
                    spellcheck="false" placeholder="clt_…" autofocus
                    aria-describedby=[refused.map(|_| "sign-in-error")];
                button.primary type="submit" { "Sign in" }
            }
        }
    };
    bare_page("Sign in", body)
}

/// The sign-in form; `next` is where to go afterwards.
pub async fn form(Query(query): Query<HashMap<String, String>>) -> Html<String> {
    let next = query.get("next").and_then(|n| local_path(n));
    Html(form_page(next, None).into_string())
}

#[derive(Debug, Deserialize)]
pub struct SignIn {
    token: String,
    next: Option<String>,
}

/// Checks the token as the API would and, if it is good, starts the session.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) {
        return Err(WebError::forbidden("this form was sent from another site"));
    }
    let token = form.token.trim();
    let next = form.next.as_deref().and_then(local_path);
    match authenticate(&state, token).await {
        Ok(auth) => {
            tracing::info!(staff.id = %auth.actor.staff_id, "console session started");
            let mut response = Redirect::to(&location(next.unwrap_or("/"))).into_response();
            response
                .headers_mut()
                .insert(SET_COOKIE, session_cookie(token, is_https(&headers)));
            Ok(response)
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let page = form_page(
                next,
                Some(
                    "That token is not valid: it may be mistyped, revoked, or its owner has left.",
                ),
            );
            Ok((StatusCode::UNAUTHORIZED, Html(page.into_string())).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct SignOut {
    csrf: String,
}

/// Ends the session: the cookie is cleared (the token itself stays valid for the API).
pub async fn sign_out(
    session: Session,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) || !session.verify_csrf(&form.csrf) {
        return Err(WebError::forbidden(
            "this form has expired or came from another site; reload the page and try again",
        ));
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, clear_cookie(is_https(&headers)));
    Ok(response)
}
