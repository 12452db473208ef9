import Foundation

/// The colours symbols are drawn in (pixel protocols carry their own).
public enum ColourDepth: String, CaseIterable, Sendable {
    case truecolor
    case indexed256 = "256"
    case indexed16 = "16"
}
