//! One keep-alive HTTP/1.1 connection that sends a request in one write and
//! reads its answer in (usually) one read: the paced writes' client.
//!
//! The benchmark shares two cores with the server. Through reqwest, a write
//! cost the load generator 80 µs of CPU, half of what it cost the server,
//! and that CPU was taken from the server's share at every burst
//! (docs/benchmarks.md, "The write tail, taken apart"). This sends the same
//! requests with the session cookie, and reads the status and the body.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub struct KeepAlive {
    socket: BufReader<TcpStream>,
    /// Everything of a request before its body's length.
    head: String,
    request: Vec<u8>,
    line: String,
    body: Vec<u8>,
}

impl KeepAlive {
    /// A connection to `base_url` (`http://host:port`) that sends
    /// `session` as its `woofer_session` cookie.
    pub async fn open(base_url: &str, session: &str) -> io::Result<Self> {
        let address = base_url
            .strip_prefix("http://")
            .ok_or_else(|| io::Error::other(format!("not an http:// address: {base_url}")))?;
        let socket = TcpStream::connect(address).await?;
        socket.set_nodelay(true)?;
        Ok(Self {
            socket: BufReader::new(socket),
            head: format!("Host: {address}\r\nCookie: woofer_session={session}\r\n"),
            request: Vec::with_capacity(512),
            line: String::new(),
            body: Vec::new(),
        })
    }

    /// Sends `method path` with `json` as its body, if any, and reads the
    /// whole answer; its status.
    pub async fn send(&mut self, method: &str, path: &str, json: Option<&str>) -> io::Result<u16> {
        use std::io::Write as _;
        self.request.clear();
        let body = json.unwrap_or_default();
        write!(
            self.request,
            "{method} {path} HTTP/1.1\r\n{}Content-Length: {}\r\n",
            self.head,
            body.len()
        )?;
        if json.is_some() {
            self.request
                .extend_from_slice(b"Content-Type: application/json\r\n");
        }
        self.request.extend_from_slice(b"\r\n");
        self.request.extend_from_slice(body.as_bytes());
        self.socket.get_mut().write_all(&self.request).await?;
        self.read_answer().await
    }

    async fn read_answer(&mut self) -> io::Result<u16> {
        self.line.clear();
        self.socket.read_line(&mut self.line).await?;
        let status: u16 = self
            .line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("not a status line: {:?}", self.line)))?;
        let mut length = 0;
        loop {
            self.line.clear();
            if self.socket.read_line(&mut self.line).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            if name.eq_ignore_ascii_case("content-length") {
                length = value
                    .trim()
                    .parse()
                    .map_err(|_| io::Error::other(format!("bad length: {header}")))?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(io::Error::other(format!("unexpected {header}")));
            }
        }
        self.body.resize(length, 0);
        self.socket.read_exact(&mut self.body).await?;
        Ok(status)
    }
}
