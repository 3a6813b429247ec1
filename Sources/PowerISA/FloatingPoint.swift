/// Floating-point arithmetic and FPSCR instructions.
extension Executor {
    /// Executes one floating-point operation; false when `op` is not one lpar implements.
    func executeFloatingPoint(_ op: Op, _ w: InstructionWord) -> Bool {
        let f = s + RegisterSlot.fpr0
        switch op {
        case .fmr: f[w.rt] = f[w.rb]
        case .fneg: f[w.rt] = f[w.rb] ^ (1 << 63)
        case .fabs: f[w.rt] = f[w.rb] & ~(1 << 63)
        case .fnabs: f[w.rt] = f[w.rb] | (1 << 63)
        case .fcpsgn: f[w.rt] = (f[w.ra] & (1 << 63)) | (f[w.rb] & ~(1 << 63))
        default: return false
        }
        if w.bit31 { copyFPSCRToCR1() }
        return true
    }

    /// Rc = 1 on a floating-point instruction: CR1 = FPSCR[FX, FEX, VX, OX].
    func copyFPSCRToCR1() {
        let bits = UInt32((s[RegisterSlot.fpscr] >> 28) & 0xF)
        cr = (cr & ~0x0F00_0000) | (bits << 24)
    }
}
