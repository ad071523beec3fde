import FHIRCore
import SearchParameters
import Testing

/// `Definitions/0-materialized.json` is data: the registry numbers each chain it names and
/// refuses an entry it cannot honour, naming the file and the entry.
@Suite struct MaterializedChainTests {
    static let definitions: [(name: String, json: JSONValue)] = [
        (
            "role-location.json",
            try! JSONParser.parse(
                #"{"resourceType":"SearchParameter","code":"location","base":["PractitionerRole"],"type":"reference","#
                    + #""expression":"PractitionerRole.location","target":["Location"],"chain":["address-city"]}"#)
        ),
        (
            "location-city.json",
            try! JSONParser.parse(
                #"{"resourceType":"SearchParameter","code":"address-city","base":["Location"],"type":"string","#
                    + #""expression":"Location.address.city"}"#)
        ),
    ]

    static func registry(_ materialized: String) throws -> SearchParameterRegistry {
        let file = try JSONParser.parse(#"{"plandirMaterialized":"# + materialized + "}")
        return try SearchParameterRegistry(definitions: definitions + [("0-materialized.json", file)])
    }

    @Test func aDeclaredChainGetsAPidAfterEveryParameter() throws {
        let registry = try Self.registry(#"{"PractitionerRole.location":["address-city"]}"#)
        let chain = try #require(registry.materialized.first)
        #expect(registry.materialized.count == 1)
        #expect(chain.pid == registry.all.count + 1)
        #expect(chain.target.code == "address-city")
        #expect(registry.parameter("PractitionerRole", "location")?.materialized["Location.address-city"] == chain.pid)
    }

    @Test(arguments: [
        (#"{"PractitionerRole.location":["address-state"]}"#, "declares no chain address-state"),
        (#"{"Location.address-city":["name"]}"#, "is not a reference parameter"),
        (#"{"PractitionerRole.nowhere":["address-city"]}"#, "is not a reference parameter"),
    ])
    func anEntryTheDefinitionsDoNotAllowIsRefused(materialized: String, reason: String) throws {
        #expect {
            try Self.registry(materialized)
        } throws: { error in
            let failure = error as? SearchParameterRegistry.LoadError
            return failure?.file == "0-materialized.json" && failure?.reason.contains(reason) == true
        }
    }
}
