//! The contract suite: Schemathesis, a third-party OpenAPI fuzzer, against the release server on a
//! fresh database with the demo data, signed in as the demo seller. Every check is on, the stateful
//! phase follows the document's links (real posting numbers, SKUs and versions), and the seed is
//! fixed, so a run is repeatable. Its configuration is `crates/server/contract/schemathesis.toml`.

use std::path::PathBuf;

use crate::error::Error;
use crate::paths;
use crate::process::{self, command};
use crate::server::{self, Log, Server};
use crate::tally::Tally;

/// Schemathesis, pinned: its CLI and its checks change between releases.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The seller the suite signs in as (the demo seller).
const SELLER: &str = "s-1001";

/// The virtual environment that holds Schemathesis.
pub fn venv_dir() -> PathBuf {
    contract_dir().join("venv")
}

pub fn schemathesis_binary() -> PathBuf {
    venv_dir().join("bin/schemathesis")
}

fn contract_dir() -> PathBuf {
    paths::target_dir().join("contract")
}

fn config_file() -> PathBuf {
    paths::repo_root().join("crates/server/contract/schemathesis.toml")
}

/// Builds and starts the server, signs in, runs Schemathesis; one check per API operation,
/// read from its JUnit report (a run that fails outside the operations counts as one failure).
pub fn run() -> Result<Tally, Error> {
    server::build_server()?;
    let dir = contract_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let db = server::fresh_db("contract")?;
    let log = dir.join("server.log");
    let server = Server::start(server::free_port()?, None, &db, Log::File(log.clone()))?;
    println!(
        "xtask: server ready at {} (log: {})",
        server.url,
        log.display()
    );
    let token = sign_in(&server.url)?;

    let reports = dir.join("reports");
    match std::fs::remove_dir_all(&reports) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("clearing {}", reports.display()), e)),
    }
    let junit = reports.join("junit.xml");
    let mut schemathesis = command(&schemathesis_binary().to_string_lossy());
    schemathesis
        .arg("--config-file")
        .arg(config_file())
        .arg("run")
        .arg(format!("{}/api/openapi.json", server.url))
        .args(["--url", &server.url])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&junit)
        .args(["--report-dir"])
        .arg(&reports)
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .env("NO_COLOR", "1")
        // Whatever it writes beside itself stays under target/.
        .current_dir(&dir);
    // The command line, token included, is printed as run: the token is the demo seller's on this
    // throwaway server, which stops with the suite.
    println!(
        "xtask: Schemathesis {SCHEMATHESIS_VERSION}, reports in {}",
        reports.display()
    );
    let status = process::run(&mut schemathesis);
    drop(server);
    let status = status?;
    let mut tally = match std::fs::read_to_string(&junit) {
        Ok(xml) => junit_tally(&xml),
        Err(e) => {
            println!("xtask: no JUnit report at {}: {e}", junit.display());
            Tally::default()
        }
    };
    if tally.passed + tally.failed == 0 {
        println!("xtask: Schemathesis tested no operation; counted as one failure");
        tally.failed = 1;
    } else if !status.success() && tally.failed == 0 {
        println!(
            "xtask: Schemathesis failed ({status}) outside the operations; counted as one failure"
        );
        tally.failed = 1;
    }
    Ok(tally)
}

/// A token for the demo seller from the demo session endpoint (python's standard library is in the
/// virtual environment anyway; xtask itself stays free of an HTTP client).
fn sign_in(url: &str) -> Result<String, Error> {
    let python = venv_dir().join("bin/python");
    let script = "import json, sys, urllib.request\n\
                  request = urllib.request.Request(sys.argv[1] + '/api/v1/dev/session', \
                  data=json.dumps({'seller_id': sys.argv[2]}).encode(), \
                  headers={'Content-Type': 'application/json'})\n\
                  print(json.load(urllib.request.urlopen(request, timeout=30))['token'])";
    let output = command(&python.to_string_lossy())
        .args(["-c", script, url, SELLER])
        .output()
        .map_err(|e| Error::io("signing in through the demo session", e))?;
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() || token.is_empty() {
        return Err(Error::Project(format!(
            "could not sign in as {SELLER} through POST /api/v1/dev/session: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(token)
}

/// Passed and failed test cases of a JUnit report: each `<testcase>` is one operation, failed when
/// it holds a `<failure` or an `<error`.
fn junit_tally(xml: &str) -> Tally {
    let mut tally = Tally::default();
    for case in xml.split("<testcase").skip(1) {
        let body = match case.find("</testcase>") {
            Some(end) => &case[..end],
            // `<testcase ... />`: nothing inside, passed.
            None => case.split('>').next().unwrap_or(""),
        };
        if body.contains("<failure") || body.contains("<error") {
            tally.failed += 1;
        } else {
            tally.passed += 1;
        }
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_cases_count_as_passed_or_failed() {
        let xml = r#"<testsuites><testsuite name="schemathesis" tests="3">
            <testcase name="GET /api/v1/config" time="0.1"/>
            <testcase name="POST /api/v1/shipments/cancel" time="0.2"><failure type="failure" message="x">boom</failure></testcase>
            <testcase name="GET /api/v1/events" time="0.2"><error type="error" message="y">err</error></testcase>
            <testcase name="GET /api/v1/providers" time="0.1"></testcase>
        </testsuite></testsuites>"#;
        let tally = junit_tally(xml);
        assert_eq!((tally.passed, tally.failed), (2, 2));
    }
}
