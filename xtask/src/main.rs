//! `cargo xtask run | test`: the project's two commands (see README.md).

mod app_bench;
mod app_build;
mod bench;
mod contract;
mod disk;
mod error;
mod paths;
mod pg_schema;
mod pg_suite;
mod postgres;
mod process;
mod run;
mod run_pg;
mod server;
mod suites;
mod tally;
mod toolchain;

use std::process::ExitCode;

use suites::Suite;
use tally::Tally;

const USAGE: &str = "\
usage:
  cargo xtask run [--port PORT]     install what is missing, build, and serve the demo (default port 8080)
    [--postgres]                    the same on a throwaway PostgreSQL cluster: two instances on PORT and PORT+1
  cargo xtask build                 install what is missing and build the app into dist/, as it ships
  cargo xtask test [SUITE...]       install what is missing and run the suites: fmt clippy native postgres wasm e2e contract
  cargo xtask bench [server] [app]  run the benchmarks (all by default) and update BENCHMARKS.md
  cargo xtask pg-smoke [--hold]     start a throwaway PostgreSQL cluster, SELECT 1 through psql, stop it
                                    (--hold: keep it until Enter or Ctrl-C)
  cargo xtask pg-schema             the spike: apply the PostgreSQL schema to a throwaway cluster and check it";

enum Task {
    Run { port: u16, postgres: bool },
    Build,
    PgSmoke { hold: bool },
    PgSchema,
    Test { suites: Vec<Suite> },
    Help,
}

fn parse(args: &[String]) -> Result<Task, String> {
    let Some((task, rest)) = args.split_first() else {
        return Ok(Task::Help);
    };
    match task.as_str() {
        "run" => {
            let mut port = 8080;
            let mut postgres = false;
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                if arg == "--postgres" {
                    postgres = true;
                    continue;
                }
                let value = match arg.strip_prefix("--port") {
                    Some("") => rest.next().ok_or("--port needs a value")?.as_str(),
                    Some(inline) => inline
                        .strip_prefix('=')
                        .ok_or(format!("unknown option {arg}"))?,
                    None => return Err(format!("unknown argument {arg}")),
                };
                port = value
                    .parse()
                    .map_err(|_| format!("--port {value} is not a port number"))?;
            }
            Ok(Task::Run { port, postgres })
        }
        "test" => {
            let suites = rest
                .iter()
                .map(|name| Suite::from_name(name).ok_or(format!("unknown suite {name}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Task::Test {
                suites: if suites.is_empty() {
                    Suite::ALL.to_vec()
                } else {
                    suites
                },
            })
        }
        "build" if rest.is_empty() => Ok(Task::Build),
        "pg-smoke" => match rest {
            [] => Ok(Task::PgSmoke { hold: false }),
            [hold] if hold == "--hold" => Ok(Task::PgSmoke { hold: true }),
            _ => Err("pg-smoke takes only --hold".to_owned()),
        },
        "pg-schema" if rest.is_empty() => Ok(Task::PgSchema),
        "pg-schema" => Err("pg-schema takes no arguments".to_owned()),
        "help" | "--help" | "-h" => Ok(Task::Help),
        other => Err(format!("unknown command {other}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(("bench", rest)) = args.split_first().map(|(task, rest)| (task.as_str(), rest)) {
        return match bench::run(rest) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match parse(&args) {
        Ok(Task::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Task::Run { port, postgres }) => match if postgres {
            run_pg::run(port)
        } else {
            run::run(port)
        } {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(Task::PgSmoke { hold }) => {
            match ensure_postgres().and_then(|()| postgres::smoke(hold)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("xtask: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Ok(Task::PgSchema) => match ensure_postgres().and_then(|()| pg_schema::run()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(Task::Build) => match run::build() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(Task::Test { suites }) => test(&suites),
        Err(why) => {
            eprintln!("xtask: {why}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Installs Debian's PostgreSQL when it is missing (the way a fresh clone's first run gets it).
fn ensure_postgres() -> Result<(), error::Error> {
    toolchain::Toolbox::default()
        .ensure(toolchain::Tool::Postgres)
        .map_err(|missing| error::Error::Missing(vec![missing]))
}

fn test(suites: &[Suite]) -> ExitCode {
    let outcomes = suites::run_all(suites);
    let mut total = Tally::default();
    println!("\nSuites:");
    for outcome in &outcomes {
        println!(
            "  {:<8} {:<7} {:<24} {}",
            outcome.suite.name(),
            if outcome.tally.is_ok() {
                "ok"
            } else {
                "FAILED"
            },
            outcome.tally.to_string(),
            suites::human(outcome.elapsed)
        );
        total += outcome.tally;
    }
    // The last line, alone, is the summary that CI and people read.
    println!("{total}");
    if total.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn run_defaults_to_port_8080() {
        assert!(matches!(
            parse(&args(&["run"])),
            Ok(Task::Run {
                port: 8080,
                postgres: false
            })
        ));
        assert!(matches!(
            parse(&args(&["run", "--postgres", "--port", "9000"])),
            Ok(Task::Run {
                port: 9000,
                postgres: true
            })
        ));
    }

    #[test]
    fn run_takes_a_port_in_both_spellings() {
        assert!(matches!(
            parse(&args(&["run", "--port", "9000"])),
            Ok(Task::Run { port: 9000, .. })
        ));
        assert!(matches!(
            parse(&args(&["run", "--port=9001"])),
            Ok(Task::Run { port: 9001, .. })
        ));
        assert!(parse(&args(&["run", "--port", "http"])).is_err());
        assert!(parse(&args(&["run", "--portal"])).is_err());
    }

    #[test]
    fn the_postgres_commands_take_only_their_options() {
        assert!(matches!(
            parse(&args(&["pg-smoke"])),
            Ok(Task::PgSmoke { hold: false })
        ));
        assert!(matches!(
            parse(&args(&["pg-smoke", "--hold"])),
            Ok(Task::PgSmoke { hold: true })
        ));
        assert!(parse(&args(&["pg-smoke", "--keep"])).is_err());
        assert!(matches!(parse(&args(&["pg-schema"])), Ok(Task::PgSchema)));
        assert!(parse(&args(&["pg-schema", "extra"])).is_err());
    }

    #[test]
    fn test_runs_all_suites_or_the_named_ones() {
        match parse(&args(&["test"])) {
            Ok(Task::Test { suites }) => assert_eq!(suites, Suite::ALL.to_vec()),
            _ => panic!("`test` alone should run every suite"),
        }
        match parse(&args(&["test", "e2e", "fmt"])) {
            Ok(Task::Test { suites }) => assert_eq!(suites, vec![Suite::E2e, Suite::Fmt]),
            _ => panic!("`test e2e fmt` should run those two"),
        }
        assert!(parse(&args(&["test", "bench"])).is_err());
    }
}
