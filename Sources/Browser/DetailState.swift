import Foundation

public enum DetailState: Equatable, Sendable {
    case loading
    case loaded([DetailRow])
    case failed(String)
}
