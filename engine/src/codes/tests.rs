use super::*;
use crate::index::Vectors;

/// `n` unit vectors of `dim` in a few loose clusters (deterministic).
fn vectors(n: usize, dim: usize) -> Vectors {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let centres: Vec<Vec<f32>> = (0..8).map(|_| (0..dim).map(|_| next()).collect()).collect();
    let mut data = Vec::with_capacity(n * dim);
    for i in 0..n {
        let v: Vec<f32> = centres[i % 8].iter().map(|c| c + 0.6 * next()).collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        data.extend(v.iter().map(|x| x / norm));
    }
    Vectors { dim, data }
}

fn file(name: &str, bytes: &[u8]) -> FileRef {
    FileRef {
        path: format!("{name}-0123456789abcdef.bin"),
        bytes: bytes.len() as u64,
        sha256: String::new(),
    }
}

#[test]
fn codes_round_trip_and_approximate_the_dot_product() {
    let v = vectors(900, 48);
    let t = train(&v, 8, 4, 7, &|_| {});
    assert_eq!(t.codes.partitions(), t.points.len());
    assert!(t.codes.partitions() <= 9, "about a hundred articles each");
    let bytes = t.codes.encode();
    let back = Codes::decode(&file("codes", &bytes), &bytes).unwrap();
    assert_eq!(back, t.codes);
    let query = v.get(3);
    let table = back.table(query);
    let mut worst = 0f32;
    for i in 0..v.len() as u32 {
        let exact = crate::quant::dot(query, v.get(i as usize));
        worst = worst.max((back.approx(&table, i) - exact).abs());
    }
    assert!(
        worst < 0.25,
        "codes approximate the dot product: worst error {worst}"
    );
    // Every article's point is in its partition's file, at its slot.
    let total: usize = (0..back.partitions()).map(|p| back.members(p)).sum();
    assert_eq!(total, v.len());
    for i in [0u32, 17, 899] {
        let (p, slot) = back.place(i);
        let f = file("points", &t.points[p]);
        let points = Points::decode(&f, &t.points[p], p, back.members(p), 48).unwrap();
        let q = crate::quant::QPoint::quantize(v.get(i as usize));
        assert_eq!(points.point(slot).q, &q.q[..]);
        assert_eq!(points.point(slot).scale, q.scale);
    }
}

#[test]
fn training_is_deterministic() {
    let v = vectors(400, 24);
    let a = train(&v, 4, 3, 11, &|_| {});
    let b = train(&v, 4, 3, 11, &|_| {});
    assert_eq!(a.codes, b.codes);
    assert_eq!(a.points, b.points);
}

#[test]
fn bad_files_are_errors_naming_them() {
    let v = vectors(300, 24);
    let t = train(&v, 4, 3, 5, &|_| {});
    let bytes = t.codes.encode();
    // Truncated, or another kind of file.
    for broken in [&bytes[..bytes.len() / 2], &t.points[0][..]] {
        let err = Codes::decode(&file("codes", broken), broken).unwrap_err();
        assert!(err.to_string().contains("codes-"), "{err}");
    }
    // A partition's file read as another partition's, or with the wrong member count.
    let p = &t.points[0];
    let f = file("points", p);
    let members = t.codes.members(0);
    assert!(Points::decode(&f, p, 1, members, 24).is_err());
    assert!(Points::decode(&f, p, 0, members + 1, 24).is_err());
    assert!(Points::decode(&f, p, 0, members, 24).is_ok());
}
