import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

/// What a connection may cost: header bytes, silence and dribbled bytes, on a real socket.
@Suite struct ConnectionLimitTests {
    static let sample = try! BuiltIndex(
        inputs: [Fixtures.root.appendingPathComponent("Data/sample").path], name: "connection-limits")

    func live(_ body: @Sendable (Int) async throws -> Void) async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.idleTimeout = .seconds(1)
        configuration.headerBytes = 4096
        let app = buildApplication(index: Self.sample.index, configuration: configuration)
        try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    @Test func headersOverTheLimitAreRefused() async throws {
        try await live { port in
            let under = try RawSocket(port: port)
            under.send(
                Array("GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: \(String(repeating: "a", count: 3000))\r\n\r\n".utf8))
            #expect(String(decoding: under.receive(timeout: 5).bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            let over = try RawSocket(port: port)
            over.send(
                Array("GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: \(String(repeating: "a", count: 5000))\r\n\r\n".utf8))
            let answer = over.receive(timeout: 5)
            #expect(String(decoding: answer.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
            #expect(answer.closed)
        }
    }

    @Test func silentAndDribblingConnectionsAreClosed() async throws {
        try await live { port in
            let silent = try RawSocket(port: port)
            let quiet = silent.receive(timeout: 5)
            #expect(quiet.closed && quiet.bytes.isEmpty)
            // One header byte every 200 ms: bytes arrive, but no request part is ever parsed.
            let dribbling = try RawSocket(port: port)
            let started = Date()
            var open = true
            for byte in Array("GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: \(String(repeating: "a", count: 100))".utf8) {
                if !dribbling.send([byte]) || Date().timeIntervalSince(started) > 5 { break }
                try await Task.sleep(for: .milliseconds(200))
                if dribbling.receive(timeout: 0.01).closed {
                    open = false
                    break
                }
            }
            #expect(!open, "a client dribbling header bytes was still connected after 5 s")
            // A request that arrives in time is answered.
            let prompt = try RawSocket(port: port)
            prompt.send(Array("GET /health HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            #expect(String(decoding: prompt.receive(timeout: 5).bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }
}
