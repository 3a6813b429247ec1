import XCTest
import Foundation
import GuestMemory

/// A guest reaches host memory only through GuestMemory. Rule under test: an access of `size`
/// bytes at `address` succeeds only when every byte of `[address, address + size)` (computed
/// without wrapping at 2^64) lies in RAM or inside one mapped window; otherwise it fails and
/// touches nothing, and a failed bulk write leaves every byte of the range as it was.
final class ContainmentTests: XCTestCase {
    let ram: UInt64 = 1 << 20
    let windowLength: UInt64 = 64 << 10
    var memory: GuestMemory!
    var fd: Int32 = -1

    override func setUpWithError() throws {
        // Device region of 128 KiB: a 64 KiB window at its start, then 64 KiB never mapped.
        memory = try GuestMemory(ramSize: ram, deviceSize: 2 * windowLength)
        var template = Array("/tmp/lpar-containment-XXXXXX".utf8CString)
        fd = mkstemp(&template)
        unlink(template)
        XCTAssertEqual(ftruncate(fd, off_t(windowLength)), 0)
        try memory.mapWindow(start: memory.deviceBase, length: windowLength, fd: fd, fileOffset: 0, writable: true)
    }
    override func tearDown() { memory = nil; close(fd) }

    var windowEnd: UInt64 { memory.deviceBase + windowLength }

