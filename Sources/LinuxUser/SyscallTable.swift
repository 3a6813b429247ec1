/// Every system call lpar implements for Linux programs, by ppc64 number
/// (arch/powerpc/kernel/syscalls/syscall.tbl). A number not here returns ENOSYS.
public enum SyscallTable {
    public static let all: [SyscallSpec] =
        (LinuxProcess.fileSyscalls + LinuxProcess.fileMetadataSyscalls + LinuxProcess.descriptorSyscalls + LinuxProcess.memorySyscalls
         + LinuxProcess.processSyscalls + LinuxProcess.processControlSyscalls
         + LinuxProcess.threadSyscalls).sorted { $0.number < $1.number }

    static let byNumber: [UInt64: SyscallSpec] = Dictionary(all.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })

    public static func spec(number: UInt64) -> SyscallSpec? { byNumber[number] }
    public static func spec(named name: String) -> SyscallSpec? { all.first { $0.name == name } }
}
