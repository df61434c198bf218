//! Golden vectors on a real Cortex-M3: verifies the signed shipped library
//! (its device bundle: the structure without the texts),
//! scores every golden answer set with the engine, and compares with the
//! host's results to the last digit. Prints one line per case and ends with
//! `golden: N passed, M failed`; exits non-zero on any mismatch.
//!
//! Nothing here uses `core::fmt` (printing, panics): on this target it costs
//! about 8 KB of flash, an eighth of the 64 KiB the firmware must fit in.
//! The golden cases are embedded packed (`tests/golden/cases.lz`, under half
//! the size of `cases.bin`) and unpacked one case at a time on the stack.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use rubric_engine::golden::GoldenCase;
use rubric_engine::model::Rubric;
use rubric_engine::{score, Bundle, BundleError, TrustedKey, Verdict};

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
    /// The golden cases, a `Seq<GoldenCase>` packed by the golden generator.
    FIRMWARE_GOLDEN_CASES,
    "../../../tests/golden/cases.lz"
);
embed!(
    /// The test-only signing key of the golden library (`tests/golden/test-key.bin`, written by the golden generator, `tests/src/bin/golden.rs`).
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

/// Unpacks the golden cases a few hundred bytes at a time: the format of
/// `tests/src/golden_pack.rs` (a token byte below 0x80: that many plus one
/// literal bytes; `0x80 | n`: copy `n + 3` bytes from an LEB128 offset back),
/// with the same constants.
mod unpack {
    const WINDOW: usize = 1024;
    const MIN_COPY: usize = 3;
    const MAX_TOKEN: usize = 0x80 + MIN_COPY;
    /// The largest encoded case; the generator refuses larger ones.
    pub const MAX_CASE: usize = 512;
    const BUF: usize = WINDOW + MAX_CASE + MAX_TOKEN;

    /// The bytes were not what the generator writes.
    pub struct Malformed;

    pub struct Unpacker<'a> {
        input: &'a [u8],
        buf: [u8; BUF],
        /// Unpacked bytes not yet consumed are `buf[start..end]`; the
        /// `WINDOW` bytes before `end` stay for copies to reach back into.
        start: usize,
        end: usize,
    }

    impl<'a> Unpacker<'a> {
        pub fn new(input: &'a [u8]) -> Self {
            Unpacker {
                input,
                buf: [0; BUF],
                start: 0,
                end: 0,
            }
        }

        /// The unpacked bytes not yet consumed.
        pub fn pending(&self) -> &[u8] {
            self.buf.get(self.start..self.end).unwrap_or(&[])
        }

        pub fn consume(&mut self, n: usize) {
            self.start = (self.start + n).min(self.end);
        }

        /// Whether everything was unpacked and consumed.
        pub fn done(&self) -> bool {
            self.input.is_empty() && self.start == self.end
        }

        /// Unpacks until `want` bytes are pending or the input ends.
        pub fn fill(&mut self, want: usize) -> Result<(), Malformed> {
            while self.end - self.start < want && !self.input.is_empty() {
                if self.end + MAX_TOKEN > BUF {
                    let keep = self.start.min(self.end.saturating_sub(WINDOW));
                    // Forwards, byte by byte: `copy_within` would link a
                    // 1.6 KB `memmove` for this one call.
                    for at in keep..self.end {
                        self.buf[at - keep] = self.buf[at];
                    }
                    self.start -= keep;
                    self.end -= keep;
                }
                self.token()?;
            }
            Ok(())
        }

        fn next(&mut self) -> Result<u8, Malformed> {
            let (&byte, rest) = self.input.split_first().ok_or(Malformed)?;
            self.input = rest;
            Ok(byte)
        }

        fn token(&mut self) -> Result<(), Malformed> {
            let token = self.next()?;
            if token < 0x80 {
                for _ in 0..=token {
                    let byte = self.next()?;
                    self.push(byte)?;
                }
                return Ok(());
            }
            let mut offset = 0usize;
            let mut shift = 0;
            loop {
                let byte = self.next()?;
                offset |= usize::from(byte & 0x7F) << shift;
                shift += 7;
                if byte & 0x80 == 0 || shift > 14 {
                    break;
                }
            }
            if offset == 0 || offset > WINDOW || offset > self.end {
                return Err(Malformed);
            }
            for _ in 0..usize::from(token & 0x7F) + MIN_COPY {
                let byte = *self.buf.get(self.end - offset).ok_or(Malformed)?;
                self.push(byte)?;
            }
            Ok(())
        }

        fn push(&mut self, byte: u8) -> Result<(), Malformed> {
            *self.buf.get_mut(self.end).ok_or(Malformed)? = byte;
            self.end += 1;
            Ok(())
        }
    }
}

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

