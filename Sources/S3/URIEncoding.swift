/// Percent-encoding as SigV4 and S3 want it: every byte except `A-Z a-z 0-9 - . _ ~`
/// is encoded exactly once, as `%XX` with upper-case hex. Space is `%20`, `+` is `%2B`.
public enum URIEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    /// Encodes a string; `/` stays literal when `keepSlash` is set (paths), never in query values.
    public static func encode(_ string: String, keepSlash: Bool = false) -> String {
        var out = [UInt8]()
        out.reserveCapacity(string.utf8.count)
        for b in string.utf8 {
            if isUnreserved(b) || (keepSlash && b == 0x2F) {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func encodePath(_ path: String) -> String { encode(path, keepSlash: true) }

    /// Decodes `%XX` sequences; with `plusIsSpace`, `+` means a space (form encoding, as S3
    /// uses for `encoding-type=url`). Invalid sequences are kept as they are.
    public static func decode(_ string: String, plusIsSpace: Bool = false) -> String {
        let bytes = Array(string.utf8)
        guard bytes.contains(0x25) || (plusIsSpace && bytes.contains(0x2B)) else { return string }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x25, i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else if b == 0x2B && plusIsSpace {
                out.append(0x20)
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a key of a listing sent with `encoding-type=url`, or nil when the decoding
    /// would not be exact: a `%` not followed by two hex digits (a server that encodes sends
    /// a literal `%` as `%25`), or bytes that are not valid UTF-8 (`%FF%FE`). Decoding those
    /// leniently would turn them into U+FFFD, another key, which pail would then HEAD, GET or
    /// DELETE instead.
    public static func decodeExactly(_ string: String, plusIsSpace: Bool = false) -> String? {
        let bytes = Array(string.utf8)
        guard bytes.contains(0x25) || (plusIsSpace && bytes.contains(0x2B)) else { return string }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x25 {
                guard i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else {
                    return nil
                }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b == 0x2B && plusIsSpace ? 0x20 : b)
                i += 1
            }
        }
        // Invalid UTF-8 comes back from String(decoding:) as U+FFFD, so different bytes.
        let decoded = String(decoding: out, as: UTF8.self)
        return decoded.utf8.elementsEqual(out) ? decoded : nil
    }

    /// The value of one hex digit (either case); nil for any other byte. Inlined: inventory
    /// reports decode a key's escapes with it, row after row.
    @inlinable
    public static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