    /// Fills `[address - 16, address)` with 0xA5 so a test can see that nothing before an edge
    /// was written by a refused access.
    func fillBefore(_ address: UInt64) throws {
        try memory.write([UInt8](repeating: 0xA5, count: 16), at: address - 16)
    }
    func assertUntouchedBefore(_ address: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try memory.read(address - 16, count: 16), [UInt8](repeating: 0xA5, count: 16), file: file, line: line)
    }

    func testWrapAroundAt2To64NeverReachesLowMemory() throws {
        // 0xFFFF_FFFF_FFFF_FFF8 + 8 wraps to 0: the range is not [max-7, max] ∪ [0, 0).
        for size: UInt64 in [2, 4, 8, 128] {
            let address = UInt64.max - (size - 2)   // the last byte would be at 2^64
            XCTAssertFalse(memory.isMapped(address, size), "size \(size)")
            XCTAssertNil(memory.pointer(address, size))
        }
        XCTAssertNil(memory.load64(UInt64.max - 7))
        XCTAssertNil(memory.load64(UInt64.max - 3))
        XCTAssertFalse(memory.store64(UInt64.max - 3, 1))
        XCTAssertFalse(memory.isMapped(1, UInt64.max))
        XCTAssertFalse(memory.isMapped(memory.deviceBase, UInt64.max))
        XCTAssertThrowsError(try memory.write([1, 2, 3, 4, 5, 6, 7, 8], at: UInt64.max - 3))
        XCTAssertThrowsError(try memory.zero(UInt64.max - 3, count: 8))
        XCTAssertThrowsError(try memory.zero(16, count: UInt64.max))
        XCTAssertEqual(memory.load64(0), 0, "nothing wrapped into address 0")
    }

    func testAccessesStraddlingTheRAMEndFailWhole() throws {
        try fillBefore(ram)
        for size: UInt64 in [2, 4, 8] {
            XCTAssertFalse(memory.isMapped(ram - size + 1, size))
        }
        XCTAssertFalse(memory.store16(ram - 1, 0xFFFF))
        XCTAssertFalse(memory.store32(ram - 2, 0xFFFF_FFFF))
        XCTAssertFalse(memory.store64(ram - 4, UInt64.max))
        XCTAssertThrowsError(try memory.write([UInt8](repeating: 0, count: 17), at: ram - 16))
        XCTAssertThrowsError(try memory.zero(ram - 16, count: 17))
        XCTAssertThrowsError(try memory.read(ram - 16, count: 17))
        assertUntouchedBefore(ram)
        // The last bytes themselves are usable.
        XCTAssertTrue(memory.store64(ram - 8, 1))
        XCTAssertEqual(memory.load64(ram - 8), 1)
    }

    func testTheGapBetweenRAMAndTheDeviceRegionFaults() {
        XCTAssertNil(memory.load8(ram))
        XCTAssertNil(memory.load8(memory.deviceBase - 1))
        XCTAssertFalse(memory.store8(memory.deviceBase - 1, 1))
        // A range from the RAM into the gap, or from the gap into a window, is refused.
        XCTAssertFalse(memory.isMapped(ram - 8, memory.deviceBase - ram + 16))
        XCTAssertFalse(memory.isMapped(memory.deviceBase - 4, 8))
    }

    func testAccessesStraddlingTheWindowAndDeviceRegionEndFail() throws {
        try fillBefore(windowEnd)
        XCTAssertTrue(memory.store64(windowEnd - 8, 7))
        XCTAssertFalse(memory.store64(windowEnd - 4, UInt64.max))
        XCTAssertNil(memory.load64(windowEnd - 4))
        XCTAssertThrowsError(try memory.write([UInt8](repeating: 0, count: 24), at: windowEnd - 16))
        XCTAssertThrowsError(try memory.zero(windowEnd - 16, count: 17))
        XCTAssertEqual(try memory.read(windowEnd - 16, count: 8), [UInt8](repeating: 0xA5, count: 8))
        XCTAssertEqual(memory.load64(windowEnd - 8), 7)
        // The unmapped half of the device region and its end.
        XCTAssertNil(memory.load8(windowEnd))
        XCTAssertNil(memory.load8(memory.arenaSize - 1))
        XCTAssertNil(memory.load64(memory.arenaSize - 4))
        XCTAssertNil(memory.load8(memory.arenaSize))
        XCTAssertFalse(memory.store8(memory.arenaSize - 1, 1))
    }

    func testAWindowDoesNotExtendAnAccessFromRAM() {
        // An access starting in RAM may not run on into a window (they are not contiguous), and
        // one starting in a window may not run past it even if the region continues.
        XCTAssertFalse(memory.isMapped(ram - 8, UInt64.max - ram + 16))
        XCTAssertFalse(memory.isMapped(memory.deviceBase, windowLength + 1))
    }

    func testCStringReadStopsAtTheEnd() throws {
        try memory.write([UInt8](repeating: 0x41, count: 16), at: ram - 16)
        XCTAssertThrowsError(try memory.readCString(ram - 16)) { error in
            XCTAssertEqual(error as? MemoryFault, MemoryFault(address: ram, size: 1, kind: .load))
        }
        XCTAssertThrowsError(try memory.readCString(UInt64.max))
    }

    func testWindowsOutsideTheDeviceRegionAreRefused() {
        XCTAssertThrowsError(try memory.mapWindow(start: memory.arenaSize - 4096, length: 8192, fd: fd, fileOffset: 0, writable: true))
        XCTAssertThrowsError(try memory.mapWindow(start: UInt64.max & ~0xFFF, length: 4096, fd: fd, fileOffset: 0, writable: true))
        XCTAssertThrowsError(try memory.mapWindow(start: 0, length: 4096, fd: fd, fileOffset: 0, writable: true))
        XCTAssertThrowsError(try memory.mapWindow(start: windowEnd, length: UInt64.max - 4095, fd: fd, fileOffset: 0, writable: true))
    }

    func testHugeSizesAreRefusedWithoutTrapping() {
        XCTAssertThrowsError(try GuestMemory(ramSize: 1 << 41))
        XCTAssertThrowsError(try GuestMemory(ramSize: UInt64.max & ~0xFFFF))
        // deviceSize near 2^64: deviceBase + deviceSize overflows; must be an error, not a trap.
        XCTAssertThrowsError(try GuestMemory(ramSize: 1 << 20, deviceSize: UInt64.max - 1)) { error in
            XCTAssertEqual(error as? GuestMemoryError, .deviceRegionTooLarge(UInt64.max - 1))
        }
    }
}

/// The unmapped first 64 KiB of a Linux process (`unmapLowMemory`).
final class NullGuardTests: XCTestCase {
    func testLowMemoryIsUnmappedOnlyBelowTheGuard() throws {
        let memory = try GuestMemory(ramSize: 1 << 20)
        XCTAssertNotNil(memory.load8(0))                       // PAPR: real mode starts at 0
        memory.unmapLowMemory(64 << 10)
        XCTAssertNil(memory.load8(0))
        XCTAssertNil(memory.load64((64 << 10) - 4))            // straddles the guard
        XCTAssertNotNil(memory.load64(64 << 10))
        XCTAssertFalse(memory.isMapped(0xFFFF, 1))
        XCTAssertThrowsError(try memory.write([1, 2, 3], at: 0x100))
    }
}
