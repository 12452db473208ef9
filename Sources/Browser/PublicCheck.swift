import Foundation

/// What the public (CDN) URL serves next to what the object stores.
public struct PublicCheck: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var name: String
        public var served: String
        public var stored: String
        /// Only headers that the object stores are compared.
        public var differs: Bool
        public init(name: String, served: String, stored: String, differs: Bool) {
            self.name = name
            self.served = served
            self.stored = stored
            self.differs = differs
        }
    }
    public var url: String
    public var status: Int
    public var lines: [Line]
    public init(url: String, status: Int, lines: [Line]) {
        self.url = url
        self.status = status
        self.lines = lines
    }
}

// MARK: Operations on marked objects and prefixes (delete, edit, audit, transfers)
