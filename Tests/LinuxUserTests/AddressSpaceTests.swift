import XCTest
import GuestMemory
@testable import LinuxUser

/// AddressSpace's bookkeeping, with expectations computed by hand from its rules: 64 KiB
/// pages, PROT_READ 1 / PROT_WRITE 2 / PROT_EXEC 4, PF_X 1 / PF_W 2 / PF_R 4, a 1 MiB guard gap
/// below the stack, mmap regions top-down first fit.
final class AddressSpaceTests: XCTestCase {
    typealias Area = AddressSpace.Area

    /// text: 0x1000_0000, 0x1_2345 bytes, r-x; data: 0x1002_0100, 0x1000 bytes in the file
    /// at 0x2_0100, 0x2_0000 in memory, rw-; stack 8 MiB below 0x2000_0000.
    func program() -> ProgramInfo {
        var p = ProgramInfo(path: "/bin/prog", entry: 0x1000_0000, toc: nil, headerEntry: 0x1000_0000, abiVersion: 2,
                            programHeaderAddress: 0, programHeaderEntrySize: 56, programHeaderCount: 2, imageEnd: 0x1004_0100)
        p.segments = [.init(address: 0x1000_0000, fileSize: 0x1_2345, memorySize: 0x1_2345, fileOffset: 0, flags: 5),
                      .init(address: 0x1002_0100, fileSize: 0x1000, memorySize: 0x2_0000, fileOffset: 0x2_0100, flags: 6)]
        return p
    }

    func testImageSegmentsKeepTheirPermissions() {
        let s = AddressSpace(program: program(), stackBottom: 0x1F80_0000, stackTop: 0x2000_0000)
        XCTAssertEqual(s.areas, [
            Area(start: 0x1000_0000, end: 0x1002_0000, prot: 5, kind: .file(offset: 0)),          // r-x, rounded up
            Area(start: 0x1002_0000, end: 0x1003_0000, prot: 3, kind: .file(offset: 0x2_0000)),   // rw-, file part
            Area(start: 0x1003_0000, end: 0x1005_0000, prot: 3, kind: .anonymous),                // bss
            Area(start: 0x1F80_0000, end: 0x2000_0000, prot: 3, kind: .stack),
        ])
        XCTAssertEqual(s.brkStart, 0x1005_0000)
        XCTAssertEqual(s.mmapTop, 0x1F70_0000, "1 MiB below the stack")
        XCTAssertEqual(s.usedBytes, 0x80_0000, "only the stack counts so far")
    }

    func testSegmentsSharingAPageShareItsPermissions() {
        var p = program()
        p.segments = [.init(address: 0x1000_0000, fileSize: 0x8000, memorySize: 0x8000, fileOffset: 0, flags: 5),
                      .init(address: 0x1000_9000, fileSize: 0x100, memorySize: 0x1000, fileOffset: 0x9000, flags: 6)]
        let s = AddressSpace(program: p, stackBottom: 0x1F80_0000, stackTop: 0x2000_0000)
        XCTAssertEqual(s.areas.first, Area(start: 0x1000_0000, end: 0x1001_0000, prot: 7, kind: .file(offset: 0)))
        XCTAssertEqual(s.areas.count, 2)
    }

    func testBreakMmapProtectAndUnmap() {
        var s = AddressSpace(program: program(), stackBottom: 0x1F80_0000, stackTop: 0x2000_0000)
        let (brk, grown) = s.setBreak(0x1006_0010)
        XCTAssertEqual(brk, 0x1006_0010)
        XCTAssertEqual(grown, 0x1005_0000..<0x1006_0010)
        XCTAssertEqual(s.area(containing: 0x1006_FFFF), Area(start: 0x1005_0000, end: 0x1007_0000, prot: 3, kind: .heap))
        XCTAssertNil(s.area(containing: 0x1007_0000))

        XCTAssertEqual(s.allocate(0x2_0000, prot: 3), 0x1F6E_0000)
        XCTAssertEqual(s.allocate(0x1_0000, prot: 1), 0x1F6D_0000)
        XCTAssertTrue(s.protect(0x1F6E_0000, 0x1F6F_0000, prot: 0))
        XCTAssertEqual(Array(s.areas.suffix(4)), [
            Area(start: 0x1F6D_0000, end: 0x1F6E_0000, prot: 1, kind: .anonymous),
            Area(start: 0x1F6E_0000, end: 0x1F6F_0000, prot: 0, kind: .anonymous),
            Area(start: 0x1F6F_0000, end: 0x1F70_0000, prot: 3, kind: .anonymous),
            Area(start: 0x1F80_0000, end: 0x2000_0000, prot: 3, kind: .stack),
        ])
        let before = s
        XCTAssertFalse(s.protect(0x1F6A_0000, 0x1F6E_0000, prot: 1), "a hole: ENOMEM")
        XCTAssertEqual(s, before, "and nothing changed")

        s.remove(0x1F6D_0000, 0x1F6F_0000)
        XCTAssertEqual(s.area(containing: 0x1F6F_8000), Area(start: 0x1F6F_0000, end: 0x1F70_0000, prot: 3, kind: .anonymous))
        XCTAssertNil(s.area(containing: 0x1F6E_8000))
        XCTAssertEqual(s.allocate(0x1_0000), 0x1F6E_0000, "first fit from the top reuses the hole")

        // The text's second page made read-only, then r-x again: one area, as before.
        XCTAssertTrue(s.protect(0x1001_0000, 0x1002_0000, prot: 1))
        XCTAssertEqual(Array(s.areas.prefix(2)), [
            Area(start: 0x1000_0000, end: 0x1001_0000, prot: 5, kind: .file(offset: 0)),
            Area(start: 0x1001_0000, end: 0x1002_0000, prot: 1, kind: .file(offset: 0x1_0000)),
        ])
        XCTAssertTrue(s.protect(0x1001_0000, 0x1002_0000, prot: 5))
        XCTAssertEqual(s.areas.first, Area(start: 0x1000_0000, end: 0x1002_0000, prot: 5, kind: .file(offset: 0)))

        XCTAssertTrue(s.isMapped(0x1000_0000, 0x5_0000))
        XCTAssertFalse(s.isMapped(0x1004_0000, 0x4_0000), "the heap ends at 0x1007_0000")
        XCTAssertEqual(s.setBreak(0x1005_0000).brk, 0x1005_0000)
        XCTAssertNil(s.area(containing: 0x1005_0000), "a shrunk heap's pages are gone")
    }

