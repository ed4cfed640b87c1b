// swift-tools-version:6.1
import PackageDescription

/// One set of settings for every target (as Hummingbird does): explicit `any`, imports that are
/// visible only where they are written, and internal imports unless a module re-exports a type.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The `longhaul` binary allocates with jemalloc, linked in whole from Debian's `libjemalloc-dev`
/// (`scripts/setup` installs it), so the binary needs no library at run time. A Swift process
/// frees and allocates buffers of a few kilobytes at every request (libcurl's transfers, task
/// slabs, bodies), and glibc's malloc sorts and coalesces every chunk past its 1 KB thread cache:
/// 17 % of the worker's CPU was in `_int_malloc`, `_int_free`, `unlink_chunk` and
/// `malloc_consolidate` (`bench/pipeline.sh`, perf). With jemalloc: worker 222 → 208 µs and
/// simulator 213 → 203 µs of CPU a job, +4.3 % jobs/s (`bench/compare.sh pipeline 3`). Whole
/// archive: nothing in our own objects names `malloc`, so the linker would otherwise pull in none of
/// it, and the C library's would stay.
let jemalloc: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--whole-archive", "-Xlinker", "-l:libjemalloc_pic.a", "-Xlinker", "--no-whole-archive"], .when(platforms: [.linux])),
    // jemalloc's `operator new` throws `std::bad_alloc`: the C++ library Swift's runtime links already.
    .linkedLibrary("stdc++", .when(platforms: [.linux])),
]

