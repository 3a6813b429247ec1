// swift-tools-version:6.0
import PackageDescription

// The hot modules (the interpreter and guest memory) are built with -Ounchecked and without
// dynamic exclusivity checks in release: guest-controlled values are bounds-checked explicitly
// where they reach host memory, so the compiler's own checks only cost time there.
// Jump targets (the dispatch switch's cases) are aligned to 16 bytes: without it, unrelated
// changes elsewhere in the interpreter moved its speed by 5-9% through code placement alone
// (tools/bench geomean 1.059 -> 1.022 of the pre-machine build; docs/PERFORMANCE.md).
let hotSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked", "-wmo", "-Xllvm", "-align-all-nofallthru-blocks=4"], .when(configuration: .release)),
]

let package = Package(
    name: "lpar",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lpar", targets: ["lpar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibElf", pkgConfig: "libelf", providers: [.apt(["libelf-dev"])]),
        .systemLibrary(name: "CLibFDT", providers: [.apt(["libfdt-dev"])]),
        .target(name: "GuestMemory", swiftSettings: hotSettings),
        // One FP operation under a given rounding mode, with its exception flags (C: the SSE
        // control register directly, and FENV_ACCESS so nothing is moved across it).
        .target(name: "CHostFP", linkerSettings: [.linkedLibrary("m")]),
        // Host signals caught for a Linux guest (its handlers for SIGINT, SIGTERM, SIGALRM…): the
        // handler and the wait that cannot lose a signal are C, as a signal handler must be.
        .target(name: "CHostSignals"),
        .target(name: "PowerISA", dependencies: ["GuestMemory", "CHostFP"], swiftSettings: hotSettings),
        // The block compiler (x86-64): blocks of guest code translated for untraced runs, the
        // interpreter doing everything else (docs/PERFORMANCE.md, `lpar run --engine jit`).
        .target(name: "PowerJIT", dependencies: ["PowerISA", "GuestMemory"]),
        .target(name: "GuestELF", dependencies: ["CLibElf", "GuestMemory"]),
        .target(name: "PAPR", dependencies: ["PowerISA", "GuestMemory", "CLibFDT"]),
        .target(name: "LinuxUser", dependencies: ["PowerISA", "GuestMemory", "GuestELF", "CHostSignals"]),
        .target(name: "Partition", dependencies: ["PowerISA", "PowerJIT", "GuestMemory", "GuestELF", "PAPR", "LinuxUser", "GDBRemote"]),
        // The GDB remote serial protocol and nothing else: packets, commands, target descriptions,
        // a synchronous session over a byte stream. The engine implements GDBTarget.
        .target(name: "GDBRemote"),
        .executableTarget(name: "lpar", dependencies: [
            "Partition", "PAPR", "GuestELF", "PowerISA", "GuestMemory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "GuestMemoryTests", dependencies: ["GuestMemory"]),
        .testTarget(name: "PowerISATests", dependencies: ["PowerISA", "GuestMemory"]),
        // Fixtures: inputs that once crashed lpar (fuzzing, CLI checks), read by path from the tests.
        .testTarget(name: "GuestELFTests", dependencies: ["GuestELF", "GuestMemory"], exclude: ["Fixtures"]),
        .testTarget(name: "PAPRTests", dependencies: ["PAPR", "PowerISA", "GuestMemory"]),
        .testTarget(name: "LinuxUserTests", dependencies: ["LinuxUser", "PowerISA", "GuestMemory"]),
        .testTarget(name: "GDBRemoteTests", dependencies: ["GDBRemote"]),
        .testTarget(name: "PowerJITTests", dependencies: ["PowerJIT", "PowerISA", "GuestMemory"]),
        .testTarget(name: "PartitionTests", dependencies: ["Partition", "PAPR", "PowerISA", "LinuxUser", "GDBRemote"]),
    ]
)

// Fuzz targets (sources in tools/fuzz-targets, run by tools/fuzz): declared only when LPAR_FUZZ
// is set, so `swift build` and `swift test` never see them. tools/fuzz builds them in their own
// scratch directory with `-sanitize=fuzzer,address` (libFuzzer from the Swift toolchain).
if Context.environment["LPAR_FUZZ"] != nil {
    let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
    package.targets += [
        .executableTarget(name: "FuzzELF", dependencies: ["GuestELF", "GuestMemory", "FuzzSupport"],
                          path: "tools/fuzz-targets/FuzzELF", swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzInterpreter", dependencies: ["PowerISA", "GuestMemory", "FuzzSupport"],
                          path: "tools/fuzz-targets/FuzzInterpreter", swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzHcall", dependencies: ["PAPR", "PowerISA", "GuestMemory", "FuzzSupport"],
                          path: "tools/fuzz-targets/FuzzHcall", swiftSettings: fuzzFlags),
        .target(name: "FuzzSupport", dependencies: ["GuestMemory", "CFuzzDriver"], path: "tools/fuzz-targets/FuzzSupport"),
        .target(name: "CFuzzDriver", path: "tools/fuzz-targets/CFuzzDriver"),
    ]
    package.products += ["FuzzELF", "FuzzInterpreter", "FuzzHcall"].map { .executable(name: $0, targets: [$0]) }
}
