import CompressNIO
import NIOCore

/// gzip for response bodies.
enum Gzip {
    static func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip())
    }
}

/// gzip over a body written in pieces (an export file): each piece is compressed as it comes,
/// so memory stays bounded whatever the file's size.
final class GzipStream {
    private let compressor: any NIOCompressor

    init() throws {
        // The fastest level: an export is bounded by how fast it compresses, and JSON still
        // shrinks about fivefold.
        compressor = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: .fastestCompression)).compressor
        try compressor.startStream()
    }

    func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
        try compressor.streamDeflate(from: &input, to: &output, flush: .no)
        return output
    }

    /// The end of the stream.
    func finish() throws -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        var all = ByteBufferAllocator().buffer(capacity: 0)
        while true {
            do {
                try compressor.finishDeflate(to: &output)
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                all.writeImmutableBuffer(output)
                output.clear()
            }
        }
        all.writeImmutableBuffer(output)
        try compressor.finishStream()
        return all
    }
}
