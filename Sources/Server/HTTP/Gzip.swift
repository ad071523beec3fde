import CompressNIO
import NIOCore

/// gzip for response bodies.
enum Gzip {
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let output = try input.compress(with: .gzip())
        return Array(buffer: output)
    }
}
