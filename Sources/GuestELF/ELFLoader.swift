#if canImport(Glibc)
import Glibc
#endif
import CLibElf
import GuestMemory

/// Why an ELF file cannot run; `description` is one line for the user.
public enum ELFLoadError: Error, CustomStringConvertible, Equatable {
    /// Missing, unreadable, a directory: exit 66 (EX_NOINPUT).
    case cannotOpen(path: String, reason: String)
    /// Not a loadable big-endian PPC64 ELF: exit 65 (EX_DATAERR).
    case notLoadable(path: String, reason: String)

    public var exitCode: Int32 {
        switch self {
        case .cannotOpen: return 66
        case .notLoadable: return 65
        }
    }
    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "\(p): cannot open: \(r)"
        case .notLoadable(let p, let r): return "\(p): not a loadable PPC64 ELF: \(r)"
        }
    }
}

/// One PT_LOAD program header.
public struct ELFSegment: Sendable {
    public let virtualAddress, fileSize, memorySize, fileOffset: UInt64
    public let flags: UInt32
    /// p_paddr: where a machine that loads by physical address (QEMU's pseries, lpar's PAPR
    /// guests) puts the segment, before `Placement`'s shift.
    public var physicalAddress: UInt64 = 0
}

/// Where `ELFLoader.load` puts the segments.
public enum Placement: Sendable, Equatable {
    /// At p_vaddr: a Linux process's addresses are its own.
    case virtual
    /// As QEMU's pseries machine loads a `-kernel` image: at p_paddr, and a position-independent
    /// image (ET_DYN) linked at 0 — kvm-unit-tests — at `pseriesKernelBase` (QEMU's
    /// KERNEL_LOAD_ADDR), since the interrupt vectors it installs live at 0x0-0x3000. The entry
    /// point moves with the segment that holds it.
    case pseries

    public static let pseriesKernelBase: UInt64 = 0x40_0000
}

/// One section header, for disassembly and entry-point rules.
public struct ELFSection: Sendable {
    public let name: String
    public let address, size, fileOffset: UInt64
    public let isExecutable: Bool
}

/// A validated image: where it goes, where it starts, its symbols.
public struct ELFImage: Sendable {
    public let path: String
    /// Where execution starts (an ELFv1 descriptor already resolved).
    public let entry: UInt64
    /// r2 from an ELFv1 function descriptor; nil when the entry is code.
    public let toc: UInt64?
    /// e_entry as written (AT_ENTRY for Linux programs).
    public let headerEntry: UInt64
    /// e_flags & 3: 0 or 1 = ELFv1, 2 = ELFv2.
    public let abiVersion: Int
    public let type: UInt16
    public let segments: [ELFSegment]
    public let sections: [ELFSection]
    /// Guest address of the program headers (AT_PHDR), when a PT_LOAD covers them.
    public let programHeaderAddress: UInt64?
    public let programHeaderEntrySize: Int
    public let programHeaderCount: Int
    /// Extent of the loaded segments, end exclusive.
    public let lowestAddress: UInt64
    public let highestAddress: UInt64
    public let symbols: SymbolTable
    public let osABI: UInt8
    /// The file has a GNU ABI note (.note.ABI-tag), as glibc's crt1 brings.
    public let hasLinuxNote: Bool
    /// PT_INTERP: the dynamic loader a dynamically linked program names (nil for static ones).
    public var interpreterPath: String? = nil

    /// Added to every p_paddr when the image is placed for a pseries machine (`Placement.pseries`).
    public private(set) var physicalShift: UInt64 = 0

    /// Where `Placement.pseries` loads a segment.
    public func physicalAddress(of s: ELFSegment) -> UInt64 { s.physicalAddress &+ physicalShift }

    /// The image as `Placement.pseries` loads it: entry, extent, program headers and (when the
    /// segments' virtual and physical addresses agree, as for kvm-unit-tests) symbols at their
    /// load addresses.
    func placedForPseries() -> ELFImage {
        // Only a position-independent image (ET_DYN) linked at 0 moves: an ET_EXEC image whose
        // first segment merely starts at 0 (ld's default script puts the ELF headers there) was
        // linked for the addresses it names, and a vmlinux runs where p_paddr says.
        let shift = type == UInt16(ET_DYN) && segments.map(\.physicalAddress).min()! == 0 ? Placement.pseriesKernelBase : 0
        func physical(_ a: UInt64) -> UInt64 {
            for s in segments where a >= s.virtualAddress && a - s.virtualAddress < max(s.memorySize, 1) {
                return s.physicalAddress &+ (a - s.virtualAddress) &+ shift
            }
            return a &+ shift
        }
        let identity = segments.allSatisfy { $0.virtualAddress == $0.physicalAddress }
        let placedSymbols = identity && shift != 0
            ? SymbolTable(symbols: symbols.all.map { ($0.name, $0.address &+ shift, $0.size) }) : symbols
        var image = ELFImage(
            path: path, entry: physical(entry), toc: toc, headerEntry: headerEntry, abiVersion: abiVersion, type: type,
            segments: segments, sections: sections, programHeaderAddress: programHeaderAddress.map(physical),
            programHeaderEntrySize: programHeaderEntrySize, programHeaderCount: programHeaderCount,
            lowestAddress: segments.map(\.physicalAddress).min()! &+ shift,
            highestAddress: segments.map { $0.physicalAddress &+ $0.memorySize }.max()! &+ shift,
            symbols: placedSymbols, osABI: osABI, hasLinuxNote: hasLinuxNote)
        image.interpreterPath = interpreterPath
        image.physicalShift = shift
        return image
    }

