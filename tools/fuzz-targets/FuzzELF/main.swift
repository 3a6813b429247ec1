#if canImport(Glibc)
import Glibc
#endif
import GuestELF
import GuestMemory
import FuzzSupport

// Fuzzes ELFLoader.load (libelf parsing, our header checks, segment copying) into a small guest
// memory. Any thrown ELFLoadError is fine; a trap, an ASan report or a write outside the guest
// memory is a bug. Seeds: testprogs/build/*.elf.

/// The loader takes a path: each input is written to one temp file, rewritten per input.
nonisolated(unsafe) var inputPath = ""
nonisolated(unsafe) var inputFD: Int32 = -1
nonisolated(unsafe) var memory: GuestMemory!

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    var template = Array("/tmp/lpar-fuzz-elf-XXXXXX".utf8CString)
    inputFD = mkstemp(&template)
    unlink(template)  // reached through /proc/self/fd: nothing is left behind
    inputPath = "/proc/self/fd/\(inputFD)"
    // 4 MiB: the test programs link at 0x10000 and fit; larger segments are refused as
    // "outside guest memory", which is a path worth fuzzing too.
    memory = try! GuestMemory(ramSize: 4 << 20)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard ftruncate(inputFD, 0) == 0, size == 0 || pwrite(inputFD, data, size, 0) == size else { abort() }
    do {
        let image = try ELFLoader.load(path: inputPath, into: memory)
        // What lpar does next with an image: name the entry and read code for disassembly.
        _ = image.symbols.describe(image.entry)
        _ = try ELFLoader.bytes(path: inputPath, address: image.entry, size: 64)
        for s in image.sections where s.isExecutable && s.size > 0 && s.size < 1 << 20 {
            _ = try ELFLoader.bytes(path: inputPath, address: s.address, size: s.size)
        }
        // The loader must keep the image inside RAM.
        for s in image.segments where !memory.isMapped(s.virtualAddress, max(s.memorySize, 1)) {
            fatalError("segment at 0x\(String(s.virtualAddress, radix: 16)) accepted outside guest memory")
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// The entry point SwiftPM links as `main` (it renames an executable's main to <Target>_main).
@_cdecl("FuzzELF_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv) { data, size in testOneInput(data, size) }
}
