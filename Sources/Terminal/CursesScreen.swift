import Browser
import CNcurses
import Foundation
import Operations

/// The only owner of curses: starts it, draws Screens, reads keys, and always restores the
/// terminal, also when pail is killed or crashes.
final class CursesScreen {
    private var window: UnsafeMutablePointer<WINDOW>?
    /// The curses attributes (colour pair included) of each CellStyle, by raw value.
    private var attributeTable: [Int32] = []
    private(set) var width = 80
    private(set) var height = 24
    /// SIGTERM, SIGHUP and SIGINT arrive here, not as a sudden death: see `SignalRelay`.
    let signals = SignalRelay()

    /// `colors`: the `[colors]` roles of pail's configuration file, over pail's own.
    init(colors: ColorScheme = ColorScheme()) {
        setlocale(LC_ALL, "")
        setenv("ESCDELAY", "25", 1)
        window = initscr()
        raw()  // Ctrl-C and Ctrl-Z arrive as keys: pail quits and suspends cleanly itself
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        mousemask(pail_all_mouse_events(), nil)
        mouseinterval(300)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        // NO_COLOR or a monochrome terminal: no palette, and bold, reverse and underline instead.
        // The terminfo entry's colours (8, 16, 256); a terminal with colours but no count has 8.
        let count = "colors".withCString { Int(tigetnum(UnsafeMutablePointer(mutating: $0))) }
        let palette = Palette(scheme: colors, colors: has_colors() ? max(8, count) : 0,
                              environment: ProcessInfo.processInfo.environment)
        attributeTable = Self.attributes(palette)
        useColor = palette.usesColor  // NO_COLOR: pictures go without colour too
        measure()
        CursesScreen.installSignalHandlers()
        signals.install()
    }

    func measure() {
        height = Int(pail_getmaxy(window))
        width = Int(pail_getmaxx(window))
    }

    func restore() {
        endwin()
    }

    /// Suspend with Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
    func suspend() {
        endwin()
        signal(SIGTSTP, SIG_DFL)
        kill(getpid(), SIGTSTP)
        // Resumed.
        refresh()
        measure()
    }

    /// Each style's attributes; a colour pair for each distinct foreground and background,
    /// made here (-1 is the terminal's default colour).
    private static func attributes(_ palette: Palette) -> [Int32] {
        var pairs: [Look: Int16] = [:]
        var table: [Int32] = []
        var style: UInt8 = 0
        while let s = CellStyle(rawValue: style) {
            let look = palette.look(s)
            var a: Int32 = 0
            if look.bold { a |= pail_a_bold() }
            if look.reverse { a |= pail_a_reverse() }
            if look.underline { a |= pail_a_underline() }
            if look.dim { a |= pail_a_dim() }
            if palette.usesColor && (look.foreground != .default || look.background != .default) {
                let key = Look(foreground: look.foreground, background: look.background)
                let pair: Int16
                if let known = pairs[key] {
                    pair = known
                } else {
                    pair = Int16(pairs.count + 1)
                    pairs[key] = pair
                    func number(_ c: TerminalColor) -> Int16 {
                        if case .index(let i) = c { return Int16(i) }
                        return -1
                    }
                    init_pair(pair, number(look.foreground), number(look.background))
                }
                a |= pail_color_pair(Int32(pair))
            }
            table.append(a)
            style += 1
        }
        return table
    }

    private func attributes(_ style: CellStyle) -> Int32 {
        let i = Int(style.rawValue)
        return i < attributeTable.count ? attributeTable[i] : 0
    }

