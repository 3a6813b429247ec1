import XCTest
import Foundation
import Partition
import PAPR

/// `--timeout`: rules under test — a guest that never ends stops with exit 142 no sooner than
/// the timeout and within ~10 ms after it (the clock is read every 2^16 instructions and after
/// every hcall), with one line naming the PC; a guest that ends first keeps its own status.
final class TimeoutTests: XCTestCase {
    var path = ""

    /// A minimal big-endian ELF64 PowerPC executable: one PT_LOAD at 0x10000 holding `words`.
    func writeELF(_ words: [UInt32]) throws -> String {
        var out = [UInt8]()
        func put(_ v: UInt64, _ n: Int) { for i in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * (n - 1 - i)))) } }
        let code = words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> UInt32(24 - 8 * $0)) } }
        out += [0x7F, 0x45, 0x4C, 0x46, 2, 2, 1, 0] + [UInt8](repeating: 0, count: 8)
        put(2, 2); put(21, 2); put(1, 4); put(0x10000, 8); put(64, 8); put(0, 8)   // EXEC, PPC64, entry, phoff, shoff
        put(2, 4); put(64, 2); put(56, 2); put(1, 2); put(64, 2); put(0, 2); put(0, 2)   // ELFv2 flags
        put(1, 4); put(5, 4); put(120, 8); put(0x10000, 8); put(0x10000, 8)             // PT_LOAD r-x at 120
        put(UInt64(code.count), 8); put(UInt64(code.count), 8); put(0x10000, 8)
        out += code
        path = NSTemporaryDirectory() + "lpar-timeout-\(getpid())-\(abs(name.hashValue)).elf"
        FileManager.default.createFile(atPath: path, contents: Data(out))
        return path
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func run(_ words: [UInt32], timeout: Double?, maxInstructions: UInt64? = nil) throws -> (RunOutcome, Double) {
        var config = PartitionConfig(elfPath: try writeELF(words))
        config.memorySize = 1 << 20
        config.timeout = timeout
        config.maxInstructions = maxInstructions
        let p = try Partition(config: config, console: Console(outputFD: -1, inputFD: -1))
        let start = Date()
        let outcome = p.run()
        return (outcome, Date().timeIntervalSince(start))
    }

    func testARunawayGuestStopsAtTheTimeout() throws {
        let (outcome, seconds) = try run([0x6000_0000, 0x4BFF_FFFC], timeout: 0.2)   // nop; b .-4
        XCTAssertEqual(outcome.exitStatus, 142)
        XCTAssertEqual(Partition.ExitCode.timeout, 128 + 14, "SIGALRM as a shell shows it")
        XCTAssertGreaterThanOrEqual(seconds, 0.2)
        XCTAssertLessThan(seconds, 0.5, "a loaded CI machine may add a little; 300 ms is not 10 ms plus noise")
        let report = try XCTUnwrap(outcome.report)
        XCTAssertTrue(report.hasPrefix("lpar: guest stopped after 0.2 s (--timeout) at 0x1000"), report)
        XCTAssertFalse(report.contains("\n"), "one line")
        XCTAssertGreaterThan(outcome.instructions, 0)
    }

    func testAGuestThatEndsFirstKeepsItsStatus() throws {
        // li r3,0; ori r3,r3,0xFF00; li r4,7; sc 1  → H_LPAR_EXIT(7)
        let (outcome, _) = try run([0x3860_0000, 0x6063_FF00, 0x3880_0007, 0x4400_0022], timeout: 10)
        XCTAssertEqual(outcome.exitStatus, 7)
        XCTAssertNil(outcome.report)
    }

    func testTheInstructionLimitStillWinsWhenItComesFirst() throws {
        let (outcome, _) = try run([0x6000_0000, 0x4BFF_FFFC], timeout: 10, maxInstructions: 1000)
        XCTAssertEqual(outcome.exitStatus, 124)
        XCTAssertEqual(outcome.instructions, 1000)
    }
}
