import Foundation

public enum TimerEvent: Equatable, Sendable {
    case head(bucket: String, key: String)
    case expireStatus(serial: Int)

    public var event: BrowserEvent {
        switch self {
        case .head(let b, let k): return .headTimerFired(bucket: b, key: k)
        case .expireStatus(let n): return .statusExpired(serial: n)
        }
    }
}
