#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// lpar's own output (listings, disassembly, device-tree blobs), written with write(2) so that
/// a failure is seen: a full disk, a closed pipe or /dev/full is one line on stderr and exit 74
/// (EX_IOERR), never a silent truncation.
enum Output {
    static let ioError: Int32 = 74

    /// Writes all of `text` to standard output.
    static func write(_ text: String) throws {
        var bytes = Array(text.utf8)
        try write(&bytes, to: 1, name: "standard output")
    }

    /// Writes every byte to `fd` (retrying short writes and EINTR), or reports the error.
    static func write(_ bytes: inout [UInt8], to fd: Int32, name: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                complain("lpar: cannot write to \(name): \(String(cString: strerror(n < 0 ? errno : EIO)))")
                throw ExitCode(ioError)
            }
            done += n
        }
    }
}
