import CChafa
import Foundation

/// Draws decoded images with libchafa. Thread-safe: call it off the UI thread, with the
/// pane's size; it takes milliseconds for a pane, a second for a full 4K screen in sixel.
public enum ImageRenderer {
    /// The cells a `width` × `height` picture takes within `columns` × `rows`, keeping its
    /// aspect through the cell's shape. A pixel protocol never enlarges a picture past its
    /// own pixels; symbols do (a 16-pixel icon would be one cell).
    public static func fit(width: Int, height: Int, columns: Int, rows: Int, cell: CellSize = .typical,
                           enlarge: Bool) -> (columns: Int, rows: Int) {
        guard width > 0, height > 0, columns > 0, rows > 0 else { return (0, 0) }
        let paneWidth = Double(columns * cell.width), paneHeight = Double(rows * cell.height)
        var scale = min(paneWidth / Double(width), paneHeight / Double(height))
        if !enlarge { scale = min(scale, 1) }
        let c = Int((Double(width) * scale / Double(cell.width)).rounded())
        let r = Int((Double(height) * scale / Double(cell.height)).rounded())
        return (min(columns, max(1, c)), min(rows, max(1, r)))
    }

    /// Renders `image` to fit `columns` × `rows` cells. `tmux` wraps the pixel protocols'
    /// sequences for tmux's passthrough.
    public static func render(_ image: DecodedImage, columns: Int, rows: Int, protocol kind: ImageProtocol,
                              colours: ColourDepth = .indexed256, cell: CellSize = .typical,
                              tmux: Bool = false) -> RenderedImage {
        let size = fit(width: image.width, height: image.height, columns: columns, rows: rows, cell: cell,
                       enlarge: !kind.drawsPixels)
        guard size.columns > 0, size.rows > 0 else {
            return RenderedImage(output: [], columns: 0, rows: 0, imageProtocol: kind)
        }
        var bytes = withCanvas(image, size: size, protocol: kind, colours: colours, cell: cell) { canvas in
            print(canvas, protocol: kind)
        }
        if tmux && kind.drawsPixels { bytes = TmuxPassthrough.wrap(bytes) }
        return RenderedImage(output: bytes, columns: size.columns, rows: size.rows, imageProtocol: kind)
    }

    /// Symbols as cells, row by row, for curses. A wide symbol's second cell holds a space.
    public static func symbolCells(_ image: DecodedImage, columns: Int, rows: Int,
                                   colours: ColourDepth = .indexed256, cell: CellSize = .typical) -> [[SymbolCell]] {
        let size = fit(width: image.width, height: image.height, columns: columns, rows: rows, cell: cell,
                       enlarge: true)
        guard size.columns > 0, size.rows > 0 else { return [] }
        return withCanvas(image, size: size, protocol: .symbols, colours: colours, cell: cell) { canvas in
            (0..<size.rows).map { y in
                (0..<size.columns).map { x in
                    let code = chafa_canvas_get_char_at(canvas, Int32(x), Int32(y))
                    var fg: Int32 = -1, bg: Int32 = -1
                    if colours == .truecolor {
                        chafa_canvas_get_colors_at(canvas, Int32(x), Int32(y), &fg, &bg)
                    } else {
                        chafa_canvas_get_raw_colors_at(canvas, Int32(x), Int32(y), &fg, &bg)
                    }
                    let scalar = code == 0 ? " " : (Unicode.Scalar(code) ?? " ")
                    return SymbolCell(character: Character(scalar), foreground: Int(fg), background: Int(bg))
                }
            }
        }
    }

    private static func withCanvas<T>(_ image: DecodedImage, size: (columns: Int, rows: Int),
                                      protocol kind: ImageProtocol, colours: ColourDepth, cell: CellSize,
                                      _ body: (OpaquePointer) -> T) -> T {
        let config = chafa_canvas_config_new()!
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, Int32(size.columns), Int32(size.rows))
        // chafa's sixel encoder divides by zero below one six-pixel band; no real cell is that small.
        let cellHeight = kind == .sixel ? max(cell.height, 6) : cell.height
        chafa_canvas_config_set_cell_geometry(config, Int32(cell.width), Int32(cellHeight))
        let pixelMode: ChafaPixelMode
        switch kind {
        case .kitty: pixelMode = CHAFA_PIXEL_MODE_KITTY
        case .sixel: pixelMode = CHAFA_PIXEL_MODE_SIXELS
        case .iterm: pixelMode = CHAFA_PIXEL_MODE_ITERM2
        case .symbols: pixelMode = CHAFA_PIXEL_MODE_SYMBOLS
        }
        chafa_canvas_config_set_pixel_mode(config, pixelMode)
        let mode: ChafaCanvasMode
        switch kind.drawsPixels ? .truecolor : colours {
        case .truecolor: mode = CHAFA_CANVAS_MODE_TRUECOLOR
        case .indexed256: mode = CHAFA_CANVAS_MODE_INDEXED_240  // the 16 user-set colours vary by theme
        case .indexed16: mode = CHAFA_CANVAS_MODE_INDEXED_16
        }
        chafa_canvas_config_set_canvas_mode(config, mode)
        let symbols = chafa_symbol_map_new()!
        defer { chafa_symbol_map_unref(symbols) }
        // Blocks, box-drawing borders and spaces: in every monospace font, unlike sextants
        // or braille, which many fonts over SSH lack.
        chafa_symbol_map_add_by_tags(symbols, ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_BLOCK.rawValue
                                        | CHAFA_SYMBOL_TAG_BORDER.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue))
        chafa_canvas_config_set_symbol_map(config, symbols)
        let canvas = chafa_canvas_new(config)!
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer { pixels in
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, pixels.baseAddress,
                                         Int32(image.width), Int32(image.height), Int32(image.width * 4))
        }
        return body(canvas)
    }

    /// The canvas as bytes, with the sequences of a terminal that speaks `kind`.
    private static func print(_ canvas: OpaquePointer, protocol kind: ImageProtocol) -> [UInt8] {
        let info = termInfo(kind)
        defer { chafa_term_info_unref(info) }
        guard let text = chafa_canvas_print(canvas, info) else { return [] }
        let bytes = Array(UnsafeRawBufferPointer(start: text.pointee.str, count: Int(text.pointee.len)))
        g_string_free(text, 1)
        return bytes
    }

    /// chafa's terminal database asked as if for a terminal that speaks `kind`: the sequences
    /// it prints then never depend on where pail runs.
    private static func termInfo(_ kind: ImageProtocol) -> OpaquePointer {
        let env: [String]
        switch kind {
        case .kitty: env = ["TERM=xterm-kitty"]
        case .iterm: env = ["TERM=xterm-256color", "TERM_PROGRAM=iTerm.app"]
        case .sixel: env = ["TERM=mlterm"]
        case .symbols: env = ["TERM=xterm-256color", "COLORTERM=truecolor"]
        }
        var pointers = env.map { strdup($0) } + [nil]
        defer { for p in pointers { free(p) } }
        return chafa_term_db_detect(chafa_term_db_get_default(), &pointers)
    }
}
