import Foundation

/// A minimal big-endian ELF64 PowerPC executable in a temporary file: one PT_LOAD (r-x) at
/// 0x10000 holding `words`, entered there (ELFv2, so the entry is code), and with `bss` a
/// second, read-write one of that many zero bytes at that address (a Linux program's memory
/// is protected: data needs a mapping). Returns its path.
func writeMinimalELF(_ words: [UInt32], tag: String, bss: (address: UInt64, size: UInt64)? = nil) -> String {
    var out = [UInt8]()
    func put(_ v: UInt64, _ n: Int) { for i in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * (n - 1 - i)))) } }
    let code = words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> UInt32(24 - 8 * $0)) } }
    out += [0x7F, 0x45, 0x4C, 0x46, 2, 2, 1, 0] + [UInt8](repeating: 0, count: 8)
    put(2, 2); put(21, 2); put(1, 4); put(0x10000, 8); put(64, 8); put(0, 8)   // EXEC, PPC64, entry, phoff, shoff
    let headers: UInt64 = bss == nil ? 1 : 2, codeOffset = 64 + 56 * headers
    put(2, 4); put(64, 2); put(56, 2); put(headers, 2); put(64, 2); put(0, 2); put(0, 2)   // ELFv2 flags
    put(1, 4); put(5, 4); put(codeOffset, 8); put(0x10000, 8); put(0x10000, 8)        // PT_LOAD r-x
    put(UInt64(code.count), 8); put(UInt64(code.count), 8); put(0x10000, 8)
    if let bss {
        put(1, 4); put(6, 4); put(codeOffset, 8); put(bss.address, 8); put(bss.address, 8)  // PT_LOAD rw-, no file bytes
        put(0, 8); put(bss.size, 8); put(0x10000, 8)
    }
    out += code
    let path = NSTemporaryDirectory() + "lpar-\(tag)-\(getpid()).elf"
    _ = FileManager.default.createFile(atPath: path, contents: Data(out))
    return path
}
