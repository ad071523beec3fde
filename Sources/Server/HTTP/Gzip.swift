import CompressNIO
import NIOCore

/// gzip for response bodies.
enum Gzip {
    static func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip())
    }
}
