internal import CZlib
import Foundation

/// A gzip file written as it comes: published files are written once and fetched many times,
/// so they are compressed at zlib's default level.
final class GzipFileSink: LineSink {
    private let file: PlainFileSink
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 256 << 10)

    init(path: String) throws {
        file = try PlainFileSink(path: path)
        // 15 window bits plus 16: a gzip header and trailer around the deflate stream.
        let status = plandir_deflateInit2(&stream, 6, 15 + 16, 8)
        guard status == Z_OK else { throw BulkPublisher.Failure(description: "deflateInit2 failed: \(status)") }
    }

    deinit {
        deflateEnd(&stream)
    }

    func write(_ bytes: [UInt8]) throws {
        try run(bytes, flush: Z_NO_FLUSH)
    }

    func close() throws {
        try run([], flush: Z_FINISH)
        try file.close()
    }

    private func run(_ bytes: [UInt8], flush: Int32) throws {
        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let status = deflate(&stream, flush)
                    return (status, out.count - Int(stream.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw BulkPublisher.Failure(description: "deflate failed: \(status)")
                }
                if produced > 0 { try file.write(Array(output[0..<produced])) }
                if flush == Z_FINISH ? status == Z_STREAM_END : (stream.avail_in == 0 && produced < output.count) {
                    break
                }
            }
        }
    }
}
