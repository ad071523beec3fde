internal import CZlib

/// Inflates one stored resource: the inverse of `DocumentCompressor`.
enum DocumentInflater {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The `size` bytes that `body` deflates, primed with `dictionary` when there is one.
    ///
    /// Inflating is not decoding: the bytes out are the bytes the build stored, and a 2 KB
    /// record takes a couple of microseconds.
    static func inflate(_ body: UnsafeRawBufferPointer, size: Int, dictionary: [UInt8]?) throws -> [UInt8] {
        var stream = z_stream()
        guard plandir_inflateInit2(&stream, -15) == Z_OK else { throw Failure(description: "inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        if let dictionary, !dictionary.isEmpty {
            let status = dictionary.withUnsafeBufferPointer { d in
                inflateSetDictionary(&stream, d.baseAddress, UInt32(d.count))
            }
            guard status == Z_OK else { throw Failure(description: "inflateSetDictionary failed: \(status)") }
        }
        var output = [UInt8](repeating: 0, count: size)
        let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: body.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(body.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            return CZlib.inflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw Failure(description: "a stored resource does not inflate (zlib status \(status)); rebuild the index")
        }
        return output
    }
}
