//! A throwaway PostgreSQL cluster for tests: Debian's `initdb` into a temporary folder, listening
//! only on a Unix socket in that folder (no TCP), stopped and removed afterwards.
//!
//! The server binaries come from `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package,
//! which `.ci/run` installs). Without them the tests fail, saying so: they do not skip.
//! PostgreSQL refuses to run as root, so as root (CI) the cluster runs as the `postgres` user
//! the package creates (`runuser`), in a folder handed to that user.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use tempfile::TempDir;

/// One running cluster. Dropping it stops the server (immediate shutdown) and removes its folder.
pub struct Cluster {
    dir: Option<TempDir>,
    bin: PathBuf,
    run_as: Option<String>,
}

fn find_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
        .collect();
    // The newest major version.
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: \
             these tests need a real PostgreSQL server; install Debian's `postgresql` \
             package (apt-get install -y postgresql; .ci/run does)"
        )
    })
}

fn output(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u"), "id -u").trim() == "0"
}

impl Cluster {
    /// initdb + start. Panics with the reason when PostgreSQL is missing or does not start.
    pub fn start() -> Cluster {
        let bin = find_bin();
        let dir = tempfile::Builder::new()
            .prefix("skillpass-pg")
            .tempdir()
            .expect("temporary folder");
        let run_as = if is_root() {
            // PostgreSQL will not run as root: hand the folder to its own user.
            let uid: u32 = output(
                Command::new("id").args(["-u", "postgres"]),
                "id -u postgres",
            )
            .trim()
            .parse()
            .expect("uid of postgres");
            let gid: u32 = output(
                Command::new("id").args(["-g", "postgres"]),
                "id -g postgres",
            )
            .trim()
            .parse()
            .expect("gid of postgres");
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .expect("hand the cluster folder to postgres");
            Some("postgres".to_owned())
        } else {
            None
        };
        let cluster = Cluster {
            dir: Some(dir),
            bin,
            run_as,
        };
        let data = cluster.path().join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "skillpass",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let options = format!(
            "-k {} -c listen_addresses='' -c max_connections=300 -c shared_buffers=32MB",
            cluster.path().display()
        );
        let log = cluster.path().join("server.log");
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        cluster
    }

    /// The cluster's folder (socket, data, log).
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("present until dropped").path()
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        cmd.stdin(Stdio::null());
        cmd
    }

    fn run(&self, program: &str, args: &[&str]) -> String {
        output(self.command(program).args(args), program)
    }

    /// A new, empty database; returns its URL (Unix socket, no password).
    pub fn create_database(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.run(
            "createdb",
            &[
                "-h",
                self.path().to_str().unwrap(),
                "-U",
                "skillpass",
                &name,
            ],
        );
        self.url(&name)
    }

    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgresql:///{name}?host={}&user=skillpass",
            self.path().display()
        )
    }

    /// Runs SQL through `psql` against database `name` and returns its unaligned output.
    pub fn psql(&self, name: &str, sql: &str) -> String {
        self.run(
            "psql",
            &[
                "-h",
                self.path().to_str().unwrap(),
                "-U",
                "skillpass",
                "-d",
                name,
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
        )
    }

    /// The server log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path().join("server.log")).unwrap_or_default()
    }

    /// Stops the server now (immediate shutdown), keeping the folder.
    pub fn stop(&self) {
        let data = self.path().join("data");
        let _ = self
            .command("pg_ctl")
            .args([
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One cluster shared by the tests of a test binary (each test takes its own database). A
/// static is never dropped, so a watcher process stops the server once this process is gone.
// The watcher is meant to outlive this process, so it is never waited for.
#[allow(clippy::zombie_processes)]
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(|| {
        let cluster = Cluster::start();
        let data = cluster.path().join("data");
        let pg_ctl = cluster.bin.join("pg_ctl");
        let stop = match &cluster.run_as {
            Some(user) => format!(
                "runuser -u {user} -- {} -D {} -m immediate stop",
                pg_ctl.display(),
                data.display()
            ),
            None => format!("{} -D {} -m immediate stop", pg_ctl.display(), data.display()),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            dir = cluster.path().display()
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the cluster's watcher");
        cluster
    })
}
