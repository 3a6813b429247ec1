#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// brk and the mmap family over `AddressSpace`. Protections are recorded nowhere: guest memory
/// is always readable and writable (mprotect succeeds without effect).
extension LinuxProcess {
    static let memorySyscalls: [SyscallSpec] = [
        SyscallSpec(45, "brk", [.hex]) { p, a in
            let (brk, grown) = p.addressSpace.setBreak(a[0])
            if let grown { p.zero(grown.lowerBound, grown.upperBound - grown.lowerBound) }
            return Int64(bitPattern: brk)
        },
        SyscallSpec(90, "mmap", [.hex, .int, .prot, .mapFlags, .int, .flags]) { p, a in try p.mmap(a) },
        SyscallSpec(91, "munmap", [.hex, .int]) { p, a in
            guard a[0] % AddressSpace.pageSize == 0, a[1] > 0 else { throw Errno.EINVAL }
            let end = a[0] &+ AddressSpace.roundUp(a[1])
            guard end > a[0] else { throw Errno.EINVAL }
            p.addressSpace.remove(a[0], end)
            return 0
        },
        SyscallSpec(125, "mprotect", [.hex, .int, .prot]) { p, a in
            guard a[0] % AddressSpace.pageSize == 0 else { throw Errno.EINVAL }
            // Recorded for /proc/self/maps only: the protection is not enforced.
            p.addressSpace.recordProtection(a[0], a[0] &+ AddressSpace.roundUp(a[1]), UInt8(a[2] & 7))
            return 0
        },
        SyscallSpec(163, "mremap", [.hex, .int, .int, .flags, .hex]) { p, a in try p.mremap(a) },
        SyscallSpec(205, "madvise", [.hex, .int, .int]) { _, _ in 0 },
        SyscallSpec(144, "msync", [.hex, .int, .flags]) { _, _ in 0 },
    ]

    /// Zeroes guest memory that becomes newly valid. Large ranges are given back to the host
    /// (MADV_DONTNEED on private anonymous memory reads back as zeros) instead of being written.
    func zero(_ address: UInt64, _ count: UInt64) {
        guard count > 0, let ptr = memory.pointer(address, count) else { return }
        let hostPage = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        if count >= 1 << 20, address % hostPage == 0, count % hostPage == 0 {
            if madvise(ptr, Int(count), MADV_DONTNEED) != 0 { memset(ptr, 0, Int(count)) }
        } else {
            memset(ptr, 0, Int(count))
        }
        memory.noteWrite(address, count)
    }

    func mmap(_ a: SyscallArgs) throws(Errno) -> Int64 {
        let (addr, length, flags, fd, offset) = (a[0], a[1], a[3], a.int(4), a[5])
        // ppc64 MAP_ values: SHARED 1, PRIVATE 2, FIXED 0x10, ANONYMOUS 0x20 (as generic);
        // MAP_FIXED_NOREPLACE 0x100000.
        let fixed = flags & 0x10 != 0 || flags & 0x100000 != 0
        let anonymous = flags & 0x20 != 0
        guard length > 0, flags & 3 != 0, offset % AddressSpace.pageSize == 0 else { throw Errno.EINVAL }
        let size = AddressSpace.roundUp(length)
        guard size >= length else { throw Errno.ENOMEM }
        let start: UInt64
        if fixed {
            guard addr % AddressSpace.pageSize == 0, memory.isMapped(addr, size), addr >= addressSpace.brk else { throw Errno.ENOMEM }
            if flags & 0x100000 != 0, addressSpace.regions.contains(where: { $0.start < addr + size && addr < $0.end }) { throw Errno.EEXIST }
            addressSpace.allocateFixed(addr, size)
            start = addr
        } else {
            guard let s = addressSpace.allocate(size) else { throw Errno.ENOMEM }
            start = s
        }
        zero(start, size)
        addressSpace.recordProtection(start, start + size, UInt8(a[2] & 7))
        if !anonymous {
            // File mappings are private copies of the file's bytes (a MAP_SHARED write does not
            // reach the file).
            let h: Int32
            do { h = try host(fd) } catch { addressSpace.remove(start, start + size); throw error }
            var done: UInt64 = 0
            while done < length {
                let n = pread(h, memory.base + Int(start + done), Int(length - done), off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                if n < 0 { let e = Errno.host; addressSpace.remove(start, start + size); throw e }
                if n == 0 { break }
                done += UInt64(n)
            }
            memory.noteWrite(start, done)
        }
        return Int64(bitPattern: start)
    }

    func mremap(_ a: SyscallArgs) throws(Errno) -> Int64 {
        // Sizes and addresses beyond any guest RAM (1 TiB) cannot be mapped: refuse them before
        // any arithmetic on them.
        guard a[0] < 1 << 46, a[1] < 1 << 40, a[2] < 1 << 40 else { throw Errno.EINVAL }
        let (old, oldSize, newSize, flags) = (a[0], AddressSpace.roundUp(a[1]), AddressSpace.roundUp(a[2]), a[3])
        guard old % AddressSpace.pageSize == 0, newSize > 0, flags & ~3 == 0 else { throw Errno.EINVAL }
        guard addressSpace.isMapped(old, oldSize) else { throw Errno.EFAULT }
        if newSize <= oldSize {
            addressSpace.remove(old + newSize, old + oldSize)
            return Int64(bitPattern: old)
        }
        // Grow in place when the pages above are free and below the mmap ceiling.
        let extra = old + oldSize
        if extra + (newSize - oldSize) <= addressSpace.mmapTop,
           !addressSpace.regions.contains(where: { $0.start < old + newSize && extra < $0.end }) {
            addressSpace.allocateFixed(extra, newSize - oldSize)
            zero(extra, newSize - oldSize)
            return Int64(bitPattern: old)
        }
        guard flags & 1 != 0 else { throw Errno.ENOMEM }  // MREMAP_MAYMOVE
        guard let new = addressSpace.allocate(newSize) else { throw Errno.ENOMEM }
        memmove(memory.base + Int(new), memory.base + Int(old), Int(oldSize))
        zero(new + oldSize, newSize - oldSize)
        memory.noteWrite(new, newSize)
        addressSpace.remove(old, old + oldSize)
        return Int64(bitPattern: new)
    }
}
