//! The portfolio as of a moment, from the stored versions.

use std::collections::HashMap;

use channel_ledger_domain::StaffId;
use channel_ledger_projections::views::{Portfolio, Scope};
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};

use super::versions::{Found, Version};
use super::ProgramHistory;
use crate::fold::{fold_ordered, select};
use crate::{Axis, ReplayError};

impl ProgramHistory {
    /// The portfolio `scope` reads as of `t` on `axis` (only `pam`'s partners when given), with
    /// QAR due dates judged at `now`: equal to the live view over the model folded from the
    /// events that count at `t`. Call [`ProgramHistory::catch_up`] first to see the log's latest
    /// events.
    #[tracing::instrument(name = "history.portfolio", skip_all, fields(replay.axis = %axis, replay.as_of = %t, history.refolded), err)]
    pub async fn portfolio_as_of(
        &self,
        ledger: &Ledger,
        axis: Axis,
        t: DateTime<Utc>,
        now: DateTime<Utc>,
        scope: &Scope,
        pam: Option<StaffId>,
    ) -> Result<Portfolio, ReplayError> {
        let names = self.staff_names(axis, t);
        let mut partners = Vec::with_capacity(self.partners.len());
        let mut refolded = 0;
        for (id, versions) in self.partners.iter() {
            let version = match versions.at(axis, t) {
                Found::At(version) => version.cloned(),
                Found::Refold => {
                    refolded += 1;
                    self.refold(ledger, id, |events| {
                        events.into_iter().filter(|e| e.recorded_at <= t).collect()
                    })
                    .await?
                    .pop()
                }
            };
            let Some(Version {
                line: Some(line),
                effective_at,
                actor,
                ..
            }) = version
            else {
                continue;
            };
            if line.shown(scope, pam) {
                let name = line.pam.and_then(|p| names.get(&p).cloned());
                partners.push(line.summary(name, Some((effective_at, &actor)), now));
            }
        }
        tracing::Span::current().record("history.refolded", refolded);
        Ok(Portfolio::sorted(pam, partners))
    }

    /// Every member of staff's name in the directory as of `t` on `axis`.
    fn staff_names(&self, axis: Axis, t: DateTime<Utc>) -> HashMap<StaffId, String> {
        let events: Vec<LedgerEvent> = self.staff.clone();
        let model: ProgramModel = fold_ordered(&select(events, axis, t));
        model
            .staff
            .values()
            .filter_map(|entry| {
                let p = entry.staff.profile.as_ref()?;
                Some((p.staff_id, p.name.to_string()))
            })
            .collect()
    }
}
