import Foundation

/// `--exclude` and `--include` patterns on the path below the sync's root, as the AWS CLI
/// reads them: everything is included at first, and each pattern given later overrides
/// those before it for the paths it matches. `*` also matches "/".
public struct SyncFilter: Sendable {
    public enum Rule: Sendable, Equatable {
        case exclude(String)
        case include(String)
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) { self.rules = rules }

    public func admits(_ relative: String) -> Bool {
        var admitted = true
        for rule in rules {
            switch rule {
            case .exclude(let p) where fnmatch(p, relative, 0) == 0: admitted = false
            case .include(let p) where fnmatch(p, relative, 0) == 0: admitted = true
            default: break
            }
        }
        return admitted
    }
}
