#if PAIL_FUZZ
import Foundation

/// One parser under fuzzing, chosen by PAIL_FUZZ_TARGET (libFuzzer owns the command line).
/// The raw values name the corpus folders in Tests/FuzzCorpus.
enum FuzzTarget: String, CaseIterable {
    case listObjects = "list-objects"
    case listBuckets = "list-buckets"
    case error
    case versions
    case multipart
    case smallResults = "small-results"
    case awsConfig = "aws-config"
    case pailConfig = "pail-config"
    case s3uri
    case terminalSafe = "terminal-safe"
    case imageDecode = "image-decode"

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["PAIL_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("PailFuzz: set PAIL_FUZZ_TARGET to one of \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ data: Data) {
        switch self {
        case .listObjects, .listBuckets, .error, .versions, .multipart, .smallResults: XMLAnswers.run(self, data)
        case .awsConfig: ConfigFiles.runAWS(data)
        case .pailConfig: ConfigFiles.runPail(data)
        case .s3uri: TextInputs.runS3URI(data)
        case .terminalSafe: TextInputs.runTerminalSafe(data)
        case .imageDecode: ImageInputs.run(data)
        }
    }
}

/// A property the code must keep: a broken one stops the fuzzer like a crash, with the input.
func require(_ condition: @autoclosure () -> Bool, _ what: @autoclosure () -> String) {
    if !condition() { fatalError("PailFuzz property broken: \(what())") }
}
#endif
