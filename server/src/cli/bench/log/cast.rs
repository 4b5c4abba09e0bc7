//! The program's staff: an Admin (created as `bootstrap` does), a CxO, Finance, an Auditor, one
//! Manager per territory, and PAM "seats" — a portfolio of partners each — whose holders leave
//! and are replaced (PAM turnover). Three key-account PAMs serve the one long-history partner.

use std::collections::HashMap;

use channel_ledger_domain::partner::PamCandidate;
use channel_ledger_domain::staff::{Staff, StaffCommand, MAINTAIN_DIRECTORY};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Role, StaffId, Territory};
use chrono::{DateTime, Utc};

use super::sink::Sink;
use super::stream::{Act, Stream};
use super::words;

/// A member of staff: who they are as an actor, and their stream.
pub(super) struct Person {
    pub actor: Actor,
    pub stream: Stream<Staff>,
}

/// A PAM's portfolio: the partners it holds, and who holds it now.
pub(super) struct Seat {
    pub territory: usize,
    pub pam: usize,
    pub partners: Vec<usize>,
}

pub(super) struct Cast {
    pub people: Vec<Person>,
    pub territories: Vec<Territory>,
    pub admin: usize,
    pub cxo: usize,
    pub finance: usize,
    pub managers: Vec<usize>,
    pub seats: Vec<Seat>,
    /// Seats by territory.
    pub seats_of: Vec<Vec<usize>>,
    /// PAMs of the first territory who never leave, for the long-history partner.
    pub key_account_pams: Vec<usize>,
    by_id: HashMap<StaffId, usize>,
}

impl Cast {
    /// Joins everyone who is there on day one: the Admin two days before `start`, leadership the
    /// day before, PAMs on `start`.
    pub fn hire(
        sink: &mut Sink,
        territories: usize,
        seats_per_territory: usize,
        start: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        let mut cast = Self {
            people: Vec::new(),
            territories: words::TERRITORIES[..territories]
                .iter()
                .map(|t| Territory::parse(t))
                .collect::<Result<_, _>>()?,
            admin: 0,
            cxo: 0,
            finance: 0,
            managers: Vec::new(),
            seats: Vec::new(),
            seats_of: vec![Vec::new(); territories],
            key_account_pams: Vec::new(),
            by_id: HashMap::new(),
        };
        let day = chrono::Duration::days(1);
        cast.admin = cast.bootstrap(sink, start - day * 2)?;
        let joined = start - day;
        cast.cxo = cast.join(sink, Role::Cxo, None, joined)?;
        cast.finance = cast.join(sink, Role::Finance, None, joined)?;
        cast.join(sink, Role::Auditor, None, joined)?;
        for t in 0..territories {
            let manager = cast.join(sink, Role::Manager, Some(t), joined)?;
            cast.managers.push(manager);
        }
        for t in 0..territories {
            for _ in 0..seats_per_territory {
                let pam = cast.join(sink, Role::Pam, Some(t), start)?;
                cast.seats_of[t].push(cast.seats.len());
                cast.seats.push(Seat {
                    territory: t,
                    pam,
                    partners: Vec::new(),
                });
            }
        }
        for _ in 0..3 {
            let pam = cast.join(sink, Role::Pam, Some(0), start)?;
            cast.key_account_pams.push(pam);
        }
        Ok(cast)
    }

    pub fn actor(&self, person: usize) -> &Actor {
        &self.people[person].actor
    }

    pub fn manager(&self, territory: usize) -> &Actor {
        self.actor(self.managers[territory])
    }

    pub fn person_of(&self, id: StaffId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The PAM as the directory knows them now, as `POST /partners/{id}/pam` resolves them.
    pub fn candidate(&self, person: usize) -> PamCandidate {
        let a = self.actor(person);
        PamCandidate {
            staff_id: a.staff_id,
            name: a.name.clone(),
            role: a.role,
            territory: a.territory.clone(),
            active: true,
        }
    }

    /// The first Admin, joined by the system itself as `channel-ledger bootstrap` does.
    fn bootstrap(&mut self, sink: &mut Sink, at: DateTime<Utc>) -> anyhow::Result<usize> {
        let system = Actor::system();
        let actor = self.new_actor(Role::Admin, None);
        let mut stream = Stream::<Staff>::new(actor.staff_id.to_string());
        // `bootstrap` records its own authority; the command path is otherwise the same.
        let mut act = Act::new(&system, at).reason("first Admin of the bench program");
        act.authority = Some(format!(
            "bootstrap: {}",
            MAINTAIN_DIRECTORY.authority(&system)
        ));
        let command = StaffCommand::Join {
            staff_id: actor.staff_id,
            name: Name::parse(&actor.name)?,
            role: Role::Admin,
            territory: None,
        };
        stream.execute(sink, act, command)?;
        Ok(self.add(actor, stream))
    }

    /// Someone joins `at`, as `POST /staff` by the Admin records it.
    pub fn join(
        &mut self,
        sink: &mut Sink,
        role: Role,
        territory: Option<usize>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<usize> {
        let actor = self.new_actor(role, territory);
        let mut stream = Stream::<Staff>::new(actor.staff_id.to_string());
        let command = StaffCommand::Join {
            staff_id: actor.staff_id,
            name: Name::parse(&actor.name)?,
            role,
            territory: actor.territory.clone(),
        };
        let admin = self.people[self.admin].actor.clone();
        stream.execute(sink, Act::new(&admin, at), command)?;
        Ok(self.add(actor, stream))
    }

    /// `person` leaves `at`, as `POST /staff/{id}/leave` records it.
    pub fn leave(
        &mut self,
        sink: &mut Sink,
        person: usize,
        at: DateTime<Utc>,
        reason: &str,
    ) -> anyhow::Result<()> {
        let admin = self.people[self.admin].actor.clone();
        let command = StaffCommand::Leave {
            reason: Reason::parse(reason)?,
        };
        self.people[person]
            .stream
            .execute(sink, Act::new(&admin, at).reason(reason), command)?;
        Ok(())
    }

    fn new_actor(&self, role: Role, territory: Option<usize>) -> Actor {
        Actor {
            staff_id: StaffId::new(),
            name: words::person(self.people.len()),
            role,
            territory: territory.map(|t| self.territories[t].clone()),
        }
    }

    fn add(&mut self, actor: Actor, stream: Stream<Staff>) -> usize {
        self.by_id.insert(actor.staff_id, self.people.len());
        self.people.push(Person { actor, stream });
        self.people.len() - 1
    }
}
