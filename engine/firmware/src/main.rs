//! Golden vectors on a real Cortex-M3: verifies the signed shipped library
//! (its device bundle: the structure without the texts),
//! scores every golden answer set with the engine, and compares with the
//! host's results to the last digit. Prints one line per case and ends with
//! `golden: N passed, M failed`; exits non-zero on any mismatch.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;
use rubric_engine::golden::GoldenCase;
use rubric_engine::{score, Bundle, Seq, TrustedKey, Verdict};

/// The device bundle (texts omitted) that build.rs picks and checks.
static BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bundle.rbk"));
static CASES: &[u8] = include_bytes!("../../../tests/golden/cases.bin");
/// The test-only signing key of the golden library (see tests/golden/README.md).
static TRUSTED: [u8; 32] = *include_bytes!("../../../tests/golden/test-key.bin");

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

#[entry]
fn main() -> ! {
    stack::paint();
    let bundle = match Bundle::decode_trusted(BUNDLE, &[TrustedKey(TRUSTED)]) {
        Ok(bundle) => bundle,
        Err(e) => {
            hprintln!("bundle refused: {}", e);
            finish(true)
        }
    };
    hprintln!(
        "bundle: {} bytes, {} rubrics, signature verified",
        BUNDLE.len(),
        bundle.rubrics().count()
    );
    let cases: Seq<'_, GoldenCase<'_>> = Seq::from_raw(CASES);
    let (mut passed, mut failed) = (0u32, 0u32);
    for case in cases.try_iter() {
        let Ok(case) = case else {
            hprintln!("FAIL malformed golden case data");
            failed += 1;
            break;
        };
        let Some(rubric) = bundle.rubric(case.rubric) else {
            hprintln!("FAIL {}: no rubric {}", case.name, case.rubric);
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
            hprintln!(
                "ok   {}: {} (first dimension {})",
                case.name,
                verdict,
                first
            );
        } else {
            failed += 1;
            hprintln!(
                "FAIL {}: device says {}, host result differs",
                case.name,
                verdict
            );
        }
    }
    if passed == 0 {
        hprintln!("no golden cases ran");
        failed += 1;
    }
    hprintln!("stack high-water: {} bytes", stack::peak());
    hprintln!("golden: {} passed, {} failed", passed, failed);
    finish(failed > 0)
}
