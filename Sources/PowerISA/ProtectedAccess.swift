import GuestMemory

/// The observer of a slice whose RAM follows a Linux process's page permissions
/// (`GuestMemory.enforceProtections`): the engine's loads test the `noRead` bit of the flag
/// byte of the first and last page they touch, and stores test the flag byte before they write
/// rather than after (the test itself they already made). Wraps the run's own observer, as
/// `Translating` does, so a PAPR guest's loop is compiled without either test.
public struct Protected<Inner: ExecutionObserver>: ExecutionObserver {
    public var inner: Inner
    public init(_ inner: Inner) { self.inner = inner }
    public static var checksAccess: Bool { true }
    public static var translates: Bool { Inner.translates }
    public static var isActive: Bool { Inner.isActive }
    public static var observesMemory: Bool { Inner.observesMemory }
    public static var readsCPU: Bool { Inner.readsCPU }
    @inline(__always) public mutating func willExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {
        inner.willExecute(pc: pc, word: word, op: op, cpu: cpu)
    }
    @inline(__always) public mutating func didExecute(pc: UInt64, word: UInt32, op: Op, cpu: CPU) {
        inner.didExecute(pc: pc, word: word, op: op, cpu: cpu)
    }
    @inline(__always) public mutating func memoryAccess(address: UInt64, size: Int, value: UInt64, isStore: Bool) {
        inner.memoryAccess(address: address, size: size, value: value, isStore: isStore)
    }
}
