import GuestMemory
import PowerISA
@testable import LinuxUser

extension LinuxProcess {
    /// The process the syscall tests run: /bin/prog (ELFv2, entry 0x1000, image up to 0x4_0000)
    /// and a CPU in 64-bit problem state, as a Linux program runs.
    static func testProcess(memory: GuestMemory) -> (LinuxProcess, CPU) {
        let process = LinuxProcess(memory: memory, program: ProgramInfo(path: "/bin/prog", entry: 0x1000, toc: nil, headerEntry: 0x1000,
                                                                        abiVersion: 2, programHeaderAddress: 0, programHeaderEntrySize: 56,
                                                                        programHeaderCount: 0, imageEnd: 0x4_0000), root: nil)
        let cpu = CPU()
        cpu.msr = MSR.sf | MSR.pr
        return (process, cpu)
    }
}
