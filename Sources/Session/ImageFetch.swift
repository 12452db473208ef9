import Foundation
import Imaging
import Operations
import S3

/// An image object's bytes, bounded, for `pail view` and the browser's image page.
public enum ImageFetch {
    /// The HEAD says how large the object is: over `limits.maxBytes` is refused before any
    /// byte of the body moves; the message names `download`, how to get it instead.
    public static func head(client: S3Client, bucket: String, key: String, limits: ImageLimits = .standard,
                            download: String = "pail cp") throws -> ObjectHead {
        let head = try client.headObject(bucket: bucket, key: key)
        let uri = S3URI(bucket: bucket, key: key)
        guard head.size <= Int64(limits.maxBytes) else {
            throw S3Error.local("\(uri) is \(ByteCount.format(head.size)), over the "
                                + "\(ByteCount.format(Int64(limits.maxBytes))) pail shows as an image: "
                                + "download it with \(download)")
        }
        guard head.size > 0 else { throw S3Error.local("\(uri) is empty") }
        return head
    }

    /// The body of the version `head` describes: the GET is pinned to it by If-Match and kept
    /// in a sink that refuses more than the limit whatever the server sends.
    public static func body(client: S3Client, bucket: String, key: String, head: ObjectHead,
                            limits: ImageLimits = .standard, cancel: CancellationFlag? = nil) throws -> Data {
        let sink = DataSink(limit: limits.maxBytes)
        _ = try client.getObject(bucket: bucket, key: key, range: 0...(head.size - 1),
                                 ifMatch: head.etag.isEmpty ? nil : head.etag, sink: sink, cancel: cancel)
        return sink.data
    }

    /// HEAD then GET, as above.
    public static func fetch(client: S3Client, bucket: String, key: String, limits: ImageLimits = .standard,
                             cancel: CancellationFlag? = nil) throws -> (data: Data, head: ObjectHead) {
        let head = try head(client: client, bucket: bucket, key: key, limits: limits)
        return (try body(client: client, bucket: bucket, key: key, head: head, limits: limits, cancel: cancel), head)
    }
}
