//! The page shell: the header with the reader's name and role, the navigation their role may
//! use (nothing else is offered), and the sign-out form.

use channel_ledger_domain::Role;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::flash::Flash;
use super::session::Session;

/// The sections of the console, in the navigation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Console,
    Portfolio,
    Commitments,
    Finance,
    Mdf,
    /// A page of its own (a partner, the Admin's home).
    Other,
}

impl Section {
    const NAV: [Section; 5] = [
        Section::Console,
        Section::Portfolio,
        Section::Commitments,
        Section::Finance,
        Section::Mdf,
    ];

    /// Who may read the section: the same roles the API serves its view to.
    pub fn readers(self) -> &'static [Role] {
        match self {
            Section::Console => &[Role::Manager, Role::Cxo, Role::Auditor],
            Section::Portfolio => crate::routes::views::READERS,
            Section::Commitments => &[Role::Cxo, Role::Finance, Role::Auditor],
            Section::Finance => &[Role::Finance, Role::Cxo, Role::Auditor],
            Section::Mdf => &[Role::Cxo, Role::Finance, Role::Auditor],
            Section::Other => &[],
        }
    }

    fn href(self) -> &'static str {
        match self {
            Section::Console => "/console",
            Section::Portfolio => "/portfolio",
            Section::Commitments => "/commitments",
            Section::Finance => "/finance",
            Section::Mdf => "/mdf",
            Section::Other => "/",
        }
    }

    fn label(self, role: Role) -> &'static str {
        match self {
            Section::Console => "Console",
            Section::Portfolio if role == Role::Pam => "My portfolio",
            Section::Portfolio => "Portfolio",
            Section::Commitments => "Commitments",
            Section::Finance => "Reconciliation",
            Section::Mdf => "MDF ledger",
            Section::Other => "",
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Channel Ledger" }
            link rel="stylesheet" href="/assets/console.css";
        }
    }
}

fn brand() -> Markup {
    html! {
        a.brand href="/" {
            span.mark aria-hidden="true" { (PreEscaped("&#9638;")) }
            " Channel Ledger"
        }
    }
}

/// A page for a signed-in reader, with `section` marked current in the navigation.
pub fn page(
    title: &str,
    session: &Session,
    section: Section,
    flash: Option<&Flash>,
    body: Markup,
) -> Markup {
    let actor = session.actor();
    let role = actor.role;
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    (brand())
                    nav aria-label="Sections" {
                        ul {
                            @for s in Section::NAV.into_iter().filter(|s| s.readers().contains(&role)) {
                                li {
                                    @if s == section {
                                        a href=(s.href()) aria-current="page" { (s.label(role)) }
                                    } @else {
                                        a href=(s.href()) { (s.label(role)) }
                                    }
                                }
                            }
                        }
                    }
                    div.who {
                        span.name { (actor.name) }
                        span.role {
                            (role.as_str())
                            @if let Some(t) = &actor.territory { " · " (t) }
                        }
                        form method="post" action="/sign-out" {
                            input type="hidden" name="csrf" value=(session.csrf);
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main #main tabindex="-1" {
                    @if let Some(f) = flash { (f.render()) }
                    (body)
                }
            }
        }
    }
}

/// A page without a session: sign-in and errors.
pub fn bare_page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body.bare {
                header.top { (brand()) }
                main #main { (body) }
            }
        }
    }
}

/// The heading of a page, with an optional line under it.
pub fn heading(title: &str, subtitle: Option<Markup>) -> Markup {
    html! {
        div.page-head {
            h1 { (title) }
            @if let Some(s) = subtitle { p.subtitle { (s) } }
        }
    }
}
