import XCTest
import Foundation
import GuestMemory

final class GuestMemoryTests: XCTestCase {
    func testBigEndianAccess() throws {
        let m = try GuestMemory(ramSize: 1 << 20)
        XCTAssertTrue(m.store32(0x100, 0x1122_3344))
        // Big-endian: the most significant byte sits at the lowest address.
        XCTAssertEqual(m.load8(0x100), 0x11)
        XCTAssertEqual(m.load8(0x103), 0x44)
        XCTAssertEqual(m.load16(0x102), 0x3344)
        XCTAssertTrue(m.store64(0x200, 0x0102_0304_0506_0708))
        XCTAssertEqual(try m.read(0x200, count: 8), [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(m.load64(0x1FF), 0x0001_0203_0405_0607)  // unaligned
    }

    func testAccessesOutsideRAMFaultInsteadOfCrashing() throws {
        let size: UInt64 = 1 << 20
        let m = try GuestMemory(ramSize: size)
        XCTAssertNotNil(m.load64(size - 8))           // the last 8 bytes
        XCTAssertNil(m.load64(size - 7))              // straddles the end
        XCTAssertNil(m.load8(size))
        XCTAssertNil(m.load64(UInt64.max))            // wraps around 2^64
        XCTAssertNil(m.load32(UInt64.max - 2))
        XCTAssertFalse(m.store16(UInt64.max, 1))
        XCTAssertFalse(m.isMapped(0, UInt64.max))     // huge length
        XCTAssertFalse(m.isMapped(8, size))           // one byte too many
        XCTAssertThrowsError(try m.read(size - 4, count: 8))
    }

    func testFailedBulkWriteChangesNothing() throws {
        let size: UInt64 = 1 << 20
        let m = try GuestMemory(ramSize: size)
        XCTAssertThrowsError(try m.write([1, 2, 3, 4], at: size - 2))
        XCTAssertEqual(m.load16(size - 2), 0)
    }

    func testWindowsMapAFileIntoTheDeviceRegion() throws {
        let m = try GuestMemory(ramSize: 1 << 20, deviceSize: 1 << 20)
        XCTAssertEqual(m.deviceBase, 1 << 30)         // RAM rounded up to 1 GiB
        XCTAssertNil(m.load8(m.deviceBase))           // nothing mapped yet
        let path = NSTemporaryDirectory() + "lpar-window-\(getpid())"
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd); unlink(path) }
        XCTAssertEqual(ftruncate(fd, 65536), 0)
        try m.mapWindow(start: m.deviceBase, length: 65536, fd: fd, fileOffset: 0, writable: true)
        XCTAssertTrue(m.store32(m.deviceBase + 16, 0xCAFE_F00D))
        var buf = [UInt8](repeating: 0, count: 4)
        XCTAssertEqual(pread(fd, &buf, 4, 16), 4)
        XCTAssertEqual(buf, [0xCA, 0xFE, 0xF0, 0x0D])  // the store reached the file
        XCTAssertNil(m.load32(m.deviceBase + 65534))   // straddles the window's end
        XCTAssertThrowsError(try m.mapWindow(start: m.deviceBase, length: 65536, fd: fd, fileOffset: 0, writable: true))
        m.unmapWindows(start: m.deviceBase, length: 65536)
        XCTAssertNil(m.load32(m.deviceBase + 16))      // faults again
    }
}
