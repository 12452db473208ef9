import Foundation

/// Inside tmux, the sequences tmux does not understand itself (kitty's APC, sixel's DCS,
/// iTerm2's OSC 1337) reach the outer terminal only wrapped as `ESC P tmux; ... ESC \`, every
/// ESC inside doubled (and tmux's `allow-passthrough on`).
public enum TmuxPassthrough {
    static let esc: UInt8 = 0x1B

    /// Wraps each APC, DCS and OSC sequence in `bytes` on its own (tmux bounds one passthrough
    /// sequence, and kitty's chunks are small); text and CSI sequences are left for tmux.
    public static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == esc, i + 1 < bytes.count, [UInt8(ascii: "_"), UInt8(ascii: "P"),
                                                         UInt8(ascii: "]")].contains(bytes[i + 1]) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let end = sequenceEnd(bytes, from: i)
            out += Array("\u{1B}Ptmux;".utf8)
            for b in bytes[i..<end] {
                if b == esc { out.append(esc) }
                out.append(b)
            }
            out += [esc, UInt8(ascii: "\\")]
            i = end
        }
        return out
    }

    /// Just past the sequence's terminator: ST (`ESC \`), or BEL for an OSC; the end of the
    /// bytes when it has none.
    static func sequenceEnd(_ bytes: [UInt8], from start: Int) -> Int {
        let osc = bytes[start + 1] == UInt8(ascii: "]")
        var j = start + 2
        while j < bytes.count {
            if osc && bytes[j] == 0x07 { return j + 1 }
            if bytes[j] == esc && j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "\\") { return j + 2 }
            j += 1
        }
        return bytes.count
    }
}
