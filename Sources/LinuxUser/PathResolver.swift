#if canImport(Glibc)
import Glibc
#endif

/// Maps guest paths to host paths.
///
/// Without a root, a guest path is the host path (relative ones relative to lpar's current
/// directory), as under qemu-ppc64. With `--root DIR`, the guest's `/` is DIR, and lpar walks
/// every path itself, component by component, the way the kernel does inside a chroot:
///  - absolute paths start at DIR, relative ones at the guest's current directory (initially `/`);
///  - a symbolic link met on the way is read and followed *inside* DIR (an absolute target
///    starts again at DIR), at most 40 of them (ELOOP), and the last component's link only
///    when the call follows links (stat does, lstat and unlink do not);
///  - `..` is the parent of the directory reached so far; a `..` that would leave DIR is refused
///    with EACCES rather than clamped, so a program that tries to escape learns that it cannot.
/// The host path handed to the host call then contains no symbolic link lpar has not checked
/// (a link created by someone else between the walk and the call is the remaining race).
public struct PathResolver: Sendable {
    public let root: String?
    /// The guest's current directory (only used with a root), always absolute and normalised.
    public private(set) var cwd = "/"

    public init(root: String?) {
        if let root {
            var r = root
            while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
            self.root = r
        } else {
            self.root = nil
        }
    }

    /// The guest-absolute, link-free form of `path` (root mode), starting relative paths at
    /// `base` (a guest-absolute directory; the cwd by default).
    public func resolve(_ path: String, follow: Bool = true, base: String? = nil) throws(Errno) -> String {
        guard let root else { return path }
        guard !path.isEmpty else { throw Errno.ENOENT }
        var resolved: [String] = path.hasPrefix("/") ? [] : (base ?? cwd).split(separator: "/").map(String.init)
        var pending: [String] = path.split(separator: "/").map(String.init)
        let trailingSlash = path.hasSuffix("/")
        var links = 0
        while !pending.isEmpty {
            let c = pending.removeFirst()
            if c == "." { continue }
            if c == ".." {
                guard !resolved.isEmpty else { throw Errno.EACCES }
                resolved.removeLast()
                continue
            }
            let candidate = resolved + [c]
            if !pending.isEmpty || follow || trailingSlash, let target = Self.linkTarget(root + "/" + candidate.joined(separator: "/")) {
                links += 1
                guard links <= 40 else { throw Errno.ELOOP }
                if target.hasPrefix("/") { resolved = [] }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            resolved = candidate
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// The host path for a guest path, or EACCES for one that escapes the root.
    public func hostPath(_ path: String, follow: Bool = true, base: String? = nil) throws(Errno) -> String {
        guard let root else { return path }
        let abs = try resolve(path, follow: follow, base: base)
        return abs == "/" ? root : root + abs
    }

    /// The guest path of a host path inside the root (nil when it is outside).
    public func guestPath(ofHost host: String) -> String? {
        guard let root else { return host }
        if host == root { return "/" }
        guard host.hasPrefix(root + "/") else { return nil }
        return String(host.dropFirst(root.count))
    }

    public mutating func setCwd(_ guestPath: String) { cwd = guestPath }

    /// The target of a symbolic link, or nil when `hostPath` is not one.
    static func linkTarget(_ hostPath: String) -> String? {
        var buf = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let n = buf.withUnsafeMutableBytes { readlink(hostPath, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int(PATH_MAX)) }
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n], as: UTF8.self)
    }
}
