import FHIRCore
import Hummingbird

/// Validators and content negotiation for cacheable answers.
enum HTTPCaching {
    /// A strong ETag: the index version and a digest of the normalized request. The answer is a
    /// function of exactly these two, so the tag changes exactly when the answer can.
    static func etag(version: String, key: String) -> String {
        var digest = FNV1a()
        digest.add(key)
        return "\"\(version)-\(digest.hex)\""
    }

    /// `If-None-Match` (weak comparison, as RFC 9110 prescribes for it): `*`, our tag with or
    /// without `W/`, or FHIR's `W/"versionId"` for a read.
    static func matches(_ headers: [String], etag: String, versionId: String?) -> Bool {
        for header in headers {
            for candidate in header.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag = String(tag.dropFirst(2)) }
                if tag == etag { return true }
                if let versionId, tag == "\"\(versionId)\"" { return true }
            }
        }
        return false
    }

    /// Whether `Accept-Encoding` allows gzip (a `q=0` refuses it).
    static func acceptsGzip(_ headers: [String]) -> Bool {
        for header in headers {
            for item in header.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard parts.first == "gzip" || parts.first == "*" else { continue }
                // A zero weight, however written (q=0, q=0.0, q = 0.000), refuses it.
                let refused = parts.dropFirst().contains { parameter in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    return pair.count == 2 && pair[0] == "q" && Double(pair[1]) == 0
                }
                return !refused
            }
        }
        return false
    }
}