let package = Package(
    name: "longhaul",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "longhaul", targets: ["longhaul"]),
        .executable(name: "longhaul-bench", targets: ["longhaul-bench"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "HTTPClient", targets: ["HTTPClient"]),
        .library(name: "Mantle", targets: ["Mantle"]),
        .library(name: "MantleSimulator", targets: ["MantleSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // Without its default ConfigurationSupport trait, which builds swift-configuration for
        // ConfigReader initialisers Longhaul does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        // Already built for Hummingbird; Longhaul's own tracer and OTLP/HTTP exporter sit behind its API.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.1.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(name: "CSpawn"),  // one glibc declaration; nothing to link

        // Infrastructure libraries, each usable on its own.
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Hashing", dependencies: ["CCrypto"], swiftSettings: swiftSettings),
        // Compact JSON written by hand, for the bodies sent on every request (Longhaul's create
        // body and finalizer recordset, the simulator's Responses and events).
        .target(name: "JSONWriting", swiftSettings: swiftSettings),
        // JSON read strictly in one pass (`StrictJSON`), for the bodies read on every request (the
        // client's Responses, the API's jobs, the simulator's creates), with `JSONDecoder` behind it.
        .target(name: "JSONReading", swiftSettings: swiftSettings),
        // The table of context windows and output limits, shared by Longhaul and the simulator.
        .target(name: "MantleModels", swiftSettings: swiftSettings),
        // o200k_base (gpt-oss, gpt-5) counted exactly, from ranks installed by scripts/setup.
        .target(name: "Tokenizers", swiftSettings: swiftSettings),
        .target(
            name: "HTTPClient",
            dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // OpenTelemetry tracing behind swift-distributed-tracing: W3C trace context, a tracer, and
        // an OTLP/HTTP protobuf exporter over HTTPClient (swift-otel would bring SwiftNIO SSL,
        // AsyncHTTPClient and swift-protobuf to a build that has none of them).
        .target(
            name: "Telemetry",
            dependencies: [
                "HTTPClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Mantle",
            dependencies: [
                "HTTPClient",
                "Hashing",
                "JSONReading",
                "JSONWriting",
                "MantleModels",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MantleSimulator",
            dependencies: [
                "Hashing",
                "JSONReading",
                "JSONWriting",
                "MantleModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // The domain, the loops, the API and the executable.
        .target(
            name: "LonghaulCore",
            dependencies: [
                "Mantle", "MantleModels", "Tokenizers", "Postgres", "HTTPClient",
                "Hashing", "JSONReading", "JSONWriting", "CSpawn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.embedInCode("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Workers",
            dependencies: [
                "LonghaulCore", "Mantle", "Postgres", "HTTPClient", "Telemetry",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "workers",
            swiftSettings: swiftSettings
        ),
        // The web dashboard under /dashboard: server-rendered pages, sessions, its own CSS and JS.
        .target(
            name: "LonghaulDashboard",
            dependencies: [
                "LonghaulCore", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Assets/dashboard.css"), .embedInCode("Assets/dashboard.js")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LonghaulAPI",
            dependencies: [
                "LonghaulCore", "LonghaulDashboard", "Postgres", "Mantle", "MantleModels", "Hashing", "JSONReading", "JSONWriting",
                "Telemetry",
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document is the contract: scripts/generate-openapi turns it into the types
            // and routes and the JSON the server embeds (`GET /openapi.json`), all in Generated/ and
            // committed, so a build needs neither the generator nor a YAML parser; scripts/test
            // fails when they differ from what the document generates.
            exclude: ["openapi.yaml", "openapi-generator-config.yaml"],
            resources: [.embedInCode("Generated/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "longhaul",
            dependencies: [
                "LonghaulCore", "LonghaulAPI", "Workers", "MantleSimulator", "Mantle", "Postgres", "HTTPClient", "Hashing", "Tokenizers",
                "Telemetry", .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: jemalloc
        ),

        // The load generators behind bench/*.sh, kept out of the product binary (as Hummingbird
        // keeps Benchmarks/ apart). `swift build --build-tests` builds it, so scripts/test compiles it.
        .executableTarget(
            name: "longhaul-bench",
            dependencies: [
                "LonghaulCore", "Workers", "Mantle", "Postgres", "HTTPClient", "Telemetry",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/longhaul-bench",
            swiftSettings: swiftSettings
        ),

        // Tests: one target per module, plus end-to-end tests that run the built binary.
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "LonghaulCore", "HTTPClient", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            exclude: ["Interop"],  // the Python webhook receiver that WebhookReceiver starts
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"], swiftSettings: swiftSettings),
        .testTarget(name: "JSONWritingTests", dependencies: ["JSONWriting"], swiftSettings: swiftSettings),
        .testTarget(name: "JSONReadingTests", dependencies: ["JSONReading"], swiftSettings: swiftSettings),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", "HTTPClient"], swiftSettings: swiftSettings),
        .testTarget(name: "MantleModelsTests", dependencies: ["MantleModels"], swiftSettings: swiftSettings),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HTTPClientTests",
            dependencies: ["HTTPClient", "TestSupport", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MantleTests",
            dependencies: ["Mantle", "MantleSimulator", "HTTPClient", "Hashing", "TestSupport"],
            exclude: ["Interop"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MantleSimulatorTests",
            dependencies: ["MantleSimulator", "JSONWriting", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")],
            exclude: ["Interop"],  // the Python SDK script, run by InteropTests
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LonghaulCoreTests",
            dependencies: [
                "LonghaulCore", "Postgres", "TestSupport", "MantleSimulator", "Mantle", "HTTPClient", "MantleModels", "Tokenizers",
                "JSONReading", "JSONWriting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkersTests",
            dependencies: [
                "Workers", "LonghaulCore", "Postgres", "TestSupport", "MantleSimulator", "Mantle", "HTTPClient",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LonghaulAPITests",
            dependencies: [
                "LonghaulAPI", "LonghaulCore", "Postgres", "TestSupport", "MantleSimulator", "HTTPClient", "Mantle", "JSONReading",
                "JSONWriting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LonghaulDashboardTests",
            dependencies: [
                "LonghaulDashboard", "LonghaulAPI", "LonghaulCore", "Postgres", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["Browser"],  // the selenium script, run by BrowserTests
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport", "Postgres", "LonghaulCore", "MantleSimulator", "HTTPClient"],
            swiftSettings: swiftSettings
        ),
    ]
)
