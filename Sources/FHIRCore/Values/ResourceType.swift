/// FHIR's rules for logical ids and the references that carry them.
public enum FHIRID {
    /// `[A-Za-z0-9\-\.]{1,64}`: the R4 id datatype.
    public static func isValid(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 64 else { return false }
        return utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E
        }
    }

    /// A resource type name: an upper-case letter followed by letters.
    public static func isResourceTypeName(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, first >= 0x41, first <= 0x5A else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}

/// A literal reference split into its type and id, as the index stores it.
public struct ReferenceTarget: Sendable, Hashable {
    /// Empty for references that are not `Type/id` (absolute URLs to other servers, fragments).
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    /// Splits `Type/id`, `Type/id/_history/v` or an absolute URL ending in `Type/id`.
    ///
    /// Absolute URLs are kept whole: a plan's directory references its own resources relatively,
    /// and an absolute URL points elsewhere, so it must not match a local `Type/id`.
    public init(parsing reference: String) {
        if reference.hasPrefix("#") || reference.contains("://") || reference.hasPrefix("urn:") {
            self.init(type: "", id: reference)
            return
        }
        var parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 4, parts[2] == "_history" { parts.removeLast(2) }
        if parts.count == 2, FHIRID.isResourceTypeName(parts[0]), FHIRID.isValid(String(parts[1])) {
            self.init(type: String(parts[0]), id: String(parts[1]))
        } else {
            self.init(type: "", id: reference)
        }
    }

    public var literal: String { type.isEmpty ? id : "\(type)/\(id)" }
}
