import Foundation
import XCTest
@testable import Imaging

final class ImageRendererTests: XCTestCase {
    /// One 2×2-pixel cell, so the 2×2 fixture is drawn at its own size, unscaled.
    let tinyCell = CellSize(width: 2, height: 2)

    func testFitKeepsTheAspectThroughTheCellShape() {
        // A square picture in 80×24 cells of 10×20 pixels: 48 columns by 24 rows is square.
        XCTAssertEqual(ImageRenderer.fit(width: 1000, height: 1000, columns: 80, rows: 24, enlarge: true).columns, 48)
        XCTAssertEqual(ImageRenderer.fit(width: 1000, height: 1000, columns: 80, rows: 24, enlarge: true).rows, 24)
        // A wide one is bounded by the width.
        let wide = ImageRenderer.fit(width: 4000, height: 1000, columns: 80, rows: 24, enlarge: true)
        XCTAssertEqual([wide.columns, wide.rows], [80, 10])
        // Pixel protocols do not enlarge: 100×100 pixels are 10×5 cells of 10×20.
        let small = ImageRenderer.fit(width: 100, height: 100, columns: 80, rows: 24, enlarge: false)
        XCTAssertEqual([small.columns, small.rows], [10, 5])
        // Another cell shape (8×16) changes the answer.
        let other = ImageRenderer.fit(width: 1000, height: 1000, columns: 80, rows: 24,
                                      cell: CellSize(width: 8, height: 16), enlarge: true)
        XCTAssertEqual([other.columns, other.rows], [48, 24])
        XCTAssertEqual(ImageRenderer.fit(width: 1, height: 10_000, columns: 80, rows: 24, enlarge: true).columns, 1)
    }

    func testKittyBytesCarryTheRGBAPixels() throws {
        let image = try decodeFixture("rgb-2x2.png")
        let out = ImageRenderer.render(image, columns: 1, rows: 1, protocol: .kitty, cell: tinyCell)
        let data = Data(image.pixels).base64EncodedString()
        XCTAssertEqual(data, "/wAA/wD/AP8AAP///////w==")
        let expected = "\(esc)_Ga=T,f=32,s=2,v=2,c=1,r=1,m=1\(esc)\\\(esc)_Gm=1;\(data)\(esc)\\\(esc)_Gm=0\(esc)\\"
        XCTAssertEqual(String(decoding: out.output, as: UTF8.self), expected)
        XCTAssertEqual([out.columns, out.rows], [1, 1])
    }

    func testITerm2BytesAreAnInlineTIFFOfThePixels() throws {
        let image = try decodeFixture("rgb-2x2.png")
        let out = ImageRenderer.render(image, columns: 1, rows: 1, protocol: .iterm, cell: tinyCell)
        let text = String(decoding: out.output, as: UTF8.self)
        let prefix = "\(esc)]1337;File=inline=1;width=1;height=1;preserveAspectRatio=0:"
        XCTAssertTrue(text.hasPrefix(prefix), text.debugDescription)
        XCTAssertTrue(text.hasSuffix("\u{07}"))
        let file = try XCTUnwrap(Data(base64Encoded: String(text.dropFirst(prefix.count).dropLast())))
        XCTAssertEqual(Array(file.prefix(4)), Array("II*\0".utf8))  // little-endian TIFF
        XCTAssertEqual(Array(file[8..<24]), image.pixels)             // its one strip: the RGBA pixels
        assertSnapshot(out.output, named: "iterm-2x2.txt")
    }

