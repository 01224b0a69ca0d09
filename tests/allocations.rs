//! Heap allocations of one verify, counted by a global allocator.
//!
//! Targets for claims that borrow from the token ([`BenchClaims`], the realistic 253-byte claims):
//!
//! - `tessera::verify` + `Verified::claims`: at most ONE allocation (the decoded payload buffer);
//! - `tessera::verify_into` with a lent buffer of enough capacity: ZERO, also when the header
//!   cache misses (two tokens with different headers, alternating).
//!
//! Asserted for HS256 and ES256 on their default backends; the other backends' counts and the
//! peers' (jsonwebtoken with each provider, jwt-simple, jwt-compact: owned claims, as they
//! require) are printed for comparison (`cargo test --test allocations -- --nocapture`). Native
//! backends (ring, aws-lc, openssl) allocate inside C with `malloc`, which this allocator does
//! not see: only their Rust-side allocations count.
//!
//! Counting is per thread (a thread-local counter switched on around the one call counted), after
//! a warm-up of the same call, so lazy statics and the test harness do not count. The file holds a
//! single test so nothing else runs in the binary meanwhile anyway. To see where each counted
//! allocation comes from: `TESSERA_ALLOC_BACKTRACE=1 cargo test --test allocations -- --nocapture`
//! (a debug build; every counted allocation prints its backtrace on stderr).

#![allow(
    unsafe_code,
    reason = "a counting #[global_allocator] must implement the unsafe GlobalAlloc trait; it only \
              forwards to the system allocator"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test: failures should be loud"
)]

#[allow(
    dead_code,
    unreachable_pub,
    reason = "shared with the measurement engine, which uses more of it"
)]
#[path = "../crates/tessera-conformance/src/measure/peers.rs"]
mod peers;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use tessera::codec::Family;
use tessera::{Algorithm, Encoder};
use tessera_conformance::fixtures;
// `peers.rs` names the benchmark constants as `crate::measure::…`.
use tessera_conformance::measure::{self, BenchClaims, KID};

struct Counting;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
    /// Print a backtrace of every counted allocation (`TESSERA_ALLOC_BACKTRACE=1`).
    static TRACE: Cell<bool> = const { Cell::new(false) };
}

fn bump(kind: &'static str, size: usize) {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    let on = ON.try_with(Cell::get).unwrap_or(false);
    if !on {
        return;
    }
    let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    if TRACE.try_with(Cell::get).unwrap_or(false) {
        // Capturing allocates: stop counting meanwhile.
        ON.set(false);
        let trace = std::backtrace::Backtrace::force_capture();
        eprintln!("--- {kind} of {size} bytes ---\n{trace}");
        ON.set(true);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the counter
// is a const-initialized thread-local `Cell` without destructor, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump("alloc", layout.size());
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump("alloc_zeroed", layout.size());
        // SAFETY: forwarded as received.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump("realloc", new_size);
        // SAFETY: forwarded as received.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` three times to warm up, then counts the allocations of one call (a `realloc` counts as
/// one: it may move the block).
fn count(mut f: impl FnMut()) -> u64 {
    for _ in 0..3 {
        f();
    }
    COUNT.set(0);
    ON.set(true);
    f();
    ON.set(false);
    COUNT.get()
}

#[test]
fn allocations_per_verify() {
    TRACE.set(std::env::var_os("TESSERA_ALLOC_BACKTRACE").is_some_and(|v| v == "1"));
    let validation = measure::validation();
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    for alg in [Algorithm::HS256, Algorithm::ES256] {
        let private = fixtures::private_key(alg).unwrap();
        let default = tessera::default_backend(alg).unwrap().name();
        for backend in tessera_conformance::backends()
            .into_iter()
            .filter(|b| b.supports(alg))
        {
            let public = match alg.family() {
                Family::Hmac => private.clone(),
                _ => backend.public_key(&private).unwrap(),
            };
            let encoder = Encoder::new(backend.signer(&private, alg).unwrap()).kid(KID);
            let verifier = backend.verifier(&public, alg).unwrap();
            let token = encoder.encode(&BenchClaims::standard()).unwrap();

            let verify = count(|| {
                let verified = tessera::verify(black_box(&token), &verifier, &validation).unwrap();
                let claims: BenchClaims<'_> = verified.claims().unwrap();
                assert_eq!(black_box(claims), BenchClaims::standard());
            });
            let mut buf = Vec::with_capacity(1024);
            let verify_into = count(|| {
                let claims: BenchClaims<'_> =
                    tessera::verify_into(black_box(&token), &verifier, &validation, &mut buf)
                        .unwrap();
                assert_eq!(black_box(claims), BenchClaims::standard());
            });
            // Two tokens whose headers differ: each verify misses the header cache.
            let other = Encoder::new(backend.signer(&private, alg).unwrap())
                .kid("another-kid")
                .encode(&BenchClaims::standard())
                .unwrap();
            let cold = count(|| {
                for t in [&token, &other] {
                    let claims: BenchClaims<'_> =
                        tessera::verify_into(black_box(t), &verifier, &validation, &mut buf)
                            .unwrap();
                    assert_eq!(black_box(claims), BenchClaims::standard());
                }
            });
            let name = backend.name();
            lines.push(format!(
                "{alg} {name:<16} verify+claims: {verify}  verify_into: {verify_into}  \
                 verify_into, header cache missed twice: {cold}"
            ));
            if name == default {
                if verify > 1 {
                    failures.push(format!(
                        "{alg} {name}: verify + claims() made {verify} allocations (target 1)"
                    ));
                }
                if verify_into > 0 {
                    failures.push(format!(
                        "{alg} {name}: verify_into made {verify_into} allocations (target 0)"
                    ));
                }
                if cold > 0 {
                    failures.push(format!(
                        "{alg} {name}: verify_into missing the header cache made {cold} \
                         allocations (target 0)"
                    ));
                }
            }
        }

        let public = match alg.family() {
            Family::Hmac => private.clone(),
            _ => tessera::default_backend(alg)
                .unwrap()
                .public_key(&private)
                .unwrap(),
        };
        for peer in peers::peers(alg, &private, &public) {
            let peer = peer.unwrap();
            let token = peer.sign().unwrap();
            let n = count(|| peer.verify(black_box(&token)).unwrap());
            lines.push(format!(
                "{alg} {:<26} verify (owned claims): {n}",
                peer.library
            ));
        }
    }
    println!("heap allocations of one verify (Rust global allocator only):");
    for line in &lines {
        println!("  {line}");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
