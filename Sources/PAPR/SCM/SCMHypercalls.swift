extension HypercallTable {
    /// The SCM (NVDIMM) hcalls (SCM/).
    static let scmHypercalls: [HypercallSpec] = []
}