    /// A program for the Linux user ABI rather than a PAPR guest.
    public var looksLikeLinuxProgram: Bool {
        hasLinuxNote || osABI == 3 || symbols.address(of: "__libc_start_main") != nil
    }
}

/// Loads PPC64 ELF images through libelf.
public enum ELFLoader {
    /// e_machine values (elf.h's EM_*) a user is likely to hand lpar by mistake.
    static let machineNames: [Int: String] = [
        2: "SPARC", 3: "i386", 8: "MIPS", 20: "PowerPC (32-bit)", 22: "s390", 40: "ARM", 43: "SPARC64", 50: "IA-64",
        62: "x86-64", 183: "AArch64", 243: "RISC-V", 258: "LoongArch",
    ]

    /// Validates and maps every PT_LOAD into `memory` (file bytes copied, the rest zeroed), at
    /// the addresses `placement` says. The image returned has its entry, extent and symbols at
    /// the addresses where they were loaded.
    public static func load(path: String, into memory: GuestMemory, placement: Placement = .virtual) throws(ELFLoadError) -> ELFImage {
        try withFile(path) { (file: ParsedFile) throws(ELFLoadError) -> ELFImage in
            let image = placement == .virtual ? file.image : file.image.placedForPseries()
            let loadAddress = { (s: ELFSegment) in placement == .virtual ? s.virtualAddress : image.physicalAddress(of: s) }
            for (i, s) in file.segments.enumerated() where !memory.isMapped(loadAddress(s), max(s.memorySize, 1)) {
                throw .notLoadable(path: path, reason: "segment \(i) at 0x\(hex(loadAddress(s))) (size 0x\(hex(s.memorySize))) lies outside guest memory (0x\(hex(memory.ramSize)) bytes of RAM; try --memory)")
            }
            for s in file.segments {
                do {
                    try memory.zero(loadAddress(s), count: s.memorySize)
                    if s.fileSize > 0 {
                        try memory.write(file.bytes[Int(s.fileOffset)..<Int(s.fileOffset + s.fileSize)], at: loadAddress(s))
                    }
                } catch {
                    throw .notLoadable(path: path, reason: "\(error)")
                }
            }
            return image
        }
    }

    /// Validates and reads headers and symbols without loading (for disassembly).
    public static func inspect(path: String) throws(ELFLoadError) -> ELFImage {
        try withFile(path) { (file: ParsedFile) throws(ELFLoadError) -> ELFImage in file.image }
    }

    /// The file's bytes for `[address, address + size)` of a loaded segment (nil if not file-backed).
    public static func bytes(path: String, address: UInt64, size: UInt64) throws(ELFLoadError) -> [UInt8]? {
        try withFile(path) { (file: ParsedFile) throws(ELFLoadError) -> [UInt8]? in file.read(address, size) }
    }

    struct ParsedFile {
        let image: ELFImage
        let bytes: [UInt8]
        let segments: [ELFSegment]
        func read(_ address: UInt64, _ size: UInt64) -> [UInt8]? { ELFLoader.read(bytes, segments, address, size) }
    }

    /// File bytes behind `[address, address + size)`, when one segment's file part holds them all.
    static func read(_ bytes: [UInt8], _ segments: [ELFSegment], _ address: UInt64, _ size: UInt64) -> [UInt8]? {
            for s in segments where address >= s.virtualAddress && size <= s.fileSize && address - s.virtualAddress <= s.fileSize - size {
                let o = Int(s.fileOffset + address - s.virtualAddress)
                return Array(bytes[o..<o + Int(size)])
            }
            return nil
    }

    static func hex(_ v: UInt64) -> String { String(v, radix: 16) }

