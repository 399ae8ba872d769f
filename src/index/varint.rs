//! LEB128 varints and a bounds-checked byte cursor.

use super::{corrupt, IndexError};

/// Appends `v` as an unsigned LEB128 varint.
pub fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Zigzag-encodes a signed integer.
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Reverses [`zigzag`].
pub fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Appends a length-prefixed string.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends an optional string (0 = null, else length + 1).
pub fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => put(out, 0),
        Some(s) => {
            put(out, s.len() as u64 + 1);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// A cursor over bytes whose every read is checked.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Cursor<'a> {
    /// A cursor over `bytes`; `what` names the data in error messages.
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Cursor { bytes, pos: 0, what }
    }

    pub fn at(bytes: &'a [u8], pos: usize, what: &'static str) -> Result<Self, IndexError> {
        if pos > bytes.len() {
            return Err(self::err(what, "offset past the end"));
        }
        Ok(Cursor { bytes, pos, what })
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Where the next read starts.
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn varint(&mut self) -> Result<u64, IndexError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos).ok_or_else(|| err(self.what, "truncated"))?;
            self.pos += 1;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(err(self.what, "varint too long"))
    }

    /// A varint that must fit in a u32.
    pub fn u32v(&mut self) -> Result<u32, IndexError> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| err(self.what, "value out of range"))
    }

    pub fn u8(&mut self) -> Result<u8, IndexError> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| err(self.what, "truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], IndexError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| err(self.what, "truncated"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn str(&mut self) -> Result<&'a str, IndexError> {
        let n = self.varint()? as usize;
        let b = self.bytes(n)?;
        std::str::from_utf8(b).map_err(|_| err(self.what, "invalid UTF-8"))
    }

    pub fn opt_str(&mut self) -> Result<Option<&'a str>, IndexError> {
        let n = self.varint()? as usize;
        if n == 0 {
            return Ok(None);
        }
        let b = self.bytes(n - 1)?;
        std::str::from_utf8(b).map(Some).map_err(|_| err(self.what, "invalid UTF-8"))
    }

    pub fn f32(&mut self) -> Result<f32, IndexError> {
        let b = self.bytes(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u32_le(&mut self) -> Result<u32, IndexError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn err(what: &str, problem: &str) -> IndexError {
    let mut s = String::from(what);
    s.push_str(": ");
    s.push_str(problem);
    corrupt(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut out = Vec::new();
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            put(&mut out, v);
        }
        let mut c = Cursor::new(&out, "test");
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            assert_eq!(c.varint().unwrap(), v);
        }
        assert!(c.varint().is_err());
        for v in [0i64, -1, 1, i32::MIN as i64, i32::MAX as i64] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    #[test]
    fn truncated_reads_fail() {
        let mut c = Cursor::new(&[0x80, 0x80], "x");
        assert!(c.varint().is_err());
        let mut c = Cursor::new(&[5, b'a'], "x");
        assert!(c.str().is_err());
    }
}
