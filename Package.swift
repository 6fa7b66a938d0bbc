// swift-tools-version:6.0
// tanso: radio-spectrum and telecom-infrastructure analysis.
// Dependencies: Foundation, GDAL and PROJ only (system libraries; see scripts/install-deps).
import PackageDescription


let package = Package(
    name: "tanso",
    products: [
        .executable(name: "tanso", targets: ["tanso"]),
        .library(name: "TansoKit", targets: ["Geo", "Propagation", "Radio", "Terrain", "Records", "Analysis", "Reports"]),
    ],
    targets: [
        // C bridges: module map + shim header, nothing else.
        .systemLibrary(name: "CGDAL", path: "Sources/CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CPROJ", path: "Sources/CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),

        // The only Swift code that touches GDAL/PROJ handles.
        .target(name: "Geo", dependencies: ["CGDAL", "CPROJ"]),
        // Pure models, no I/O.
        // IEEE square root without errno, so that loops holding one vectorise without unsafe compiler flags.
        .target(name: "CFastMath"),
        .target(name: "Propagation", dependencies: ["CFastMath"]),
        // Units, channels, antennas, link budgets.
        .target(name: "Radio"),
        // Elevation sources and profiles.
        .target(name: "Terrain", dependencies: ["Geo"]),
        // The public data contract and its loaders.
        .target(name: "Records", dependencies: ["Geo", "Radio", "CFastMath"]),
        // Coverage engine, villages, conflicts.
        .target(name: "Analysis", dependencies: ["CFastMath", "Propagation", "Radio", "Terrain", "Records", "Geo"]),
        // Products: rasters, polygons, tables, maps.
        .target(name: "Reports", dependencies: ["Geo", "Analysis", "Records", "Terrain", "CSHA256"]),
        // SHA-256 rounds on the x86 SHA extensions, for the digests in study.json (a portable Swift path elsewhere).
        .target(name: "CSHA256"),
        // The shared register (tanso store): schema, history, diff on GeoPackage and PostgreSQL; roles in PostgreSQL.
        .target(name: "Store", dependencies: ["Geo", "Records"]),
        // Command-line parsing and wiring (a library so that tests can call it in-process).
        .target(name: "TansoCLI", dependencies: ["Geo", "Propagation", "Radio", "Terrain", "Records", "Analysis", "Reports", "Store"]),
        .executableTarget(name: "tanso", dependencies: ["TansoCLI"]),
        // Test helpers: the validation fixtures (Tests/Fixtures), reading their CSV files; the seeded generator (Radio's).
        .target(name: "TestSupport", dependencies: ["Radio", "Analysis"]),

        .executableTarget(name: "benchmarks", dependencies: ["Propagation", "Analysis", "Terrain", "Geo", "Radio", "Records", "TansoCLI"],
                          path: "benchmarks", exclude: ["README.md", "results"]),

        .testTarget(name: "GeoTests", dependencies: ["TestSupport", "Geo"]),
        .testTarget(name: "PropagationTests", dependencies: ["TestSupport", "Propagation", "Radio", "CFastMath"]),
        .testTarget(name: "RadioTests", dependencies: ["TestSupport", "Radio", "Records"]),
        .testTarget(name: "RecordsTests", dependencies: ["TestSupport", "Records", "Geo", "Radio"]),
        .testTarget(name: "TerrainTests", dependencies: ["TestSupport", "Terrain", "Geo"]),
        .testTarget(name: "AnalysisTests", dependencies: ["TestSupport", "Analysis", "Terrain", "Records", "Geo", "Radio", "Propagation"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "TansoCLI", "tanso", "Geo", "Reports", "Analysis", "Radio"]),
        // tanso store on GeoPackage and on a real PostgreSQL started by scripts/dev-postgres (roles, audit, diff).
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Store", "Records", "Geo", "Analysis", "TansoCLI", "tanso", "Reports"]),
        // Seeded, time-boxed fuzzing of every loader (TANSO_FUZZ_SECONDS, default 30 in total).
        .testTarget(name: "FuzzTests", dependencies: ["TestSupport", "Records", "Radio", "Analysis", "Geo"]),
    ],
    swiftLanguageModes: [.v6]
)
