/// PAPR hcall return codes (r3), with their names as Linux's hvcall.h spells them.
public enum HcallStatus {
    public static let success: Int64 = 0
    public static let busy: Int64 = 1
    public static let closed: Int64 = 2
    public static let notAvailable: Int64 = 3
    public static let constrained: Int64 = 4
    public static let partial: Int64 = 5
    public static let inProgress: Int64 = 14
    public static let pending: Int64 = 17
    public static let `continue`: Int64 = 18
    public static let longBusy1ms: Int64 = 9900
    public static let longBusy10ms: Int64 = 9901
    public static let longBusy100ms: Int64 = 9902
    public static let longBusy1s: Int64 = 9903
    public static let longBusy10s: Int64 = 9904
    public static let longBusy100s: Int64 = 9905
    public static let hardware: Int64 = -1
    public static let function: Int64 = -2
    public static let privilege: Int64 = -3
    public static let parameter: Int64 = -4
    public static let badMode: Int64 = -5
    public static let notFound: Int64 = -7
    public static let resource: Int64 = -16
    public static let noMem: Int64 = -9
    public static let authority: Int64 = -10
    public static let permission: Int64 = -11
    public static let p2: Int64 = -55
    public static let p3: Int64 = -56
    public static let p4: Int64 = -57
    public static let p5: Int64 = -58
    public static let p6: Int64 = -59
    public static let p7: Int64 = -60
    public static let p8: Int64 = -61
    public static let p9: Int64 = -62
    public static let tooBig: Int64 = -64
    public static let unsupported: Int64 = -67
    public static let overlap: Int64 = -68
    public static let badData: Int64 = -70
    public static let inUse: Int64 = -77
    public static let unsupportedFlag: Int64 = -256

    /// Every code lpar can return, with its name.
    public static let names: [(code: Int64, name: String)] = [
        (success, "H_SUCCESS"), (busy, "H_BUSY"), (closed, "H_CLOSED"), (notAvailable, "H_NOT_AVAILABLE"),
        (constrained, "H_CONSTRAINED"), (partial, "H_PARTIAL"), (inProgress, "H_IN_PROGRESS"),
        (pending, "H_PENDING"), (`continue`, "H_CONTINUE"),
        (longBusy1ms, "H_LONG_BUSY_ORDER_1_MSEC"), (longBusy10ms, "H_LONG_BUSY_ORDER_10_MSEC"),
        (longBusy100ms, "H_LONG_BUSY_ORDER_100_MSEC"), (longBusy1s, "H_LONG_BUSY_ORDER_1_SEC"),
        (longBusy10s, "H_LONG_BUSY_ORDER_10_SEC"), (longBusy100s, "H_LONG_BUSY_ORDER_100_SEC"),
        (hardware, "H_HARDWARE"), (function, "H_FUNCTION"), (privilege, "H_PRIVILEGE"),
        (parameter, "H_PARAMETER"), (badMode, "H_BAD_MODE"), (notFound, "H_NOT_FOUND"), (noMem, "H_NO_MEM"), (resource, "H_RESOURCE"),
        (authority, "H_AUTHORITY"), (permission, "H_PERMISSION"),
        (p2, "H_P2"), (p3, "H_P3"), (p4, "H_P4"), (p5, "H_P5"), (p6, "H_P6"), (p7, "H_P7"), (p8, "H_P8"), (p9, "H_P9"),
        (tooBig, "H_TOO_BIG"), (unsupported, "H_UNSUPPORTED"), (overlap, "H_OVERLAP"), (badData, "H_BAD_DATA"),
        (inUse, "H_IN_USE"), (unsupportedFlag, "H_UNSUPPORTED_FLAG"),
    ]

    /// "H_P2" for -55; the decimal value for a code lpar does not know.
    public static func name(_ code: Int64) -> String {
        names.first { $0.code == code }?.name ?? "\(code)"
    }
    public static func code(named name: String) -> Int64? {
        names.first { $0.name == name.uppercased() }?.code
    }
    /// 9900…9905: "call again after about that long".
    public static func isLongBusy(_ code: Int64) -> Bool { (longBusy1ms...longBusy100s).contains(code) }
}
