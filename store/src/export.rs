//! The whole log as JSON lines (docs/export-format.md): a header line, one [`LogEntry`] per
//! event in global order, and the chain's head as the last line, so a truncated file is
//! recognised. The same log exports to the same bytes from either backend.

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncWrite, AsyncWriteExt, BufWriter};

use crate::chain::ChainHead;
use crate::{Ledger, StoreError};

/// The first line's `format`.
pub const EXPORT_FORMAT: &str = "channel-ledger-export";
/// The first line's `version`: changes whenever a line's meaning does.
pub const EXPORT_VERSION: u32 = 1;

/// Positions read per query.
const PAGE: u32 = 1000;

/// The first line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    pub format: String,
    pub version: u32,
}

/// The last line: the head of the chain the file holds.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Trailer {
    pub digest: ChainHead,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The log itself is damaged there; `channel-ledger verify` says more.
    #[error("position {position} cannot be exported: {detail}")]
    Unexportable { position: i64, detail: String },
}

impl Ledger {
    /// Writes the whole log to `out`, a page at a time, and returns the head it ended at.
    /// Events appended meanwhile are included up to wherever the last page reached.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend()), err)]
    pub async fn export<W: AsyncWrite + Unpin>(&self, out: W) -> Result<ChainHead, ExportError> {
        let mut out = BufWriter::new(out);
        write_line(
            &mut out,
            &Header {
                format: EXPORT_FORMAT.to_owned(),
                version: EXPORT_VERSION,
            },
        )
        .await?;
        self.settle().await?;
        let mut head = ChainHead::EMPTY;
        loop {
            let slots = self.read_slots(head.position, PAGE).await?;
            if slots.is_empty() {
                break;
            }
            for slot in slots {
                let position = head.position + 1;
                if slot.position != position {
                    return Err(ExportError::Unexportable {
                        position,
                        detail: "the position is missing".to_owned(),
                    });
                }
                let entry = slot
                    .into_entry()
                    .map_err(|detail| ExportError::Unexportable { position, detail })?;
                write_line(&mut out, &entry).await?;
                head = ChainHead {
                    position,
                    hash: entry.hash,
                };
            }
        }
        write_line(&mut out, &Trailer { digest: head }).await?;
        out.flush().await?;
        Ok(head)
    }
}

async fn write_line<W, T>(out: &mut BufWriter<W>, line: &T) -> Result<(), ExportError>
where
    W: AsyncWrite + Unpin,
    T: Serialize + ?Sized,
{
    let mut text = serde_json::to_vec(line).map_err(std::io::Error::other)?;
    text.push(b'\n');
    out.write_all(&text).await?;
    Ok(())
}