/// Unpacks and scores every golden case; (passed, failed), or the counts so
/// far when the packed data is malformed.
fn run_cases(bundle: &Bundle<'_>, out: &mut Out) -> Result<(u32, u32), (u32, u32)> {
    let mut cases = unpack::Unpacker::new(&FIRMWARE_GOLDEN_CASES);
    let (mut passed, mut failed) = (0u32, 0u32);
    // The sequence's count (a varint of at most three bytes), then the cases.
    cases.fill(3).map_err(|_| (0, 0))?;
    let (count, used) = match postcard::take_from_bytes::<u16>(cases.pending()) {
        Ok((count, rest)) => (count, cases.pending().len() - rest.len()),
        Err(_) => return Err((0, 0)),
    };
    cases.consume(used);
    for _ in 0..count {
        cases.fill(unpack::MAX_CASE).map_err(|_| (passed, failed))?;
        let pending = cases.pending();
        let (ok, used) = match postcard::take_from_bytes::<GoldenCase<'_>>(pending) {
            Ok((case, rest)) => (check_case(bundle, &case, out), pending.len() - rest.len()),
            Err(_) => return Err((passed, failed)),
        };
        cases.consume(used);
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    if cases.done() {
        Ok((passed, failed))
    } else {
        Err((passed, failed))
    }
}

/// Scores one case and prints its line; whether the result matches the host's.
fn check_case(bundle: &Bundle<'_>, case: &GoldenCase<'_>, out: &mut Out) -> bool {
    let Some(rubric) = bundle.rubric(case.rubric) else {
        out.text("FAIL ")
            .text(case.name)
            .text(": no rubric ")
            .line(case.rubric);
        return false;
    };
    let result = score(&rubric, &case.answers);
    let verdict = verdict_id(&rubric, result.verdict);
    if result == case.expected {
        let first = result.dimensions.first().map_or(0, |d| d.value);
        out.text("ok   ")
            .text(case.name)
            .text(": ")
            .text(verdict)
            .text(" (first dimension ")
            .num(first)
            .line(")");
        true
    } else {
        out.text("FAIL ")
            .text(case.name)
            .text(": device says ")
            .text(verdict)
            .line(", host result differs");
        false
    }
}

/// The id a verdict names, for the case's line.
fn verdict_id<'a>(rubric: &Rubric<'a>, verdict: Verdict) -> &'a str {
    match verdict {
        Verdict::Band(b) | Verdict::Held { band: b, .. } => {
            rubric.band(usize::from(b)).map_or("?", |b| b.id)
        }
        Verdict::Outcome(o) => rubric.outcomes.get(usize::from(o)).map_or("?", |o| o.id),
        Verdict::Undetermined => "-",
        Verdict::Tied(_) => "(tie)",
    }
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
    let (passed, mut failed) = match run_cases(&bundle, &mut out) {
        Ok(counts) => counts,
        Err((passed, failed)) => {
            out.line("FAIL malformed golden case data");
            (passed, failed + 1)
        }
    };
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
