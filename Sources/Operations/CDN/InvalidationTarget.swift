import Foundation
import S3

/// What to invalidate, named as S3 names it: one key, or everything under a prefix.
public enum InvalidationTarget: Sendable, Equatable {
    case key(String)
    case prefix(String)
}
