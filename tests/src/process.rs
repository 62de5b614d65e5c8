//! The server as a real process (the `woofer-server` entry point), for what
//! only a process shows: start-up from nothing, exit codes, SIGKILL.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct ServerProcess {
    child: Child,
    base_url: String,
    output: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Starts `binary` in `dir` with `env` (plus `ROCKET_PORT=0` unless set)
    /// and waits for its "listening on" line.
    pub fn start(binary: &Path, dir: &Path, env: &[(&str, &str)]) -> Result<Self, String> {
        let mut command = Command::new(binary);
        command
            .current_dir(dir)
            .env("ROCKET_CLI_COLORS", "false")
            .env("ROCKET_PORT", "0");
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(url) = line.strip_prefix("woofer-server listening on ") {
                        let _ = tx.send(url.trim().to_owned());
                    }
                    let mut all = output.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(base_url) = rx.recv_timeout(Duration::from_millis(100)) {
                return Ok(Self {
                    child,
                    base_url,
                    output,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(200));
                return Err(format!(
                    "server exited with {status}:\n{}",
                    output.lock().unwrap()
                ));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!(
                    "server did not start in 60 s:\n{}",
                    output.lock().unwrap()
                ));
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Everything the server printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown, no flushing, as in a crash.
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        self.output()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