    func testSixelBytes() throws {
        let image = try decodeFixture("rgb-2x2.png")
        // A sixel band is six pixels high: 2×6 pixels here.
        let out = ImageRenderer.render(image, columns: 1, rows: 1, protocol: .sixel,
                                       cell: CellSize(width: 2, height: 6))
        let text = String(decoding: out.output, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\(esc)P0;1;0q\"1;1;2;6#"), text.debugDescription)  // DCS, raster 2×6
        XCTAssertTrue(text.hasSuffix("-\(esc)\\"))
        for colour in ["#9;2;100;0;0", "#10;2;0;100;0", "#12;2;0;0;100", "#15;2;100;100;100"] {
            XCTAssertTrue(text.contains(colour), "palette has \(colour)")
        }
        assertSnapshot(out.output, named: "sixel-2x6.txt")
        // Cells under six pixels high (which chafa's encoder cannot take) are drawn six high.
        let flat = ImageRenderer.render(image, columns: 1, rows: 1, protocol: .sixel, cell: tinyCell).output
        XCTAssertTrue(String(decoding: flat, as: UTF8.self).contains("\"1;1;2;6"))
    }

    func testSymbolsSnapshotIn256And16Colours() throws {
        let image = try decodeFixture("gradient-64x32.png")
        let r256 = ImageRenderer.render(image, columns: 32, rows: 8, protocol: .symbols, colours: .indexed256)
        XCTAssertEqual([r256.columns, r256.rows], [32, 8])
        assertSnapshot(r256.output, named: "symbols-gradient-256.txt")
        let r16 = ImageRenderer.render(image, columns: 32, rows: 8, protocol: .symbols, colours: .indexed16)
        assertSnapshot(r16.output, named: "symbols-gradient-16.txt")
        let text = String(decoding: r16.output, as: UTF8.self)
        XCTAssertFalse(text.contains("38;5;"), "16 colours use no 256-colour codes")
        XCTAssertEqual(text.split(separator: "\n").count, 8)
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.hasSuffix("\(esc)[0m") }, "each row resets")
        // Tmux needs nothing for text.
        XCTAssertEqual(ImageRenderer.render(image, columns: 32, rows: 8, protocol: .symbols, colours: .indexed16,
                                            tmux: true).output, r16.output)
    }

    func testSymbolCellsForCurses() throws {
        let image = try decodeFixture("gradient-64x32.png")
        let cells = ImageRenderer.symbolCells(image, columns: 32, rows: 8)
        XCTAssertEqual(cells.count, 8)
        XCTAssertTrue(cells.allSatisfy { $0.count == 32 })
        // The gradient's top-left corner is dark blue, its right edge red and bright.
        XCTAssertTrue(cells.joined().allSatisfy {
            (0...255).contains($0.foreground) && (0...255).contains($0.background)
        })
        XCTAssertNotEqual(cells[0][0].background, cells[0][31].background)
        let text = String(decoding: ImageRenderer.render(image, columns: 32, rows: 8, protocol: .symbols).output,
                          as: UTF8.self)
        XCTAssertEqual(String(cells[1].map(\.character)), text.split(separator: "\n")[1].replacingOccurrences(
            of: "\(esc)\\[[0-9;]*m", with: "", options: .regularExpression))
    }

    func testTmuxWrapsEachSequenceWithDoubledEscapes() throws {
        let image = try decodeFixture("rgb-2x2.png")
        let plain = ImageRenderer.render(image, columns: 1, rows: 1, protocol: .kitty, cell: tinyCell).output
        let wrapped = ImageRenderer.render(image, columns: 1, rows: 1, protocol: .kitty, cell: tinyCell,
                                           tmux: true).output
        let chunks = ["_Ga=T,f=32,s=2,v=2,c=1,r=1,m=1", "_Gm=1;/wAA/wD/AP8AAP///////w==", "_Gm=0"]
        let expected = chunks.map { "\(esc)Ptmux;\(esc)\(esc)\($0)\(esc)\(esc)\\\(esc)\\" }.joined()
        XCTAssertEqual(String(decoding: wrapped, as: UTF8.self), expected)
        XCTAssertNotEqual(wrapped, plain)
    }

    func testTmuxPassthroughLeavesTextAndCSIAlone() {
        let text = Array("a\(esc)[31mb\n".utf8)
        XCTAssertEqual(TmuxPassthrough.wrap(text), text)
        let osc = TmuxPassthrough.wrap(Array("x\(esc)]1337;File=:QQ==\u{07}y".utf8))
        XCTAssertEqual(String(decoding: osc, as: UTF8.self),
                       "x\(esc)Ptmux;\(esc)\(esc)]1337;File=:QQ==\u{07}\(esc)\\y")
        XCTAssertEqual(String(decoding: TmuxPassthrough.wrap(Array("\(esc)Pq#0\(esc)\\".utf8)), as: UTF8.self),
                       "\(esc)Ptmux;\(esc)\(esc)Pq#0\(esc)\(esc)\\\(esc)\\")
        // An unterminated sequence is wrapped to the end, never left half open.
        XCTAssertEqual(String(decoding: TmuxPassthrough.wrap(Array("\(esc)_Gabc".utf8)), as: UTF8.self),
                       "\(esc)Ptmux;\(esc)\(esc)_Gabc\(esc)\\")
        XCTAssertEqual(ImageProtocol.kitty.clearSequence(tmux: false), Array("\(esc)_Ga=d,q=2\(esc)\\".utf8))
        XCTAssertEqual(ImageProtocol.sixel.clearSequence(tmux: true), [])
    }
}
