import CompressNIO
import FHIRCore
import NIOCore
import Testing

/// The checks every downloaded or published NDJSON file gets, whichever way it was fetched.
enum BulkFileLines {
    /// Adds the file's lines to `all` ("Type/id" → the line's bytes), after checking that each
    /// is a resource of the manifest entry's type and that there are as many as it counts.
    static func collect(
        _ bytes: [UInt8], gzipped: Bool, entry: JSONValue, url: String, into all: inout [String: [UInt8]]
    ) throws {
        var bytes = bytes
        if gzipped {
            var buffer = ByteBuffer(bytes: bytes)
            bytes = Array(buffer: try buffer.decompress(with: .gzip()))
        }
        let lines = bytes.split(separator: 0x0A).map(Array.init)
        #expect(lines.count == Int(entry["count"]?.numberText ?? ""), "\(url)")
        for line in lines {
            let json = try JSONParser.parse(line)
            let type = try #require(json["resourceType"]?.stringValue)
            #expect(type == entry["type"]?.stringValue)
            all["\(type)/\(json["id"]?.stringValue ?? "")"] = line
        }
    }
}
