import XCTest
import Foundation
import Partition
import PAPR

/// `--timeout`: rules under test — a guest that never ends stops with exit 142 no sooner than
/// the timeout and within ~10 ms after it (the clock is read every 2^16 instructions and after
/// every hcall), with one line naming the PC; a guest that ends first keeps its own status.
final class TimeoutTests: XCTestCase {
    var path = ""

    func writeELF(_ words: [UInt32]) throws -> String {
        path = writeMinimalELF(words, tag: "timeout-\(abs(name.hashValue))")
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
