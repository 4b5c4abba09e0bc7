//! A minimal aggregate for store tests, independent of the domain: a counter that adds amounts.

use std::collections::HashMap;

use channel_ledger_domain::metadata::EFFECTIVE_AT_KEY;
use channel_ledger_store::{Ledger, LedgerRepository};
use chrono::{DateTime, SecondsFormat, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{Aggregate, CqrsFramework, DomainEvent};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub total: i64,
    pub additions: u32,
}

#[derive(Debug, Clone)]
pub enum CounterCommand {
    /// One `Added` event.
    Add(i64),
    /// One `Added` event per amount, appended together.
    AddEach(Vec<i64>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CounterEvent {
    Added { amount: i64 },
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> String {
        match self {
            Self::Added { .. } => "CounterAdded".into(),
        }
    }

    fn event_version(&self) -> String {
        "1".into()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a counter adds at least one non-zero amount")]
pub struct CounterError;

impl Aggregate for Counter {
    const TYPE: &'static str = "Counter";
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Error = CounterError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let amounts = match command {
            CounterCommand::Add(amount) => vec![amount],
            CounterCommand::AddEach(amounts) => amounts,
        };
        if amounts.is_empty() || amounts.contains(&0) {
            return Err(CounterError);
        }
        for amount in amounts {
            sink.write(CounterEvent::Added { amount }, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CounterEvent::Added { amount } => {
                self.total += amount;
                self.additions += 1;
            }
        }
    }
}

pub type CounterCqrs = CqrsFramework<Counter, PersistedEventStore<LedgerRepository, Counter>>;

/// A cqrs-es framework for [`Counter`] over `ledger`, without queries.
pub fn counter_cqrs(ledger: &Ledger) -> CounterCqrs {
    CqrsFramework::new(ledger.event_store::<Counter>(), vec![], ())
}

/// The smallest valid ledger metadata: an effective time and who acted.
pub fn metadata_at(effective_at: DateTime<Utc>) -> HashMap<String, String> {
    HashMap::from([
        (
            EFFECTIVE_AT_KEY.to_owned(),
            effective_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        ),
        (
            "actor_id".to_owned(),
            "0190c0de-0000-7000-8000-000000000001".to_owned(),
        ),
        ("reason".to_owned(), "store test".to_owned()),
    ])
}
