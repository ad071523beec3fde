/// A chain `link.target` whose target values the index stores on the referring resource, under
/// a pid of their own: `PractitionerRole?location.address-city=hartford` then reads one key and
/// streams in rid order, instead of walking every role to test where it leads.
public struct MaterializedChain: Sendable, Equatable {
    /// The pid the copied values are stored under (after every real parameter's).
    public let pid: Int
    /// The reference parameter on the referring type (`PractitionerRole.location`).
    public let link: SearchParameter
    /// The target type's parameter whose values are copied (`Location.address-city`).
    public let target: SearchParameter
}
