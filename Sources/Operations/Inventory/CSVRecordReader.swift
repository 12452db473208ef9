import Foundation
import S3

/// Splits CSV into records as bytes arrive, holding only the record being read: fields in
/// double quotes may hold commas, newlines and doubled quotes (`""`), as RFC 4180 has them and
/// as S3 Inventory writes every field. A record is handed on with `wellFormed` false when it
/// breaks the quoting rules; the caller decides what to do with it.
///
/// Bytes, not text: a report of 10^7 rows is read in seconds only if a row costs no string
/// per field. The fields of a record are byte ranges in one buffer that is reused for the
/// next record, so a `CSVRecord` is valid only inside the callback; the caller decodes the
/// few fields it needs (and checks their UTF-8 then). Inside quotes the reader copies runs of
/// bytes up to the next quote at once, which is where an inventory row spends its bytes.
public final class CSVRecordReader {
    /// Longer than any inventory row (a 1,024-byte key URL-encoded is at most 3 KiB): a file
    /// with an unclosed quote must not grow one record without bound.
    public static let longestRecord = 1 << 20

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    /// The record's unquoted bytes, field after field.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    private var length = 0
    /// Where each finished field of the record ends in `buffer`.
    private var ends: UnsafeMutablePointer<Int>
    private var endsCapacity = 32
    private var fieldCount = 0
    /// Input bytes of the record so far, quotes and separators included (the bound applies to these).
    private var recordBytes = 0
    private var wellFormed = true
    private let what: String
    private let onRecord: (CSVRecord) throws -> Void
    /// Records handed on so far (1 for the first), for messages naming a line.
    public private(set) var records = 0

    public init(what: String, onRecord: @escaping (CSVRecord) throws -> Void) {
        self.what = what
        self.onRecord = onRecord
        buffer = .allocate(capacity: capacity)
        ends = .allocate(capacity: endsCapacity)
    }

    deinit {
        buffer.deallocate()
        ends.deallocate()
    }

    public func reset() {
        state = .fieldStart
        length = 0
        fieldCount = 0
        recordBytes = 0
        wellFormed = true
        records = 0
    }

    public func push(_ bytes: UnsafeRawBufferPointer) throws {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return }
        let end = start + bytes.count
        var p = start
        while p < end {
            let before = p
            switch state {
            case .quoted:
                // Everything up to the next quote is field content: copied in one go.
                if let found = memchr(p, 0x22, end - p) {
                    let q = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self))
                    try append(p, q - p)
                    p = q + 1
                    state = .quoteInQuoted
                } else {
                    try append(p, end - p)
                    p = end
                }
            case .fieldStart:
                let b = p.pointee
                p += 1
                switch b {
                case 0x22: state = .quoted
                case 0x2C: try endField()
                case 0x0A: try endRecord()
                case 0x0D: break
                default: try append(b); state = .unquoted
                }
            case .unquoted:
                let b = p.pointee
                p += 1
                switch b {
                case 0x2C: try endField()
                case 0x0A: try endRecord()
                case 0x0D: break
                case 0x22: wellFormed = false; try append(b)
                default: try append(b)
                }
            case .quoteInQuoted:
                let b = p.pointee
                p += 1
                switch b {
                case 0x22: try append(b); state = .quoted
                case 0x2C: try endField()
                case 0x0A: try endRecord()
                case 0x0D: break
                default: wellFormed = false; try append(b); state = .unquoted
                }
            }
            if state != .fieldStart || fieldCount > 0 || length > 0 {
                recordBytes += p - before
                if recordBytes > Self.longestRecord { throw tooLong() }
            }
        }
    }

    /// The input is over: a last record without a newline still counts; an open quote is damage.
    public func finish() throws {
        if state == .quoted { wellFormed = false }
        if state != .fieldStart || fieldCount > 0 || length > 0 { try endRecord() }
    }

    private func tooLong() -> S3Error {
        S3Error.local("\(what) has a record longer than \(Self.longestRecord) bytes after record "
                      + "\(records) (an unclosed quote?); the report is damaged")
    }

    @inline(__always)
    private func append(_ b: UInt8) throws {
        if length == capacity { try grow(length + 1) }
        buffer[length] = b
        length += 1
    }

    @inline(__always)
    private func append(_ from: UnsafePointer<UInt8>, _ count: Int) throws {
        guard count > 0 else { return }
        if length + count > capacity { try grow(length + count) }
        (buffer + length).update(from: from, count: count)
        length += count
    }

    private func grow(_ needed: Int) throws {
        guard needed <= Self.longestRecord else { throw tooLong() }
        var size = capacity
        while size < needed { size *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: buffer, count: length)
        buffer.deallocate()
        buffer = bigger
        capacity = size
    }

    private func endField() throws {
        if fieldCount == endsCapacity {
            // Each field takes at least its comma, so the record bound bounds this too.
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: endsCapacity * 2)
            bigger.update(from: ends, count: fieldCount)
            ends.deallocate()
            ends = bigger
            endsCapacity *= 2
        }
        ends[fieldCount] = length
        fieldCount += 1
        state = .fieldStart
    }

    private func endRecord() throws {
        let empty = fieldCount == 0 && length == 0 && state == .fieldStart
        if !empty {
            try endField()
            records += 1
            try onRecord(CSVRecord(base: UnsafePointer(buffer), ends: UnsafePointer(ends), count: fieldCount,
                                   wellFormed: wellFormed))
        }
        length = 0
        fieldCount = 0
        state = .fieldStart
        recordBytes = 0
        wellFormed = true
    }
}
