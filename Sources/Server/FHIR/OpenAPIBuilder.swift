import FHIRCore
import SearchParameters

/// Generates an OpenAPI 3.0.3 description of the FHIR API from the search registry, for
/// developers and for API fuzzers (schemathesis): every type with read, search, `_search` and
/// `metadata`; every parameter, modifier and declared chain as a repeatable query array; the
/// Bundle, resource and OperationOutcome schemas on each status the server answers with.
public enum OpenAPIBuilder {
    static let fhirJSON = "application/fhir+json"

    public static func build(registry: SearchParameterRegistry, version: String) -> JSONValue {
        var paths: [(String, JSONValue)] = [
            (
                "/fhir/metadata",
                obj([
                    ("get", operation("metadata", "The CapabilityStatement", [], ok: ref("Resource"), [400, 406, 414]))
                ])
            )
        ]
        for type in registry.resourceTypes {
            let parameters = searchParameters(type, registry)
            let errors = [400, 406, 414, 503]
            paths.append(
                (
                    "/fhir/\(type)",
                    obj([
                        (
                            "get",
                            operation(
                                "search\(type)", "Search \(type)", parameters.map(\.query), ok: ref("Bundle"), errors)
                        )
                    ])
                ))
            var post = operation(
                "search\(type)Form", "Search \(type) with a form body", [], ok: ref("Bundle"), errors + [413, 415])
            post = adding(
                post, "requestBody",
                obj([
                    ("required", .bool(true)),
                    (
                        "content",
                        obj([
                            (
                                "application/x-www-form-urlencoded",
                                obj([
                                    (
                                        "schema",
                                        obj([
                                            ("type", .string("object")),
                                            ("properties", obj(parameters.map { ($0.name, stringArray) })),
                                        ])
                                    ),
                                    (
                                        "encoding",
                                        obj(
                                            parameters.map {
                                                ($0.name, obj([("style", .string("form")), ("explode", .bool(true))]))
                                            })
                                    ),
                                ])
                            )
                        ])
                    ),
                ]))
            paths.append(("/fhir/\(type)/_search", obj([("post", post)])))
            let id = obj([
                ("name", .string("id")), ("in", .string("path")), ("required", .bool(true)),
                ("schema", obj([("type", .string("string")), ("pattern", .string("^[A-Za-z0-9\\-\\.]{1,64}$"))])),
            ])
            let readOptions = ["_summary", "_elements", "_format", "_pretty"].compactMap { name in
                controlParameters.first { $0.name == name }.map { query($0.name, $0.schema, $0.description) }
            }
            paths.append(
                (
                    "/fhir/\(type)/{id}",
                    obj([
                        (
                            "get",
                            operation(
                                "read\(type)", "Read one \(type)", [id] + readOptions, ok: ref("Resource"),
                                [400, 404, 406, 414])
                        )
                    ])
                ))
        }
        return obj([
            ("openapi", .string("3.0.3")),
            (
                "info",
                obj([
                    ("title", .string("plandir: Plan-Net provider directory and US Drug Formulary (FHIR R4)")),
                    ("version", .string(version)),
                    (
                        "description",
                        .string(
                            "Generated from the search registry that answers the queries. Repeating a parameter "
                                + "ANDs it; commas inside one value OR. `_has:Type:reference:parameter` reverse "
                                + "chains are accepted as well (see /fhir/metadata). Public data: no authentication."
                        )
                    ),
                ])
            ),
            ("servers", .array([obj([("url", .string("/"))])])),
            ("paths", obj(paths)),
            ("components", obj([("schemas", schemas)])),
        ])
    }

    struct Parameter {
        var name: String
        var schema: JSONValue
        var description: String
        var query: JSONValue { OpenAPIBuilder.query(name, schema, description) }
    }

    /// The control parameters every search takes.
    static let controlParameters: [Parameter] = [
        Parameter(
            name: "_count", schema: obj([("type", .string("integer")), ("minimum", .number("0"))]),
            description: "Matches per page (at most 1000; 0 answers only the total)."),
        Parameter(
            name: "_sort", schema: .object(JSONObject([])), description: "_id or _lastUpdated, - for descending."),
        Parameter(
            name: "_total", schema: enumeration(["none", "estimate", "accurate"]), description: "Bundle.total."),
        Parameter(
            name: "_summary", schema: enumeration(["true", "text", "data", "count", "false"]),
            description: "Summary forms of the resources."),
        Parameter(name: "_elements", schema: .object(JSONObject([])), description: "Top-level elements to return."),
        Parameter(
            name: "_format", schema: enumeration(["json", "application/json", "application/fhir+json"]),
            description: "Overrides Accept; only JSON is served."),
        Parameter(name: "_pretty", schema: enumeration(["true", "false"]), description: "Indented JSON."),
        Parameter(name: "_cursor", schema: .object(JSONObject([])), description: "A page cursor from a link."),
    ].map { Parameter(name: $0.name, schema: arrayOf($0.schema), description: $0.description) }

