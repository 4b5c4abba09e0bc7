//! Reading the log: the global order, one stream, a type's streams, positions.

use cqrs_es::persist::SerializedEvent;

use crate::ledger::{Db, Ledger};
use crate::record::{self, RecordedEvent, RECORDED_COLUMNS, SERIALIZED_COLUMNS};
use crate::sequencer::{self, Backoff};
use crate::StoreError;

impl Ledger {
    /// Up to `limit` events with `position > after`, ascending. Paging with the last position
    /// seen never skips an event, however late a concurrent writer commits.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), log.after = after, log.limit = limit), err)]
    pub async fn read_global(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {RECORDED_COLUMNS} FROM event_positions p JOIN events e ON e.id = p.event_id \
             WHERE p.position > $1 ORDER BY p.position LIMIT $2"
        );
        let limit = i64::from(limit);
        match &self.db {
            Db::Sqlite(pool) => {
                let rows = sqlx::query(&sql)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(RecordedEvent::from_sqlite).collect()
            }
            Db::Postgres(pool) => {
                sequencer::sequence_unless_busy(pool).await?;
                let rows = sqlx::query(&sql)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(RecordedEvent::from_pg).collect()
            }
        }
    }

    /// Every committed event of one stream, by sequence, each with its global position.
    /// On PostgreSQL this waits (boundedly) for just-committed events to be sequenced.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), aggregate.r#type = aggregate_type, aggregate.id = aggregate_id), err)]
    pub async fn read_stream(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if let Some(scanner) = &self.scanner {
            return scanner.read_stream(aggregate_type, aggregate_id).await;
        }
        match &self.db {
            Db::Sqlite(pool) => {
                let sql = format!(
                    "SELECT {RECORDED_COLUMNS} FROM events e JOIN event_positions p ON p.event_id = e.id \
                     WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 ORDER BY e.sequence"
                );
                let rows = sqlx::query(&sql)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(RecordedEvent::from_sqlite).collect()
            }
            Db::Postgres(pool) => {
                // A LEFT JOIN so an unsequenced event is noticed rather than silently left out.
                let sql = format!(
                    "SELECT {RECORDED_COLUMNS} FROM events e LEFT JOIN event_positions p ON p.event_id = e.id \
                     WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 ORDER BY e.sequence"
                );
                let mut backoff = Backoff::new();
                loop {
                    let rows = sqlx::query(&sql)
                        .bind(aggregate_type)
                        .bind(aggregate_id)
                        .fetch_all(pool)
                        .await?;
                    let all_positioned = rows.iter().all(|row| {
                        sqlx::Row::try_get::<Option<i64>, _>(row, "position")
                            .is_ok_and(|p| p.is_some())
                    });
                    if all_positioned {
                        return rows.iter().map(RecordedEvent::from_pg).collect();
                    }
                    sequencer::sequence(pool).await?;
                    backoff.pause().await?;
                }
            }
        }
    }

    /// The ids of `aggregate_type`'s streams, in the order they first appeared.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), aggregate.r#type = aggregate_type), err)]
    pub async fn stream_ids(&self, aggregate_type: &str) -> Result<Vec<String>, StoreError> {
        // Every stream starts at sequence 1; a partial index holds exactly those rows.
        let sql = "SELECT aggregate_id FROM events WHERE aggregate_type = $1 AND sequence = 1 ORDER BY id";
        Ok(match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_scalar(sql)
                    .bind(aggregate_type)
                    .fetch_all(pool)
                    .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_scalar(sql)
                    .bind(aggregate_type)
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    /// The position of the last event in the global order; 0 for an empty log.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend()), err)]
    pub async fn head_position(&self) -> Result<i64, StoreError> {
        let sql = "SELECT coalesce(max(position), 0) FROM event_positions";
        Ok(match &self.db {
            Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
            Db::Postgres(pool) => {
                sequencer::sequence_unless_busy(pool).await?;
                sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await?
            }
        })
    }

    /// The global position of one event, if it exists and has been sequenced.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), aggregate.r#type = aggregate_type, aggregate.id = aggregate_id, event.sequence = sequence), err)]
    pub async fn position_of(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        sequence: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = "SELECT p.position FROM events e JOIN event_positions p ON p.event_id = e.id \
                   WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 AND e.sequence = $3";
        Ok(match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_scalar(sql)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .bind(sequence)
                    .fetch_optional(pool)
                    .await?
            }
            Db::Postgres(pool) => {
                sequencer::sequence_unless_busy(pool).await?;
                sqlx::query_scalar(sql)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .bind(sequence)
                    .fetch_optional(pool)
                    .await?
            }
        })
    }

    /// The highest sequenced position in one stream, or in every stream of `aggregate_type`
    /// when `aggregate_id` is `None`; 0 when there is none. One indexed query: a cheap "has
    /// anything moved since" check for caches.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), aggregate.r#type = aggregate_type, aggregate.id = aggregate_id), err)]
    pub async fn last_position(
        &self,
        aggregate_type: &str,
        aggregate_id: Option<&str>,
    ) -> Result<i64, StoreError> {
        let from = "FROM events e JOIN event_positions p ON p.event_id = e.id \
                    WHERE e.aggregate_type = $1";
        let sql = match aggregate_id {
            Some(_) => {
                format!("SELECT coalesce(max(p.position), 0) {from} AND e.aggregate_id = $2")
            }
            None => format!("SELECT coalesce(max(p.position), 0) {from}"),
        };
        Ok(match &self.db {
            Db::Sqlite(pool) => {
                let q = sqlx::query_scalar(&sql).bind(aggregate_type);
                let q = match aggregate_id {
                    Some(id) => q.bind(id),
                    None => q,
                };
                q.fetch_one(pool).await?
            }
            Db::Postgres(pool) => {
                let q = sqlx::query_scalar::<_, i64>(&sql).bind(aggregate_type);
                let q = match aggregate_id {
                    Some(id) => q.bind(id),
                    None => q,
                };
                q.fetch_one(pool).await?
            }
        })
    }

    /// One stream's events after `after_sequence`, for loading an aggregate. Needs no position,
    /// so it never waits for the sequencer.
    pub(crate) async fn stream_events(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: i64,
    ) -> Result<Vec<SerializedEvent>, StoreError> {
        if let Some(scanner) = &self.scanner {
            return scanner
                .stream_events(aggregate_type, aggregate_id, after_sequence)
                .await;
        }
        let sql = format!(
            "SELECT {SERIALIZED_COLUMNS} FROM events e \
             WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 AND e.sequence > $3 \
             ORDER BY e.sequence"
        );
        match &self.db {
            Db::Sqlite(pool) => {
                let rows = sqlx::query(&sql)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .bind(after_sequence)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(record::serialized_from_sqlite).collect()
            }
            Db::Postgres(pool) => {
                let rows = sqlx::query(&sql)
                    .bind(aggregate_type)
                    .bind(aggregate_id)
                    .bind(after_sequence)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(record::serialized_from_pg).collect()
            }
        }
    }
}
