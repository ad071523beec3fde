import FHIRCore
import Foundation
import SearchParameters

/// Generates the CapabilityStatement from the same registry the queries run on.
enum CapabilityStatementBuilder {
    static let planNet = "http://hl7.org/fhir/us/davinci-pdex-plan-net/CapabilityStatement/plan-net"
    static let formulary = "http://hl7.org/fhir/us/davinci-drug-formulary/CapabilityStatement/usdf-server"

    /// The Plan-Net profiles each type is served under.
    static let profiles: [String: [String]] = {
        let base = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/plannet-"
        var map: [String: [String]] = [:]
        for type in [
            "Endpoint", "HealthcareService", "InsurancePlan", "Location", "OrganizationAffiliation", "Practitioner",
            "PractitionerRole",
        ] {
            map[type] = [base + type]
        }
        map["Organization"] = [base + "Organization", base + "Network"]
        let usdf = "http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-"
        map["InsurancePlan", default: []] += [usdf + "PayerInsurancePlan", usdf + "Formulary"]
        map["Location", default: []] += [usdf + "InsurancePlanLocation"]
        map["Basic"] = [usdf + "FormularyItem"]
        map["MedicationKnowledge"] = [usdf + "FormularyDrug"]
        map["List"] = [usdf + "CoveragePlan"]
        return map
    }()

    static let bulkData = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"

    static func build(registry: SearchParameterRegistry, base: String, version: String, builtAt: String) -> JSONValue {
        func obj(_ members: [(String, JSONValue)]) -> JSONValue {
            .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
        }
        var resources: [JSONValue] = []
        for type in registry.resourceTypes {
            var members: [(String, JSONValue)] = [("type", .string(type))]
            if let profiles = profiles[type] {
                members.append(("supportedProfile", .array(profiles.map(JSONValue.string))))
            }
            members.append(
                (
                    "interaction",
                    .array([obj([("code", .string("read"))]), obj([("code", .string("search-type"))])])
                ))
            let references = registry.parameters(for: type).filter { $0.type == .reference }
            if !references.isEmpty {
                members.append(
                    (
                        "searchInclude",
                        .array((references.map { "\(type):\($0.code)" } + ["\(type):*"]).map(JSONValue.string))
                    ))
            }
            let referrers = registry.all.filter {
                $0.type == .reference && ($0.targets.isEmpty || $0.targets.contains(type))
            }
            if !referrers.isEmpty {
                members.append(("searchRevInclude", .array(referrers.map { .string("\($0.resourceType):\($0.code)") })))
            }
            members.append(
                (
                    "searchParam",
                    .array(
                        registry.parameters(for: type).map { p in
                            var fields: [(String, JSONValue)] = [
                                ("name", .string(p.code)),
                                ("definition", .string(p.url)),
                                ("type", .string(p.type.rawValue)),
                            ]
                            var documentation = p.description
                            if !p.chains.isEmpty {
                                documentation +=
                                    " Chains: " + p.chains.map { "\(p.code).\($0)" }.joined(separator: ", ") + "."
                            }
                            if p.type == .reference {
                                documentation +=
                                    " Also :identifier, and _has:\(p.resourceType):\(p.code):… on its targets."
                            }
                            if !documentation.isEmpty {
                                fields.append(
                                    ("documentation", .string(documentation.trimmingCharacters(in: .whitespaces))))
                            }
                            return obj(fields)
                        })
                ))
            resources.append(obj(members))
        }
        return obj([
            ("resourceType", .string("CapabilityStatement")),
            ("id", .string("plandir")),
            ("status", .string("active")),
            ("date", .string(builtAt)),
            ("publisher", .string("plandir")),
            ("kind", .string("instance")),
            ("instantiates", .array([.string(planNet), .string(formulary), .string(bulkData)])),
            ("software", obj([("name", .string("plandir")), ("version", .string(version))])),
            (
                "implementation",
                obj([
                    ("description", .string("Plan-Net provider directory and drug formulary")), ("url", .string(base)),
                ])
            ),
            ("fhirVersion", .string("4.0.1")),
            ("format", .array([.string("json"), .string("application/fhir+json")])),
            (
                "rest",
                .array([
                    obj([
                        ("mode", .string("server")),
                        ("resource", .array(resources)),
                        (
                            "operation",
                            .array([
                                obj([
                                    ("name", .string("export")),
                                    (
                                        "definition",
                                        .string("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export")
                                    ),
                                    (
                                        "documentation",
                                        .string(
                                            "System-level Bulk Data export, open (no token): _type, _since, _typeFilter, _outputFormat. Files are NDJSON, gzip on request."
                                        )
                                    ),
                                ])
                            ])
                        ),
                    ])
                ])
            ),
        ])
    }
}
