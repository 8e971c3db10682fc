//! The offline copy: every file of the index fetched into the service worker's cache in
//! the background once the full answer is here, then the model's word files handed to
//! its worker and every partition of points and bucket of postings attached to the
//! searcher, so that typed queries never wait for a file.

use super::{now_ms, wait_while, Attached, Session};
use crate::fetch::{cached_file_names, index_file, sleep_ms};
use atelier_engine::index::FileRef;

/// Word files handed to the model's worker in one message by [`Session::attach_all_words`]
/// (about 0.4 MB: a few milliseconds of its time between two queries).
const WORD_FILES_PER_BATCH: usize = 32;

/// Partitions of points or buckets of postings read from the cache and attached between
/// two searches by [`Session::attach_all_held`] (a few milliseconds of this worker's
/// time). (Spread thinner — 8 a batch, 25 ms apart — the 1.2 s became 8–10 s, and
/// typed queries in those seconds still fetched files: docs/BENCHMARKS.md.)
const HELD_FILES_PER_BATCH: usize = 16;

/// Files the offline copy downloads at once (browsers open about six connections to a
/// host over HTTP/1.1).
const OFFLINE_FETCHES: usize = 4;

/// An index file the worker may hold in memory.
enum Held {
    Points(usize),
    Postings(usize),
    Shard(usize),
    Words,
}

impl Session {
    /// Downloads every word file of the model, partition of points, bucket of keyword postings and every
    /// metadata shard the service worker has not cached yet, a few at a time, so that
    /// the app works offline. It starts once the codes and model are in and the searches
    /// under way are answered (so it never competes with them or with the first
    /// results), and a warm start, with every file cached, fetches nothing.
    /// Stops at the first failure; `true` when every file is cached or on its way into
    /// the cache ([`crate::fetch::stored`]).
    pub async fn prefetch_offline(&self) -> bool {
        use futures::StreamExt;
        // The app asks again for the search on screen once the full answer can be had:
        // its word files and points come first (half a second for it to ask, then as
        // long as searches are under way, at most 20 s).
        sleep_ms(500).await;
        wait_while(|waited| self.searching.get() > 0 && waited < 20_000).await;
        // Without a cache (no service worker) there is no offline copy to fill.
        let Some(cached) = cached_file_names().await else {
            return false;
        };
        let files = &self.loader.manifest().files;
        let points = files
            .points
            .iter()
            .enumerate()
            .map(|(n, f)| (f.clone(), Held::Points(n)));
        let postings = files
            .postings
            .iter()
            .enumerate()
            .map(|(n, f)| (f.clone(), Held::Postings(n)));
        let shards = files
            .shards
            .iter()
            .enumerate()
            .map(|(n, f)| (f.clone(), Held::Shard(n)));
        // (The model's worker holds the word files it was sent; the cache has them.)
        let words = files.words.iter().map(|f| (f.clone(), Held::Words));
        let cached = &cached;
        let fetch = |(file, held): (FileRef, Held)| async move {
            let lock = self.file_lock(&file);
            let _downloading = lock.lock().await;
            // Fetched already: stored in the cache by `index_file`, or on its way there.
            let loaded = match held {
                Held::Points(n) => self.searcher.borrow().index().has_points(n),
                Held::Postings(n) => self.searcher.borrow().index().keywords.has_bucket(n),
                Held::Shard(n) => self.shards.borrow().contains_key(&n),
                Held::Words => false,
            };
            // (File names are plain `NAME-HASH.bin`: the loader admits nothing else.)
            loaded
                || cached.contains(&file.path)
                || index_file(&format!("{}{}", self.base, file.path), |_| {})
                    .await
                    .is_ok()
        };
        // Small files: a few in flight at once, so round trips overlap.
        let mut fetched = futures::stream::iter(words.chain(points).chain(postings).chain(shards))
            .map(fetch)
            .buffer_unordered(OFFLINE_FETCHES);
        while let Some(ok) = fetched.next().await {
            if !ok {
                return false;
            }
        }
        crate::fetch::keep_scripts().await
    }

    /// Hands the model's worker every word file, from the offline copy, a batch at a
    /// time between searches: typed queries then never wait for a round of word
    /// fetches (about 15 ms of a warm query's 45 before). Called once the offline copy
    /// is complete, so every file comes from the cache; the first failure stops it (a
    /// query fetches what it lacks, as before). Files the queries so far brought are
    /// not read again.
    pub async fn attach_all_words(&self) {
        let Some(encoder) = self.encoder.borrow().clone() else {
            return;
        };
        let t = now_ms();
        let numbers: Vec<usize> = (0..self.loader.manifest().files.words.len())
            .filter(|&n| !self.has_words(n))
            .collect();
        for batch in numbers.chunks(WORD_FILES_PER_BATCH) {
            wait_while(|waited| self.searching.get() > 0 && waited < 5_000).await;
            let attached = match self.fetch_words(batch).await {
                Ok(words) => encoder.attach_words(words),
                Err(e) => Err(e.to_string()),
            };
            if attached.is_ok() {
                self.mark_words_attached(batch);
            }
            if let Err(e) = attached {
                web_sys::console::warn_1(
                    &format!("atelier-worker: the model's word files were not all attached: {e}")
                        .into(),
                );
                return;
            }
        }
        web_sys::console::info_1(
            &format!(
                "atelier-worker: {} word files attached to the model in {:.0} ms",
                numbers.len(),
                now_ms() - t
            )
            .into(),
        );
    }

    /// Attaches every partition of points and bucket of postings not attached yet, from
    /// the offline copy, a batch at a time between searches: a typed query otherwise
    /// fetches a few of them from the cache before its ranking (10–30 ms of a 50 ms
    /// query). Called once the offline copy is complete; the first failure stops it
    /// (a query fetches what it lacks, as before). The points take about 30 MB of this
    /// worker's memory, the postings a few.
    pub async fn attach_all_held(&self) {
        let t = now_ms();
        let files = &self.loader.manifest().files;
        let (points, postings) = {
            let searcher = self.searcher.borrow();
            let index = searcher.index();
            let points: Vec<u32> = (0..files.points.len())
                .filter(|&n| !index.has_points(n))
                .map(|n| n as u32)
                .collect();
            let postings: Vec<u32> = (0..files.postings.len())
                .filter(|&n| !index.keywords.has_bucket(n))
                .map(|n| n as u32)
                .collect();
            (points, postings)
        };
        for (what, numbers) in [(Attached::Points, &points), (Attached::Postings, &postings)] {
            for batch in numbers.chunks(HELD_FILES_PER_BATCH) {
                wait_while(|waited| self.searching.get() > 0 && waited < 5_000).await;
                if let Err(e) = self.fetch_attached(what, batch).await {
                    web_sys::console::warn_1(
                        &format!("atelier-worker: the index's files were not all attached: {e}")
                            .into(),
                    );
                    return;
                }
            }
        }
        web_sys::console::info_1(
            &format!(
                "atelier-worker: {} partitions of points and {} buckets of postings attached in {:.0} ms",
                points.len(),
                postings.len(),
                now_ms() - t
            )
            .into(),
        );
    }
}
