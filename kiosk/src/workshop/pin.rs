//! The facilitator PIN: set once (entered twice), kept only as an Argon2id
//! hash (PHC string) in the settings table, checked with a lockout after
//! [`ATTEMPTS_BEFORE_LOCKOUT`] wrong attempts that doubles each time and
//! survives a restart. No UI here; time comes in as `now` (Unix seconds), so
//! the rules are tested without waiting.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::store::{ResultsStore, StoreError};

/// Fewest digits a PIN may have.
pub const MIN_PIN_DIGITS: usize = 4;

/// Wrong attempts in a row that lock the PIN.
pub const ATTEMPTS_BEFORE_LOCKOUT: u32 = 5;

/// Length of the first lockout; each later one lasts twice the previous.
pub const FIRST_LOCKOUT_SECS: i64 = 60;

/// Settings key of the PHC string of the PIN's Argon2id hash.
pub const HASH_SETTING: &str = "facilitator_pin_argon2id";

/// Settings key of the attempt state: `"<wrong in a row> <lockouts so far>
/// <locked until, Unix seconds>"`, written in one statement.
pub const ATTEMPTS_SETTING: &str = "facilitator_pin_attempts";

/// Why a PIN was not set or not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// Fewer than [`MIN_PIN_DIGITS`] digits.
    #[error("the PIN needs at least {min} digits")]
    TooShort {
        /// [`MIN_PIN_DIGITS`].
        min: usize,
    },
    /// Something other than the digits 0-9.
    #[error("the PIN may contain only the digits 0 to 9")]
    NotDigits,
    /// The two entries differ.
    #[error("the two PINs differ; enter the same PIN twice")]
    Mismatch,
    /// A PIN is already set; it cannot be set again here.
    #[error("a facilitator PIN is already set")]
    AlreadySet,
    /// No PIN has been set yet.
    #[error("no facilitator PIN is set yet")]
    NotSet,
    /// The PIN is wrong; more attempts remain before a lockout.
    #[error("wrong PIN ({attempts_left} more attempts before a lockout)")]
    Wrong {
        /// Wrong attempts left before the lockout.
        attempts_left: u32,
    },
    /// Too many wrong attempts: no PIN is checked until the lockout ends.
    #[error("too many wrong PINs; try again in {seconds_left} s")]
    LockedOut {
        /// Seconds until a PIN is checked again.
        seconds_left: i64,
    },
    /// The stored hash cannot be read, or hashing failed.
    #[error("the stored facilitator PIN is damaged ({0}); delete the data to set a new one")]
    Hash(#[source] argon2::password_hash::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The facilitator PIN of a store.
#[derive(Debug, Clone, Copy)]
pub struct FacilitatorPin<'s> {
    store: &'s ResultsStore,
}

/// Wrong attempts and lockouts, as persisted in [`ATTEMPTS_SETTING`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Attempts {
    wrong_in_a_row: u32,
    lockouts: u32,
    locked_until: i64,
}

impl Attempts {
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(' ');
        let attempts = Attempts {
            wrong_in_a_row: parts.next()?.parse().ok()?,
            lockouts: parts.next()?.parse().ok()?,
            locked_until: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(attempts)
    }

    fn to_setting(self) -> String {
        format!(
            "{} {} {}",
            self.wrong_in_a_row, self.lockouts, self.locked_until
        )
    }
}

/// The length of lockout number `n` (1 for the first): 60 s, 120 s, 240 s ...
pub fn lockout_secs(n: u32) -> i64 {
    FIRST_LOCKOUT_SECS.saturating_mul(1_i64 << n.saturating_sub(1).min(30))
}

impl<'s> FacilitatorPin<'s> {
    /// The PIN kept in `store`.
    pub fn new(store: &'s ResultsStore) -> Self {
        FacilitatorPin { store }
    }

    /// Whether a PIN has been set.
    pub fn is_set(&self) -> Result<bool, StoreError> {
        Ok(self.store.setting(HASH_SETTING)?.is_some())
    }

