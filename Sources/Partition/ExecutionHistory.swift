#if canImport(Glibc)
import Glibc
#endif
import GuestMemory
import PowerISA

/// The recorded past of a single-vCPU run under gdb, for reverse execution (`bs`, `bc`).
///
/// Execution is deterministic, so the past is kept as checkpoints and re-executed: a checkpoint
/// holds the vCPU (`InterpreterCheckpoint`) and, for the interval since the one before, each
/// RAM page that changed, before and after. Checkpoints are taken every `interval` steps and
/// right after every host exit (an hcall, a system call, an idle jump of time), so replaying
/// between two of them never crosses one: the hypervisor, the Linux process, the console and
/// files are not rewound, and while the guest travels in its past they are never asked again —
/// a host exit met while replaying is replaced by the checkpoint taken after it.
///
/// Changed pages are found through the pages' flag bytes that every store already checks
/// (`GuestMemory.PageFlag.watched`): after a checkpoint every page of RAM is watched, and the
/// first write to one — by the engine, an hcall or a system call — calls back once; the engine's
/// fast path is unchanged. Those pages are compared with a shadow copy of RAM as of the last
/// checkpoint (a `MAP_NORESERVE` mapping: untouched pages cost nothing, and RAM never touched
/// is zero in both), which keeps their contents before.
///
/// Positions are *steps*: `stamp` = instructions completed + interrupts delivered + host exits
/// routed. Every gdb single step moves it by at least one, so each state gdb can stop in has
/// its own stamp.
final class ExecutionHistory {
    struct PageChange {
        let page: Int
        let before: [UInt8]
        let after: [UInt8]
    }

    struct Checkpoint {
        let stamp: UInt64
        let vcpu: InterpreterCheckpoint
        let vcpuState: VCPU.State
        let hostExits: UInt64
        /// Taken right after a host exit: replay meeting that exit jumps here.
        let afterHostExit: Bool
        /// gdb wrote registers or memory at this step: running forward through it in recorded
        /// history takes this state rather than the one re-execution gives.
        let edited: Bool
        /// The RAM pages that changed since the previous checkpoint.
        let changes: [PageChange]
    }

    static let pageSize = 4096
    /// What one checkpoint holds besides pages: the register file, and a little more.
    static let checkpointSize = CPU.slotCount * 8 + 128
    /// Steps between periodic checkpoints: a reverse step replays at most this many.
    static let interval: UInt64 = 1 << 18

    let memory: GuestMemory
    let pageCount: Int
    private let shadow: UnsafeMutableRawPointer
    /// Pages the shadow holds data for.
    private var shadowed: [Bool]
    /// Pages written since they were last armed (the watcher's list; may repeat).
    private var written: [Int] = []
    private(set) var checkpoints: [Checkpoint] = []
    /// The checkpoint whose RAM the shadow holds.
    private var anchor = 0
    /// Host exits routed so far (part of the stamp).
    var hostExits: UInt64 = 0
    /// Bytes of page copies held; past `limit` the oldest checkpoints are dropped.
    private(set) var bytesHeld = 0
    let limit: Int

