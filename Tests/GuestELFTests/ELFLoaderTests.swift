import Foundation
import XCTest
import GuestELF
import GuestMemory

/// Writes minimal ELF64 files: a header, program headers and segment bytes, optionally a
/// section table (for .opd entries). Fields are big-endian unless `littleEndian`.
struct ELFWriter {
    struct Segment { var type: UInt32 = 1; var vaddr: UInt64; var bytes: [UInt8]; var memsz: UInt64? = nil; var offset: UInt64? = nil }
    var elfClass: UInt8 = 2, data: UInt8 = 2, machine: UInt16 = 21, type: UInt16 = 2, flags: UInt32 = 1
    var entry: UInt64 = 0x10000
    var segments: [Segment] = []
    /// (name, address, size) of one extra section, e.g. .opd, covering file bytes of a segment.
    var section: (name: String, address: UInt64, size: UInt64)?

    func bytes() -> [UInt8] {
        var out = [UInt8]()
        func u8(_ v: UInt8) { out.append(v) }
        func put(_ v: UInt64, _ n: Int) {
            for i in 0..<n { out.append(UInt8(truncatingIfNeeded: data == 2 ? v >> UInt64(8 * (n - 1 - i)) : v >> UInt64(8 * i))) }
        }
        let phoff: UInt64 = 64, phnum = segments.count
        var dataOffset = phoff + UInt64(56 * phnum)
        var offsets: [UInt64] = []
        for s in segments { offsets.append(s.offset ?? dataOffset); dataOffset += UInt64(s.bytes.count) }
        let shstr: [UInt8] = section.map { Array("\0\($0.name)\0.shstrtab\0".utf8) } ?? []
        let shstrOffset = dataOffset
        let shoff = section == nil ? 0 : (shstrOffset + UInt64(shstr.count) + 7) / 8 * 8
        // e_ident
        out += [0x7F, 0x45, 0x4C, 0x46, elfClass, data, 1, 0]
        out += [UInt8](repeating: 0, count: 8)
        put(UInt64(type), 2); put(UInt64(machine), 2); put(1, 4); put(entry, 8); put(phoff, 8); put(shoff, 8)
        put(UInt64(flags), 4); put(64, 2); put(56, 2); put(UInt64(phnum), 2); put(64, 2)
        put(section == nil ? 0 : 3, 2); put(section == nil ? 0 : 2, 2)
        for (i, s) in segments.enumerated() {
            put(UInt64(s.type), 4); put(7, 4); put(offsets[i], 8); put(s.vaddr, 8); put(s.vaddr, 8)
            put(UInt64(s.bytes.count), 8); put(s.memsz ?? UInt64(s.bytes.count), 8); put(0x10000, 8)
        }
        for s in segments where s.offset == nil { out += s.bytes }
        if let sec = section {
            out += shstr
            while UInt64(out.count) < shoff { out.append(0) }
            out += [UInt8](repeating: 0, count: 64)                       // null section
            // the named section: name at 1, PROGBITS, alloc+write
            put(1, 4); put(1, 4); put(3, 8); put(sec.address, 8); put(offsets[0] + (sec.address - segments[0].vaddr), 8)
            put(sec.size, 8); put(0, 4); put(0, 4); put(8, 8); put(0, 8)
            // .shstrtab
            put(UInt64(sec.name.utf8.count + 2), 4); put(3, 4); put(0, 8); put(0, 8); put(shstrOffset, 8)
            put(UInt64(shstr.count), 8); put(0, 4); put(0, 4); put(1, 8); put(0, 8)
        }
        return out
    }
}

