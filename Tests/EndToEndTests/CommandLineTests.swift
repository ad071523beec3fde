import Foundation
import Testing

/// Options added this round refuse bad values with a usage error that names the option, before
/// any work starts.
@Suite struct CommandLineTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = Fixtures.root.appendingPathComponent(".build/debug/plandir")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test(arguments: [
        (["index", "Data/sample", "--output", "/nonexistent/never.sqlite", "--workers", "0"], "--workers"),
        (["serve", "--log-level", "loud"], "--log-level"),
        (["serve", "--max-or-values", "0"], "search limits"),
        (["serve", "--query-timeout", "0"], "--query-timeout"),
        (["serve", "--max-iterate-depth", "-1"], "--max-iterate-depth"),
        (["serve", "--queue-wait", "nan"], "--queue-length"),
        (["generate", "--profile", "galactic", "--output", "/nonexistent/never"], "profile"),
        (
            ["index", "Data/sample", "--output", "/nonexistent/never.sqlite", "--keep-deletions", "soon"],
            "keep-deletions"
        ),
        (["index", "Data/sample", "--output", "/nonexistent/never.sqlite", "--zcta", "/nonexistent/z.csv"], "--zcta"),
        (["serve", "--link-grace", "-1"], "--link-grace"),
        (["serve", "--export-jobs", "0"], "--export-jobs"),
        (["serve", "--export-ttl", "0"], "--export-ttl"),
        (
            [
                "publish", "Indexes/x.sqlite", "--output", "/nonexistent/out", "--base-url", "x", "--part-resources",
                "0",
            ], "--part-resources"
        ),
    ])
    func badValuesAreUsageErrors(arguments: [String], option: String) throws {
        try #require(
            FileManager.default.isExecutableFile(
                atPath: Fixtures.root.appendingPathComponent(".build/debug/plandir").path))
        let (status, stderr) = try Self.run(arguments)
        #expect(status == 64, "\(arguments): \(stderr)")
        #expect(stderr.contains(option), "\(arguments): \(stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
    }
}
