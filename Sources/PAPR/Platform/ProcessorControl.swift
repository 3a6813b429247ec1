import PowerISA

/// What the hypervisor may do to the machine's vCPUs (implemented by the machine, which owns
/// them and their scheduling). Processor numbers are interrupt server numbers.
public protocol ProcessorControl: AnyObject {
    /// How many vCPUs the machine has (processor numbers 0 ..< count).
    var processorCount: Int { get }
    /// True while the vCPU is stopped (never started, or after stop-self).
    func isStopped(_ processor: Int) -> Bool
    /// RTAS start-cpu: starts a stopped vCPU in real mode at `entry` with r3 = `r3`. False when
    /// it is not stopped.
    func start(_ processor: Int, entry: UInt64, r3: UInt64) -> Bool
    /// RTAS stop-self: the calling vCPU stops until another starts it.
    func stopSelf(_ cpu: CPU)
    /// H_PROD: wakes the vCPU if it idles in H_CEDE.
    func prod(_ processor: Int)
}
