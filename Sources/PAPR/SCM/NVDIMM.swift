#if canImport(Glibc)
import Glibc
#endif

/// `--nvdimm file=nv0.img,size=1G,label-size=128K[,block-size=256M][,uuid=…][,readonly=on][,health=…][,stats=off]`.
public struct NVDIMMConfig: Sendable, Equatable {
    public var path: String
    /// Data area in bytes (excluding the label area).
    public var size: UInt64
    public var labelSize: UInt64
    /// SCM block size; QEMU's (and PowerVM's minimum) is 256 MiB.
    public var blockSize: UInt64 = 256 << 20
    public var uuid: String?
    public var readonly = false
    /// `stats=off`: the partition may not collect performance statistics (H_AUTHORITY), as a
    /// PowerVM partition without "allow performance information collection".
    public var statistics = true
    /// Health bits the NVDIMM reports (PAPR bit numbering: bit n = 1 << (63 - n)).
    public var health: UInt64 = 0

    /// Health keywords accepted by `health=` (joined with `+`), and their bits.
    public static let healthBits: [(name: String, bit: UInt64)] = [
        ("unarmed", 1 << 63), ("dirty", 1 << 62), ("clean", 1 << 61), ("empty", 1 << 60),
        ("critical", 1 << 59), ("fatal", 1 << 58), ("unhealthy", 1 << 57), ("non-critical", 1 << 56),
        ("encrypted", 1 << 55), ("scrubbed", 1 << 54),
    ]

    /// Largest data area `parse` accepts.
    public static let maxSize: UInt64 = 1 << 44

    public init(path: String, size: UInt64, labelSize: UInt64) {
        self.path = path; self.size = size; self.labelSize = labelSize
    }

    /// Parses the option's value; errors name the key that is wrong.
    public static func parse(_ text: String) throws(NVDIMMError) -> NVDIMMConfig {
        var fields: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, !kv[1].isEmpty else { throw .option("expected key=value, got '\(part)'") }
            let key = String(kv[0])
            guard ["file", "size", "label-size", "block-size", "uuid", "readonly", "health", "stats"].contains(key) else {
                throw .option("unknown key '\(key)' (file, size, label-size, block-size, uuid, readonly, health, stats)")
            }
            guard fields[key] == nil else { throw .option("'\(key)' given twice") }
            fields[key] = String(kv[1])
        }
        guard let path = fields["file"] else { throw .option("file= is required") }
        func size(_ key: String) throws(NVDIMMError) -> UInt64? {
            guard let v = fields[key] else { return nil }
            guard let n = SizeParser.parse(v), n > 0 else { throw .option("\(key)=\(v) is not a size (e.g. 1G, 128K)") }
            return n
        }
        guard let dataSize = try size("size") else { throw .option("size= is required") }
        guard let labelSize = try size("label-size") else { throw .option("label-size= is required (QEMU requires a label area too)") }
        var c = NVDIMMConfig(path: path, size: dataSize, labelSize: labelSize)
        if let bs = try size("block-size") { c.blockSize = bs }
        guard c.blockSize % (64 << 10) == 0 else { throw .option("block-size=\(c.blockSize) must be a multiple of 64K") }
        guard dataSize % c.blockSize == 0 else { throw .option("size=\(dataSize) is not a multiple of block-size=\(c.blockSize)") }
        // QEMU refuses smaller label areas (MIN_NAMESPACE_LABEL_SIZE), so such an image could
        // not be opened there.
        guard labelSize >= 128 << 10 else { throw .option("label-size=\(labelSize) is below QEMU's minimum of 128K") }
        guard labelSize <= 1 << 32 else { throw .option("label-size must be at most 4G") }
        // The device-memory region holds every NVDIMM and is at most 64 TiB (GuestMemory); a
        // cap here also keeps the region-size sums far from UInt64 overflow.
        guard dataSize <= maxSize else { throw .option("size=\(fields["size"]!) is more than the 16T an NVDIMM can have") }
        c.uuid = fields["uuid"]
        if let st = fields["stats"] {
            switch st { case "on", "yes", "true": c.statistics = true
            case "off", "no", "false": c.statistics = false
            default: throw .option("stats=\(st) must be on or off") }
        }
        if let ro = fields["readonly"] {
            switch ro { case "on", "yes", "true": c.readonly = true
            case "off", "no", "false": c.readonly = false
            default: throw .option("readonly=\(ro) must be on or off") }
        }
        if let h = fields["health"] {
            for word in h.split(separator: "+") {
                guard let bit = healthBits.first(where: { $0.name == word })?.bit else {
                    throw .option("health=\(word) is not one of \(healthBits.map(\.name).joined(separator: ", "))")
                }
                c.health |= bit
            }
        }
        return c
    }
}

public enum NVDIMMError: Error, CustomStringConvertible, Equatable {
    case option(String)
    case file(String)
    public var description: String {
        switch self {
        case .option(let s): return "--nvdimm: \(s)"
        case .file(let s): return "--nvdimm: \(s)"
        }
    }
}

