/// A path from a resource to related resources whose text also finds it through `_content`.
public struct ContentRelation: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Follow this reference parameter of the current type.
        case forward(SearchParameter)
        /// Find the resources whose reference parameter points at the current one.
        case reverse(SearchParameter)
    }

    public var steps: [Step]

    /// Parses `->param`, `<-Type.param` and sequences of them, starting at `type`.
    init?(_ text: String, from type: String, registry: (String, String) -> SearchParameter?) {
        var steps: [Step] = []
        var current = type
        var rest = Substring(text)
        while !rest.isEmpty {
            let reverse: Bool
            if rest.hasPrefix("->") {
                reverse = false
            } else if rest.hasPrefix("<-") {
                reverse = true
            } else {
                return nil
            }
            rest = rest.dropFirst(2)
            let end = rest.range(of: "->")?.lowerBound ?? rest.range(of: "<-")?.lowerBound ?? rest.endIndex
            let name = rest[..<end]
            rest = rest[end...]
            if reverse {
                let parts = name.split(separator: ".")
                guard parts.count == 2, let parameter = registry(String(parts[0]), String(parts[1])),
                    parameter.type == .reference
                else { return nil }
                steps.append(.reverse(parameter))
                current = parameter.resourceType
            } else {
                guard let parameter = registry(current, String(name)), parameter.type == .reference,
                    parameter.targets.count == 1
                else { return nil }
                steps.append(.forward(parameter))
                current = parameter.targets[0]
            }
        }
        self.steps = steps
    }
}
