import Foundation

public struct Bucket: Sendable, Equatable {
    public var name: String
    public var creationDate: Date?
    public init(name: String, creationDate: Date?) {
        self.name = name
        self.creationDate = creationDate
    }
}
