import FHIRCore

/// One search parameter for one resource type, compiled from a SearchParameter definition.
public struct SearchParameter: Sendable, Equatable {
    /// A dense number that names this parameter in the index tables.
    public let pid: Int
    public let resourceType: String
    public let code: String
    public let type: SearchParamType
    /// The canonical URL of the definition this was loaded from.
    public let url: String
    public let description: String
    public let expression: PathExpression
    /// Resource types a reference parameter may point to.
    public let targets: [String]
    public let modifiers: [String]
    public let chains: [String]
    /// For a reference parameter: the chained target parameters (`Type.code`) whose values the
    /// index copies onto the referring resource, with the pid they are stored under.
    public internal(set) var materialized: [String: Int] = [:]

    public init(
        pid: Int, resourceType: String, code: String, type: SearchParamType, url: String, description: String,
        expression: PathExpression, targets: [String], modifiers: [String], chains: [String]
    ) {
        self.pid = pid
        self.resourceType = resourceType
        self.code = code
        self.type = type
        self.url = url
        self.description = description
        self.expression = expression
        self.targets = targets
        self.modifiers = modifiers
        self.chains = chains
    }

    /// `_id` is answered from the resource table itself rather than a value table.
    public var isID: Bool { code == "_id" }
}
