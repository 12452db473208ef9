// swift-tools-version:6.0
import PackageDescription

// Modules depend only downward: pail -> Terminal -> Browser -> Operations -> S3 -> C shims.
// Language mode 5 keeps the C interop (curl callbacks, curses globals) free of
// Sendable ceremony; see docs/decisions.md.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "pail",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pail", targets: ["pail"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "S3", dependencies: ["CCurl", "COpenSSL"], swiftSettings: v5),
        .target(name: "Operations", dependencies: ["S3"], swiftSettings: v5),
        .target(name: "Browser", dependencies: ["Operations"], swiftSettings: v5),
        .target(name: "Terminal", dependencies: ["CNcurses", "Browser"], swiftSettings: v5),
        .executableTarget(
            name: "pail",
            dependencies: [
                "S3", "Operations", "Browser", "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: v5
        ),
        .testTarget(name: "S3Tests", dependencies: ["S3"], swiftSettings: v5),
        .testTarget(name: "OperationsTests", dependencies: ["Operations"], swiftSettings: v5),
        // Snapshots are read from the source tree by path (and re-recorded there), not bundled.
        .testTarget(name: "BrowserTests", dependencies: ["Browser"], exclude: ["Snapshots"], swiftSettings: v5),
    ]
)
