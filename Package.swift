// swift-tools-version:6.0
import PackageDescription

/// The IRT numerics are exercised by recovery tests on simulated data; unoptimised they are 20–50× slower, so the
/// module is optimised in debug builds too (the root package may set this flag).
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// SHA-256 uses the x86 SHA extensions where the processor has them (checked at run time), so its module is compiled
/// with that instruction set enabled; the feature implies nothing beyond SSE2. Decided where the manifest is
/// evaluated, so a cross-compilation for another architecture would need this left out.
#if arch(x86_64)
    let shaExtensions: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-msha"])]
#else
    let shaExtensions: [SwiftSetting] = []
#endif

/// Targets follow the seams of the service: C libraries behind system-library targets, one library per concern,
/// and a thin executable. Tests mirror the targets; shared test helpers live in `TestSupport`.
let package = Package(
    name: "seedtest-pipelines",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seedtest-pipelines", targets: ["seedtest-pipelines"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSystem"),

        // Building blocks that know nothing of the product.
        .target(name: "JSON"),
        .target(name: "UTCTime"),
        .target(name: "Fields", dependencies: ["JSON", "UTCTime"]),
        .target(name: "Gzip", dependencies: ["CZlib"]),
        .target(name: "Hashing", swiftSettings: shaExtensions),
        .target(
            name: "HTTPServer",
            dependencies: [
                "CSystem", "Gzip", "JSON", "Fields", "UTCTime", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", "JSON", "UTCTime", .product(name: "Logging", package: "swift-log")]),
        .target(name: "EmbeddedPostgres", dependencies: ["Postgres", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "OutboundHTTP",
            dependencies: ["CCurl", "JSON", "Hashing", .product(name: "Logging", package: "swift-log")]),
        .target(name: "IRT", swiftSettings: optimizedEvenInDebug),
        .target(name: "Reports", dependencies: ["UTCTime"]),
        .target(
            name: "Logfmt",
            dependencies: ["HTTPServer", "JSON", "UTCTime", .product(name: "Logging", package: "swift-log")]),

        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The product: schema and ingest, pipeline stages, service wiring, executable.
        .target(
            name: "Storage",
            dependencies: [
                "Postgres", "JSON", "UTCTime", "Fields", "Gzip", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DemoData",
            dependencies: ["Storage", "Postgres", "IRT", "UTCTime", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Pipelines",
            dependencies: [
                "Postgres", "Storage", "IRT", "Reports", "OutboundHTTP", "Gzip", "JSON", "UTCTime", "Fields", "Hashing",
                "CSystem", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Service",
            dependencies: [
                "HTTPServer", "Postgres", "Storage", "DemoData", "Pipelines", "IRT", "OutboundHTTP", "JSON", "Gzip",
                "UTCTime", "Fields", "Reports", "Hashing", "Telemetry", .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/openapi.yaml")]
        ),
        // The parsers of untrusted input under libFuzzer (`make fuzz`), and the corpus replay of `make test`.
        .target(name: "FuzzTargets", dependencies: ["HTTPServer", "JSON", "Gzip", "Storage", "UTCTime"]),
        .executableTarget(name: "seedtest-fuzz", dependencies: ["FuzzTargets"]),
        .executableTarget(
            name: "seedtest-pipelines",
            dependencies: [
                "Service", "Pipelines", "Storage", "DemoData", "IRT", "Postgres", "EmbeddedPostgres", "HTTPServer",
                "Logfmt", "JSON", "Gzip", "UTCTime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                "Telemetry", .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // Tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "EmbeddedPostgres", "Storage", "HTTPServer", "Logfmt", "UTCTime", "OutboundHTTP",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport", "Gzip", "JSON"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport", "JSON", "UTCTime"]),
        .testTarget(name: "UTCTimeTests", dependencies: ["UTCTime"]),
        .testTarget(name: "FieldsTests", dependencies: ["Fields", "JSON", "UTCTime"]),
        .testTarget(name: "IRTTests", dependencies: ["IRT"]),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "TestSupport", "Postgres", "EmbeddedPostgres", "UTCTime", "IRT"]
        ),
        .testTarget(
            name: "PipelinesTests",
            dependencies: [
                "Pipelines", "Storage", "TestSupport", "JSON", "Postgres", "UTCTime", "HTTPServer", "OutboundHTTP",
                "DemoData", "Gzip", "Fields", "Reports", "IRT",
            ]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "UTCTime", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
        .testTarget(
            name: "OutboundHTTPTests",
            dependencies: [
                "OutboundHTTP", "HTTPServer", "JSON", "TestSupport", "Hashing",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "Service", "TestSupport", "DemoData", "JSON", "Gzip", "Pipelines", "Postgres", "Storage", "UTCTime",
                "OutboundHTTP", "HTTPServer",
            ],
            // schemathesis reads its configuration from beside SchemathesisTests.swift.
            exclude: ["schemathesis.toml"]
        ),
    ]
)
