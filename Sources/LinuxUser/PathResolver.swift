/// Maps guest paths to host paths.
///
/// Without a root, a guest path is the host path (relative ones relative to lpar's current
/// directory), as under qemu-ppc64. With `--root DIR`, the guest's `/` is DIR: absolute paths
/// are taken below DIR, relative ones below the guest's current directory (initially `/`), and
/// `.`/`..` are resolved textually; a `..` that would leave DIR is refused with EACCES rather
/// than clamped, so a program that tries to escape learns that it cannot. Symbolic links inside
/// DIR are followed by the host and are not confined (documented limitation).
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

    /// The normalised guest-absolute form of `path` (root mode), or nil when it escapes.
    public func guestAbsolute(_ path: String) -> String? {
        var parts: [Substring] = path.hasPrefix("/") ? [] : cwd.split(separator: "/")
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
                continue
            }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The host path for a guest path, or EACCES for one that escapes the root.
    public func hostPath(_ path: String) throws(Errno) -> String {
        guard let root else { return path }
        guard !path.isEmpty else { throw Errno.ENOENT }
        guard let abs = guestAbsolute(path) else { throw Errno.EACCES }
        return abs == "/" ? root : root + abs
    }

    /// A path relative to a directory fd other than AT_FDCWD: with a root it must not climb.
    public func relativeBelowFD(_ path: String) throws(Errno) -> String {
        guard root != nil else { return path }
        guard !path.hasPrefix("/") else { return try hostPath(path) }
        var depth = 0
        for c in path.split(separator: "/") {
            if c == ".." { depth -= 1; if depth < 0 { throw Errno.EACCES } } else if c != "." { depth += 1 }
        }
        return path
    }

    public mutating func setCwd(_ guestPath: String) { cwd = guestPath }
}
