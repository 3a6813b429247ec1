#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// Reads fuzz input bytes in order; past the end it yields zeros, so every input is usable.
public struct FuzzInput {
    let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0
    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    }
    public var remaining: Int { bytes.count - offset }
    public mutating func u8() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }
    public mutating func u16() -> UInt16 { UInt16(u8()) << 8 | UInt16(u8()) }
    public mutating func u32() -> UInt32 { UInt32(u16()) << 16 | UInt32(u16()) }
    public mutating func u64() -> UInt64 { UInt64(u32()) << 32 | UInt64(u32()) }

    /// A 64-bit value shaped so that a useful share lands inside or at the edges of guest memory
    /// (random 64-bit values almost never do): one mode byte, then 8 value bytes.
    public mutating func address(in memory: GuestMemory) -> UInt64 {
        let mode = u8(), v = u64()
        switch mode >> 5 {
        case 0, 1: return v % memory.ramSize                               // inside RAM
        case 2, 3:
            // Within ±16 bytes of an edge: RAM end, device region start and end, each window's
            // start and end, 2^64. Where a missed size check would show.
            var edges: [UInt64] = [memory.ramSize, memory.deviceBase, memory.arenaSize, 0]
            for w in memory.windows { edges += [w.start, w.end] }
            return edges[Int(mode & 0x1F) % edges.count] &+ (v & 0x1F) &- 0x10
        case 4: return memory.deviceBase &+ (v % max(memory.deviceSize, 1)) // device region
        case 5: return v & 0xFFFF                                          // small numbers: counts, indexes
        case 6: return UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))  // small signed (-1…)
        default: return v                                                  // anything
        }
    }
}

/// Host memory around a guest arena made inaccessible, so a host access just outside the
/// arena (an unchecked guest address) is a SIGSEGV that libFuzzer reports, not a silent write.
/// GuestMemory's own reservation already faults between the RAM end and the arena end.
public enum ArenaGuards {
    public static let size = 1 << 30

    /// A GuestMemory with PROT_NONE guards of `size` bytes on both sides. GuestMemory picks its
    /// own address, so: reserve guard + arena + guard, free the middle, and let GuestMemory's
    /// mmap take that hole (Linux places mappings top-down in the highest hole that fits).
    /// `guarded` is false when it landed elsewhere.
    public static func memory(ramSize: UInt64, deviceSize: UInt64 = 0) -> (memory: GuestMemory, guarded: Bool) {
        let arena = Int((ramSize + GuestMemory.deviceAlignment - 1) / GuestMemory.deviceAlignment * GuestMemory.deviceAlignment + deviceSize)
        let total = 2 * size + arena
        guard let r = mmap(nil, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0), r != MAP_FAILED else {
            fatalError("cannot reserve guard pages")
        }
        munmap(r + size, arena)
        let m = try! GuestMemory(ramSize: ramSize, deviceSize: deviceSize)
        if m.base == r + size { return (m, true) }
        munmap(r, size)
        munmap(r + size + arena, size)
        return (m, false)
    }

    /// Releases the guards of a memory from `memory(ramSize:deviceSize:)` (before it goes away).
    public static func remove(around memory: GuestMemory) {
        munmap(memory.base - size, size)
        munmap(memory.base + Int(memory.arenaSize), size)
    }
}

@_exported import CFuzzDriver

/// Runs libFuzzer with this process's arguments and `callback` as the target.
public func runLibFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
