import Foundation
import Testing

/// `plandir index` as a process: a signal mid-build leaves the previous index and no temporary
/// files, and a build removes the files that a killed build left behind.
@Suite struct BuildInterruptTests {
    static let binary = Fixtures.root.appendingPathComponent(".build/debug/plandir")
    static let sample = Fixtures.root.appendingPathComponent("Data/sample").path

    static func run(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func leftovers(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.contains(".building-") || $0.contains(".staging-")
        }
    }

    /// The pid of a process that has exited, so no running process can own it for a while.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheBuildAndKeepsThePreviousIndex(signal: Int32) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build plandir first")
        let folder = try Fixtures.temporaryFolder()
        let output = folder.appendingPathComponent("net.sqlite")
        let first = try Self.run(["index", Self.sample, "--output", output.path, "--quiet"])
        first.waitUntilExit()
        try #require(first.terminationStatus == 0)
        let before = try Data(contentsOf: output)

        // The sample several times over, so the build lasts long enough to be caught mid-way.
        let second = try Self.run(["index"] + Array(repeating: Self.sample, count: 10) + ["--output", output.path])
        var caught = false
        let deadline = Date().addingTimeInterval(120)
        while second.isRunning && Date() < deadline {
            // A staging file exists only while records are read and loaded, well before the
            // end: a signal then cannot race the build's own exit.
            if try Self.leftovers(in: folder).contains(where: { $0.contains(".staging-") }) {
                kill(second.processIdentifier, signal)
                caught = true
                break
            }
            // A blocking sleep: other suites keep the cooperative pool busy, which can delay a
            // Task.sleep past the whole build.
            usleep(1000)
        }
        second.waitUntilExit()
        try #require(caught, "the build ended before it could be interrupted")
        #expect(second.terminationStatus == 128 + signal)
        #expect(try Self.leftovers(in: folder) == [])
        #expect(try Data(contentsOf: output) == before)
    }

    @Test func aBuildRemovesWhatAKilledBuildLeftBehind() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build plandir first")
        let folder = try Fixtures.temporaryFolder()
        let output = folder.appendingPathComponent("net.sqlite")
        let dead = try Self.deadPID()
        let stale = [
            ".net.sqlite.building-\(dead)-1", ".net.sqlite.staging-\(dead)-1-tok",
        ]
        for name in stale {
            try Data("left by a killed build".utf8).write(to: folder.appendingPathComponent(name))
        }
        // A live process's files and other outputs' files are not touched.
        let live = ".net.sqlite.building-\(getpid())-7"
        let other = ".other.sqlite.building-\(dead)-1"
        for name in [live, other] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        let build = try Self.run(["index", Self.sample, "--output", output.path, "--quiet"])
        build.waitUntilExit()
        #expect(build.terminationStatus == 0)
        let remaining = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        for name in stale { #expect(!remaining.contains(name)) }
        #expect(remaining.contains(live))
        #expect(remaining.contains(other))
        #expect(remaining.contains("net.sqlite"))
    }
}
