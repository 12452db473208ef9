import Foundation
import S3

/// One inventory data file on its way from the GET: MD5 and size counted over the gzip bytes,
/// which are inflated in chunks and cut into CSV records, each turned into an object by the
/// row filter. Memory: zlib's window, one chunk, one record and one batch.
///
/// A retried GET starts the body again: everything is reset, and the records already handed
/// on are skipped the second time (the file's MD5, checked at the end, proves it was the same
/// file).
final class InventoryDataSink: ResponseSink {
    private let file: InventoryManifest.DataFile
    private let what: String
    private let filter: InventoryRowFilter
    private let digest: StreamingDigestBox
    private var inflater: InflateStream!
    private var csv: CSVRecordReader!
    private var received: Int64 = 0
    /// pail's own error from inside the pipeline, which the transport would only paraphrase.
    private(set) var failure: Error?

    init(file: InventoryManifest.DataFile, what: String, filter: InventoryRowFilter) throws {
        self.file = file
        self.what = what
        self.filter = filter
        digest = StreamingDigestBox()
        let csv = CSVRecordReader(what: what) { [unowned filter] row in try filter.record(row) }
        self.csv = csv
        inflater = try InflateStream(what: what) { [unowned csv] bytes in try csv.push(bytes) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            received += Int64(bytes.count)
            guard received <= file.size else {
                throw S3Error.serverFault("\(what) is larger than the \(file.size) bytes its manifest gives")
            }
            if let base = bytes.baseAddress { digest.value.update(base, count: bytes.count) }
            try inflater.push(bytes)
        } catch {
            if failure == nil { failure = error }
            throw error
        }
    }

    func reset() throws {
        filter.restart()
        received = 0
        digest.value = StreamingDigest(.md5)
        csv.reset()
        try inflater.reset()
    }

    /// After the body arrived: size, MD5, whole gzip, last record.
    func check() throws {
        guard received == file.size else {
            throw S3Error.serverFault("\(what) has \(received) bytes, its manifest gives \(file.size): "
                                      + "the report is damaged or was replaced")
        }
        let md5 = digest.value.finalize().hex
        guard md5 == file.md5 else {
            throw S3Error.serverFault("\(what) does not match the MD5 in its manifest (\(md5), manifest "
                                      + "\(file.md5)): the rows above may be wrong")
        }
        try inflater.finish()
        try csv.finish()
    }
}

/// A digest that can be replaced on reset.
private final class StreamingDigestBox {
    var value = StreamingDigest(.md5)
}