/// One NVDIMM: a data area and a label (metadata) area in one backing file, laid out as QEMU's
/// memory-backend-file does for an nvdimm (data at offset 0, label right after it at `size`),
/// so an image moves between lpar and `qemu-system-ppc64 -M pseries` unchanged. lpar's own
/// state (the dirty-shutdown flag) lives beside it in `<file>.lpar`.
public final class NVDIMM {
    public let config: NVDIMMConfig
    public let drcIndex: UInt32
    /// Guest-physical address of block 0 when bound at BIND_ANY_ADDR (QEMU: the DIMM's address).
    public let homeAddress: UInt64
    public let fd: Int32
    /// The previous run ended without a successful H_SCM_FLUSH.
    public let lastShutdownDirty: Bool
    public var blockCount: UInt64 { config.size / config.blockSize }
    var sidecarPath: String { config.path + ".lpar" }
    let openedAt = NVDIMM.now()
    /// Measured counters for H_SCM_PERFORMANCE_STATS.
    var labelReads: UInt64 = 0, labelWrites: UInt64 = 0, labelReadNanos: UInt64 = 0, labelWriteNanos: UInt64 = 0
    var flushes: UInt64 = 0

    public init(config: NVDIMMConfig, slot: Int, homeAddress: UInt64, markInUse: Bool = true) throws(NVDIMMError) {
        self.config = config
        drcIndex = 0x9000_0000 | UInt32(slot)
        self.homeAddress = homeAddress
        let expected = config.size + config.labelSize
        let flags = config.readonly ? O_RDONLY : O_RDWR | O_CREAT
        let fd = open(config.path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .file("\(config.path): \(String(cString: strerror(errno)))") }
        var st = stat()
        fstat(fd, &st)
        if (st.st_mode & S_IFMT) != S_IFREG { close(fd); throw .file("\(config.path) is not a regular file") }
        if st.st_size == 0 && !config.readonly {
            // A new image: sparse, so a 1G NVDIMM costs nothing until written.
            guard ftruncate(fd, off_t(expected)) == 0 else {
                let e = errno; close(fd)
                throw .file("\(config.path): cannot size it to \(expected) bytes: \(String(cString: strerror(e)))")
            }
        } else if UInt64(st.st_size) != expected {
            close(fd)
            throw .file("\(config.path) is \(st.st_size) bytes, expected \(expected) (size + label-size)")
        }
        // The label area is mapped shared so a metadata write is one store instruction into the
        // file's page cache: a process killed at any moment has either done it or not, whereas
        // a pwrite spanning two pages can stop between them.
        let prot = config.readonly ? PROT_READ : PROT_READ | PROT_WRITE
        guard let label = mmap(nil, Int(config.labelSize), prot, MAP_SHARED, fd, off_t(config.size)), label != MAP_FAILED else {
            let e = errno; close(fd)
            throw .file("\(config.path): cannot map the label area: \(String(cString: strerror(e)))")
        }
        self.label = label
        self.fd = fd
        lastShutdownDirty = Self.readSidecarDirty(config.path + ".lpar")
        // From now until a successful flush, a crash leaves the contents not known to be persisted.
        if !config.readonly && markInUse { writeSidecar(dirty: true) }
    }

    /// The label area of the backing file, mapped shared.
    let label: UnsafeMutableRawPointer

    deinit {
        munmap(label, Int(config.labelSize))
        close(fd)
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func readSidecarDirty(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &buf, 64)
        return n > 0 && String(decoding: buf[0..<n], as: UTF8.self).contains("dirty=1")
    }

    /// Replaces the sidecar atomically (temporary file, fsync, rename): never half-written.
    func writeSidecar(dirty: Bool) {
        let tmp = sidecarPath + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let text = Array("dirty=\(dirty ? 1 : 0)\n".utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        rename(tmp, sidecarPath)
    }

    /// `len` label bytes at `offset` as a big-endian integer (range checked by the caller).
    func readLabel(offset: UInt64, length: Int) -> UInt64? {
        let start = Self.now()
        let p = label + Int(offset)
        let v: UInt64
        switch length {
        case 1: v = UInt64(p.load(as: UInt8.self))
        case 2: v = UInt64(UInt16(bigEndian: p.loadUnaligned(as: UInt16.self)))
        case 4: v = UInt64(UInt32(bigEndian: p.loadUnaligned(as: UInt32.self)))
        case 8: v = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
        default: return nil
        }
        labelReads += 1
        labelReadNanos += Self.now() - start
        return v
    }

    /// Stores `len` bytes of `value` big-endian at `offset`: a single store of that width, so the
    /// write is never half-visible in the file (range checked by the caller).
    func writeLabel(offset: UInt64, value: UInt64, length: Int) -> Bool {
        guard !config.readonly else { return false }
        let start = Self.now()
        let p = label + Int(offset)
        switch length {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value).bigEndian, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value).bigEndian, as: UInt32.self)
        case 8: p.storeBytes(of: value.bigEndian, as: UInt64.self)
        default: return false
        }
        labelWrites += 1
        labelWriteNanos += Self.now() - start
        return true
    }

    /// Makes the data and label areas durable.
    func flush() -> Bool {
        flushes += 1
        guard fdatasync(fd) == 0 else { return false }
        writeSidecar(dirty: false)
        return true
    }
}
