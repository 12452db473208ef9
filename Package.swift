// swift-tools-version:6.0
import PackageDescription

// Modules depend only downward: pail -> Terminal/Session -> Browser -> Operations -> S3 -> C shims.
// TestSupport (the scripted transport, the browser driver, snapshots) serves test targets only.
// Swift 6 language mode: data races are compile errors (see docs/decisions.md).
let languageMode: [SwiftSetting] = [.swiftLanguageMode(.v6)]

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
        .target(name: "CBuildInfo"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Images (issue 13): decoded by gdk-pixbuf, drawn by libchafa; below everything else.
        .systemLibrary(name: "CChafa", path: "Sources/CChafa", pkgConfig: "chafa", providers: [.apt(["libchafa-dev"])]),
        .systemLibrary(name: "CGdkPixbuf", path: "Sources/CGdkPixbuf", pkgConfig: "gdk-pixbuf-2.0",
                       providers: [.apt(["libgdk-pixbuf-2.0-dev"])]),
        .target(name: "Imaging", dependencies: ["CChafa", "CGdkPixbuf"], swiftSettings: languageMode),
        .target(name: "S3", dependencies: ["CCurl", "COpenSSL"], swiftSettings: languageMode),
        .target(name: "Operations", dependencies: ["S3", "CZlib"], swiftSettings: languageMode),
        .target(name: "Browser", dependencies: ["Operations"], swiftSettings: languageMode),
        .target(name: "Terminal", dependencies: ["CNcurses", "Browser"], swiftSettings: languageMode),
        .target(name: "Session", dependencies: ["Browser", "Operations", "S3", "Imaging"], swiftSettings: languageMode),
        .target(name: "TestSupport", dependencies: ["Session", "Browser", "Operations", "S3"],
                swiftSettings: languageMode),
        .executableTarget(
            name: "pail",
            dependencies: [
                "S3", "Operations", "Browser", "Terminal", "Session", "CBuildInfo", "Imaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: languageMode
        ),
        // libFuzzer targets, built by `make fuzz` with -DPAIL_FUZZ; otherwise a stub (see Makefile).
        .executableTarget(name: "PailFuzz", dependencies: ["S3", "Operations", "Imaging"],
                          swiftSettings: languageMode),
        .testTarget(name: "S3Tests", dependencies: ["S3"], swiftSettings: languageMode),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], exclude: ["Snapshots", "Fixtures"],
                    swiftSettings: languageMode),
        .testTarget(name: "OperationsTests", dependencies: ["Operations", "TestSupport"],
                    swiftSettings: languageMode),
        // Snapshots are read from the source tree by path (and re-recorded there), not bundled.
        .testTarget(name: "BrowserTests", dependencies: ["Browser", "Operations"], exclude: ["Snapshots"],
                    swiftSettings: languageMode),
        .testTarget(name: "SessionTests", dependencies: ["Session", "TestSupport", "Browser", "Operations", "S3"],
                    exclude: ["Snapshots"], swiftSettings: languageMode),
    ]
)
