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
    let t = train(&v, 8, 4, 7, 0, &|_| {});
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
    // Every article's point is in its partition's file, at its slot: its code's
    // reconstruction plus its residual gives its vector (8 bits below EXACT_BELOW).
    let total: usize = (0..back.partitions()).map(|p| back.members(p)).sum();
    assert_eq!(total, v.len());
    for i in [0u32, 17, 899] {
        let (p, slot) = back.place(i);
        let f = file("points", &t.points[p]);
        let points = Points::decode(&f, &t.points[p], p, back.members(p), 48).unwrap();
        assert_eq!(points.bits(), 8);
        let mut x = vec![0f32; 48];
        back.reconstruct(i, &mut x);
        points.add_residual(slot, &mut x);
        let worst = x
            .iter()
            .zip(v.get(i as usize))
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(worst < 2e-3, "article {i}: worst component error {worst}");
    }
}

#[test]
fn six_bit_residuals_round_trip_and_stay_close() {
    let v = vectors(300, 24);
    let t = train(&v, 4, 1, 3, 0, &|_| {});
    let mut rows = Vec::new();
    let (mut scales, mut q) = (Vec::new(), Vec::new());
    for i in 0..v.len() as u32 {
        let mut r = vec![0f32; 24];
        t.codes.reconstruct(i, &mut r);
        for (r, x) in r.iter_mut().zip(v.get(i as usize)) {
            *r = x - *r;
        }
        let (scale, levels) = train::quantize(&r, 6);
        assert!(levels.iter().all(|l| (-31..=31).contains(l)));
        scales.push(scale);
        q.extend_from_slice(&levels);
        rows.push(r);
    }
    let bytes = Points::encode(24, 0, 6, &scales, &q);
    let f = file("points", &bytes);
    let points = Points::decode(&f, &bytes, 0, v.len(), 24).unwrap();
    assert_eq!(points.bits(), 6);
    let (mut err, mut norm) = (0f32, 0f32);
    for (slot, r) in rows.iter().enumerate() {
        let mut back = vec![0f32; 24];
        points.add_residual(slot, &mut back);
        // Every level decodes to what was encoded (the sign of each half included).
        for (j, b) in back.iter().enumerate() {
            assert_eq!(*b, scales[slot] * q[slot * 24 + j] as f32);
        }
        err += r
            .iter()
            .zip(&back)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f32>();
        norm += r.iter().map(|a| a * a).sum::<f32>();
    }
    assert!(
        err < 0.005 * norm,
        "6-bit residuals keep 99.5 % of the residual: {err} of {norm}"
    );
    // Other widths are refused.
    let mut raw = bytes.clone();
    raw[crate::format::HEADER_LEN + 12] = 3;
    let crc = crc32fast::hash(&raw[crate::format::HEADER_LEN..]);
    raw[24..28].copy_from_slice(&crc.to_le_bytes());
    let err = Points::decode(&f, &raw, 0, v.len(), 24).unwrap_err();
    assert!(err.to_string().contains("3-bit points"), "{err}");
}

#[test]
fn training_is_deterministic() {
    let v = vectors(400, 24);
    let a = train(&v, 4, 3, 11, 0, &|_| {});
    let b = train(&v, 4, 3, 11, 0, &|_| {});
    assert_eq!(a.codes, b.codes);
    assert_eq!(a.points, b.points);
}

#[test]
fn bad_files_are_errors_naming_them() {
    let v = vectors(300, 24);
    let t = train(&v, 4, 3, 5, 0, &|_| {});
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

/// [`Codes::approx`] as it was first written: sub-space `s` adds into `acc[s % 4]`.
fn approx_reference(codes: &Codes, table: &[f32], i: u32) -> f32 {
    let code = &codes.codes[i as usize * codes.m..(i as usize + 1) * codes.m];
    let mut acc = [0f32; 4];
    for (s, chunk) in code.chunks(4).enumerate() {
        for (j, &c) in chunk.iter().enumerate() {
            acc[j] += table[(s * 4 + j) * CENTROIDS + c as usize];
        }
    }
    acc.iter().sum()
}

#[test]
fn the_estimate_sums_in_one_order_whatever_the_sub_spaces() {
    // 8 sub-spaces (whole groups of four) and 6 (a remainder of two).
    for m in [8, 6] {
        let v = vectors(600, 48);
        let t = train(&v, m, 2, 5, 0, &|_| {});
        let table = t.codes.table(v.get(1));
        for i in 0..v.len() as u32 {
            assert_eq!(
                t.codes.approx(&table, i).to_bits(),
                approx_reference(&t.codes, &table, i).to_bits(),
                "article {i}, {m} sub-spaces"
            );
        }
    }
}
