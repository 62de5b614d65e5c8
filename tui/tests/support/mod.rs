//! The real `woofer` binary in a pseudo-terminal, its screen read back
//! through a vt100 parser.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

pub struct TerminalSession {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    pub started: Instant,
}

impl TerminalSession {
    pub fn start(binary: &str, args: &[&str], cwd: &Path, rows: u16, cols: u16) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(binary);
        command.args(args);
        command.cwd(cwd);
        command.env("TERM", "xterm-256color");
        command.env_remove("WOOFER_SERVER");
        command.env_remove("WOOFER_COOKIE_JAR");
        let started = Instant::now();
        let child = pair.slave.spawn_command(command).expect("woofer starts");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let feed = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Self {
            parser,
            writer,
            child,
            _master: pair.master,
            started,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or(0)
    }

    /// Resizes the terminal (the app gets SIGWINCH) and the parser with it.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resizing the pty");
        // vt100 0.16 panics on a wide character in a one-column grid, which
        // a frame drawn for the old size, still in flight, may print: the
        // parser keeps at least two columns (a real terminal copes).
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols.max(2));
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The whole screen, colours and all (for pictures of it).
    pub fn snapshot(&self) -> vt100::Screen {
        self.parser.lock().unwrap().screen().clone()
    }

    pub fn in_alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str) -> Duration {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.screen().contains(text) {
                return self.started.elapsed();
            }
            if Instant::now() > deadline {
                panic!("{text:?} never appeared; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("typing into the pty");
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut buf = [0u8; 4];
            self.send(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    /// On the login screen: types the name, Tab, the password, Enter.
    pub fn log_in(&mut self, username: &str, password: &str) {
        self.wait_for("log in");
        self.type_text(username);
        self.send(b"\t");
        self.type_text(password);
        self.send(b"\r");
    }

    /// Waits for the process to end; true when it exited successfully.
    pub fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                // Let the reader thread take in the last bytes (terminal restore).
                std::thread::sleep(Duration::from_millis(200));
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("woofer did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
