import GuestELF

/// What the Linux personality needs to know about the loaded program (from its ELF image, or
/// written out by a test).
public struct ProgramInfo: Sendable {
    /// The host path of the ELF (readlink("/proc/self/exe")).
    public var path: String
    /// Where execution starts (an ELFv1 entry descriptor already resolved) and its TOC.
    public var entry: UInt64
    public var toc: UInt64?
    /// e_entry as written (AT_ENTRY).
    public var headerEntry: UInt64
    /// 2 for ELFv2, else ELFv1.
    public var abiVersion: Int
    public var programHeaderAddress: UInt64
    public var programHeaderEntrySize: UInt64
    public var programHeaderCount: UInt64
    /// End of the highest loaded segment (the heap starts on the next page).
    public var imageEnd: UInt64
    /// The PT_LOAD segments, for /proc/self/maps and /proc/self/stat.
    public var segments: [LoadSegment] = []

    /// One PT_LOAD: where it goes, its sizes, file offset and p_flags (PF_X 1, PF_W 2, PF_R 4).
    public struct LoadSegment: Sendable, Equatable {
        public var address, fileSize, memorySize, fileOffset: UInt64
        public var flags: UInt32
        public init(address: UInt64, fileSize: UInt64, memorySize: UInt64, fileOffset: UInt64, flags: UInt32) {
            self.address = address; self.fileSize = fileSize; self.memorySize = memorySize; self.fileOffset = fileOffset; self.flags = flags
        }
    }

    public init(path: String, entry: UInt64, toc: UInt64?, headerEntry: UInt64, abiVersion: Int,
                programHeaderAddress: UInt64, programHeaderEntrySize: UInt64, programHeaderCount: UInt64, imageEnd: UInt64) {
        self.path = path; self.entry = entry; self.toc = toc; self.headerEntry = headerEntry; self.abiVersion = abiVersion
        self.programHeaderAddress = programHeaderAddress; self.programHeaderEntrySize = programHeaderEntrySize
        self.programHeaderCount = programHeaderCount; self.imageEnd = imageEnd
    }

    public init(image: ELFImage) {
        self.init(path: image.path, entry: image.entry, toc: image.toc, headerEntry: image.headerEntry, abiVersion: image.abiVersion,
                  programHeaderAddress: image.programHeaderAddress ?? 0, programHeaderEntrySize: UInt64(image.programHeaderEntrySize),
                  programHeaderCount: UInt64(image.programHeaderCount), imageEnd: image.highestAddress)
        segments = image.segments.map {
            LoadSegment(address: $0.virtualAddress, fileSize: $0.fileSize, memorySize: $0.memorySize, fileOffset: $0.fileOffset, flags: $0.flags)
        }
    }
}
