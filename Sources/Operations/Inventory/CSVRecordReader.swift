import Foundation
import S3

/// Splits CSV into records as bytes arrive, holding only the record being read: fields in
/// double quotes may hold commas, newlines and doubled quotes (`""`), as RFC 4180 has them and
/// as S3 Inventory writes every field. A record is handed on with `wellFormed` false when it
/// breaks the quoting rules or is not UTF-8; the caller decides what to do with it.
public final class CSVRecordReader {
    /// Longer than any inventory row (a 1,024-byte key URL-encoded is at most 3 KiB): a file
    /// with an unclosed quote must not grow one record without bound.
    public static let longestRecord = 1 << 20

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var recordBytes = 0
    private var wellFormed = true
    private let what: String
    private let onRecord: ([String], Bool) throws -> Void
    /// Records handed on so far (1 for the first), for messages naming a line.
    public private(set) var records = 0

    public init(what: String, onRecord: @escaping (_ fields: [String], _ wellFormed: Bool) throws -> Void) {
        self.what = what
        self.onRecord = onRecord
    }

    public func reset() {
        state = .fieldStart
        field.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        recordBytes = 0
        wellFormed = true
        records = 0
    }

    public func push(_ bytes: UnsafeRawBufferPointer) throws {
        for b in bytes {
            recordBytes += 1
            if recordBytes > Self.longestRecord {
                throw S3Error.local("\(what) has a record longer than \(Self.longestRecord) bytes after record "
                                    + "\(records) (an unclosed quote?); the report is damaged")
            }
            switch state {
            case .fieldStart:
                switch b {
                case 0x22: state = .quoted
                case 0x2C: endField()
                case 0x0A: try endRecord()
                case 0x0D: break
                default: field.append(b); state = .unquoted
                }
            case .unquoted:
                switch b {
                case 0x2C: endField()
                case 0x0A: try endRecord()
                case 0x0D: break
                case 0x22: wellFormed = false; field.append(b)
                default: field.append(b)
                }
            case .quoted:
                if b == 0x22 { state = .quoteInQuoted } else { field.append(b) }
            case .quoteInQuoted:
                switch b {
                case 0x22: field.append(b); state = .quoted
                case 0x2C: endField()
                case 0x0A: try endRecord()
                case 0x0D: break
                default: wellFormed = false; field.append(b); state = .unquoted
                }
            }
        }
    }

    /// The input is over: a last record without a newline still counts; an open quote is damage.
    public func finish() throws {
        if state == .quoted { wellFormed = false }
        if state != .fieldStart || !fields.isEmpty || !field.isEmpty { try endRecord() }
    }

    private func endField() {
        let text = String(decoding: field, as: UTF8.self)
        // Bytes that are not UTF-8 come back as U+FFFD: a different value, so the record is not kept.
        if !text.utf8.elementsEqual(field) { wellFormed = false }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private func endRecord() throws {
        let empty = fields.isEmpty && field.isEmpty && state == .fieldStart
        if !empty {
            endField()
            records += 1
            try onRecord(fields, wellFormed)
        }
        fields.removeAll(keepingCapacity: true)
        state = .fieldStart
        recordBytes = 0
        wellFormed = true
    }
}
