/// Which part of each resource a response carries (`_summary`, `_elements`).
public enum ResourceSubset: Sendable, Equatable {
    /// `_summary=true`: the elements marked `isSummary`.
    case summary
    /// `_summary=text`: `text`, `id`, `meta` and mandatory elements.
    case text
    /// `_summary=data`: everything but `text`.
    case data
    /// `_elements=a,b`: these top-level elements, with `id`, `meta` and mandatory elements.
    case elements([String])

    /// The top-level members of a `type` resource this subset keeps.
    public func keeps(_ member: String, type: String, registry: SearchParameterRegistry) -> Bool {
        if member == "resourceType" || member == "id" || member == "meta" { return true }
        let mandatory = registry.mandatoryElements[type]?.contains(member) ?? false
        switch self {
        case .summary:
            return mandatory || registry.summaryElements[type]?.contains(member) == true
                || registry.summaryElements[type]?.contains(where: { member.hasPrefix($0) && $0.count < member.count })
                    == true
                    && Self.isChoice(member)
        case .text: return mandatory || member == "text"
        case .data: return member != "text"
        case .elements(let names): return mandatory || names.contains(member)
        }
    }

    /// `valueQuantity` and the like: a choice element's typed name.
    static func isChoice(_ member: String) -> Bool {
        member.contains { $0.isUppercase }
    }
}
