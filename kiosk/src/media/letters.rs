//! Removable drives on Windows, by letter.
//!
//! Windows gives each drive a letter and says what kind of drive it is. A
//! letter is watched when the system calls it removable (a USB stick, a
//! memory card) and a medium is in it (a card reader with no card has a
//! letter too), except the system's own drive and A: and B:, which are kept
//! for floppy disks that can take seconds to answer. Fixed disks, network
//! drives, optical drives and RAM disks are not watched: a USB hard disk
//! that calls itself fixed is watched with `--media-root E:\`, as on Linux
//! for a disk mounted outside `/media`.
//!
//! The system calls are behind [`DriveLetters`], so the rules are tested on
//! every platform; `SystemLetters` makes the real calls on Windows.

use std::path::PathBuf;

/// What Windows reports for a drive letter (`GetDriveTypeW`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriveType {
    /// The type could not be told.
    Unknown,
    /// The letter has no root folder (nothing is there).
    NoRootFolder,
    /// A removable drive: a USB stick, a memory card reader.
    Removable,
    /// A fixed disk, inside the machine or one that calls itself fixed.
    Fixed,
    /// A network drive.
    Network,
    /// A CD or DVD drive.
    Optical,
    /// A RAM disk.
    RamDisk,
}

/// The system calls the letter rules need.
pub trait DriveLetters {
    /// The letters in use, as `GetLogicalDrives` gives them: bit 0 is A:,
    /// bit 25 is Z:.
    fn in_use(&self) -> u32;
    /// The kind of drive whose root is `root` (`E:\`).
    fn drive_type(&self, root: &str) -> DriveType;
    /// Whether a medium is in the drive at `root`: its volume answers
    /// (`GetVolumeInformationW` succeeds).
    fn has_medium(&self, root: &str) -> bool;
}

/// The roots (`E:\`) of the removable drives `system` reports, in letter
/// order, leaving out A:, B: and `system_drive` (the letter of `C:`).
pub fn windows_roots(system: &dyn DriveLetters, system_drive: Option<char>) -> Vec<PathBuf> {
    let in_use = system.in_use();
    ('C'..='Z')
        .zip(2..)
        .filter(|&(letter, bit)| {
            in_use & (1 << bit) != 0 && Some(letter) != system_drive.map(|d| d.to_ascii_uppercase())
        })
        .map(|(letter, _)| format!("{letter}:\\"))
        .filter(|root| system.drive_type(root) == DriveType::Removable && system.has_medium(root))
        .map(PathBuf::from)
        .collect()
}

/// The letter of the drive Windows runs from, from `SystemDrive` (`C:`).
pub fn system_drive_letter(value: Option<&str>) -> Option<char> {
    let mut chars = value?.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic() => Some(letter),
        _ => None,
    }
}

/// The real drive letters, through the Windows API.
#[cfg(windows)]
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemLetters;

#[cfg(windows)]
impl DriveLetters for SystemLetters {
    fn in_use(&self) -> u32 {
        winsafe::GetLogicalDrives()
    }

    fn drive_type(&self, root: &str) -> DriveType {
        use winsafe::co::DRIVE;
        match winsafe::GetDriveType(Some(root)) {
            DRIVE::NO_ROOT_DIR => DriveType::NoRootFolder,
            DRIVE::REMOVABLE => DriveType::Removable,
            DRIVE::FIXED => DriveType::Fixed,
            DRIVE::REMOTE => DriveType::Network,
            DRIVE::CDROM => DriveType::Optical,
            DRIVE::RAMDISK => DriveType::RamDisk,
            _ => DriveType::Unknown,
        }
    }

    fn has_medium(&self, root: &str) -> bool {
        winsafe::GetVolumeInformation(Some(root), None, None, None, None, None).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A machine's letters: (letter, type, medium in).
    struct Letters(Vec<(char, DriveType, bool)>);

    impl Letters {
        fn get(&self, root: &str) -> Option<&(char, DriveType, bool)> {
            let letter = root.chars().next()?;
            self.0.iter().find(|(l, _, _)| *l == letter)
        }
    }

    impl DriveLetters for Letters {
        fn in_use(&self) -> u32 {
            self.0
                .iter()
                .map(|(letter, _, _)| 1 << (*letter as u32 - 'A' as u32))
                .sum()
        }
        fn drive_type(&self, root: &str) -> DriveType {
            self.get(root).map_or(DriveType::NoRootFolder, |d| d.1)
        }
        fn has_medium(&self, root: &str) -> bool {
            self.get(root).is_some_and(|d| d.2)
        }
    }

    fn roots(found: &[&str]) -> Vec<PathBuf> {
        found.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn removable_letters_with_a_medium_are_drives_and_nothing_else_is() {
        let machine = Letters(vec![
            ('A', DriveType::Removable, true),
            ('C', DriveType::Fixed, true),
            ('D', DriveType::Optical, true),
            ('E', DriveType::Removable, true),
            ('F', DriveType::Removable, false),
            ('G', DriveType::Network, true),
            ('H', DriveType::Fixed, true),
            ('R', DriveType::RamDisk, true),
            ('U', DriveType::Unknown, true),
            ('Z', DriveType::Removable, true),
        ]);
        assert_eq!(windows_roots(&machine, Some('C')), roots(&["E:\\", "Z:\\"]));
    }

    #[test]
    fn the_system_drive_is_never_a_removable_drive_whatever_it_reports() {
        let machine = Letters(vec![
            ('C', DriveType::Removable, true),
            ('E', DriveType::Removable, true),
        ]);
        assert_eq!(windows_roots(&machine, Some('c')), roots(&["E:\\"]));
        assert_eq!(windows_roots(&machine, None), roots(&["C:\\", "E:\\"]));
    }

    #[test]
    fn a_letter_the_system_lists_but_cannot_type_is_left_out() {
        // In use according to the mask, but gone by the time it is asked.
        struct Racing;
        impl DriveLetters for Racing {
            fn in_use(&self) -> u32 {
                1 << 4
            }
            fn drive_type(&self, _: &str) -> DriveType {
                DriveType::NoRootFolder
            }
            fn has_medium(&self, _: &str) -> bool {
                true
            }
        }
        assert!(windows_roots(&Racing, Some('C')).is_empty());
    }

    #[test]
    fn the_system_drive_letter_is_read_from_its_variable() {
        assert_eq!(system_drive_letter(Some("C:")), Some('C'));
        assert_eq!(system_drive_letter(Some("d:\\")), Some('d'));
        assert_eq!(system_drive_letter(Some("")), None);
        assert_eq!(system_drive_letter(Some("::")), None);
        assert_eq!(system_drive_letter(None), None);
    }
}
