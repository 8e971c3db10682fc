//! A new index version's store made from the previous version's: its files copied, then
//! only the points that differ upserted and the ones gone deleted, instead of loading
//! every point and building the graph again.
//!
//! A re-index that changes 1 % of the articles keeps their numbers (the indexer numbers
//! articles in the catalog's order), so point `i` of the old store is compared with
//! article `i` of the new index: vector and payload equal → kept. When more than half
//! the points differ (rows inserted near the top renumber everything after them), a
//! fresh load is cheaper and builds a better graph, and that is what happens.

use super::{check_points, dense, other_versions, read_marker, store_err, EdgeStore, MARKER};
use crate::catalog::Catalog;
use crate::error::ServerError;
use crate::store::digest;
use crate::store::{CatalogPoints, PointSource, Progress};
use qdrant_edge::{
    EdgeShard, PointId, PointInsertOperations, PointOperations, PointStruct,
    RetrieveRequestBuilder, UpdateOperation, WithPayloadInterface, WithVector,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Points compared (and retrieved from the old store) at a time.
const BATCH: usize = 1024;

/// More than this share of the new version's points changed: load afresh instead
/// (deleting is cheap: Qdrant's vacuum rewrites the segments that lost many points).
const MAX_CHANGED: f64 = 0.5;

/// What an update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Updated {
    pub kept: usize,
    pub upserted: usize,
    pub deleted: usize,
}

/// The most recently loaded other version under `root` whose files are as its marker
/// recorded them.
fn previous_version(root: &Path, dir: &Path) -> Option<PathBuf> {
    let (loaded, _) = other_versions(root, dir);
    loaded.into_iter().find(|p| {
        read_marker(p).is_some_and(|m| {
            !m.files.is_empty() && digest::first_change(p, &m.files, &[MARKER]).is_none()
        })
    })
}

/// Copies the files of `from` into `to` (created), the marker excepted.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else if e.file_name() != MARKER {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

impl EdgeStore {
    /// `dir` filled from the previous version's store under `root` with only what changed,
    /// or `None` (nothing written that matters: the caller loads afresh) when there is no
    /// usable previous version or too much changed.
    pub(super) fn update_previous(
        root: &Path,
        dir: &Path,
        catalog: &Catalog,
        progress: &Progress,
    ) -> Option<(EdgeShard, Updated)> {
        let previous = previous_version(root, dir)?;
        let t = Instant::now();
        progress.stage("copying the previous version's store", 1);
        let _ = std::fs::remove_dir_all(dir);
        if let Err(e) = copy_dir(&previous, dir) {
            tracing::warn!(from = %previous.display(), error = %e, "cannot copy the previous store; loading afresh");
            return None;
        }
        let opened = std::panic::catch_unwind(|| EdgeShard::load(dir, None));
        let shard = match opened {
            Ok(Ok(shard)) => shard,
            _ => {
                tracing::warn!(from = %previous.display(), "the copied store does not open; loading afresh");
                return None;
            }
        };
        let applied = Self::apply_changes(&shard, catalog, progress).and_then(|u| match u {
            Some(updated) => check_points(&shard, catalog)
                .map(|()| Some(updated))
                .map_err(|e| store_err("check after updating", e)),
            None => Ok(None),
        });
        match applied {
            Ok(Some(updated)) => {
                tracing::info!(
                    from = %previous.display(),
                    kept = updated.kept,
                    upserted = updated.upserted,
                    deleted = updated.deleted,
                    seconds = t.elapsed().as_secs_f64(),
                    "embedded Qdrant store updated from the previous index version's"
                );
                Some((shard, updated))
            }
            Ok(None) => {
                tracing::info!(
                    from = %previous.display(),
                    "more than half the points changed: loading the store afresh"
                );
                None
            }
            Err(e) => {
                tracing::warn!(from = %previous.display(), error = %e, "cannot update the previous store; loading afresh");
                None
            }
        }
    }

    /// Upserts the points of `catalog` that differ in `shard`, deletes those beyond it,
    /// optimises; `None` (the shard untouched) when more than half would be upserted.
    fn apply_changes(
        shard: &EdgeShard,
        catalog: &Catalog,
        progress: &Progress,
    ) -> Result<Option<Updated>, ServerError> {
        let points = CatalogPoints::new(catalog)?;
        let n = points.len();
        let old = shard.info().map_err(|e| store_err("info", e))?.points_count;
        let top = n.max(old);
        progress.stage("comparing with the previous version's store", top as u64);
        let mut changed: Vec<usize> = Vec::new();
        let mut deleted: Vec<PointId> = Vec::new();
        let mut start = 0;
        while start < top {
            let end = (start + BATCH).min(top);
            let request = RetrieveRequestBuilder::new(
                (start as u64..end as u64).map(PointId::NumId).collect(),
            )
            .with_payload(WithPayloadInterface::Bool(true))
            .with_vector(WithVector::Bool(true))
            .build();
            let records = shard
                .retrieve(request)
                .map_err(|e| store_err("retrieve", e))?;
            let mut same = vec![false; end - start];
            for r in records {
                let id = match r.id {
                    PointId::NumId(id) if (start as u64..end as u64).contains(&id) => id as usize,
                    _ => continue,
                };
                if id >= n {
                    deleted.push(PointId::NumId(id as u64));
                    continue;
                }
                let vector_same = dense(&r.vector).is_some_and(|v| {
                    let want = points.vector(id);
                    v.len() == want.len() && v.iter().zip(&want).all(|(a, b)| (a - b).abs() <= 1e-6)
                });
                let payload_same = r
                    .payload
                    .as_ref()
                    .is_some_and(|p| points.payload(id).as_object() == Some(&p.0));
                same[id - start] = vector_same && payload_same;
            }
            changed.extend((start..end.min(n)).filter(|&i| !same[i - start]));
            if changed.len() as f64 > MAX_CHANGED * n as f64 {
                return Ok(None);
            }
            progress.set(end as u64);
            start = end;
        }
        progress.stage("updating the changed points", changed.len() as u64);
        for (done, batch) in changed.chunks(BATCH).enumerate() {
            let batch = batch
                .iter()
                .map(|&i| PointStruct::new(i as u64, points.vector(i), points.payload(i)).into())
                .collect();
            shard
                .update(UpdateOperation::PointOperation(
                    PointOperations::UpsertPoints(PointInsertOperations::PointsList(batch)),
                ))
                .map_err(|e| store_err("upsert", e))?;
            progress.set(((done + 1) * BATCH).min(changed.len()) as u64);
        }
        if !deleted.is_empty() {
            shard
                .update(UpdateOperation::PointOperation(
                    PointOperations::DeletePoints {
                        ids: deleted.clone(),
                    },
                ))
                .map_err(|e| store_err("delete", e))?;
        }
        progress.stage("optimising the store", 1);
        shard.optimize().map_err(|e| store_err("optimize", e))?;
        shard.flush().map_err(|e| store_err("flush", e))?;
        Ok(Some(Updated {
            kept: n - changed.len(),
            upserted: changed.len(),
            deleted: deleted.len(),
        }))
    }
}
