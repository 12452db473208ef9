import ArgumentParser
import Foundation
import Operations
import S3

/// The file a configuration is edited in: in a new private directory (mode 700), created
/// exclusively with mode 600, so no other user can read the policy or swap the file.
struct EditorFile {
    let directory: String
    let path: String

    init(name: String, contents: String) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/pail-edit-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw S3Error.local("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        path = directory + "/" + name
        try PrivateFile.write(path, Data(contents.utf8))
    }

    /// `$VISUAL`, else `$EDITOR`, else vi, run through the shell so `EDITOR="code --wait"` works.
    func runEditor() throws {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "pail-editor", path]
        do { try process.run() } catch {
            throw S3Error.local("cannot start the editor (\(TerminalSafe.escape(editor))): "
                                + error.localizedDescription)
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw S3Error.local("the editor (\(TerminalSafe.escape(editor))) exited with status "
                                + "\(process.terminationStatus); nothing sent; the edit is kept in \(path)")
        }
    }

    func read() throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw S3Error.local("cannot read \(path) after the editor closed; nothing sent")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw S3Error.local("\(path) is not UTF-8 text; nothing sent; the edit is kept there")
        }
        return text
    }

    func remove() {
        unlink(path)
        rmdir(directory)
    }
}
