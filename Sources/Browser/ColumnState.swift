import Foundation
import Operations

public enum ColumnState: Equatable, Sendable {
    case loaded(HeaderColumns)
    case failed(String)
}
