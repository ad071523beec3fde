internal import CZlib

/// Compresses stored resources one at a time as raw deflate, primed with their type's
/// dictionary (`DocumentDictionaries`).
///
/// Resources of one type repeat the same keys, systems and profile URLs, which a lone 2 KB
/// record cannot exploit on its own: primed with a dictionary of other records, deflate stores
/// the Plan-Net reference data in about a tenth of its size, and each record still inflates on
/// its own. One thread at a time: a worker takes one from the pipeline's pool, and its stream
/// is reset, not reallocated, between records.
final class DocumentCompressor: @unchecked Sendable {
    /// Level 6 costs little more than level 1 on records this small and saves about a tenth.
    static let level: Int32 = 6

    private var stream = z_stream()
    private var output: [UInt8] = []

    init() {
        // Raw deflate (negative window bits): no zlib header or checksum per record.
        let status = plandir_deflateInit2(&stream, Self.level, -15, 8)
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(&stream)
    }

    /// The deflated form of `bytes`, primed with `dictionary` when there is one.
    func compress(_ bytes: [UInt8], dictionary: [UInt8]?) -> [UInt8] {
        deflateReset(&stream)
        if let dictionary, !dictionary.isEmpty {
            dictionary.withUnsafeBufferPointer { d in
                _ = deflateSetDictionary(&stream, d.baseAddress, UInt32(d.count))
            }
        }
        let bound = Int(deflateBound(&stream, UInt(bytes.count)))
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        var written = 0
        bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                // deflateBound leaves room for the whole stream, so one call finishes it.
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish: \(status)")
                written = out.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
