// Byte streams to gdb: any file descriptor (a socketpair in tests, an accepted TCP connection in
// lpar), and a listener on 127.0.0.1 for `target remote HOST:PORT`. Plain sockets, nothing more.

import Glibc

public enum GDBTransportError: Error, Equatable, CustomStringConvertible {
    /// gdb closed the connection.
    case closed
    /// A system call failed: which one, and errno.
    case system(String, Int32)
    case badAddress(String)

    public var description: String {
        switch self {
        case .closed: return "gdb closed the connection"
        case let .system(call, e): return "\(call): \(String(cString: strerror(e)))"
        case let .badAddress(a): return "not an IPv4 address: \(a)"
        }
    }
}

public protocol GDBByteTransport: AnyObject {
    /// Blocks until at least one byte arrives; throws `.closed` at the end of the stream.
    func receive() throws -> [UInt8]
    /// The bytes already waiting, possibly none; never blocks. Throws `.closed` at the end.
    func receiveAvailable() throws -> [UInt8]
    func send(_ bytes: [UInt8]) throws
}

/// A connected stream socket (or pipe) that this object owns and closes.
public final class GDBFileDescriptorTransport: GDBByteTransport {
    public private(set) var fd: Int32
    var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    public init(adopting fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    public func close() {
        if fd >= 0 {
            _ = systemClose(fd)
            fd = -1
        }
    }

    func readSome() throws -> [UInt8] {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 { throw GDBTransportError.closed }
            if errno == EINTR { continue }
            if errno == ECONNRESET { throw GDBTransportError.closed }
            throw GDBTransportError.system("read", errno)
        }
    }

    public func receive() throws -> [UInt8] {
        guard fd >= 0 else { throw GDBTransportError.closed }
        return try readSome()
    }

    public func receiveAvailable() throws -> [UInt8] {
        guard fd >= 0 else { throw GDBTransportError.closed }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, 0)
        if ready < 0 {
            if errno == EINTR { return [] }
            throw GDBTransportError.system("poll", errno)
        }
        if ready == 0 { return [] }
        return try readSome()  // readable or hung up: read tells which
    }

    public func send(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw GDBTransportError.closed }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                let base = raw.baseAddress! + offset
                // MSG_NOSIGNAL: a vanished gdb is an error here, not a SIGPIPE that kills lpar.
                let sent = Glibc.send(fd, base, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == ENOTSOCK { return write(fd, base, raw.count - offset) }
                return sent
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw GDBTransportError.closed }
                throw GDBTransportError.system("send", errno)
            }
            offset += n
        }
    }

    /// Two connected transports (AF_UNIX socketpair): one end for the stub, one for a client.
    public static func pair() throws -> (GDBFileDescriptorTransport, GDBFileDescriptorTransport) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw GDBTransportError.system("socketpair", errno)
        }
        return (GDBFileDescriptorTransport(adopting: fds[0]), GDBFileDescriptorTransport(adopting: fds[1]))
    }
}

private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// A TCP listening socket for gdb's `target remote HOST:PORT`.
public final class GDBTCPListener {
    public private(set) var fd: Int32
    /// The port actually bound (useful after asking for port 0: any free port).
    public let port: UInt16

    public init(host: String = "127.0.0.1", port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw GDBTransportError.badAddress(host) }

        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw GDBTransportError.system("socket", errno) }
        var yes: Int32 = 1
        _ = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(s, 1) == 0 else {
            let e = errno
            _ = systemClose(s)
            throw GDBTransportError.system(bound == 0 ? "listen" : "bind \(host):\(port)", e)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        self.fd = s
        self.port = UInt16(bigEndian: actual.sin_port)
    }

    deinit { close() }

    public func close() {
        if fd >= 0 {
            _ = systemClose(fd)
            fd = -1
        }
    }

    /// Blocks until gdb connects. Nagle is turned off: the protocol is many tiny request/reply
    /// exchanges, and delayed small segments would cost tens of milliseconds each.
    public func accept() throws -> GDBFileDescriptorTransport {
        while true {
            let c = Glibc.accept(fd, nil, nil)
            if c >= 0 {
                var yes: Int32 = 1
                _ = setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                return GDBFileDescriptorTransport(adopting: c)
            }
            if errno == EINTR { continue }
            throw GDBTransportError.system("accept", errno)
        }
    }
}
