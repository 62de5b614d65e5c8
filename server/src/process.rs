//! Process limits for serving many dogs on little memory, set once by the
//! binary before it serves.

/// Tunes the allocator and raises the open-file limit.
pub fn tune() {
    hand_large_blocks_back();
    allow_every_connection_a_descriptor();
}

/// glibc raises its mmap threshold after the first large free, after which
/// every freed 19 MiB argon2 buffer stays in a per-thread arena for good;
/// a fixed threshold hands large blocks back to the system when freed.
fn hand_large_blocks_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before serving.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Every connection, slow ones included, holds a file descriptor: allow as
/// many as the hard limit does.
fn allow_every_connection_a_descriptor() {
    #[cfg(unix)]
    // SAFETY: plain getrlimit/setrlimit on a local struct.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}