final class ELFLoaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpar-elf-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ bytes: [UInt8], _ name: String = "t.elf") throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// `li r3,0` followed by `b .`.
    let code: [UInt8] = [0x38, 0x60, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00]

    func expectFailure(_ w: ELFWriter, exit: Int32, _ phrase: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write(w.bytes())
        let memory = try GuestMemory(ramSize: 1 << 20)
        XCTAssertThrowsError(try ELFLoader.load(path: path, into: memory), file: file, line: line) { error in
            guard let e = error as? ELFLoadError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(e.exitCode, exit, file: file, line: line)
            XCTAssertTrue(e.description.contains(phrase), "'\(e.description)' lacks '\(phrase)'", file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        }
    }

    func testCodeEntryELFv1() throws {
        let w = ELFWriter(flags: 1, entry: 0x10000, segments: [.init(vaddr: 0x10000, bytes: code)])
        let memory = try GuestMemory(ramSize: 1 << 20)
        let image = try ELFLoader.load(path: try write(w.bytes()), into: memory)
        XCTAssertEqual(image.entry, 0x10000)
        XCTAssertNil(image.toc)
        XCTAssertEqual(memory.load32(0x10000), 0x3860_0000)
        XCTAssertEqual(image.lowestAddress, 0x10000)
    }

    func testELFv2EntryIsCode() throws {
        let w = ELFWriter(flags: 2, entry: 0x10004, segments: [.init(vaddr: 0x10000, bytes: code)])
        let image = try ELFLoader.load(path: try write(w.bytes()), into: try GuestMemory(ramSize: 1 << 20))
        XCTAssertEqual(image.abiVersion, 2)
        XCTAssertEqual(image.entry, 0x10004)
    }

    func testELFv1DescriptorEntry() throws {
        // Code at 0x10000, a descriptor {0x10000, TOC 0x18000, 0} at 0x10010 inside .opd.
        var bytes = code + [UInt8](repeating: 0, count: 8)
        bytes += [0, 0, 0, 0, 0, 1, 0, 0] + [0, 0, 0, 0, 0, 1, 0x80, 0] + [UInt8](repeating: 0, count: 8)
        var w = ELFWriter(flags: 1, entry: 0x10010, segments: [.init(vaddr: 0x10000, bytes: bytes)])
        w.section = (".opd", 0x10010, 24)
        let image = try ELFLoader.load(path: try write(w.bytes()), into: try GuestMemory(ramSize: 1 << 20))
        XCTAssertEqual(image.entry, 0x10000)
        XCTAssertEqual(image.toc, 0x18000)
        XCTAssertEqual(image.headerEntry, 0x10010)
    }

    func testBSSIsZeroFilled() throws {
        let memory = try GuestMemory(ramSize: 1 << 20)
        XCTAssertTrue(memory.store64(0x10008, 0xFFFF_FFFF_FFFF_FFFF))   // dirty what bss will cover
        let w = ELFWriter(segments: [.init(vaddr: 0x10000, bytes: code, memsz: 0x100)])
        _ = try ELFLoader.load(path: try write(w.bytes()), into: memory)
        XCTAssertEqual(memory.load64(0x10008), 0)
    }

    func testMissingFileAndDirectoryExit66() throws {
        let memory = try GuestMemory(ramSize: 1 << 20)
        for path in [dir.appendingPathComponent("absent.elf").path, dir.path] {
            XCTAssertThrowsError(try ELFLoader.load(path: path, into: memory)) { error in
                XCTAssertEqual((error as? ELFLoadError)?.exitCode, 66)
            }
        }
    }

    func testNotELF() throws {
        let path = try write(Array("#!/bin/sh\necho hi\n".utf8))
        XCTAssertThrowsError(try ELFLoader.load(path: path, into: try GuestMemory(ramSize: 1 << 20))) { error in
            XCTAssertEqual((error as? ELFLoadError)?.exitCode, 65)
            XCTAssertTrue("\(error)".contains("not an ELF file"))
        }
    }

    func testWrongClassEndianMachine() throws {
        let seg = [ELFWriter.Segment(vaddr: 0x10000, bytes: code)]
        try expectFailure(ELFWriter(elfClass: 1, segments: seg), exit: 65, "ELF32")
        try expectFailure(ELFWriter(data: 1, segments: seg), exit: 65, "little-endian")
        try expectFailure(ELFWriter(data: 1, segments: seg), exit: 65, "ppc64le")
        // An x86-64 program is little-endian too: named by its machine (EM_X86_64 = 62), not its byte order.
        try expectFailure(ELFWriter(data: 1, machine: 62, segments: seg), exit: 65, "x86-64 ELF, lpar runs 64-bit PowerPC")
        try expectFailure(ELFWriter(data: 1, machine: 183, segments: seg), exit: 65, "AArch64 ELF")
        try expectFailure(ELFWriter(machine: 62, segments: seg), exit: 65, "x86-64")
        try expectFailure(ELFWriter(elfClass: 1, data: 1, machine: 3, segments: seg), exit: 65, "i386 ELF")
        try expectFailure(ELFWriter(machine: 20, segments: seg), exit: 65, "PowerPC (32-bit)")
        try expectFailure(ELFWriter(type: 1, segments: seg), exit: 65, "relocatable")
    }

    func testSegmentProblems() throws {
        try expectFailure(ELFWriter(segments: [.init(type: 4, vaddr: 0x10000, bytes: code)]), exit: 65, "no PT_LOAD")
        try expectFailure(ELFWriter(segments: [.init(vaddr: 0x10000, bytes: code, offset: 1 << 20)]), exit: 65, "past the end of the file")
        try expectFailure(ELFWriter(segments: [.init(vaddr: 0x4000_0000, bytes: code)]), exit: 65, "outside guest memory")
        try expectFailure(ELFWriter(segments: [.init(vaddr: UInt64.max - 3, bytes: code)]), exit: 65, "segment 0")
        try expectFailure(ELFWriter(segments: [.init(vaddr: 0x10000, bytes: code, memsz: 0x100),
                                               .init(vaddr: 0x10080, bytes: code)]), exit: 65, "overlap")
        try expectFailure(ELFWriter(segments: [.init(vaddr: 0x10000, bytes: code, memsz: 4)]), exit: 65, "exceeds memory size")
    }

    func testTruncatedFile() throws {
        let full = ELFWriter(segments: [.init(vaddr: 0x10000, bytes: [UInt8](repeating: 0x60, count: 4096))]).bytes()
        let path = try write(Array(full.prefix(full.count - 100)))
        XCTAssertThrowsError(try ELFLoader.load(path: path, into: try GuestMemory(ramSize: 1 << 20))) { error in
            XCTAssertEqual((error as? ELFLoadError)?.exitCode, 65)
            XCTAssertTrue("\(error)".contains("past the end of the file"))
        }
    }

    func testSymbolsFromTheToolchain() throws {
        let gcc = "/usr/bin/powerpc64-linux-gnu-gcc"
        guard FileManager.default.isExecutableFile(atPath: gcc) else { throw XCTSkip("powerpc64-linux-gnu-gcc is not installed") }
        let src = dir.appendingPathComponent("p.c"), elf = dir.appendingPathComponent("p.elf")
        try "int helper(int x) { return x * 3; }\nvoid _start(void) { for (;;) helper(1); }\n".write(to: src, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gcc)
        p.arguments = ["-O1", "-nostdlib", "-static", "-ffreestanding", "-Wl,--build-id=none", "-o", elf.path, src.path]
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let image = try ELFLoader.load(path: elf.path, into: try GuestMemory(ramSize: 512 << 20))
        // ELFv1: _start's e_entry is its descriptor in .opd; the symbol names the code.
        XCTAssertEqual(image.symbols.address(of: "_start"), image.entry)
        XCTAssertNotNil(image.toc)
        let helper = try XCTUnwrap(image.symbols.address(of: "helper"))
        XCTAssertEqual(image.symbols.describe(helper + 8), "helper+0x8")
        XCTAssertFalse(image.looksLikeLinuxProgram)
    }
}
