import ArgumentParser
import Foundation
import Imaging
import Operations
import S3
import Session

/// `pail view s3://bucket/key`: the picture on standard output, for scripts and SSH sessions,
/// with its pixel size, format and bytes on the line below.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show an image (JPEG, PNG, GIF, WebP, AVIF) in the terminal.",
        discussion: """
            Prints the picture to stdout, fitting the terminal (or --width × --height cells) and \
            keeping its aspect, then its size, format and bytes. --protocol auto asks the terminal \
            (kitty graphics, sixel, iTerm2 inline images) and falls back to Unicode symbols in colour. \
            Objects over 32 MiB are refused: download them with pail cp.
            """)

    enum ProtocolChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, symbols, kitty, sixel, iterm
    }

    enum ColourChoice: String, ExpressibleByArgument, CaseIterable {
        case truecolor, c256 = "256", c16 = "16"
    }

    @OptionGroup var global: GlobalOptionGroup

    @Option(name: .customLong("protocol"), help: "auto, symbols, kitty, sixel or iterm.")
    var imageProtocol: ProtocolChoice = .auto

    @Option(name: .customLong("colors"), help: "Colours of the symbols: 256, 16 or truecolor (default: detected).")
    var colours: ColourChoice?

    @Option(help: ArgumentHelp("Columns the picture may take (default: the terminal's width).", valueName: "N"))
    var width: Int?

    @Option(help: ArgumentHelp("Rows the picture may take (default: the terminal's height less two).", valueName: "N"))
    var height: Int?

    @Argument(help: "s3://bucket/key")
    var target: String

    func validate() throws {
        if let width, !(1...1000).contains(width) { throw ValidationError("--width takes 1 to 1000 columns") }
        if let height, !(1...1000).contains(height) { throw ValidationError("--height takes 1 to 1000 rows") }
    }

    func run() throws {
        try runReportingErrors {
            let uri = try S3URI(parsing: target)
            guard !uri.key.isEmpty, !uri.key.hasByteSuffix("/") else {
                throw S3Error.configuration("view needs an object: s3://\(uri.bucket)/KEY")
            }
            let client = try global.makeClient()
            let fetched = try ImageFetch.fetch(client: client, bucket: uri.bucket, key: uri.key)
            let image: DecodedImage
            do {
                image = try ImageDecoder.decode(fetched.data, contentType: fetched.head.contentType)
            } catch let error as ImageError {
                throw S3Error.local("\(uri): \(error.message)")
            }
            let capabilities = terminal()
            let window = TerminalWindow.current(fd: 1)
            let environment = ProcessInfo.processInfo.environment
            let columns = width ?? window?.columns ?? Int(environment["COLUMNS"] ?? "") ?? 80
            let rows = height ?? max(1, (window?.rows ?? Int(environment["LINES"] ?? "") ?? 24) - 2)
            let rendered = ImageRenderer.render(image, columns: columns, rows: rows,
                                                protocol: capabilities.imageProtocol,
                                                colours: capabilities.colours, cell: capabilities.cell,
                                                tmux: capabilities.needsPassthrough)
            let out = StandardOutput.shared
            out.write(String(decoding: rendered.output, as: UTF8.self))
            out.write("\n" + image.caption + "\n")
        }
    }

    /// The protocol and colours asked for, else detected: from the environment, corrected by
    /// the terminal's answers when both ends of pail are a terminal.
    func terminal() -> TerminalCapabilities {
        var capabilities = TerminalCapabilities.detect(environment: ProcessInfo.processInfo.environment)
        if let cell = TerminalWindow.current(fd: 1)?.cell { capabilities.cell = cell }
        switch imageProtocol {
        case .auto:
            let answers = TerminalProbe.ask(input: 0, output: 1, insideTmux: capabilities.insideTmux)
            capabilities = capabilities.updated(withAnswers: answers)
        case .symbols: capabilities.imageProtocol = .symbols
        case .kitty: capabilities.imageProtocol = .kitty
        case .sixel: capabilities.imageProtocol = .sixel
        case .iterm: capabilities.imageProtocol = .iterm
        }
        switch colours {
        case .truecolor: capabilities.colours = .truecolor
        case .c256: capabilities.colours = .indexed256
        case .c16: capabilities.colours = .indexed16
        case nil: break
        }
        return capabilities
    }
}
