import Foundation
import XCTest

/// Runs Debian's stock gdb-multiarch in batch mode; tests that need it skip when it is absent.
enum GDBMultiarch {
    static let candidates = ["/usr/bin/gdb-multiarch", "/usr/local/bin/gdb-multiarch"]

    static func path() throws -> String {
        guard let p = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("gdb-multiarch is not installed (apt-get install gdb-multiarch)")
        }
        return p
    }

    struct Transcript {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// `gdb-multiarch -batch -nx -ex C1 -ex C2 ...`, with a time limit so a protocol bug cannot
    /// hang the test run.
    /// `whileRunning` runs once gdb has started, with its pid (e.g. to send it a SIGINT).
    static func run(_ commands: [String], timeout: TimeInterval = 60, whileRunning: ((pid_t) -> Void)? = nil) throws -> Transcript {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = ["-batch", "-nx"] + commands.flatMap { ["-ex", $0] }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes concurrently so a chatty gdb cannot block on a full pipe.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        whileRunning?(process.processIdentifier)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            group.wait()
            XCTFail("gdb-multiarch did not finish in \(timeout) s; stdout so far:\n\(String(decoding: outData, as: UTF8.self))")
        }
        process.waitUntilExit()
        group.wait()
        return Transcript(stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
    }
}
