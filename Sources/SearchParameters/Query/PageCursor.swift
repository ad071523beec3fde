import FHIRCore
import Foundation

/// Where a page starts: just after (or before) a known row in the sort order.
///
/// It names the row by its logical id (and lastUpdated when sorting by it), never by an
/// internal row number, so a `next` link keeps working across an index rebuild.
public struct PageCursor: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case after = "a", before = "b"
        /// Relevance order (`_content`): the page starts this many rows in, kept in `lastUpdated`.
        case offset = "o"
    }

    public var direction: Direction
    public var id: String
    /// Milliseconds since 1970, set when the sort is by `_lastUpdated`.
    public var lastUpdated: Int64?
    /// Kilometres from a `near` point, set when the results are nearest first: exactly the
    /// double the page was ordered by, so the next page starts just after it.
    public var distance: Double?
    /// The version of the index the link was made on: after a swap the server answers it from
    /// that index for a grace period, then with 410 Gone. Nil in links from before versions were
    /// recorded, which the current index answers.
    public var index: String?

    public init(
        direction: Direction, id: String, lastUpdated: Int64? = nil, distance: Double? = nil, index: String? = nil
    ) {
        self.direction = direction
        self.id = id
        self.lastUpdated = lastUpdated
        self.distance = distance
        self.index = index
    }

    /// An opaque, URL-safe token.
    public var token: String {
        let version = index.map { "\($0)|" } ?? ""
        // A distance rides in the sort-key slot as `d<km>`; Swift prints a double so that it
        // reads back as the same value.
        let key = distance.map { "d\($0)" } ?? lastUpdated.map(String.init) ?? ""
        let raw = "\(direction.rawValue)|\(key)|\(version)\(id)"
        return Data(raw.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(token: String) {
        guard token.utf8.count <= 200 else { return nil }
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.utf8.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let raw = String(data: data, encoding: .utf8) else { return nil }
        // An id cannot hold a `|`, so three parts are a link without an index version.
        let parts = raw.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 || parts.count == 4, let direction = Direction(rawValue: String(parts[0])) else {
            return nil
        }
        let id = String(parts[parts.count - 1])
        guard FHIRID.isValid(id) else { return nil }
        var index: String?
        if parts.count == 4 {
            guard Self.isVersion(parts[2]) else { return nil }
            index = String(parts[2])
        }
        var lastUpdated: Int64?
        var distance: Double?
        if parts[1].hasPrefix("d") {
            guard let value = Double(parts[1].dropFirst()), value.isFinite, value >= 0 else { return nil }
            distance = value
        } else if !parts[1].isEmpty {
            guard let value = Int64(parts[1]) else { return nil }
            lastUpdated = value
        }
        self.init(direction: direction, id: id, lastUpdated: lastUpdated, distance: distance, index: index)
    }

    /// An index version as the build writes it (`builtMillis-count`): digits and dashes.
    static func isVersion(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 40
            && text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) }
    }
}
