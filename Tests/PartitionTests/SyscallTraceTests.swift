#if canImport(Glibc)
import Glibc
#endif
import XCTest
import LinuxUser
@testable import Partition

/// The syscall trace event: strace's line in text, and in jsonl the fields the README lists.
final class SyscallTraceTests: XCTestCase {
    func traced(_ format: TraceOptions.Format, _ record: SyscallRecord) -> String {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        var options = TraceOptions()
        options.kinds = [.syscall]; options.format = format; options.fd = fds[1]
        let tracer = Tracer(options: options, symbols: .init(symbols: []))
        tracer.syscall(record, pc: 0x1000_0010)
        close(fds[1])
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(fds[0], &buf, buf.count)
        close(fds[0])
        return String(decoding: buf[0..<max(n, 0)], as: UTF8.self)
    }

    let failed = SyscallRecord(number: 5, name: "open", args: [0x2000, 0, 0, 0, 0, 0], result: -1, errno: .ENOENT,
                               text: "open(\"x\", O_RDONLY) = -1 ENOENT (No such file or directory)")

    func testTextIsTheStraceLine() {
        XCTAssertEqual(traced(.text, failed), "open(\"x\", O_RDONLY) = -1 ENOENT (No such file or directory)\n")
    }

    func testJSONLFields() throws {
        let line = traced(.jsonl, failed)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["kind"] as? String, "syscall")
        XCTAssertEqual(object["pc"] as? String, "0x10000010")
        XCTAssertEqual(object["nr"] as? Int, 5)
        XCTAssertEqual(object["name"] as? String, "open")
        XCTAssertEqual(object["args"] as? [Int], [0x2000, 0, 0, 0, 0, 0])
        XCTAssertEqual(object["result"] as? Int, -1)
        XCTAssertEqual(object["errno"] as? Int, 2)
        XCTAssertEqual(object["text"] as? String, "open(\"x\", O_RDONLY) = -1 ENOENT (No such file or directory)")
        let ok = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(traced(.jsonl, SyscallRecord(number: 20, name: "getpid", args: [], result: 7, errno: nil, text: nil)).utf8)) as? [String: Any])
        XCTAssertNil(ok["errno"], "errno only on failure")
        XCTAssertEqual(ok["result"] as? Int, 7)
    }
}
