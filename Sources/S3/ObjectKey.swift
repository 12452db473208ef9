import Foundation

/// An object key as S3 holds it: a sequence of UTF-8 bytes.
///
/// Swift's `String` equality, hashing and ordering follow Unicode canonical equivalence, so
/// `café` written precomposed (NFC) and decomposed (NFD) are one string to Swift and two
/// objects to S3. Sets, dictionaries and sorts of keys use this type (or the byte-wise
/// `String` helpers below) so two keys are never merged, and order is S3's (UTF-8 bytes).
public struct ObjectKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let string: String

    public init(_ string: String) { self.string = string }

    public var description: String { string }

    public static func == (a: ObjectKey, b: ObjectKey) -> Bool { a.string.bytesEqual(b.string) }

    public static func < (a: ObjectKey, b: ObjectKey) -> Bool { a.string.bytesPrecede(b.string) }

    public func hash(into hasher: inout Hasher) { string.hashBytes(into: &hasher) }
}

extension String {
    /// Equal as UTF-8 bytes: what S3 means by the same key.
    @inlinable public func bytesEqual(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }

    /// Before `other` in S3's order (UTF-8 bytes).
    @inlinable public func bytesPrecede(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }

    /// Starts with `prefix` byte for byte. `String.hasPrefix` compares characters, so
    /// `"cafe\u{301}"` would not start with `"cafe"` and NFC/NFD spellings would match.
    @inlinable public func hasBytePrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    /// Ends with `suffix` byte for byte. `String.hasSuffix` compares characters, and a "/"
    /// after a prepended mark (U+0600) is part of that mark's character.
    @inlinable public func hasByteSuffix(_ suffix: String) -> Bool {
        utf8.count >= suffix.utf8.count && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    /// What follows `prefix`, cut by bytes: dropping `prefix.count` characters would swallow
    /// a combining mark that follows a "/". A string that does not start with `prefix` comes
    /// back whole (callers that act on the remainder check `hasBytePrefix` first).
    public func droppingBytePrefix(_ prefix: String) -> String {
        guard hasBytePrefix(prefix) else { return self }
        return String(decoding: utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    /// The parts between `separator` bytes, cut by bytes: `String.split` works on characters,
    /// and a "/" followed by a combining mark is one character, so `../\u{301}x` would be one
    /// part there and two to the file system.
    public func byteSegments(separatedBy separator: Unicode.Scalar = "/") -> [String] {
        let s = UInt8(separator.value)
        return utf8.split(separator: s, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Feeds the UTF-8 bytes and their count to `hasher`, so it agrees with `bytesEqual`.
    public func hashBytes(into hasher: inout Hasher) {
        var contiguous = self
        contiguous.makeContiguousUTF8()  // a no-op for native strings; one path for all
        contiguous.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8.count)
    }
}

extension ObjectSummary {
    public var objectKey: ObjectKey { ObjectKey(key) }
}
