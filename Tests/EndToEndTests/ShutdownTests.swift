import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `plandir serve` as a process: SIGTERM stops it cleanly with exit status 0.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct ShutdownTests {
    /// A port the kernel just handed out, so the server can bind it.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        try #require(bound == 0)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func status(_ url: URL) async -> Int? {
        guard let (_, response) = try? await URLSession.shared.data(from: url) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    @Test func sigtermStopsTheServerWithStatusZero() async throws {
        let binary = Fixtures.root.appendingPathComponent(".build/debug/plandir")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the plandir executable first")
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = binary
        // The reload interval is on: its wait must not hold up shutdown.
        process.arguments = [
            "serve", "--index", Fixtures.examples.index.path, "--port", "\(port)", "--reload-interval", "30",
        ]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let health = URL(string: "http://127.0.0.1:\(port)/health")!
        var up = false
        for _ in 0..<100 {
            if await Self.status(health) == 200 {
                up = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(up, "the server did not come up")
        let search = URL(string: "http://127.0.0.1:\(port)/fhir/Practitioner?name=s")!
        #expect(await Self.status(search) == 200)
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<50 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "still running 5 s after SIGTERM")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(output.contains("stopped"))
        #expect(await Self.status(health) == nil, "nothing listens after shutdown")
    }
}
