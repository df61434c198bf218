//! Golden vectors on a real Cortex-M3: verifies the signed shipped library
//! (its device bundle: the structure without the texts),
//! scores every golden answer set with the engine, and compares with the
//! host's results to the last digit. Prints one line per case and ends with
//! `golden: N passed, M failed`; exits non-zero on any mismatch.
//!
//! Nothing here uses `core::fmt` (printing, panics): on this target it costs
//! about 8 KB of flash, an eighth of the 64 KiB the firmware must fit in.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use rubric_engine::golden::GoldenCase;
use rubric_engine::{score, Bundle, BundleError, Seq, TrustedKey, Verdict};

/// Embeds a file as a named static of its exact size: perf-report reads the
/// sizes of the `FIRMWARE_*` symbols from the ELF to tell code from data.
macro_rules! embed {
    ($(#[$doc:meta])* $name:ident, $($path:tt)+) => {
        $(#[$doc])*
        #[no_mangle]
        static $name: [u8; include_bytes!($($path)+).len()] = *include_bytes!($($path)+);
    };
}

embed!(
    /// The signed device bundle (texts omitted) that build.rs picks and checks.
    FIRMWARE_LIBRARY,
    concat!(env!("OUT_DIR"), "/bundle.rbk")
);
embed!(
    /// The golden cases, a `Seq<GoldenCase>`.
    FIRMWARE_GOLDEN_CASES,
    "../../../tests/golden/cases.bin"
);
embed!(
    /// The test-only signing key of the golden library (see tests/golden/README.md).
    FIRMWARE_TRUSTED_KEY,
    "../../../tests/golden/test-key.bin"
);

/// Stack measurement: fill the free stack with a pattern before the run and
/// find the deepest overwritten word afterwards. The stack grows down from
/// `_stack_start` towards the end of static data (`__sheap`).
mod stack {
    const PAINT: u32 = 0xDEAD_BEEF;

    extern "C" {
        static _stack_start: u32;
        static __sheap: u32;
    }

    fn bounds() -> (usize, usize) {
        // Only the addresses of the linker symbols are taken, which is safe.
        (
            core::ptr::addr_of!(__sheap) as usize,
            core::ptr::addr_of!(_stack_start) as usize,
        )
    }

    /// Paints from the end of static data up to a little below the current stack pointer.
    pub fn paint() {
        let (low, _) = bounds();
        let sp = cortex_m::register::msp::read() as usize;
        let mut at = low;
        while at + 4 < sp - 256 {
            // SAFETY: [low, sp - 256) is unused RAM between static data and the live stack.
            unsafe { core::ptr::write_volatile(at as *mut u32, PAINT) };
            at += 4;
        }
    }

    /// Bytes of stack used at the deepest point since `paint`.
    pub fn peak() -> usize {
        let (low, high) = bounds();
        let mut at = low;
        // SAFETY: reads within RAM between static data and the stack top.
        while at < high && unsafe { core::ptr::read_volatile(at as *const u32) } == PAINT {
            at += 4;
        }
        high - at
    }
}

/// The interrupt vectors after the 16 exception vectors. The firmware enables
/// no interrupt; cortex-m-rt needs at least one entry.
#[link_section = ".vector_table.interrupts"]
#[no_mangle]
static __INTERRUPTS: [unsafe extern "C" fn(); 1] = [DefaultHandler];

extern "C" {
    /// cortex-m-rt's handler for unexpected interrupts.
    fn DefaultHandler();
}

/// Text to the host's stdout over semihosting, without `core::fmt`.
mod out {
    use cortex_m_semihosting::hio::{self, HostStream};

    /// The host's stdout, or nothing when no debugger listens.
    pub struct Out(Option<HostStream>);

    impl Out {
        pub fn open() -> Self {
            Out(hio::hstdout().ok())
        }

        pub fn text(&mut self, text: &str) -> &mut Self {
            if let Some(stream) = &mut self.0 {
                // Nowhere to report a failed write to.
                let _ = stream.write_all(text.as_bytes());
            }
            self
        }

        /// `n` in decimal.
        pub fn num(&mut self, mut n: u32) -> &mut Self {
            let mut digits = [0u8; 10];
            let mut at = digits.len();
            while at > 0 {
                at -= 1;
                digits[at] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            // Only ASCII digits were written.
            self.text(core::str::from_utf8(&digits[at..]).unwrap_or("?"))
        }

        pub fn line(&mut self, text: &str) -> &mut Self {
            self.text(text).text("\n")
        }
    }
}

use out::Out;

/// Reports a fixed message and exits with failure: formatting the panic's
/// message would pull in `core::fmt`. Nothing on the device should panic;
/// the golden run on the host says which case does if one ever does.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    Out::open().line("panic: the firmware stopped");
    finish(true)
}

fn finish(failed: bool) -> ! {
    debug::exit(if failed {
        debug::EXIT_FAILURE
    } else {
        debug::EXIT_SUCCESS
    });
    // Only reached without a debugger attached: sleep until reset.
    loop {
        cortex_m::asm::wfi();
    }
}

/// Why a bundle was refused, in a few words (the host's `Display` says more).
fn refusal(e: &BundleError) -> &'static str {
    match e {
        BundleError::BadMagic => "not a rubric bundle",
        BundleError::UnsupportedVersion { .. } => "unsupported format version",
        BundleError::UnsupportedFlags { .. } => "unknown flags",
        BundleError::Truncated { .. } => "truncated",
        BundleError::TrailingBytes { .. } => "bytes after the end",
        BundleError::ChecksumMismatch { .. } => "checksum mismatch",
        BundleError::BadSignature => "the signature does not verify",
        BundleError::UnknownSigner { .. } => "signed by a key that is not trusted",
        BundleError::Unsigned => "not signed",
        BundleError::LimitExceeded { .. } => "a limit is exceeded",
        BundleError::MalformedPayload => "malformed payload",
        BundleError::Invalid(_) => "invalid rubric",
        _ => "refused",
    }
}

/// Lengths on this 32-bit target fit in a `u32`.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Out::open();
    let bundle =
        match Bundle::decode_trusted(&FIRMWARE_LIBRARY, &[TrustedKey(FIRMWARE_TRUSTED_KEY)]) {
            Ok(bundle) => bundle,
            Err(e) => {
                out.text("bundle refused: ").line(refusal(&e));
                finish(true)
            }
        };
    out.text("bundle: ")
        .num(count(FIRMWARE_LIBRARY.len()))
        .text(" bytes, ")
        .num(count(bundle.rubrics().count()))
        .line(" rubrics, signature verified");
    let cases: Seq<'_, GoldenCase<'_>> = Seq::from_raw(&FIRMWARE_GOLDEN_CASES);
    let (mut passed, mut failed) = (0u32, 0u32);
    for case in cases.try_iter() {
        let Ok(case) = case else {
            out.line("FAIL malformed golden case data");
            failed += 1;
            break;
        };
        let Some(rubric) = bundle.rubric(case.rubric) else {
            out.text("FAIL ")
                .text(case.name)
                .text(": no rubric ")
                .line(case.rubric);
            failed += 1;
            continue;
        };
        let result = score(&rubric, &case.answers);
        let verdict = match result.verdict {
            Verdict::Band(b) => rubric.band(usize::from(b)).map_or("?", |b| b.id),
            Verdict::Outcome(o) => rubric.outcomes.get(usize::from(o)).map_or("?", |o| o.id),
            Verdict::Undetermined => "-",
            Verdict::Tied(_) => "(tie)",
            Verdict::Held { band, .. } => rubric.band(usize::from(band)).map_or("?", |b| b.id),
        };
        let first = result.dimensions.first().map_or(0, |d| d.value);
        if result == case.expected {
            passed += 1;
            out.text("ok   ")
                .text(case.name)
                .text(": ")
                .text(verdict)
                .text(" (first dimension ")
                .num(first)
                .line(")");
        } else {
            failed += 1;
            out.text("FAIL ")
                .text(case.name)
                .text(": device says ")
                .text(verdict)
                .line(", host result differs");
        }
    }
    if passed == 0 {
        out.line("no golden cases ran");
        failed += 1;
    }
    out.text("stack high-water: ")
        .num(count(stack::peak()))
        .line(" bytes");
    out.text("golden: ")
        .num(passed)
        .text(" passed, ")
        .num(failed)
        .line(" failed");
    finish(failed > 0)
}
