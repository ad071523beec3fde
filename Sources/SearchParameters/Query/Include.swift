/// One `_include` or `_revinclude`: follow `parameter` (a reference parameter of
/// `parameter.resourceType`) forwards from the page's resources, or backwards to them.
public struct Include: Sendable, Equatable {
    public enum Direction: Sendable, Equatable {
        /// `_include=Source:param[:Target]`: the resources the page's `Source` resources refer to.
        case forward
        /// `_revinclude=Source:param[:Target]`: the `Source` resources that refer to the page's resources.
        case reverse
    }

    public var direction: Direction
    public var parameter: SearchParameter
    /// The `:Target` restriction, if any.
    public var targetType: String?
    /// `:iterate`: also applied to included resources, not only to matches.
    public var iterate: Bool

    public init(direction: Direction, parameter: SearchParameter, targetType: String?, iterate: Bool) {
        self.direction = direction
        self.parameter = parameter
        self.targetType = targetType
        self.iterate = iterate
    }

    /// Whether this include applies to resources of `type` (as sources forwards, targets backwards).
    public func applies(to type: String) -> Bool {
        switch direction {
        case .forward: return parameter.resourceType == type
        case .reverse:
            if let targetType { return targetType == type }
            return parameter.targets.isEmpty || parameter.targets.contains(type)
        }
    }
}
