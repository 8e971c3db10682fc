//! `indexer build --images` and `--photo-url`: product photos in the index, and the
//! URL every result carries.

mod common;
use common::*;
use std::path::Path;

/// The first `n` article ids of the demo catalog (it is in id order).
fn demo_ids(n: usize) -> Vec<String> {
    std::fs::read_to_string(demo_catalog())
        .unwrap()
        .lines()
        .skip(1)
        .take(n)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

fn write_photo(dir: &Path, id: &str, shade: u8) {
    let folder = dir.join("images").join(&id[..3]);
    std::fs::create_dir_all(&folder).unwrap();
    let photo = image::RgbImage::from_fn(600, 900, |x, y| {
        image::Rgb([shade, (x / 3) as u8, (y / 4) as u8])
    });
    photo.save(folder.join(format!("{id}.jpg"))).unwrap();
}

#[test]
fn photos_become_small_webp_thumbnails_and_results_carry_their_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let photos = tmp.path().join("shop");
    let ids = demo_ids(40);
    for (i, id) in ids.iter().take(6).enumerate() {
        write_photo(&photos, id, i as u8 * 40);
    }
    // A damaged photo is skipped and named; it does not fail the build.
    std::fs::write(
        photos
            .join("images")
            .join(&ids[6][..3])
            .join(format!("{}.jpg", ids[6])),
        b"not a jpeg",
    )
    .unwrap();
    let out = tmp.path().join("index");
    let log = indexer()
        .args([
            "build",
            "--catalog",
            demo_catalog().to_str().unwrap(),
            "--limit",
            "40",
        ])
        .args([
            "--out",
            out.to_str().unwrap(),
            "--images",
            photos.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_no_panic(&log);
    let err = String::from_utf8_lossy(&log.stderr);
    assert!(log.status.success(), "{err}");
    assert!(
        err.contains("photos: 6 thumbnails, 33 articles without a photo, 1 unreadable"),
        "{err}"
    );
    assert!(
        err.contains(&format!("photo of {} unreadable", ids[6])),
        "{err}"
    );

    let url = manifest(&out)["photos"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    let version = url
        .strip_prefix("photos/{folder}/{article_id}.webp?v=")
        .unwrap_or_else(|| panic!("{url}"));
    assert_eq!(version.len(), 16);
    for id in &ids[..6] {
        let thumb = out.join(format!("photos/{}/{id}.webp", &id[..3]));
        let bytes = std::fs::read(&thumb).unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (200, 300));
    }
    assert!(!out
        .join(format!("photos/{}/{}.webp", &ids[6][..3], ids[6]))
        .exists());

    // Every result names its photo: relative to the index folder.
    let result = &search_stdin(&["--index", out.to_str().unwrap(), "--k", "40"], "top\n")[0];
    let items = result["results"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let id = item["article_id"].as_str().unwrap();
        assert_eq!(
            item["image"].as_str().unwrap(),
            format!("photos/{}/{id}.webp?v={version}", &id[..3])
        );
    }

    // The same photos give the same URLs; other photos, other URLs (caches never serve
    // an old picture).
    write_photo(&photos, &ids[0], 255);
    ok(&[
        "build",
        "--catalog",
        demo_catalog().to_str().unwrap(),
        "--limit",
        "40",
        "--out",
        out.to_str().unwrap(),
        "--images",
        photos.to_str().unwrap(),
    ]);
    assert_ne!(manifest(&out)["photos"]["url"].as_str().unwrap(), url);
}

#[test]
fn a_photo_url_template_is_checked_and_filled_for_every_colour() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    let bad = fails(&[
        "build",
        "--catalog",
        demo_catalog().to_str().unwrap(),
        "--limit",
        "60",
        "--out",
        out.to_str().unwrap(),
        "--photo-url",
        "https://cdn.example.com/{article_id}/{size}.jpg",
    ]);
    assert!(bad.contains("unknown placeholder"), "{bad}");
    assert!(!out.exists(), "a refused build left a folder");

    ok(&[
        "build",
        "--catalog",
        demo_catalog().to_str().unwrap(),
        "--limit",
        "60",
        "--out",
        out.to_str().unwrap(),
        "--photo-url",
        "https://cdn.example.com/{folder}/{article_id}.jpg",
    ]);
    let result = &search_stdin(&["--index", out.to_str().unwrap()], "polo shirt\n")[0];
    let mut variants = 0;
    for item in result["results"].as_array().unwrap() {
        let id = item["article_id"].as_str().unwrap();
        assert_eq!(
            item["image"].as_str().unwrap(),
            format!("https://cdn.example.com/{}/{id}.jpg", &id[..3])
        );
        for v in item["variants"].as_array().into_iter().flatten() {
            let vid = v["article_id"].as_str().unwrap();
            assert_eq!(
                v["image"].as_str().unwrap(),
                format!("https://cdn.example.com/{}/{vid}.jpg", &vid[..3])
            );
            variants += 1;
        }
    }
    assert!(variants > 0, "no colour variants among the results");

    // --images and --photo-url are one or the other.
    let both = fails(&[
        "build",
        "--catalog",
        demo_catalog().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--photo-url",
        "https://cdn.example.com/{article_id}.jpg",
        "--images",
        "/tmp",
    ]);
    assert!(both.contains("cannot be used with"), "{both}");
}
