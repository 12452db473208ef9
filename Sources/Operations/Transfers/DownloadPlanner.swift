import Foundation
import S3

/// Plans the download of a listing as it streams by, in key order (UTF-8 bytes), with what
/// `TransferEngine.planDownload` refuses for a whole listing and a bounded memory.
///
/// A key that is both a file and a folder (`a` and `a/x`) is only known to be one when a later
/// key continues below it, and in byte order everything between them starts with it (`a-b`,
/// `a.txt`). So a file is held back while the keys that follow start with its name: the held
/// files are nested prefixes of one another, at most one per byte of the longest key, never a
/// share of the listing. A repeated key follows its first copy at once in that order. A server
/// that lists out of order gets what the file system then says: a file where a folder must go,
/// or a folder at a file's name, refuses that key by name, and nothing is overwritten.
public final class DownloadPlanner {
    public let prefix: String
    private let destination: String
    /// Files not yet handed out: each a byte prefix of the next.
    private var held: [(object: ObjectSummary, relative: String)] = []

    public init(prefix: String, destination: String) {
        self.prefix = prefix
        self.destination = (destination as NSString).standardizingPath
    }

    public typealias Plan = (targets: [TransferEngine.DownloadTarget], refused: [(key: String, reason: String)])

    /// The downloads (and refusals) that `objects`, the next batch of the listing, settle.
    public func add(_ objects: [ObjectSummary]) -> Plan {
        var plan: Plan = ([], [])
        for o in objects {
            guard o.key.hasBytePrefix(prefix) else {
                plan.refused.append((o.key, "it is not below \(prefix) "
                                            + "(the listing returned a key outside the prefix)"))
                continue
            }
            let relative = o.key.droppingBytePrefix(prefix)
            if relative.isEmpty || relative.utf8.last == UInt8(ascii: "/") { continue }  // folder markers
            if let reason = TransferEngine.unsafeReason(relative) {
                plan.refused.append((o.key, reason))
                continue
            }
            while let top = held.last, !relative.hasBytePrefix(top.relative) {
                held.removeLast()
                plan.targets.append(target(top))
            }
            if let top = held.last {
                if relative.bytesEqual(top.relative) {
                    plan.refused.append((o.key, "the listing returned this key more than once; it is downloaded once"))
                    continue
                }
                // A held file this key continues below ("a" for "a/x") is a folder too.
                var i = held.count - 1
                while i >= 0 {
                    if relative.hasBytePrefix(held[i].relative + "/") {
                        let clash = held.remove(at: i)
                        plan.refused.append((clash.object.key, "it is both a file and a folder (other keys continue "
                                             + "below \(clash.relative)/)"))
                    }
                    i -= 1
                }
            }
            held.append((o, relative))
        }
        return plan
    }

    /// Everything still held, once the listing has ended.
    public func finish() -> Plan {
        defer { held.removeAll() }
        return (held.map(target), [])
    }

    private func target(_ entry: (object: ObjectSummary, relative: String)) -> TransferEngine.DownloadTarget {
        TransferEngine.DownloadTarget(key: entry.object.key, size: entry.object.size, etag: entry.object.etag,
                                      folder: destination, name: entry.relative)
    }
}
