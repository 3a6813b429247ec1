#if canImport(Glibc)
import Glibc
#endif
import GuestMemory

/// brk and the mmap family over `AddressSpace`: each change of the mappings is made there,
/// then `sync` gives the changed pages their permissions in guest memory (which the engine
/// and the checked accesses of system calls enforce).
extension LinuxProcess {
    static let memorySyscalls: [SyscallSpec] = [
        SyscallSpec(45, "brk", [.hex]) { p, a in
            let old = p.addressSpace.brk
            let (brk, grown) = p.addressSpace.setBreak(a[0])
            p.sync(min(old, brk), max(old, brk))
            if let grown { p.zero(grown.lowerBound, grown.upperBound - grown.lowerBound) }
            return Int64(bitPattern: brk)
        },
        SyscallSpec(90, "mmap", [.hex, .int, .prot, .mapFlags, .int, .flags]) { p, a in try p.mmap(a) },
        SyscallSpec(91, "munmap", [.hex, .int]) { p, a in
            guard a[0] % AddressSpace.pageSize == 0, a[1] > 0 else { throw Errno.EINVAL }
            let end = a[0] &+ AddressSpace.roundUp(a[1])
            guard end > a[0] else { throw Errno.EINVAL }
            p.addressSpace.remove(a[0], end)
            p.sync(a[0], end)
            return 0
        },
        SyscallSpec(125, "mprotect", [.hex, .int, .prot]) { p, a in
            // PROT_GROWSDOWN/GROWSUP (0x0100_0000, 0x0200_0000) are accepted and mean nothing
            // here: the stack is mapped whole from the start.
            guard a[0] % AddressSpace.pageSize == 0, a[2] & ~UInt64(0x0300_0007) == 0 else { throw Errno.EINVAL }
            let end = a[0] &+ AddressSpace.roundUp(a[1])
            guard end >= a[0] else { throw Errno.ENOMEM }
            guard p.addressSpace.protect(a[0], end, prot: UInt8(a[2] & 7)) else { throw Errno.ENOMEM }
            p.sync(a[0], end)
            return 0
        },
        SyscallSpec(163, "mremap", [.hex, .int, .int, .flags, .hex]) { p, a in try p.mremap(a) },
        SyscallSpec(205, "madvise", [.hex, .int, .int]) { _, _ in 0 },
        SyscallSpec(144, "msync", [.hex, .int, .flags]) { _, _ in 0 },
    ]

    /// Zeroes guest memory that becomes newly valid (lpar's own write: the pages may be
    /// read-only or PROT_NONE to the guest). Large ranges are given back to the host
    /// (MADV_DONTNEED on private anonymous memory reads back as zeros) instead of being written.
    func zero(_ address: UInt64, _ count: UInt64) {
        guard count > 0, let ptr = memory.rawPointer(address, count) else { return }
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
        let prot = UInt8(a[2] & 7)
        // ppc64 MAP_ values: SHARED 1, PRIVATE 2, FIXED 0x10, ANONYMOUS 0x20 (as generic);
        // MAP_FIXED_NOREPLACE 0x100000.
        let fixed = flags & 0x10 != 0 || flags & 0x100000 != 0
        let anonymous = flags & 0x20 != 0
        guard length > 0, flags & 3 != 0, offset % AddressSpace.pageSize == 0 else { throw Errno.EINVAL }
        let size = AddressSpace.roundUp(length)
        guard size >= length else { throw Errno.ENOMEM }
        // A file mapping's descriptor is checked before anything is mapped.
        let h: Int32? = anonymous ? nil : try host(fd)
        let start: UInt64
        if fixed {
            guard addr % AddressSpace.pageSize == 0 else { throw Errno.EINVAL }
            guard addr >= memory.nullGuard, memory.rawPointer(addr, size) != nil else { throw Errno.ENOMEM }
            if flags & 0x100000 != 0, !addressSpace.isFree(addr, addr + size) { throw Errno.EEXIST }
            guard addressSpace.allocateFixed(addr, size, prot: prot) else { throw Errno.ENOMEM }
            start = addr
        } else {
            guard let s = addressSpace.allocate(size, prot: prot) else { throw Errno.ENOMEM }
            start = s
        }
        sync(start, start + size)
        zero(start, size)
        if let h {
            // File mappings are private copies of the file's bytes (a MAP_SHARED write does not
            // reach the file), filled by lpar whatever the guest may do with the pages.
            guard let base = memory.rawPointer(start, size) else { throw Errno.ENOMEM }
            var done: UInt64 = 0
            while done < length {
                let n = pread(h, base + Int(done), Int(length - done), off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                if n < 0 { let e = Errno.host; addressSpace.remove(start, start + size); sync(start, start + size); throw e }
                if n == 0 { break }
                done += UInt64(n)
            }
            memory.noteWrite(start, done)
        }
        return Int64(bitPattern: start)
    }

    /// mremap(2): shrinks in place, grows in place when the pages above are free, else (with
    /// MREMAP_MAYMOVE) moves the contents to a new region; the pages keep their protection.
    func mremap(_ a: SyscallArgs) throws(Errno) -> Int64 {
        // Sizes and addresses beyond any guest RAM (1 TiB) cannot be mapped: refuse them before
        // any arithmetic on them.
        guard a[0] < 1 << 46, a[1] < 1 << 40, a[2] < 1 << 40 else { throw Errno.EINVAL }
        let (old, oldSize, newSize, flags) = (a[0], AddressSpace.roundUp(a[1]), AddressSpace.roundUp(a[2]), a[3])
        guard old % AddressSpace.pageSize == 0, newSize > 0, flags & ~3 == 0 else { throw Errno.EINVAL }
        guard addressSpace.isMapped(old, oldSize), let area = addressSpace.area(containing: old) else { throw Errno.EFAULT }
        if newSize <= oldSize {
            addressSpace.remove(old + newSize, old + oldSize)
            sync(old + newSize, old + oldSize)
            return Int64(bitPattern: old)
        }
        // Grow in place when the pages above are free and below the mmap ceiling.
        let extra = old + oldSize
        if extra + (newSize - oldSize) <= addressSpace.mmapTop, addressSpace.isFree(extra, old + newSize) {
            guard addressSpace.allocateFixed(extra, newSize - oldSize, prot: area.prot) else { throw Errno.ENOMEM }
            sync(extra, old + newSize)
            zero(extra, newSize - oldSize)
            return Int64(bitPattern: old)
        }
        guard flags & 1 != 0 else { throw Errno.ENOMEM }  // MREMAP_MAYMOVE
        guard let new = addressSpace.allocate(newSize, prot: area.prot) else { throw Errno.ENOMEM }
        memmove(memory.base + Int(new), memory.base + Int(old), Int(oldSize))
        zero(new + oldSize, newSize - oldSize)
        memory.noteWrite(new, newSize)
        addressSpace.remove(old, old + oldSize)
        sync(new, new + newSize)
        sync(old, old + oldSize)
        return Int64(bitPattern: new)
    }
}