    static func withFile<T>(_ path: String, _ body: (ParsedFile) throws(ELFLoadError) -> T) throws(ELFLoadError) -> T {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .cannotOpen(path: path, reason: "is a directory") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        // The whole file in memory: segments are copied from it, and every offset is checked
        // against its length before use.
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .cannotOpen(path: path, reason: n == 0 ? "file shrank while reading" : String(cString: strerror(errno))) }
            got += n
        }
        let parsed = try parse(path: path, fd: fd, bytes: bytes)
        return try body(parsed)
    }

    static func parse(path: String, fd: Int32, bytes: [UInt8]) throws(ELFLoadError) -> ParsedFile {
        func bad(_ reason: String) -> ELFLoadError { .notLoadable(path: path, reason: reason) }
        guard bytes.count >= 16, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw bad("not an ELF file")
        }
        // e_machine first (offset 18 in both classes, in the file's byte order), so that an
        // x86-64 program is called one rather than "little-endian".
        if bytes.count >= 20, bytes[5] == 1 || bytes[5] == 2 {
            let m = bytes[5] == 2 ? Int(bytes[18]) << 8 | Int(bytes[19]) : Int(bytes[19]) << 8 | Int(bytes[18])
            if m != 21 { throw bad("\(machineNames[m] ?? "machine \(m) (EM \(m))") ELF, lpar runs 64-bit PowerPC") }
        }
        if bytes[4] == 1 { throw bad("32-bit PowerPC ELF (ELF32), lpar runs 64-bit PowerPC") }
        guard bytes[4] == 2 else { throw bad("unknown ELF class \(bytes[4])") }
        if bytes[5] == 1 { throw bad("little-endian 64-bit PowerPC (ppc64le) ELF, lpar runs big-endian 64-bit PowerPC") }
        guard bytes[5] == 2 else { throw bad("unknown ELF data encoding \(bytes[5])") }

        elf_version(UInt32(EV_CURRENT))
        guard let elf = elf_begin(fd, ELF_C_READ, nil) else { throw bad(String(cString: elf_errmsg(-1))) }
        defer { elf_end(elf) }
        guard elf_kind(elf) == ELF_K_ELF else { throw bad("not an ELF file") }
        var eh = GElf_Ehdr()
        guard gelf_getehdr(elf, &eh) != nil else { throw bad("bad ELF header: \(String(cString: elf_errmsg(-1)))") }
        guard eh.e_type == UInt16(ET_EXEC) || eh.e_type == UInt16(ET_DYN) else {
            throw bad(eh.e_type == UInt16(ET_REL) ? "a relocatable object (.o), not an executable" : "ELF type \(eh.e_type) is not an executable")
        }

        var phnum = 0
        guard elf_getphdrnum(elf, &phnum) == 0 else { throw bad("bad program headers: \(String(cString: elf_errmsg(-1)))") }
        var segments: [ELFSegment] = []
        var phdrAddress: UInt64?
        var interpreter: String?
        for i in 0..<phnum {
            var ph = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(i), &ph) != nil else { throw bad("bad program header \(i)") }
            if ph.p_type == UInt32(PT_PHDR) { phdrAddress = ph.p_vaddr }
            if ph.p_type == UInt32(PT_INTERP), ph.p_offset <= UInt64(bytes.count), ph.p_filesz <= min(4096, UInt64(bytes.count) - ph.p_offset) {
                interpreter = String(decoding: bytes[Int(ph.p_offset)..<Int(ph.p_offset + ph.p_filesz)].prefix { $0 != 0 }, as: UTF8.self)
            }
            guard ph.p_type == UInt32(PT_LOAD) else { continue }
            let n = segments.count
            guard ph.p_filesz <= ph.p_memsz else { throw bad("segment \(n): file size 0x\(hex(ph.p_filesz)) exceeds memory size 0x\(hex(ph.p_memsz))") }
            guard ph.p_offset <= UInt64(bytes.count), ph.p_filesz <= UInt64(bytes.count) - ph.p_offset else {
                throw bad("segment \(n) extends past the end of the file (truncated?)")
            }
            guard ph.p_vaddr <= UInt64.max - ph.p_memsz else { throw bad("segment \(n) wraps around the address space") }
            guard ph.p_paddr <= UInt64.max - ph.p_memsz - Placement.pseriesKernelBase else { throw bad("segment \(n)'s physical address wraps around the address space") }
            segments.append(ELFSegment(virtualAddress: ph.p_vaddr, fileSize: ph.p_filesz, memorySize: ph.p_memsz,
                                       fileOffset: ph.p_offset, flags: ph.p_flags, physicalAddress: ph.p_paddr))
        }
        guard !segments.isEmpty else { throw bad("no PT_LOAD segment: nothing to load") }
        let sorted = segments.enumerated().sorted { $0.element.virtualAddress < $1.element.virtualAddress }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.element.virtualAddress + a.element.memorySize > b.element.virtualAddress {
            throw bad("segments \(a.offset) and \(b.offset) overlap at 0x\(hex(b.element.virtualAddress))")
        }
        if phdrAddress == nil {
            for s in segments where eh.e_phoff >= s.fileOffset && eh.e_phoff < s.fileOffset + s.fileSize {
                phdrAddress = s.virtualAddress + (eh.e_phoff - s.fileOffset)
            }
        }

        // Sections and symbols.
        var sections: [ELFSection] = []
        var rawSymbols: [(name: String, value: UInt64, size: UInt64, type: UInt8, shndx: UInt16)] = []
        var hasLinuxNote = false
        var shstrndx = 0
        if elf_getshdrstrndx(elf, &shstrndx) == 0 {
            var scn = elf_nextscn(elf, nil)
            while let s = scn {
                var sh = GElf_Shdr()
                if gelf_getshdr(s, &sh) != nil {
                    let name = elf_strptr(elf, shstrndx, Int(sh.sh_name)).map { String(cString: $0) } ?? ""
                    sections.append(ELFSection(name: name, address: sh.sh_addr, size: sh.sh_size, fileOffset: sh.sh_offset,
                                               isExecutable: sh.sh_flags & UInt64(SHF_EXECINSTR) != 0))
                    if name == ".note.ABI-tag" { hasLinuxNote = true }
                    if sh.sh_type == UInt32(SHT_SYMTAB), let data = elf_getdata(s, nil), sh.sh_entsize > 0 {
                        let count = Int(sh.sh_size / sh.sh_entsize)
                        for i in 0..<count {
                            var sym = GElf_Sym()
                            guard gelf_getsym(data, Int32(i), &sym) != nil else { continue }
                            let type = UInt8(sym.st_info & 0xF)
                            guard type == UInt8(STT_FUNC) || type == UInt8(STT_OBJECT) || type == UInt8(STT_NOTYPE) else { continue }
                            guard let cname = elf_strptr(elf, Int(sh.sh_link), Int(sym.st_name)) else { continue }
                            let name = String(cString: cname)
                            guard !name.isEmpty, !name.hasPrefix("$"), sym.st_shndx != UInt16(SHN_UNDEF) else { continue }
                            rawSymbols.append((name, sym.st_value, sym.st_size, type, sym.st_shndx))
                        }
                    }
                }
                scn = elf_nextscn(elf, s)
            }
        }

        let opd = sections.first { $0.name == ".opd" }
        func inOPD(_ a: UInt64) -> Bool { opd.map { a >= $0.address && a < $0.address + $0.size } ?? false }
        func descriptor(_ a: UInt64) -> (UInt64, UInt64)? {
            guard let b = read(bytes, segments, a, 16) else { return nil }
            let be = { (o: Int) in b[o..<o + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
            return (be(0), be(8))
        }
        let abi = Int(eh.e_flags & 3)
        var symbols: [(name: String, address: UInt64, size: UInt64)] = []
        for s in rawSymbols {
            if s.type == UInt8(STT_FUNC), abi < 2, inOPD(s.value), let (code, _) = descriptor(s.value) {
                symbols.append((s.name, code, s.size == 24 ? 0 : s.size))  // an .opd symbol's size is the descriptor's
            } else if s.type == UInt8(STT_NOTYPE) {
                // Labels such as _start: keep those inside executable sections.
                if sections.contains(where: { $0.isExecutable && s.value >= $0.address && s.value < $0.address + $0.size }) {
                    symbols.append((s.name, s.value, 0))
                }
            } else {
                symbols.append((s.name, s.value, s.size))
            }
        }

        var entry = eh.e_entry
        var toc: UInt64?
        if abi < 2, inOPD(eh.e_entry) {
            guard let (code, r2) = descriptor(eh.e_entry) else { throw bad("entry descriptor at 0x\(hex(eh.e_entry)) is not in the file") }
            entry = code
            toc = r2
        }
        let lowest = segments.map(\.virtualAddress).min()!
        let highest = segments.map { $0.virtualAddress + $0.memorySize }.max()!
        var image = ELFImage(
            path: path, entry: entry, toc: toc, headerEntry: eh.e_entry, abiVersion: abi, type: eh.e_type,
            segments: segments, sections: sections, programHeaderAddress: phdrAddress,
            programHeaderEntrySize: Int(eh.e_phentsize), programHeaderCount: phnum,
            lowestAddress: lowest, highestAddress: highest, symbols: SymbolTable(symbols: symbols),
            osABI: eh.e_ident.7, hasLinuxNote: hasLinuxNote)
        image.interpreterPath = interpreter
        return ParsedFile(image: image, bytes: bytes, segments: segments)
    }

}
