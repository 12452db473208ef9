#if PAIL_FUZZ
import Foundation
import Operations
import S3

/// The AWS config and credentials files and pail's own configuration file, as written to disk
/// and read by the same calls pail makes. No shell, STS, SSO portal or metadata service is
/// ever reached: every such step is a stub (a `credential_process` "prints" part of the input).
enum ConfigFiles {
    private static let folder: String = {
        let path = NSTemporaryDirectory() + "pail-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The input is `config NUL credentials NUL credential_process-output`, each part optional.
    static func runAWS(_ data: Data) {
        let parts = data.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        let configText = String(decoding: parts[0], as: UTF8.self)
        checkLineEndings(configText)
        let config = folder + "/config", credentials = folder + "/credentials"
        write(parts[0], to: config)
        write(parts.count > 1 ? parts[1] : Data(), to: credentials)
        let processOutput = parts.count > 2 ? String(decoding: parts[2], as: UTF8.self) : ""
        let env = ["HOME": folder, "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials,
                   "AWS_EC2_METADATA_DISABLED": "true"]
        // The default profile, then the first few the file names (each may chain to others).
        var profiles: [String?] = [nil]
        if let file = try? AWSConfigFile(path: config, text: configText) {
            profiles += file.sections.keys.sorted().prefix(3).map { $0.droppingBytePrefix("profile ") }
        }
        for profile in profiles {
            var options = GlobalOptions()
            options.profile = profile
            do {
                let resolved = try ClientConfiguration.resolve(
                    options, environment: env, runProcess: { _ in processOutput },
                    assumeRole: { _, _ in Credentials(accessKeyId: "ASIAFUZZ", secretAccessKey: "f") },
                    fetchLocal: { _, _, _ in throw TransportError.other("no machine credentials while fuzzing") },
                    fetchSSO: { _, _, _ in HTTPResponse(status: 200, body: Data(processOutput.utf8)) },
                    askMFA: { _, _ in "123456" })
                _ = resolved.endpoint.display
            } catch {
                _ = String(describing: error)
            }
        }
    }

    /// A file saved with CRLF line ends (a Windows editor, a copy through a web form) means
    /// the same as with LF ones, as for the AWS CLI.
    private static func checkLineEndings(_ text: String) {
        guard !text.utf8.contains(13) else { return }
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        let lf = Result { try AWSConfigFile(path: "f", text: text) }
        let other = Result { try AWSConfigFile(path: "f", text: crlf) }
        switch (lf, other) {
        case (.success(let a), .success(let b)):
            require(a.sections == b.sections && a.lines == b.lines, "CRLF line ends change what the file says")
        case (.failure(let a), .failure(let b)):
            require("\(a)" == "\(b)", "CRLF line ends change the error: \(a) / \(b)")
        case (.success, .failure(let e)):
            require(false, "CRLF line ends make a good file fail: \(e)")
        case (.failure(let e), .success):
            require(false, "CRLF line ends make a bad file pass: \(e)")
        }
    }

    /// pail's configuration file through `PailConfig.load`; each upload rule's pattern is
    /// then matched against the input's last line, as uploads match local names.
    static func runPail(_ data: Data) {
        let path = folder + "/pail-config"
        write(data, to: path)
        let (config, warning) = PailConfig.load(environment: ["PAIL_CONFIG": path, "HOME": folder])
        _ = warning
        let text = String(decoding: data, as: UTF8.self)
        let name = String(text.split(separator: "\n").last ?? "").prefix(200)
        for rule in config.uploadRules.prefix(8) {
            _ = rule.matches(String(name))
        }
        for (_, settings) in config.buckets {
            if let seconds = settings.presignSeconds {
                require(seconds > 0 && seconds <= Durations.maxPresign, "presign_expires of \(seconds) s")
            }
        }
    }

    /// A new file each run: ext4 flushes a file truncated and rewritten when it is closed
    /// (as it does for a rename over one), which cost milliseconds per run.
    private static func write(_ data: Data, to path: String) {
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path)") }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count else { fatalError("cannot write \(path)") }
    }
}
#endif
