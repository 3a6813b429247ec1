#if canImport(Glibc)
import Glibc
#endif
import XCTest
import GuestMemory
import PowerISA
@testable import LinuxUser

/// --root confinement: the guest's / is the root directory and `..` cannot climb above it.
final class PathResolverTests: XCTestCase {
    func testNoRootPassesPathsThrough() throws {
        let r = PathResolver(root: nil)
        XCTAssertEqual(try r.hostPath("../x"), "../x")
        XCTAssertEqual(try r.hostPath("/etc/passwd"), "/etc/passwd")
    }

    func testRootMapsAndNormalises() throws {
        let r = PathResolver(root: "/srv/guest/")
        XCTAssertEqual(try r.hostPath("/etc/passwd"), "/srv/guest/etc/passwd")
        XCTAssertEqual(try r.hostPath("a/./b/../c"), "/srv/guest/a/c", "relative to the guest's cwd, /")
        XCTAssertEqual(try r.hostPath("/"), "/srv/guest")
        XCTAssertEqual(try r.hostPath("/a/.."), "/srv/guest")
        XCTAssertEqual(try r.hostPath("//a//b/"), "/srv/guest/a/b")
    }

    func testEscapesAreRefused() {
        let r = PathResolver(root: "/srv/guest")
        for p in ["..", "/..", "../etc/passwd", "a/../../x", "/a/b/../../../x"] {
            XCTAssertThrowsError(try r.hostPath(p), p) { XCTAssertEqual($0 as? Errno, .EACCES, p) }
        }
        XCTAssertThrowsError(try r.hostPath("../../y", base: "/x")) { XCTAssertEqual($0 as? Errno, .EACCES) }
        XCTAssertEqual(try r.hostPath("../y", base: "/x"), "/srv/guest/y")
    }

    /// Links are followed inside the root, as in a chroot: an absolute target starts again at
    /// the root; a relative one cannot climb out of it.
    func testSymbolicLinksStayInside() throws {
        let dir = NSTemporaryDirectory() + "lpar-links-\(getpid())"
        mkdir(dir, 0o755); mkdir(dir + "/etc", 0o755)
        symlink("/etc", dir + "/abs")                 // -> <root>/etc, not the host's /etc
        symlink("../../../../..", dir + "/up")        // climbs out: refused
        symlink("etc", dir + "/rel")
        symlink("loop", dir + "/loop")
        defer { for f in ["abs", "up", "rel", "loop", "etc"] { unlink(dir + "/" + f); rmdir(dir + "/" + f) }; rmdir(dir) }
        let r = PathResolver(root: dir)
        XCTAssertEqual(try r.hostPath("/abs/passwd"), dir + "/etc/passwd")
        XCTAssertEqual(try r.hostPath("/rel/x"), dir + "/etc/x")
        XCTAssertEqual(try r.hostPath("/abs", follow: false), dir + "/abs", "lstat, unlink, readlink see the link itself")
        XCTAssertEqual(try r.hostPath("/abs"), dir + "/etc")
        XCTAssertThrowsError(try r.hostPath("/up/etc/passwd")) { XCTAssertEqual($0 as? Errno, .EACCES) }
        XCTAssertThrowsError(try r.hostPath("/loop")) { XCTAssertEqual($0 as? Errno, .ELOOP) }
    }

    func testOpenThroughSyscallsIsConfined() throws {
        let dir = NSTemporaryDirectory() + "lpar-root-\(getpid())"
        mkdir(dir, 0o755)
        FileManager.default.createFile(atPath: dir + "/inside", contents: Data("in".utf8))
        defer { unlink(dir + "/inside"); rmdir(dir) }
        let memory = try GuestMemory(ramSize: 16 << 20)
        let p = LinuxProcess(memory: memory, program: ProgramInfo(path: "/p", entry: 0, toc: nil, headerEntry: 0, abiVersion: 2,
                                                                 programHeaderAddress: 0, programHeaderEntrySize: 56, programHeaderCount: 0,
                                                                 imageEnd: 0x1_0000), root: dir)
        let cpu = CPU()
        func open(_ path: String) -> (UInt64, Bool) {
            try! memory.write(Array(path.utf8) + [0], at: 0x8000)
            cpu.gpr[0] = 5; cpu.gpr[3] = 0x8000; cpu.gpr[4] = 0; cpu.gpr[5] = 0
            p.systemCall(cpu: cpu)
            return (cpu.gpr[3], cpu.cr & 0x1000_0000 != 0)
        }
        XCTAssertEqual(open("/inside").1, false, "the root's file is the guest's /inside")
        XCTAssertEqual(open("inside").1, false)
        let escaped = open("/../" + (dir as NSString).lastPathComponent + "/inside")
        XCTAssertEqual(escaped.0, 13, "EACCES"); XCTAssertTrue(escaped.1)
        XCTAssertEqual(open("/etc/passwd").0, 2, "ENOENT: the host's /etc is not visible")
    }
}
