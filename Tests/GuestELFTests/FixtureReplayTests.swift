import XCTest
import Foundation
import GuestELF
import GuestMemory

/// Inputs that once crashed lpar, kept in Fixtures/ and replayed with the behaviour the fix
/// defines. Rule: section and symbol addresses and sizes are file data; no arithmetic on them may
/// trap, and a range no segment holds has no bytes.
final class FixtureReplayTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// `_start: nop; b _start` linked at 0x10000, with the .text section header moved to 2^64 - 0x100, size
    /// 0x1000: address + size wraps. `lpar disasm` trapped on it (Swift overflow in the range
    /// end); the program headers are intact, so the program still loads and runs.
    func testTextSectionWrappingAt2To64() throws {
        let path = Self.fixture("text-section-wraps-2to64.elf")
        let image = try ELFLoader.inspect(path: path)
        let text = try XCTUnwrap(image.sections.first { $0.name == ".text" })
        XCTAssertEqual(text.address, 0xFFFF_FFFF_FFFF_FF00)
        XCTAssertEqual(text.size, 0x1000)
        XCTAssertTrue(text.isExecutable)
        // No segment holds bytes at the section's address, for any size, including one that
        // reaches the top of the address space.
        XCTAssertNil(try ELFLoader.bytes(path: path, address: text.address, size: 0xFF))
        XCTAssertNil(try ELFLoader.bytes(path: path, address: text.address, size: UInt64.max - text.address))
        XCTAssertNil(try ELFLoader.bytes(path: path, address: UInt64.max, size: 1))
        // Loading uses the program headers: entry 0x10000, then nop and a branch back by 4.
        let memory = try GuestMemory(ramSize: 1 << 20)
        let loaded = try ELFLoader.load(path: path, into: memory)
        XCTAssertEqual(loaded.entry, 0x10000)
        XCTAssertEqual(memory.load32(0x10000), 0x6000_0000)   // nop
        XCTAssertEqual(memory.load32(0x10004), 0x4BFF_FFFC)   // b _start (I-form, LI = -4)
    }
}
