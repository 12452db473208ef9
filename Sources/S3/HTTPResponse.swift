import Foundation

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names as the server sent them, in order.
    public var headers: [(String, String)]
    /// The body, unless a sink took it (only successful bodies go to a sink).
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }
}
