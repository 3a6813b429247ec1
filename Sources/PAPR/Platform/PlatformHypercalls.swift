extension HypercallTable {
    /// H_GET_TERM_CHAR, H_RTAS and the other platform hcalls (Platform/).
    static let platformHypercalls: [HypercallSpec] = []
}
