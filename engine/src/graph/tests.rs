use super::*;
use crate::index::BuildParams;

fn vectors(n: usize, dim: usize, seed: u64) -> Vectors {
    let mut s = seed;
    let mut data = Vec::with_capacity(n * dim);
    for _ in 0..n {
        let v: Vec<f32> = (0..dim)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 33) as f32 / (1u64 << 31) as f32) - 0.5
            })
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        data.extend(v.iter().map(|x| x / norm));
    }
    Vectors { dim, data }
}

fn params(ef_search: u32) -> GraphInfo {
    GraphInfo {
        ef_search,
        ef_construction: 64,
        ..BuildParams::default().graph
    }
}

#[test]
fn finds_what_instant_distance_finds() {
    // Enough points for several upper layers (instant-distance's M is 32).
    let (n, dim) = (3000, 24);
    let v = vectors(n, dim, 7);
    let info = params(48);
    // instant-distance inserts in parallel, so two builds of the same points may differ:
    // both searches walk one built map, in instant-distance's layout and in ours.
    let points: Vec<QPoint> = (0..n).map(|i| QPoint::quantize(v.get(i))).collect();
    let map = instant_distance::Builder::default()
        .ef_construction(info.ef_construction as usize)
        .ef_search(info.ef_search as usize)
        .seed(info.seed)
        .build(points.clone(), (0..n as u32).collect::<Vec<_>>());
    let graph = Graph::from_map(dim, &points, &map);
    assert!(graph.layers.len() >= 3, "{} layers", graph.layers.len());
    let queries = vectors(50, dim, 99);
    let mut same = 0;
    for i in 0..queries.len() {
        let q = QPoint::quantize(queries.get(i));
        let ours = graph.candidates(&q);
        let mut search = instant_distance::Search::default();
        let theirs: Vec<(u32, f32)> = map
            .search(&q, &mut search)
            .map(|item| (*item.value, item.distance))
            .collect();
        assert_eq!(ours.len(), 48);
        // The same distances in the same order; ids may differ only among equal distances.
        let d = |l: &[(u32, f32)]| l.iter().map(|x| x.1.to_bits()).collect::<Vec<_>>();
        assert_eq!(d(&ours), d(&theirs), "query {i}");
        same += (ours == theirs) as usize;
    }
    assert!(same >= 48, "{same} of 50 identical");
}

/// Recall@10 of `graph` against an exact scan of the int8 points of `v`.
fn recall(graph: &Graph, v: &Vectors, queries: &Vectors) -> f64 {
    let points: Vec<QPoint> = (0..v.len()).map(|i| QPoint::quantize(v.get(i))).collect();
    let mut found = 0;
    for i in 0..queries.len() {
        let q = QPoint::quantize(queries.get(i));
        let mut exact: Vec<(f32, u32)> = points
            .iter()
            .enumerate()
            .map(|(j, p)| (1.0 - q.dot(p), j as u32))
            .collect();
        exact.sort_by(|a, b| a.0.total_cmp(&b.0));
        let ours: Vec<u32> = graph.candidates(&q).iter().take(10).map(|c| c.0).collect();
        found += exact[..10].iter().filter(|e| ours.contains(&e.1)).count();
    }
    found as f64 / (10 * queries.len()) as f64
}

#[test]
fn an_updated_graph_finds_changed_articles_as_well_as_a_new_build() {
    let (n, dim) = (3000, 24);
    let old = vectors(n, dim, 11);
    let info = params(64);
    let graph = Graph::build(&old, &info, instant_distance::Builder::default());
    // 5 % of the articles get new vectors (every 20th, the entry article among them).
    let fresh = vectors(n, dim, 12);
    let mut new = old.clone();
    for i in (0..n).step_by(20) {
        new.data[i * dim..(i + 1) * dim].copy_from_slice(fresh.get(i));
    }
    let Update::Updated {
        graph: updated,
        changed,
    } = graph.update(&new, info.ef_construction as usize, n)
    else {
        panic!("not updated")
    };
    assert_eq!(changed, n / 20);
    assert_eq!(updated.len(), n);
    for i in 0..n as u32 {
        assert_eq!(
            updated.point(i).q,
            &QPoint::quantize(new.get(i as usize)).q[..]
        );
    }
    // Every changed article is its own nearest neighbour again.
    for i in (0..n).step_by(20) {
        let q = QPoint::quantize(new.get(i));
        assert_eq!(updated.candidates(&q)[0].0, i as u32, "article {i}");
    }
    let rebuilt = Graph::build(&new, &info, instant_distance::Builder::default());
    let queries = vectors(100, dim, 13);
    let (r_updated, r_rebuilt) = (
        recall(&updated, &new, &queries),
        recall(&rebuilt, &new, &queries),
    );
    println!("recall@10: updated {r_updated}, rebuilt {r_rebuilt}");
    assert!(
        r_updated >= r_rebuilt - 0.02,
        "recall@10 updated {r_updated}, rebuilt {r_rebuilt}"
    );
    // Nothing changed: the same graph, byte for byte.
    let Update::Updated {
        graph: same,
        changed: 0,
    } = graph.update(&old, 64, 0)
    else {
        panic!("an unchanged graph is updated")
    };
    assert_eq!(same.raw, graph.raw);
    assert!(matches!(
        graph.update(&new, 64, 10),
        Update::TooManyChanged(150)
    ));
    // Other vectors do not fit.
    assert!(matches!(
        graph.update(&vectors(n - 1, dim, 1), 64, n),
        Update::Mismatch
    ));
}

#[test]
fn round_trips_and_rejects_damage() {
    let v = vectors(500, 16, 3);
    let graph = Graph::build(&v, &params(32), instant_distance::Builder::default());
    let bytes = graph.encode();
    let file = FileRef {
        path: "graph-x.bin".into(),
        bytes: bytes.len() as u64,
        sha256: String::new(),
    };
    let back = Graph::decode(&file, &bytes, Some(8)).unwrap();
    assert_eq!(back.ef_search(), 8);
    assert_eq!(back.len(), 500);
    let q = QPoint::quantize(v.get(17));
    assert_eq!(back.candidates(&q)[0].0, 17);
    for i in 0..500u32 {
        assert_eq!(back.point(i).q, &QPoint::quantize(v.get(i as usize)).q[..]);
    }
    // A payload whose checksum is right but whose contents are not: every damaged
    // size or id is an error, never a panic.
    let raw = graph.raw.clone();
    for at in (0..raw.len()).step_by(7) {
        let mut bad = raw.clone();
        bad[at] ^= 0xA5;
        if let Ok(g) = Graph::from_raw(bad) {
            let _ = g.candidates(&q);
        }
    }
    for cut in [0, 3, 19, 20, 100, raw.len() - 1] {
        assert!(
            Graph::from_raw(raw[..cut].to_vec()).is_err(),
            "cut at {cut}"
        );
    }
    let empty = Graph::build(
        &Vectors {
            dim: 4,
            data: vec![],
        },
        &params(8),
        Default::default(),
    );
    assert!(empty
        .candidates(&QPoint::quantize(&[1.0, 0.0, 0.0, 0.0]))
        .is_empty());
}