    static func searchParameters(_ type: String, _ registry: SearchParameterRegistry) -> [Parameter] {
        var parameters = controlParameters
        let references = registry.parameters(for: type).filter { $0.type == .reference }
        if !references.isEmpty {
            for name in ["_include", "_include:iterate"] {
                parameters.append(
                    Parameter(
                        name: name,
                        schema: arrayOf(enumeration(references.map { "\(type):\($0.code)" } + ["\(type):*", "*"])),
                        description: "Resources the matches refer to."))
            }
        }
        let referrers = registry.all.filter {
            $0.type == .reference && ($0.targets.isEmpty || $0.targets.contains(type))
        }
        if !referrers.isEmpty {
            for name in ["_revinclude", "_revinclude:iterate"] {
                parameters.append(
                    Parameter(
                        name: name, schema: arrayOf(enumeration(referrers.map { "\($0.resourceType):\($0.code)" })),
                        description: "Resources that refer to the matches."))
            }
        }
        if registry.content[type] != nil {
            parameters.append(
                Parameter(name: "_content", schema: stringArray, description: "Words anywhere in the resource's text."))
        }
        for parameter in registry.parameters(for: type) where parameter.type.isSupported {
            let description = parameter.description.isEmpty ? parameter.url : parameter.description
            parameters.append(Parameter(name: parameter.code, schema: stringArray, description: description))
            for modifier in parameter.searchModifiers {
                let schema = modifier == "missing" ? arrayOf(enumeration(["true", "false"])) : stringArray
                parameters.append(
                    Parameter(
                        name: "\(parameter.code):\(modifier)", schema: schema,
                        description: ":\(modifier) on \(parameter.code)"))
            }
            for chain in parameter.chains {
                parameters.append(
                    Parameter(
                        name: "\(parameter.code).\(chain)", schema: stringArray,
                        description: "Chained: \(parameter.code).\(chain)"))
            }
        }
        return parameters
    }

    static func operation(_ id: String, _ summary: String, _ parameters: [JSONValue], ok: JSONValue, _ errors: [Int])
        -> JSONValue
    {
        var responses: [(String, JSONValue)] = [
            ("200", obj([("description", .string("OK")), ("content", obj([(fhirJSON, obj([("schema", ok)]))]))]))
        ]
        for status in errors.sorted() {
            let body = obj([(fhirJSON, obj([("schema", ref("OperationOutcome"))]))])
            var members: [(String, JSONValue)] = [("description", .string(errorDescriptions[status] ?? "Error"))]
            members.append(("content", body))
            if status == 503 {
                members.append(
                    ("headers", obj([("Retry-After", obj([("schema", obj([("type", .string("integer"))]))]))])))
            }
            responses.append((String(status), obj(members)))
        }
        return obj([
            ("operationId", .string(id)), ("summary", .string(summary)), ("parameters", .array(parameters)),
            ("responses", obj(responses)),
        ])
    }

    static let errorDescriptions: [Int: String] = [
        400: "A parameter, modifier or value is not understood or costs too much (OperationOutcome names it)",
        404: "No such resource", 406: "Only JSON is served", 413: "The form body is over 64 KiB",
        414: "The request line is too long", 415: "The body is not a form", 503: "Busy: retry after the given seconds",
    ]

    static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        obj([
            ("name", .string(name)), ("in", .string("query")), ("required", .bool(false)),
            ("description", .string(description)), ("style", .string("form")), ("explode", .bool(true)),
            ("schema", schema),
        ])
    }

    static let stringArray = arrayOf(string)

    static func arrayOf(_ items: JSONValue) -> JSONValue { obj([("type", .string("array")), ("items", items)]) }

    static func enumeration(_ values: [String]) -> JSONValue {
        obj([("type", .string("string")), ("enum", .array(values.map(JSONValue.string)))])
    }

    static func ref(_ name: String) -> JSONValue { obj([("$ref", .string("#/components/schemas/\(name)"))]) }

    static func adding(_ value: JSONValue, _ key: String, _ member: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        return .object(JSONObject(object.members + [(key: key, value: member)]))
    }

    static func obj(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
    }

    static let string = obj([("type", .string("string"))])

    /// `{"type": "object", "required": […], "properties": {…}}`; OpenAPI 3.0 allows no empty
    /// `required`, so none is written then.
    static func object(required: [String], _ properties: [(String, JSONValue)]) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("object"))]
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        return obj(members + [("properties", obj(properties))])
    }

    /// Loose on purpose: they say what every answer has, not every FHIR element.
    static let schemas = obj([
        ("Resource", object(required: ["resourceType"], [("resourceType", string), ("id", string)])),
        (
            "Bundle",
            object(
                required: ["resourceType", "type"],
                [
                    ("resourceType", enumeration(["Bundle"])), ("type", enumeration(["searchset"])),
                    ("total", obj([("type", .string("integer")), ("minimum", .number("0"))])),
                    ("link", arrayOf(object(required: ["relation", "url"], [("relation", string), ("url", string)]))),
                    (
                        "entry",
                        arrayOf(
                            object(
                                required: ["resource", "search"],
                                [
                                    ("fullUrl", string), ("resource", ref("Resource")),
                                    (
                                        "search",
                                        object(required: [], [("mode", enumeration(["match", "include", "outcome"]))])
                                    ),
                                ]))
                    ),
                ])
        ),
        (
            "OperationOutcome",
            object(
                required: ["resourceType", "issue"],
                [
                    ("resourceType", enumeration(["OperationOutcome"])),
                    (
                        "issue",
                        obj([
                            ("type", .string("array")), ("minItems", .number("1")),
                            (
                                "items",
                                object(
                                    required: ["severity", "code"],
                                    [("severity", string), ("code", string), ("diagnostics", string)])
                            ),
                        ])
                    ),
                ])
        ),
    ])
}
