//! Where removable drives are mounted.
//!
//! Linux: mount points under `/media` and `/run/media`, and any mount whose
//! block device the kernel marks removable (from `/proc/self/mountinfo`
//! and `/sys/class/block`). macOS: the volumes in `/Volumes`, except the
//! boot volume (a link to `/`) and the system's hidden entries. Windows:
//! removable drives by letter ([`super::letters`]). Other systems rely on
//! `--media-root` and [`MEDIA_ENV`], which every system also reads.
//!
//! Each system's rules are a function of what the system reports, so all
//! three are tested on any machine; only the reading is per system.

use std::path::PathBuf;

/// Environment variable with extra folders to watch (a path list, like `PATH`).
pub const MEDIA_ENV: &str = "RUBRIC_KIOSK_MEDIA";

/// The folders named in [`MEDIA_ENV`] followed by `cli_roots`.
pub fn extra_roots(cli_roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = std::env::var_os(MEDIA_ENV)
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    for root in cli_roots {
        if !roots.contains(root) {
            roots.push(root.clone());
        }
    }
    roots
}

/// The removable drives the system has mounted now.
pub fn system_roots() -> Vec<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        match std::fs::read_to_string("/proc/self/mountinfo") {
            Ok(text) => linux_roots(&text, &|source| is_removable(source)),
            Err(e) => {
                log::warn!("cannot read the mount list: {e}");
                Vec::new()
            }
        }
    }
    #[cfg(target_os = "macos")]
    {
        match std::fs::read_dir("/Volumes") {
            Ok(entries) => macos_roots(entries.flatten().map(|e| {
                let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
                (e.path(), is_link)
            })),
            Err(e) => {
                log::warn!("cannot list /Volumes: {e}");
                Vec::new()
            }
        }
    }
    #[cfg(windows)]
    {
        let system_drive = std::env::var("SystemDrive").ok();
        super::letters::windows_roots(
            &super::letters::SystemLetters,
            super::letters::system_drive_letter(system_drive.as_deref()),
        )
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    {
        Vec::new()
    }
}

/// The volumes of a `/Volumes` listing (path, and whether the entry is a
/// link) that are drives: not the boot volume, which is a link to `/`, and
/// not the system's own entries (hidden ones, `com.apple.*` snapshots).
pub fn macos_roots(entries: impl IntoIterator<Item = (PathBuf, bool)>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = entries
        .into_iter()
        .filter(|(path, is_link)| {
            let name = path.file_name().map(|n| n.to_string_lossy());
            !is_link && name.is_some_and(|n| !n.starts_with('.') && !n.starts_with("com.apple."))
        })
        .map(|(path, _)| path)
        .collect();
    roots.sort();
    roots
}

/// Mount points in a `mountinfo` text that are removable drives: under
/// `/media` or `/run/media`, or backed by a device `removable` says yes to.
pub fn linux_roots(mountinfo: &str, removable: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for line in mountinfo.lines() {
        let (left, right) = line.split_once(" - ").unwrap_or((line, ""));
        let Some(point) = left.split(' ').nth(4).map(unescape) else {
            continue;
        };
        let source = right.split(' ').nth(1).unwrap_or("");
        let under_media = ["/media/", "/run/media/"]
            .iter()
            .any(|prefix| point.starts_with(prefix));
        if (under_media || (source.starts_with("/dev/") && removable(source)))
            && point != "/"
            && !roots.contains(&PathBuf::from(&point))
        {
            roots.push(PathBuf::from(point));
        }
    }
    roots
}

/// `mountinfo` writes spaces and a few other bytes as `\ooo`.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).and_then(|d| {
            std::str::from_utf8(d)
                .ok()
                .and_then(|d| u8::from_str_radix(d, 8).ok())
        });
        match (bytes[i], octal) {
            (b'\\', Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether the kernel says the disk holding `/dev/NAME` is removable.
#[cfg(target_os = "linux")]
fn is_removable(source: &str) -> bool {
    use std::path::Path;
    let Some(name) = Path::new(source).file_name() else {
        return false;
    };
    let Ok(device) = Path::new("/sys/class/block").join(name).canonicalize() else {
        return false;
    };
    // A partition's folder sits inside its disk's folder.
    [device.join("removable"), device.join("../removable")]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|v| v.trim() == "1")
}

#[cfg(not(target_os = "linux"))]
#[allow(dead_code)]
fn is_removable(_source: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
40 22 8:17 / /media/ana/RUBRICS\\040STICK rw shared:2 - vfat /dev/sdb1 rw
41 22 8:33 / /mnt/usb rw shared:3 - vfat /dev/sdc1 rw
42 22 8:49 / /mnt/data rw shared:4 - ext4 /dev/sdd1 rw
43 22 0:5 / /run/media/bo/KEYS rw shared:5 - exfat /dev/sde1 rw
44 22 0:6 / /proc rw - proc proc rw
";

    #[test]
    fn the_root_and_fixed_disks_outside_media_are_not_drives() {
        let roots = linux_roots(MOUNTINFO, &|_| false);
        assert!(!roots.contains(&PathBuf::from("/")));
        assert!(!roots.contains(&PathBuf::from("/mnt/data")));
        assert!(!roots.contains(&PathBuf::from("/proc")));
        // The removable flag does not make the root a drive either.
        assert!(!linux_roots(MOUNTINFO, &|_| true).contains(&PathBuf::from("/")));
    }

    #[test]
    fn macos_volumes_are_drives_except_the_boot_volume_and_system_entries() {
        let listing = [
            ("/Volumes/Macintosh HD", true),
            ("/Volumes/RUBRICS STICK", false),
            ("/Volumes/Clé USB", false),
            ("/Volumes/.timemachine", false),
            ("/Volumes/com.apple.TimeMachine.localsnapshots", false),
            ("/Volumes/KEYS", false),
        ]
        .map(|(path, is_link)| (PathBuf::from(path), is_link));
        assert_eq!(
            macos_roots(listing),
            vec![
                PathBuf::from("/Volumes/Clé USB"),
                PathBuf::from("/Volumes/KEYS"),
                PathBuf::from("/Volumes/RUBRICS STICK"),
            ]
        );
    }

    #[test]
    fn removable_mounts_are_found_under_media_and_by_the_device_flag() {
        let roots = linux_roots(MOUNTINFO, &|source| source == "/dev/sdc1");
        assert_eq!(
            roots,
            vec![
                PathBuf::from("/media/ana/RUBRICS STICK"),
                PathBuf::from("/mnt/usb"),
                PathBuf::from("/run/media/bo/KEYS"),
            ]
        );
    }
}
