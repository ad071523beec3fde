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

    public init(direction: Direction, id: String, lastUpdated: Int64? = nil) {
        self.direction = direction
        self.id = id
        self.lastUpdated = lastUpdated
    }

    /// An opaque, URL-safe token.
    public var token: String {
        let raw = "\(direction.rawValue)|\(lastUpdated.map(String.init) ?? "")|\(id)"
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
        let parts = raw.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let direction = Direction(rawValue: String(parts[0])) else { return nil }
        let id = String(parts[2])
        guard FHIRID.isValid(id) else { return nil }
        var lastUpdated: Int64?
        if !parts[1].isEmpty {
            guard let value = Int64(parts[1]) else { return nil }
            lastUpdated = value
        }
        self.init(direction: direction, id: id, lastUpdated: lastUpdated)
    }
}
