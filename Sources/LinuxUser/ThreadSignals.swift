import PowerISA

/// Per-thread signal state, as the kernel keeps it in each task: the blocked mask, the signals
/// sent to that thread alone (tkill, tgkill, raise, abort) and the alternate signal stack. The
/// process's pending set (kill, timers, host signals) and the actions stay shared.
///
/// Threads take turns on lpar's one host thread, so the running thread's state lives in
/// LinuxProcess's own fields (`signalMask`, `threadPendingSignals`, `altStack`: every syscall
/// and delivery path uses them unchanged) and the others' rest here; `selectThread` swaps them
/// when the machine switches threads.
public struct ThreadSignals: Equatable {
    var mask: UInt64 = 0
    var pending: UInt64 = 0
    var pendingInfo: [Int32: SignalInfo] = [:]
    var altStackBase: UInt64 = 0, altStackSize: UInt64 = 0, altStackAutodisarm: UInt32 = 0
}

extension LinuxProcess {
    /// The machine now runs thread `index` (a vCPU index): its mask, private pending signals and
    /// alternate stack become the process's live ones. A signal the new thread does not block
    /// is delivered at once, as the kernel's signal_wake_up makes the thread take it: so a
    /// process signal that the previous thread blocked reaches the first thread that does not.
    public func selectThread(_ index: Int, cpu: CPU) {
        guard index != signalThread, index < threads.threads.count else { return }
        if signalThread < threads.threads.count { threads.threads[signalThread].signals = runningThreadSignals }
        let next = threads.threads[index].signals
        signalMask = next.mask
        threadPendingSignals = next.pending
        threadPendingInfo = next.pendingInfo
        altStack = (next.altStackBase, next.altStackSize, next.altStackAutodisarm)
        signalThread = index
        // A thread whose pause/sigsuspend/sigtimedwait was put off takes its signal in that call
        // when it makes it again (which then returns EINTR), not before it.
        if deliverable != 0 && !deferredSignalWaits.contains(index) { deliverPendingSignals(cpu: cpu) }
    }

    var runningThreadSignals: ThreadSignals {
        ThreadSignals(mask: signalMask, pending: threadPendingSignals, pendingInfo: threadPendingInfo,
                      altStackBase: altStack.base, altStackSize: altStack.size, altStackAutodisarm: altStack.autodisarm)
    }

    /// A new thread's signal state (copy_process for CLONE_THREAD): the creator's mask, nothing
    /// pending, no alternate stack (CLONE_VM without CLONE_VFORK clears it).
    func startSignals(ofThread index: Int) {
        threads.threads[index].signals = ThreadSignals(mask: signalMask)
    }

    /// Signals blocked by some live thread: a process signal stays pending (and the host must
    /// catch it for lpar) while any thread blocks it.
    var blockedByAnyThread: UInt64 {
        var m = signalMask
        for (i, t) in threads.threads.enumerated() where t.alive && i != signalThread { m |= t.signals.mask }
        return m
    }

    /// Makes `info` pending for thread `index` alone (tkill, tgkill): in the live fields when it
    /// is the running thread, else in its resting state.
    func post(_ info: SignalInfo, toThread index: Int) {
        let bit = Sig.bit(info.signo)
        if index == signalThread {
            guard !discards(info.signo) || signalMask & bit != 0 else { return }
            if threadPendingSignals & bit == 0 { threadPendingInfo[info.signo] = info }
            threadPendingSignals |= bit
        } else {
            guard !discards(info.signo) || threads.threads[index].signals.mask & bit != 0 else { return }
            if threads.threads[index].signals.pending & bit == 0 { threads.threads[index].signals.pendingInfo[info.signo] = info }
            threads.threads[index].signals.pending |= bit
        }
    }

    /// Removes and returns the lowest pending signal of `wanted`, the running thread's own
    /// first (the kernel's dequeue_signal takes the task's private queue before the shared one).
    func dequeueSignal(_ wanted: UInt64) -> SignalInfo? {
        if threadPendingSignals & wanted != 0 {
            let sig = Int32((threadPendingSignals & wanted).trailingZeroBitCount + 1)
            threadPendingSignals &= ~Sig.bit(sig)
            return threadPendingInfo.removeValue(forKey: sig) ?? SignalInfo(signo: sig, code: Sig.siKernel)
        }
        guard pendingSignals & wanted != 0 else { return nil }
        let sig = Int32((pendingSignals & wanted).trailingZeroBitCount + 1)
        pendingSignals &= ~Sig.bit(sig)
        return pendingInfo.removeValue(forKey: sig) ?? SignalInfo(signo: sig, code: Sig.siKernel)
    }

    /// sigaction made `sig` discarded: no thread keeps it pending.
    func discardPending(_ sig: Int32) {
        let bit = Sig.bit(sig)
        pendingSignals &= ~bit; pendingInfo[sig] = nil
        threadPendingSignals &= ~bit; threadPendingInfo[sig] = nil
        for i in threads.threads.indices where threads.threads[i].signals.pending & bit != 0 {
            threads.threads[i].signals.pending &= ~bit
            threads.threads[i].signals.pendingInfo[sig] = nil
        }
    }
}
