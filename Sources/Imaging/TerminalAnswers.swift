import Foundation

/// The replies a terminal gave to `TerminalProbe.query`, read from raw bytes (they arrive
/// mixed with anything the user typed meanwhile, in any order).
public struct TerminalAnswers: Sendable, Equatable {
    /// The primary device attributes' parameters (`ESC [ ? 62 ; 4 ; 22 c` gives [62, 4, 22]).
    public var deviceAttributes: [Int]?
    /// kitty answered the graphics query with OK.
    public var kittyGraphics = false
    /// The name and version of the XTVERSION reply (`ESC P > | kitty(0.35.2) ESC \`).
    public var version: String?

    /// Parameter 4 of the device attributes is sixel graphics.
    public var sixel: Bool { deviceAttributes?.contains(4) ?? false }

    public init(_ bytes: [UInt8]) {
        let esc: UInt8 = 0x1B
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == esc else { i += 1; continue }
            let kind = bytes[i + 1]
            if kind == UInt8(ascii: "["), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "?") {
                // CSI ? params c
                var j = i + 3
                while j < bytes.count, (bytes[j] >= 0x30 && bytes[j] <= 0x3B) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "c") {
                    let text = String(decoding: bytes[(i + 3)..<j], as: UTF8.self)
                    deviceAttributes = text.split(separator: ";").compactMap { Int($0) }
                }
                i = j
            } else if kind == UInt8(ascii: "_") || kind == UInt8(ascii: "P") {
                // APC (kitty) or DCS (XTVERSION), up to ST.
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == esc && bytes[j + 1] == UInt8(ascii: "\\")) { j += 1 }
                let body = String(decoding: bytes[(i + 2)..<min(j, bytes.count)], as: UTF8.self)
                if kind == UInt8(ascii: "_"), body.hasPrefix("G"), body.contains("i=\(TerminalProbe.kittyQueryID)") {
                    kittyGraphics = body.hasSuffix(";OK")
                } else if kind == UInt8(ascii: "P"), body.hasPrefix(">|") {
                    version = String(body.dropFirst(2).prefix(80))
                }
                i = j
            } else {
                i += 1
            }
        }
    }
}