    /// Draws runs of same-styled cells; curses itself sends only what changed.
    func draw(_ screen: Screen) {
        for y in 0..<min(screen.height, height) {
            var x = 0
            while x < min(screen.width, width) {
                let style = screen.cell(row: y, column: x).style
                let colour = screen.cell(row: y, column: x).colour
                var text = ""
                let start = x
                while x < min(screen.width, width), screen.cell(row: y, column: x).style == style,
                      screen.cell(row: y, column: x).colour == colour {
                    text += screen.cell(row: y, column: x).text
                    x += 1
                }
                // Never write the bottom-right cell: that would scroll the screen.
                if y == height - 1 && x >= width, let last = text.indices.last { text.remove(at: last) }
                let scalars = Array(text.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
                scalars.withUnsafeBufferPointer { p in
                    if let colour, let pair = palettePair(colour) {
                        _ = pail_mvadd_wchstr_pair(Int32(y), Int32(start), p.baseAddress, Int32(p.count), 0, pair)
                    } else {
                        _ = pail_mvadd_wchstr(Int32(y), Int32(start), p.baseAddress, Int32(p.count),
                                              attributes(style))
                    }
                }
            }
        }
        refresh()
        drawPicture(screen.picture)
    }

    // MARK: Pictures (the image page)

    /// Whether cells may carry colours (not under NO_COLOR or on a monochrome terminal).
    private var useColor = false
    /// Colour pairs made for palette cells, from `firstPalettePair` up, as they are first drawn.
    private var palettePairs: [PaletteColour: Int32] = [:]
    /// Pairs below this are the styles' (with room for more of them).
    private static let firstPalettePair: Int32 = 64
    /// The pixel picture on the screen now, to clear it when the page goes.
    private var shownPicture: TerminalPicture?

    /// The pair drawing `colour`, made on first use; nil without colours. The colours are
    /// brought down to the terminal's 16 or 8 when it has fewer than 256, and once the
    /// terminal's pairs run short, to 16, whose pairs the last 256 are kept for.
    private func palettePair(_ colour: PaletteColour) -> Int32? {
        guard useColor else { return nil }
        let colours = Int(pail_colors())
        var wanted = colour
        if colours < 256 {
            wanted = PaletteColour(foreground: Self.nearestBasic(colour.foreground, colours: colours),
                                   background: Self.nearestBasic(colour.background, colours: colours))
        }
        if let pair = palettePairs[wanted] { return pair }
        let limit = min(Int32(pail_color_pairs()), Int32(Int16.max))
        let next = Self.firstPalettePair + Int32(palettePairs.count)
        if next >= limit { return nil }
        if next >= limit - 256 && colours >= 256 {
            let basic = PaletteColour(foreground: Self.nearestBasic(wanted.foreground, colours: 16),
                                      background: Self.nearestBasic(wanted.background, colours: 16))
            if basic != wanted { return palettePair(basic) }
        }
        init_pair(Int16(next), wanted.foreground, wanted.background)
        palettePairs[wanted] = next
        return next
    }

    /// The xterm palette's colour `index` as red, green and blue.
    private static func rgb(_ index: Int) -> (Int, Int, Int) {
        let basic = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
                     (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
                     (255, 0, 255), (0, 255, 255), (255, 255, 255)]
        if index < 16 { return basic[max(0, index)] }
        if index >= 232 { let g = 8 + (index - 232) * 10; return (g, g, g) }
        let i = index - 16, level = { (v: Int) in v == 0 ? 0 : 55 + v * 40 }
        return (level(i / 36), level(i / 6 % 6), level(i % 6))
    }

    /// The nearest of the first `colours` (8 or 16) palette colours; -1 stays the default.
    static func nearestBasic(_ index: Int16, colours: Int) -> Int {
        let index = Int(index)
        guard index >= 0 else { return -1 }
        if index < colours { return index }
        let (r, g, b) = rgb(index)
        return (0..<min(16, max(8, colours))).min { a, b2 in
            let (ra, ga, ba) = rgb(a), (rb, gb, bb) = rgb(b2)
            let da = (ra - r) * (ra - r) + (ga - g) * (ga - g) + (ba - b) * (ba - b)
            let db = (rb - r) * (rb - r) + (gb - g) * (gb - g) + (bb - b) * (bb - b)
            return da < db
        } ?? 0
    }

    /// Writes a pixel picture's sequences after curses drew the cells below it (blank cells,
    /// which curses leaves alone while they stay blank), saving and restoring the cursor so
    /// curses' idea of it holds. A picture that goes is cleared and the screen drawn again
    /// whole, as sixel and iTerm2 pictures stay until text covers them.
    private func drawPicture(_ picture: TerminalPicture?) {
        guard picture != shownPicture else { return }
        if let old = shownPicture {
            writeRaw(old.clear)
            shownPicture = nil
            if picture == nil {
                clearok(window, true)
                refresh()
            }
        }
        guard let picture else { return }
        writeRaw(Array("\u{1B}7\u{1B}[\(picture.row + 1);\(picture.column + 1)H".utf8) + picture.bytes
                 + Array("\u{1B}8".utf8))
        shownPicture = picture
    }

    private func writeRaw(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        fflush(nil)
        bytes.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                let n = write(1, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
    }

    /// Reads one key without waiting; nil when none is ready, `.ignored` for one pail does not
    /// know (so reading goes on with the next).
    func readKey() -> TerminalInput? {
        nodelay(window, true)
        var ch: wint_t = 0
        let r = wget_wch(window, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES {
            switch Int32(ch) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_BTAB: return .key(.backTab)
            case pail_key_resize():
                measure()
                return .resize(width: width, height: height)
            case pail_key_mouse():
                var ev = MEVENT()
                guard getmouse(&ev) == OK else { return .ignored }
                let b = ev.bstate
                if b & pail_wheel_up() != 0 { return .mouse(.wheelUp) }
                if b & pail_wheel_down() != 0 { return .mouse(.wheelDown) }
                if b & pail_button1_double() != 0 { return .mouse(.doubleClick(row: Int(ev.y), column: Int(ev.x))) }
                if b & pail_button1_clicked() != 0 { return .mouse(.click(row: Int(ev.y), column: Int(ev.x))) }
                return .ignored
            default:
                if Int32(ch) >= KEY_F0 && Int32(ch) <= KEY_F0 + 12 { return .key(.function(Int(Int32(ch) - KEY_F0))) }
                return .ignored
            }
        }
        switch ch {
        case 13, 10: return .key(.enter)
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 127, 8: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(ch) + 96))))
        default:
            guard let u = Unicode.Scalar(UInt32(ch)) else { return .ignored }
            if u.value < 32 { return .ignored }
            return .key(.char(Character(u)))
        }
    }

    // MARK: Restoring the terminal on every exit path

    /// Crashes and SIGQUIT: nothing can be saved, the terminal at least comes back. SIGTERM,
    /// SIGHUP and SIGINT go through `SignalRelay`, so transfers are cancelled first.
    private static func installSignalHandlers() {
        for sig in [SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] {
            signal(sig) { s in
                // endwin is what every curses program calls here; then die of the same signal.
                endwin()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
        signal(SIGPIPE, SIG_IGN)
    }
}
