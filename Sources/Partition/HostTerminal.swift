#if canImport(Glibc)
import Glibc
#endif

/// lpar's standard input when it is a terminal and the guest is a PAPR guest: raw, as QEMU's
/// `-nographic` console is, so each key reaches the guest at once and Ctrl-C is a byte for the
/// guest rather than a signal for lpar; output processing (newline → CR LF) stays on. Ctrl-A x
/// quits (`Console.interceptsEscape`). The saved modes come back on every way out: the end of
/// the run, `exit` from anywhere (atexit), and the signals that end lpar from outside (SIGTERM,
/// SIGHUP, SIGQUIT, SIGINT, SIGPIPE: restored, then the signal is raised again with its default
/// action, so lpar's status still says which). A Linux program keeps the terminal as it is: it
/// sets its own modes with ioctls.
enum HostTerminal {
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var savedFD: Int32 = -1
    static let endingSignals: [Int32] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGPIPE]

    /// Puts `fd` in raw mode if it is a terminal; false (nothing changed) otherwise.
    static func enterRaw(_ fd: Int32) -> Bool {
        guard fd >= 0, isatty(fd) == 1, savedFD < 0, tcgetattr(fd, &saved) == 0 else { return false }
        var raw = saved
        raw.c_iflag &= ~tcflag_t(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON)
        raw.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | ISIG | IEXTEN)
        raw.c_cflag = (raw.c_cflag & ~tcflag_t(CSIZE | PARENB)) | tcflag_t(CS8)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in cc[Int(VMIN)] = 1; cc[Int(VTIME)] = 0 }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return false }
        savedFD = fd
        atexit { HostTerminal.restore() }
        for s in endingSignals {
            signal(s) { sig in
                HostTerminal.restore()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        return true
    }

    /// The modes the terminal had before `enterRaw` (async-signal-safe: one tcsetattr).
    static func restore() {
        guard savedFD >= 0 else { return }
        tcsetattr(savedFD, TCSANOW, &saved)
        savedFD = -1
    }
}