    init?(memory: GuestMemory, limit: Int = 1 << 30) {
        self.memory = memory
        self.limit = limit
        pageCount = Int(memory.ramSize) / Self.pageSize
        guard let m = mmap(nil, Int(memory.ramSize), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              m != MAP_FAILED else { return nil }
        shadow = m
        shadowed = [Bool](repeating: false, count: pageCount)
        // The shadow starts as RAM is now (what the loader and the run so far wrote): the pages
        // the host has (`mincore`; RAM never touched is zero in both) that hold anything.
        var resident = [UInt8](repeating: 1, count: pageCount)
        _ = resident.withUnsafeMutableBufferPointer { mincore(memory.base, Int(memory.ramSize), $0.baseAddress) }
        let zero = [UInt8](repeating: 0, count: Self.pageSize)
        for p in 0..<pageCount where resident[p] & 1 != 0 && memcmp(memory.base + p * Self.pageSize, zero, Self.pageSize) != 0 {
            memcpy(shadow + p * Self.pageSize, memory.base + p * Self.pageSize, Self.pageSize)
            shadowed[p] = true
        }
        memory.pageWriteWatcher = { [unowned self] page in self.written.append(page) }
        for p in 0..<pageCount { memory.watch(p) }
    }

    deinit {
        memory.pageWriteWatcher = nil
        for p in 0..<pageCount { memory.codePageFlags[p] &= ~GuestMemory.PageFlag.watched }
        munmap(shadow, Int(memory.ramSize))
    }

    func stamp(_ interpreter: Interpreter) -> UInt64 {
        interpreter.instructionsExecuted &+ interpreter.interruptsDelivered &+ hostExits
    }

    var oldestStamp: UInt64 { checkpoints.first?.stamp ?? 0 }
    /// The stamp of the last checkpoint: before it the run is in recorded history, where host
    /// exits are replayed from checkpoints instead of being performed again.
    var lastStamp: UInt64 { checkpoints.last?.stamp ?? 0 }

    // MARK: - RAM pages

    private func ram(_ page: Int) -> UnsafeMutableRawPointer { memory.base + page * Self.pageSize }
    private func shadowPage(_ page: Int) -> UnsafeMutableRawPointer { shadow + page * Self.pageSize }

    /// Pages whose RAM differs from the shadow: of those written since they were armed (a page
    /// written back to what it was is not a change). They are armed again.
    private func changedPages() -> [Int] {
        let candidates = Set(written)
        settle()
        return candidates.sorted().filter { memcmp(ram($0), shadowPage($0), Self.pageSize) != 0 }
    }

    /// RAM and the shadow agree again: the pages written are watched again.
    private func settle() {
        for p in written { memory.watch(p) }
        written.removeAll(keepingCapacity: true)
    }

    private func bytes(_ p: UnsafeMutableRawPointer) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: p, count: Self.pageSize))
    }

    private func put(_ data: [UInt8], page: Int, ram toRAM: Bool) {
        data.withUnsafeBytes { src in
            if toRAM {
                memcpy(ram(page), src.baseAddress!, Self.pageSize)
                memory.noteWrite(UInt64(page * Self.pageSize), UInt64(Self.pageSize))  // predecoded code
            }
            memcpy(shadowPage(page), src.baseAddress!, Self.pageSize)
        }
        shadowed[page] = true
    }

    // MARK: - Recording

    /// Records the state now as the newest checkpoint (the run is live: at or past the last
    /// one). At the step of the last checkpoint (gdb edited the state there), it replaces it.
    func record(_ interpreter: Interpreter, vcpuState: VCPU.State, afterHostExit: Bool, edited: Bool = false) {
        advanceAnchor(to: checkpoints.count - 1)
        var changes: [PageChange] = []
        for p in changedPages() {
            let change = PageChange(page: p, before: bytes(shadowPage(p)), after: bytes(ram(p)))
            memcpy(shadowPage(p), ram(p), Self.pageSize)
            shadowed[p] = true
            changes.append(change)
        }
        bytesHeld += changes.count * 2 * Self.pageSize
        let now = stamp(interpreter)
        bytesHeld += Self.checkpointSize
        if let last = checkpoints.last, last.stamp == now, checkpoints.count > 1 {
            // The same step again: its interval now ends in the edited state.
            var merged = last.changes
            for c in changes {
                if let i = merged.firstIndex(where: { $0.page == c.page }) {
                    merged[i] = PageChange(page: c.page, before: merged[i].before, after: c.after)
                    bytesHeld -= 2 * Self.pageSize
                } else {
                    merged.append(c)
                }
            }
            bytesHeld -= Self.checkpointSize
            checkpoints[checkpoints.count - 1] = Checkpoint(
                stamp: now, vcpu: interpreter.checkpoint(), vcpuState: vcpuState, hostExits: hostExits,
                afterHostExit: afterHostExit || last.afterHostExit, edited: edited || last.edited, changes: merged)
            return
        }
        checkpoints.append(Checkpoint(stamp: now, vcpu: interpreter.checkpoint(), vcpuState: vcpuState,
                                      hostExits: hostExits, afterHostExit: afterHostExit, edited: edited, changes: changes))
        anchor = checkpoints.count - 1
        // Forget the oldest past when it holds too much: checkpoint 1 becomes the start.
        while bytesHeld > limit && checkpoints.count > 2 {
            bytesHeld -= checkpoints[1].changes.count * 2 * Self.pageSize + Self.checkpointSize
            let first = checkpoints[1]
            checkpoints[1] = Checkpoint(stamp: first.stamp, vcpu: first.vcpu, vcpuState: first.vcpuState, hostExits: first.hostExits,
                                        afterHostExit: first.afterHostExit, edited: first.edited, changes: [])
            checkpoints.removeFirst()
            anchor -= 1
        }
    }

    /// A periodic checkpoint is due (the run is live and `interval` steps passed).
    func isDue(_ interpreter: Interpreter) -> Bool {
        let s = stamp(interpreter)
        return s >= lastStamp && s - lastStamp >= Self.interval
    }

    /// The shadow moves forward to checkpoint `k` (RAM is already there: replay re-created it).
    private func advanceAnchor(to k: Int) {
        while anchor < k {
            anchor += 1
            for c in checkpoints[anchor].changes { put(c.after, page: c.page, ram: false) }
        }
    }

    // MARK: - Travel

    /// Puts RAM and the vCPU as they were at checkpoint `k`.
    func restore(_ k: Int, _ interpreter: Interpreter) -> Checkpoint {
        // Undo what ran since the anchor, then walk the intervals to k.
        for p in changedPages() { put(bytes(shadowPage(p)), page: p, ram: true) }
        while anchor > k {
            for c in checkpoints[anchor].changes { put(c.before, page: c.page, ram: true) }
            anchor -= 1
        }
        while anchor < k {
            anchor += 1
            for c in checkpoints[anchor].changes { put(c.after, page: c.page, ram: true) }
        }
        settle()  // the pages just put back were "written": RAM is the shadow again
        let c = checkpoints[k]
        interpreter.restore(c.vcpu)
        hostExits = c.hostExits
        return c
    }

    /// The newest checkpoint at or before `stamp`.
    func checkpoint(atOrBefore stamp: UInt64) -> Int? {
        checkpoints.lastIndex { $0.stamp <= stamp }
    }

    /// The first checkpoint after `stamp` where gdb edited the state.
    func edit(after stamp: UInt64) -> (index: Int, stamp: UInt64)? {
        guard let i = checkpoints.firstIndex(where: { $0.stamp > stamp && $0.edited }) else { return nil }
        return (i, checkpoints[i].stamp)
    }

    /// The checkpoint a host exit met at `stamp` while replaying leads to: the one recorded
    /// right after it (the exit counts one step). A fault gdb passed to a Linux program's
    /// handler is recorded the same way.
    func checkpoint(afterHostExitAt stamp: UInt64) -> Int? {
        checkpoints.lastIndex { $0.stamp == stamp + 1 && $0.afterHostExit }
    }

    /// Memory the history holds: the shadow's resident pages and the page copies.
    var memoryCost: Int { bytesHeld + shadowed.filter { $0 }.count * Self.pageSize }
}
