import Foundation
import S3

/// What `pail find` (and the browser's search) keeps of a listing: every criterion given must
/// hold. Matching uses only what a listing says, so a search costs no request beyond it.
public struct ObjectCriteria: Sendable {
    /// A shell pattern for the last segment of the key (`*.jpg`, `photo_???????.*`).
    public var name: String?
    /// A regular expression searched anywhere in the whole key.
    public var regex: String? {
        didSet { compiled = regex.flatMap { try? NSRegularExpression(pattern: $0) } }
    }
    public var largerThan: Int64?
    public var smallerThan: Int64?
    /// Age bounds in seconds, measured from `now`.
    public var olderThan: Int?
    public var newerThan: Int?
    public var storageClass: String?
    public var now = Date()
    private var compiled: NSRegularExpression?

    public init() {}

    /// Errors a user can fix, checked before anything is listed.
    public func validate() throws {
        if let regex {
            do { _ = try NSRegularExpression(pattern: regex) } catch {
                throw S3Error.configuration("--regex \"\(TerminalSafe.escape(regex))\" is not a regular expression")
            }
        }
        if let l = largerThan, let s = smallerThan, l >= s {
            throw S3Error.configuration("--larger \(l) and --smaller \(s) leave no size between them")
        }
        if let o = olderThan, let n = newerThan, o >= n {
            throw S3Error.configuration("--older and --newer leave no age between them")
        }
    }

    public func matches(_ o: ObjectSummary) -> Bool {
        if let l = largerThan, o.size <= l { return false }
        if let s = smallerThan, o.size >= s { return false }
        if let c = storageClass, (o.storageClass ?? "STANDARD").uppercased() != c.uppercased() { return false }
        if olderThan != nil || newerThan != nil {
            guard let modified = o.lastModified else { return false }
            let age = now.timeIntervalSince(modified)
            if let older = olderThan, age < Double(older) { return false }
            if let newer = newerThan, age > Double(newer) { return false }
        }
        if let name {
            // The bytes after the last "/" (a "/" before a combining mark is no character of its own).
            let bytes = o.key.utf8
            let segment = bytes.lastIndex(of: UInt8(ascii: "/"))
                .map { String(decoding: bytes[bytes.index(after: $0)...], as: UTF8.self) } ?? o.key
            guard Self.glob(name, matches: segment) else { return false }
        }
        if let compiled {
            let range = NSRange(o.key.startIndex..., in: o.key)
            guard compiled.firstMatch(in: o.key, range: range) != nil else { return false }
        }
        return true
    }

    /// fnmatch(3) on the bytes, as a shell would match a file name.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}

extension ByteCount {
    /// Sizes as people type them: `1000`, `500K`, `10MB`, `1.5GiB` (K, M, G, T are powers of 1024).
    public static func parse(_ text: String) throws -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = t.prefix { $0.isNumber || $0 == "." }
        var unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if unit.hasSuffix("IB") { unit.removeLast(2) } else if unit.hasSuffix("B") { unit.removeLast() }
        let powers: [String: Double] = ["": 1, "K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        guard let n = Double(digits), n >= 0, let mult = powers[unit], n * mult < 9.2e18 else {
            throw S3Error.configuration("\"\(text)\" is not a size: write bytes (1000) or 500K, 10M, 1.5G")
        }
        return Int64(n * mult)
    }
}
