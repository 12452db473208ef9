/// An incomplete multipart upload as the uploads page shows it.
public struct UploadRow: Equatable, Sendable {
    public var key: String
    public var uploadId: String
    public var initiated: Double
    public var parts: Int
    public var size: Int64
    public init(key: String, uploadId: String, initiated: Double, parts: Int, size: Int64) {
        self.key = key
        self.uploadId = uploadId
        self.initiated = initiated
        self.parts = parts
        self.size = size
    }
}
