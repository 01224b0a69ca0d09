//! `tessera compare --repeat --out`: the HTML report, the per-family charts and the stability
//! summary, on a short run (the shape of the outputs, never their figures).

#![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use tempfile::TempDir;

#[test]
fn compare_repeat_writes_html_charts_and_stability() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("report");
    let output = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args([
            "compare",
            "--alg",
            "HS256",
            "--alg",
            "ES256",
            "--backend",
            "tessera-hmac",
            "--backend",
            "tessera-ecdsa",
            "--backend",
            "tessera-ring",
            "--no-keygen",
            "--seconds",
            "1",
            "--repeat",
            "2",
            "--seed",
            "7",
            "--format",
            "table",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("stability over 2 runs"), "{stdout}");
    assert!(
        stdout.contains("overhead ratio (tessera / floor)"),
        "{stdout}"
    );
    assert!(stdout.contains("target "), "{stdout}");
    assert!(stderr.contains("run 2 of 2"), "{stderr}");
    for f in [
        "report.txt",
        "report.md",
        "report.csv",
        "report.json",
        "report.html",
        "hmac.svg",
        "ecdsa.svg",
        "rsa-pkcs1.svg",
        "token-size.svg",
        "verify.svg",
        "sign.svg",
        "stability.txt",
        "stability.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    for part in [
        "data-table=\"rec-HS256\"",
        "data-table=\"rec-ES256\"",
        "data-chart=\"hmac\"",
        "data-chart=\"ecdsa\"",
        "data-chart=\"token-size\"",
        "data-table=\"records\"",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(!html.contains("<script"));
    let records: Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let records = records.as_array().unwrap();
    assert!(!records.is_empty());
    for r in records {
        assert!(r["stable"].is_boolean(), "{r}");
        assert!(r["ns_low"].as_f64().unwrap() <= r["ns_median"].as_f64().unwrap());
        assert!(r["ns_median"].as_f64().unwrap() <= r["ns_high"].as_f64().unwrap());
    }
    let stability: Value =
        serde_json::from_str(&fs::read_to_string(out.join("stability.json")).unwrap()).unwrap();
    assert_eq!(stability["runs"], 2);
    assert_eq!(stability["unstable_per_run"].as_array().unwrap().len(), 2);
    assert_eq!(stability["targets"].as_array().unwrap().len(), 3);
}

#[test]
fn compare_repeat_zero_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["compare", "--repeat", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--repeat"));
}