    /// Sets the PIN from two entries of it: both must be equal, at least
    /// [`MIN_PIN_DIGITS`] long and digits only. Refused once a PIN is set.
    pub fn set_pin(&self, first: &str, second: &str) -> Result<(), PinError> {
        if self.is_set()? {
            return Err(PinError::AlreadySet);
        }
        check_shape(first)?;
        if first != second {
            return Err(PinError::Mismatch);
        }
        let salt =
            SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes()).map_err(PinError::Hash)?;
        let hash = Argon2::default()
            .hash_password(first.as_bytes(), &salt)
            .map_err(PinError::Hash)?
            .to_string();
        self.store.set_setting(HASH_SETTING, &hash)?;
        self.store
            .set_setting(ATTEMPTS_SETTING, &Attempts::default().to_setting())?;
        Ok(())
    }

    /// Checks `pin` at time `now` (Unix seconds). `Ok` when it is right,
    /// which also clears the wrong attempts and the lockout history.
    ///
    /// While locked out nothing is checked, not even the right PIN
    /// ([`PinError::LockedOut`]). The [`ATTEMPTS_BEFORE_LOCKOUT`]th wrong PIN
    /// in a row starts a lockout of [`lockout_secs`]`(n)` for the `n`th lockout.
    pub fn verify(&self, pin: &str, now: i64) -> Result<(), PinError> {
        let stored = self.store.setting(HASH_SETTING)?.ok_or(PinError::NotSet)?;
        let mut attempts = self.attempts()?;
        if attempts.locked_until > now {
            return Err(PinError::LockedOut {
                seconds_left: attempts.locked_until - now,
            });
        }
        let hash = PasswordHash::new(&stored).map_err(PinError::Hash)?;
        if Argon2::default()
            .verify_password(pin.as_bytes(), &hash)
            .is_ok()
        {
            // Written only when there is something to clear, so a check
            // leaves the file as it was.
            if attempts != Attempts::default() {
                self.store
                    .set_setting(ATTEMPTS_SETTING, &Attempts::default().to_setting())?;
            }
            return Ok(());
        }
        attempts.wrong_in_a_row += 1;
        let outcome = if attempts.wrong_in_a_row >= ATTEMPTS_BEFORE_LOCKOUT {
            attempts.wrong_in_a_row = 0;
            attempts.lockouts = attempts.lockouts.saturating_add(1);
            let secs = lockout_secs(attempts.lockouts);
            attempts.locked_until = now.saturating_add(secs);
            PinError::LockedOut { seconds_left: secs }
        } else {
            PinError::Wrong {
                attempts_left: ATTEMPTS_BEFORE_LOCKOUT - attempts.wrong_in_a_row,
            }
        };
        self.store
            .set_setting(ATTEMPTS_SETTING, &attempts.to_setting())?;
        Err(outcome)
    }

    /// Seconds left of the current lockout at `now`, if locked out (for a
    /// countdown on the keypad).
    pub fn locked_for(&self, now: i64) -> Result<Option<i64>, StoreError> {
        let attempts = self.attempts()?;
        Ok((attempts.locked_until > now).then(|| attempts.locked_until - now))
    }

    /// The persisted attempt state. A damaged value leaves one attempt
    /// before a lockout: damaging it buys no extra guesses, and locks no one
    /// out for good.
    fn attempts(&self) -> Result<Attempts, StoreError> {
        Ok(match self.store.setting(ATTEMPTS_SETTING)? {
            None => Attempts::default(),
            Some(text) => Attempts::parse(&text).unwrap_or(Attempts {
                wrong_in_a_row: ATTEMPTS_BEFORE_LOCKOUT - 1,
                ..Attempts::default()
            }),
        })
    }
}

fn check_shape(pin: &str) -> Result<(), PinError> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::NotDigits);
    }
    if pin.len() < MIN_PIN_DIGITS {
        return Err(PinError::TooShort {
            min: MIN_PIN_DIGITS,
        });
    }
    Ok(())
}
