import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import Testing

@testable import Server

/// What a connection may cost: header bytes, silence and dribbled bytes, on a real socket.
@Suite struct ConnectionLimitTests {
    static let sample = try! BuiltIndex(
        inputs: [Fixtures.root.appendingPathComponent("Data/sample").path], name: "connection-limits")

    /// - Parameter idle: short, so the test is quick; long enough that a loaded machine parses
    ///   a prompt request within it.
    func live(idle: Duration = .seconds(2), _ body: @Sendable (Int) async throws -> Void) async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.idleTimeout = idle
        configuration.headerBytes = 4096
        let app = buildApplication(index: Self.sample.index, configuration: configuration)
        try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    @Test func headersOverTheLimitAreRefused() async throws {
        try await live(idle: .seconds(30)) { port in
            let under = try RawSocket(port: port)
            under.send(
                Array("GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: \(String(repeating: "a", count: 3000))\r\n\r\n".utf8))
            #expect(String(decoding: await under.receive(timeout: 20).bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            let over = try RawSocket(port: port)
            over.send(
                Array("GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: \(String(repeating: "a", count: 5000))\r\n\r\n".utf8))
            let answer = await over.receive(timeout: 20)
            #expect(String(decoding: answer.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400"))
            #expect(answer.closed)
        }
    }

    @Test func silentAndDribblingConnectionsAreClosed() async throws {
        try await live { port in
            let silent = try RawSocket(port: port)
            let quiet = await silent.receive(timeout: 20)
            #expect(quiet.closed && quiet.bytes.isEmpty)
            // One header byte every 200 ms: bytes arrive, but no request part is ever parsed.
            // Five idle timeouts at most, for a loaded machine.
            let dribbling = try RawSocket(port: port)
            let started = Date()
            var open = true
            for byte in Array("GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: \(String(repeating: "a", count: 100))".utf8) {
                if !dribbling.send([byte]) || Date().timeIntervalSince(started) > 10 { break }
                try await Task.sleep(for: .milliseconds(200))
                if await dribbling.receive(timeout: 0.01).closed {
                    open = false
                    break
                }
            }
            #expect(!open, "a client dribbling header bytes was still connected after 10 s")
            // A request that arrives in time is answered.
            let prompt = try RawSocket(port: port)
            prompt.send(Array("GET /health HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            #expect(String(decoding: await prompt.receive(timeout: 20).bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }
}

extension ConnectionLimitTests {
    /// A client that asks for a large page and stops reading does not keep its connection: here
    /// the kernel's socket buffers take the whole 1 MB body (loopback send buffers grow to
    /// 4 MB), so the server holds nothing and the idle timeout closes the connection.
    @Test func aClientThatStopsReadingIsClosed() async throws {
        try await live { port in
            let fd = try RawSocket(port: port, receiveBuffer: 4096)
            fd.send(Array("GET /fhir/Practitioner?_count=1000 HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            try await Task.sleep(for: .seconds(5))
            let drained = await fd.receive(timeout: 20)
            #expect(String(decoding: drained.bytes.prefix(12), as: UTF8.self) == "HTTP/1.1 200")
            #expect(drained.bytes.count > 1_000_000)
            #expect(drained.closed)
        }
    }

    /// A body larger than the kernel takes leaves the channel unwritable: after the timeout
    /// without progress the connection is closed, and progress in time keeps it.
    @Test func aStalledResponseIsClosedAfterTheTimeout() throws {
        let stalled = EmbeddedChannel(handler: WriteTimeoutHandler(timeout: .seconds(30)))
        try stalled.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        stalled.isWritable = false
        stalled.pipeline.fireChannelWritabilityChanged()
        stalled.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(stalled.isActive)
        stalled.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!stalled.isActive)

        let slow = EmbeddedChannel(handler: WriteTimeoutHandler(timeout: .seconds(30)))
        try slow.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        slow.isWritable = false
        slow.pipeline.fireChannelWritabilityChanged()
        slow.embeddedEventLoop.advanceTime(by: .seconds(20))
        slow.isWritable = true
        slow.pipeline.fireChannelWritabilityChanged()
        slow.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(slow.isActive)
        _ = try slow.finish()
    }
}
