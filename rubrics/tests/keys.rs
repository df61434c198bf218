//! Key files round-trip, stay private, and reject garbage.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use rubrics::keys::{public_path, read_public};
use rubrics::{KeyError, SecretKey};

#[test]
fn key_files_round_trip_and_sign() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k");
    let key = SecretKey::generate();
    assert_eq!(key.write(&path).unwrap(), public_path(&path));
    let again = SecretKey::read(&path).unwrap();
    assert_eq!(again.key_id(), key.key_id());
    assert_eq!(read_public(&public_path(&path)).unwrap(), key.public());
    let message = b"bundle bytes";
    assert_eq!(again.sign(message), key.sign(message));
    assert!(matches!(key.write(&path), Err(KeyError::Exists(_))));
}

#[test]
fn garbage_key_files_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad");
    std::fs::write(&path, "hello\n").unwrap();
    let err = SecretKey::read(&path).unwrap_err().to_string();
    assert!(err.contains("not a secret key file"), "{err}");
    let key = SecretKey::from_seed([1; 32]);
    key.write(&dir.path().join("good")).unwrap();
    // A public key file is not a secret key file, and vice versa.
    assert!(SecretKey::read(&dir.path().join("good.pub")).is_err());
    assert!(read_public(&dir.path().join("good")).is_err());
    let err = read_public(&dir.path().join("missing.pub"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.pub"), "{err}");
}
