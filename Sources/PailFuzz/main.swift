// The libFuzzer entry point. `make fuzz` builds this target with -DPAIL_FUZZ and
// -sanitize=fuzzer; a plain `swift build` gets a stub that says so, and costs the normal
// build next to nothing.
#if PAIL_FUZZ
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func pailFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? Data() : Data(bytes: data!, count: size)
    FuzzTarget.selected.run(bytes)
    return 0
}

typealias FuzzArguments = UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: FuzzArguments,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable with `main` pointing at `<module>_main`; in the fuzz build
/// (parsed as a library, so the compiler makes no main) that is this, which hands over to
/// libFuzzer's driver.
@_cdecl("PailFuzz_main")
public func pailFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return withUnsafeMutablePointer(to: &arguments) { runFuzzerDriver(&count, $0, pailFuzzOneInput) }
}
#else
// A declaration, not a statement: the fuzz build parses this file as a library, inactive
// branches included, and a top-level statement would not parse there.
let notice: Void = print("PailFuzz holds pail's libFuzzer targets; run them with `make fuzz` (see the Makefile).")
#endif
