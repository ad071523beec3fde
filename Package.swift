// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "plandir",
    // macOS 15: Synchronization's Mutex.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plandir", targets: ["plandir"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Already in the graph through Hummingbird; declared because Server and the tests import
        // NIOCore and HTTPTypes directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
    ],
    targets: [
        // FHIR values and JSON: no dependencies.
        .target(name: "FHIRCore"),
        // The search-parameter registry (loaded from the IGs' SearchParameter JSON) and query parsing.
        .target(
            name: "SearchParameters",
            dependencies: ["FHIRCore"],
            resources: [.copy("Definitions")]
        ),
        // Pure extraction of search values from resources: no I/O.
        .target(name: "Indexing", dependencies: ["FHIRCore", "SearchParameters", "Conformance"]),
        // FHIR R4 JSON rules for the served resources (element facts as data) and their repairs.
        .target(name: "Conformance", dependencies: ["FHIRCore"], resources: [.copy("Definitions")]),
        // Source readers: files in, `SourceRecord`s out (NDJSON, JSON resources, Bundles).
        .target(name: "Ingest", dependencies: ["FHIRCore"]),
        // The system zlib, for the stored resources' raw deflate with preset dictionaries.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The only module that imports GRDB: index files, building and querying them.
        .target(
            name: "Storage",
            dependencies: [
                "FHIRCore", "SearchParameters", "Indexing", "Ingest", "CZlib", "Conformance",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw C API, for the build's bulk inserts and its rid-mapping SQL function.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The only module that imports Hummingbird.
        .target(
            name: "Server",
            dependencies: [
                "FHIRCore", "SearchParameters", "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // The member-service page: static HTML, CSS and ES modules, no build step.
            resources: [.copy("Web/Static")]
        ),
        // Fuzzing (Tests/FuzzCorpus, Scripts/fuzz): the properties each target checks, in
        // libraries that `swift test` replays the kept inputs through. The query and resource
        // targets depend on the pure modules only.
        .target(name: "Fuzzing", dependencies: ["FHIRCore", "SearchParameters", "Indexing", "Conformance"]),
        .target(name: "IndexFileFuzzing", dependencies: ["SearchParameters", "Storage"]),
        // The weak entry points that hand a fuzz build to libFuzzer's driver.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzQuery", dependencies: ["Fuzzing", "FuzzSupport"]),
        .executableTarget(name: "FuzzResource", dependencies: ["Fuzzing", "FuzzSupport"]),
        .executableTarget(name: "FuzzIndexFile", dependencies: ["IndexFileFuzzing", "FuzzSupport"]),
        // The deterministic sample-network generator.
        .target(name: "Generator", dependencies: ["FHIRCore"]),
        .executableTarget(
            name: "plandir",
            dependencies: [
                "Server", "Storage", "Generator", "SearchParameters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FHIRCoreTests", dependencies: ["FHIRCore"]),
        .testTarget(name: "SearchParametersTests", dependencies: ["SearchParameters", "FHIRCore"]),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing", "SearchParameters", "FHIRCore"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest"]),
        .testTarget(name: "ConformanceTests", dependencies: ["Conformance", "FHIRCore"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "IndexFileFuzzing", "SearchParameters", "Storage"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Server", "Storage", "Generator", "SearchParameters", "FHIRCore", "Ingest", "Indexing", "Conformance",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
