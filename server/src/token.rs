//! Random secrets written as hex: session ids and the generated secret key.

use rand::RngCore;

/// `bytes` bytes from the operating system's CSPRNG, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        assert_eq!(super::hex(&[0, 0xab, 0x7f]), "00ab7f");
        let token = super::random_hex(32);
        assert_eq!(token.len(), 64);
        assert_ne!(token, super::random_hex(32));
    }
}
