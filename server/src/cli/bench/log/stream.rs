//! One aggregate's stream held in memory while the program is generated: its state as the
//! command path would load it, and the next sequence. Every change goes through the
//! aggregate's own `handle` (decide, then `apply` via the sink), so the bench writes exactly the
//! events the real command path would append — or stops with the aggregate's refusal.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use anyhow::anyhow;
use channel_ledger_domain::{Actor, Authored, Decision, EffectiveTime, EventMetadata};
use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::SerializedEvent;
use cqrs_es::{Aggregate, DomainEvent};
use uuid::Uuid;

use super::sink::Sink;

/// Who decides, when it took effect and why: what a request body and its token say.
pub(super) struct Act<'a> {
    pub actor: &'a Actor,
    pub at: DateTime<Utc>,
    /// The human reason the handler records in the metadata (a rationale, a comment…).
    pub reason: Option<String>,
    /// Why the entry is back-dated; every bench event is history, so every one has one.
    pub backdate: &'static str,
    /// The partner the stream belongs to, for the count of late corrections.
    pub partner: Option<usize>,
    /// The conversation the command joins, when it follows from another one.
    pub correlation: Option<Uuid>,
    /// The authority recorded instead of the command's own (`bootstrap` records its own).
    pub authority: Option<String>,
}

impl<'a> Act<'a> {
    pub fn new(actor: &'a Actor, at: DateTime<Utc>) -> Self {
        Self {
            actor,
            at,
            reason: None,
            backdate: super::HISTORY,
            partner: None,
            correlation: None,
            authority: None,
        }
    }

    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub fn maybe_reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    pub fn partner(mut self, partner: usize) -> Self {
        self.partner = Some(partner);
        self
    }

    pub fn late(mut self, why: &'static str) -> Self {
        self.backdate = why;
        self
    }

    pub fn correlated(mut self, correlation: Uuid) -> Self {
        self.correlation = Some(correlation);
        self
    }
}

/// A stream and the state its events fold to.
#[derive(Debug)]
pub(super) struct Stream<A: Aggregate> {
    pub id: String,
    pub state: A,
    sequence: usize,
    /// The effective time of its latest event.
    pub last_at: Option<DateTime<Utc>>,
}

impl<A: Aggregate> Stream<A> {
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            state: A::default(),
            sequence: 0,
            last_at: None,
        }
    }
}

impl<A, C> Stream<A>
where
    A: Aggregate<Command = Authored<C>, Services = ()>,
    C: Decision,
{
    /// Decides `command` as `act` says, appends what the aggregate emits to `sink` with the
    /// metadata the server's handlers write (authority from the command's decision, the reason,
    /// the back-date reason), and returns the events and the command's correlation id.
    pub fn execute(
        &mut self,
        sink: &mut Sink,
        act: Act<'_>,
        command: C,
    ) -> anyhow::Result<(Vec<A::Event>, Uuid)> {
        let when = EffectiveTime::new(Some(act.at), Some(act.backdate), sink.now())?;
        let authority = act
            .authority
            .unwrap_or_else(|| command.authority(act.actor));
        let mut meta = EventMetadata::new(act.actor, &when, authority);
        meta.reason = act.reason;
        if let Some(correlation) = act.correlation {
            meta.correlation_id = correlation;
        }
        let events = EventSink::default();
        ready(self.state.handle(
            Authored::new(act.actor.clone(), meta.effective_at, command),
            &(),
            &events,
        ))
        .map_err(|e| {
            anyhow!(
                "the bench's program is not valid: {} {} refused a command at {}: {e}",
                A::TYPE,
                self.id,
                meta.effective_at
            )
        })?;
        let events = ready(events.collect());
        let metadata = serde_json::to_value(meta.to_map())?;
        for event in &events {
            self.sequence += 1;
            sink.push(
                SerializedEvent {
                    aggregate_id: self.id.clone(),
                    sequence: self.sequence,
                    aggregate_type: A::TYPE.to_owned(),
                    event_type: event.event_type(),
                    event_version: event.event_version(),
                    payload: serde_json::to_value(event)?,
                    metadata: metadata.clone(),
                },
                meta.effective_at,
                act.partner,
            )?;
        }
        self.last_at = Some(
            self.last_at
                .map_or(meta.effective_at, |t| t.max(meta.effective_at)),
        );
        Ok((events, meta.correlation_id))
    }
}

/// Runs a future that never waits (an aggregate's `handle`, an uncontended lock) to completion
/// on this thread. Unconstrained: inside a runtime, tokio's cooperative budget would otherwise
/// make the lock answer "not yet" until this thread yields to the scheduler, which it never does.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(tokio::task::unconstrained(future));
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::yield_now();
    }
}
