import FHIRCore
import SearchParameters

/// Trims a stored resource to the subset a client asked for (`_summary`, `_elements`) and tags
/// it SUBSETTED, as FHIR requires. Only these requests decode a resource; every other response
/// serves the stored bytes.
enum ResourceTrimmer {
    static let subsetted = JSONValue.object(
        JSONObject([
            ("system", .string("http://terminology.hl7.org/CodeSystem/v3-ObservationValue")),
            ("code", .string("SUBSETTED")),
            ("display", .string("Resource encoded in summary mode")),
        ]))

    static func trim(_ bytes: [UInt8], type: String, subset: ResourceSubset, registry: SearchParameterRegistry)
        -> [UInt8]
    {
        guard case .object(let resource) = (try? JSONParser.parse(bytes)) ?? .null else { return bytes }
        var kept = JSONObject(resource.members.filter { subset.keeps($0.key, type: type, registry: registry) })
        var meta = kept["meta"]?.objectValue ?? JSONObject()
        var tags = meta["tag"]?.arrayValue ?? []
        tags.append(subsetted)
        if let index = meta.members.firstIndex(where: { $0.key == "tag" }) {
            meta.members[index].value = .array(tags)
        } else {
            meta.members.append((key: "tag", value: .array(tags)))
        }
        if let index = kept.members.firstIndex(where: { $0.key == "meta" }) {
            kept.members[index].value = .object(meta)
        } else {
            let at = kept.members.firstIndex { $0.key == "id" }.map { $0 + 1 } ?? kept.members.count
            kept.members.insert((key: "meta", value: .object(meta)), at: at)
        }
        return JSONWriter.encode(.object(kept))
    }
}
