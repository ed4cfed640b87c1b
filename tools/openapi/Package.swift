// swift-tools-version:6.1
import PackageDescription

/// What `scripts/generate-openapi` runs to turn Sources/LonghaulAPI/openapi.yaml into the code and
/// the JSON document committed beside it. A package of its own, so that building Longhaul never
/// builds the generator (OpenAPIKit and Yams in release took most of a first `scripts/demo`).
/// The generator is pinned exactly: another version writes other code, and the check would fail.
let package = Package(
    name: "longhaul-openapi-tools",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3"),
        .package(url: "https://github.com/jpsim/Yams.git", "5.0.0"..<"7.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "openapi-json",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)
