import FHIRCore
import SearchParameters

/// `reference`: the literal reference, split into type and id; a logical reference's
/// `identifier` is indexed as a token under the same parameter, for `:identifier`.
enum ReferenceIndexing: IndexValueType {
    static func extract(_ nodes: [JSONValue], _ parameter: SearchParameter, into values: inout ValueSets) {
        let pid = parameter.pid
        for node in nodes {
            if let reference = node["reference"]?.stringValue ?? node.stringValue {
                values.references.insert(.init(pid: pid, target: ReferenceTarget(parsing: reference)))
            }
            if let identifier = node["identifier"] {
                for value in TokenIndexing.forms(identifier) { values.tokens.insert(.init(pid: pid, value: value)) }
            }
        }
    }
}
