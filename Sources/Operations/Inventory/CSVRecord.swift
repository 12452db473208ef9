import Foundation
import S3

/// One record of a `CSVRecordReader`: its fields as bytes, valid only during the callback
/// that receives it (the reader reuses the memory for the next record).
public struct CSVRecord {
    let base: UnsafePointer<UInt8>
    let ends: UnsafePointer<Int>
    /// Number of fields.
    public let count: Int
    /// False when the record broke the quoting rules.
    public let wellFormed: Bool

    /// Field `i` (0 ..< count), quotes removed and doubled quotes undoubled.
    @inline(__always)
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let from = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(start: base + from, count: ends[i] - from)
    }

    /// Field `i` as text, or nil when its bytes are not UTF-8 (U+FFFD would be another value).
    public func string(_ i: Int) -> String? { CSVRecord.utf8String(field(i)) }

    /// The fields as text (nil for a field that is not UTF-8), for tests and messages.
    public var strings: [String?] { (0..<count).map { string($0) } }

    /// Whether field `i` is exactly these bytes.
    @inline(__always)
    public func field(_ i: Int, equals text: StaticString) -> Bool {
        let f = field(i)
        guard f.count == text.utf8CodeUnitCount else { return false }
        return f.count == 0 || memcmp(f.baseAddress!, text.utf8Start, f.count) == 0
    }

    /// Bytes as a String when they are valid UTF-8.
    public static func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }
}
