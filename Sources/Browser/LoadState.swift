import Foundation
import Operations

public enum LoadState: Equatable, Sendable {
    case unloaded
    case loading(token: Int)
    case loaded
    /// Collapsed before the listing finished: what is here is only part of it.
    case partial
    case failed(String)
}