    func testBudget() {
        var s = AddressSpace(program: program(), stackBottom: 0x1F80_0000, stackTop: 0x2000_0000)
        s.budget = 0x80_0000 + 0x1_0000     // the stack and one page
        XCTAssertNil(s.allocate(0x2_0000))
        XCTAssertEqual(s.allocate(0x1_0000), 0x1F6F_0000)
        XCTAssertEqual(s.setBreak(0x1005_0001).brk, 0x1005_0000, "brk fails beyond the budget")
        XCTAssertFalse(s.allocateFixed(0x1800_0000, 0x1_0000))
    }

    func testHeapCannotGrowIntoTheGuardGap() {
        var s = AddressSpace(imageEnd: 0x10_0000, stackBottom: 0x100_0000, stackTop: 0x110_0000)
        XCTAssertEqual(s.mmapTop, 0xF0_0000)
        XCTAssertEqual(s.setBreak(0xF0_0001).brk, 0x10_0000)
        XCTAssertEqual(s.setBreak(0xF0_0000).brk, 0xF0_0000)
    }

    /// The pages of guest memory follow the address space once a process enforces it.
    func testEnforcedProtectionsReachGuestMemory() throws {
        let memory = try GuestMemory(ramSize: 0x2000_0000)
        memory.unmapLowMemory(0x1_0000)
        let process = LinuxProcess(memory: memory, program: program(), root: nil)
        process.enforceProtections()
        XCTAssertNotNil(memory.pointer(0x1000_0000, 8), "text is readable")
        XCTAssertNil(memory.writablePointer(0x1000_0000, 8), "but not writable")
        XCTAssertNotNil(memory.writablePointer(0x1004_FFF8, 8), "bss is writable")
        XCTAssertNil(memory.pointer(0x1005_0000, 1), "nothing above the image yet")
        XCTAssertEqual(memory.denial(0x1005_0000, 1, .load)?.unmapped, true)
        XCTAssertEqual(memory.denial(0x1000_0010, 4, .store)?.unmapped, false)
        XCTAssertNil(memory.denial(0x1000_0010, 4, .fetch), "text executes")
        XCTAssertEqual(memory.denial(0x1002_0000, 4, .fetch)?.unmapped, false, "data does not")
        XCTAssertEqual(memory.denial(0x1004_FFFC, 8, .load)?.address, 0x1005_0000, "the first byte that cannot be reached")
        // The engine tests one flag byte per load: the last 4 KiB page before the unmapped
        // heap says its next page is unreadable, the one before it does not.
        XCTAssertNotEqual(memory.codePageFlags[0x1004F] & GuestMemory.PageFlag.nextNoRead, 0)
        XCTAssertEqual(memory.codePageFlags[0x1004E] & GuestMemory.PageFlag.nextNoRead, 0)
        XCTAssertEqual(memory.codePageFlags[0x1004E], 0, "an ordinary read-write page keeps a zero byte")
        XCTAssertNotNil(process.signalTrampoline)
        XCTAssertEqual(memory.denial(process.signalTrampoline!, 4, .fetch)?.unmapped, nil, "the trampoline page executes")
        let stackTop = memory.ramSize
        XCTAssertNotNil(memory.writablePointer(stackTop - 8, 8))
        XCTAssertNil(memory.pointer(stackTop - LinuxProcess.stackSize - 8, 8), "the guard gap")
        XCTAssertEqual(memory.unprotected { memory.writablePointer(0x1000_0000, 8) != nil }, true, "the debugger may write text")
        XCTAssertNil(memory.writablePointer(0x1000_0000, 8), "and protections are back after")
    }
}
