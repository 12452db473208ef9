import Foundation
import Operations

/// Storage classes as a byte: interned names, short labels for the tree column.
public struct StorageClassCode: Equatable, Hashable, Sendable {
    public let raw: UInt8
    static let names = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
                        "DEEP_ARCHIVE", "GLACIER_IR", "REDUCED_REDUNDANCY", "EXPRESS_ONEZONE", "OUTPOSTS", "SNOW"]
    static let labels = ["STD", "IA", "1Z-IA", "INT", "GLAC", "DEEP", "GL-IR", "RRS", "EXP", "OUT", "SNOW"]

    public init(_ name: String?) {
        guard let name, let i = Self.names.firstIndex(of: name) else { raw = name == nil ? 0 : 255; return }
        raw = UInt8(i)
    }

    init(raw: UInt8) { self.raw = raw }

    public var label: String { raw == 255 ? "OTHER" : Self.labels[Int(raw)] }
    public var name: String { raw == 255 ? "OTHER" : Self.names[Int(raw)] }
}
