import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SearchParameters
import Storage

/// The FHIR endpoints over the served index, with HTTP validation and the response cache.
///
/// Every search is a function of the index version and the normalized request, so its ETag is
/// computed before any work: a matching `If-None-Match` costs no query at all. A read's ETag is
/// the resource's own (its digest, version and timestamp with the request key), so a rebuild
/// that left the resource as it was keeps it. Bodies are cached by key and index version; a
/// rebuilt index empties the cache.
struct DirectoryService: Sendable {
    let holder: IndexHolder
    let parser: SearchQueryParser
    let configuration: ServerConfiguration
    let cache: ResponseCache
    let metrics: ServerMetrics
    let gate: ReadGate
    let jobs: ExportJobs

    static let maximumFormBody = 64 * 1024

    init(holder: IndexHolder, configuration: ServerConfiguration, cache: ResponseCache, metrics: ServerMetrics) {
        self.holder = holder
        var parser = SearchQueryParser(registry: holder.current.index.registry)
        parser.limits = configuration.limits
        self.parser = parser
        self.configuration = configuration
        self.cache = cache
        self.metrics = metrics
        self.gate = ReadGate(
            permits: DirectoryIndex.readerCount, queueLength: configuration.queueLength,
            maximumWait: configuration.queueWait)
        self.jobs = ExportJobs(capacity: configuration.exportJobs, lifetime: configuration.exportLifetime)
    }

    func addRoutes(to router: Router<PlandirRequestContext>) {
        // FHIR's error shape belongs to the FHIR API only: other paths keep their own.
        let fhir = router.group("fhir").add(middleware: FHIRErrorMiddleware())
        fhir.get("metadata") { request, _ in try await self.metadata(request) }
        // Built once: it depends on the registry alone, which a served index cannot change.
        let openAPI = ByteBuffer(
            bytes: JSONBytes.pretty(
                JSONWriter.encode(
                    OpenAPIBuilder.build(registry: holder.current.index.registry, version: plandirVersion))))
        fhir.get("openapi.json") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "public, max-age=\(configuration.cacheMaxAge)"
            headers[.contentLength] = String(openAPI.readableBytes)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: openAPI))
        }
        addExportRoutes(to: fhir)
        addPublishRoutes(to: fhir)
        fhir.get(":type") { request, context in try await self.search(request, context, body: nil) }
        fhir.post(":type/_search") { request, context in
            try await self.search(request, context, body: try await self.formBody(request))
        }
        fhir.get(":type/:id") { request, context in try await self.read(request, context) }
        for method in [HTTPRequest.Method.put, .delete, .patch] {
            fhir.on(":type", method: method) { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
            fhir.on(":type/:id", method: method) { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
        }
        fhir.post(":type") { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
        fhir.post(":type/:id") { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
        fhir.post("metadata") { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
    }

    func metadata(_ request: Request) async throws -> Response {
        try checkAccept(request)
        let snapshot = holder.current
        let pretty = try Self.readOptions(FormDecoder.decodeQuery(request)).pretty
        let base = baseURL(request)
        return try await answer(request, key: "M|\(base)|\(pretty)", snapshot: snapshot) {
            let statement = snapshot.capabilityStatement(base: base)
            return CachedResponse(
                body: pretty ? JSONBytes.pretty(statement) : statement, lastModified: snapshot.builtAtMillis)
        }
    }

    func read(_ request: Request, _ context: PlandirRequestContext) async throws -> Response {
        try checkAccept(request)
        let type = try context.parameters.require("type")
        let id = try context.parameters.require("id")
        let snapshot = holder.current
        guard snapshot.index.registry.supports(type) else {
            throw FHIRError.notFound("unknown resource type '\(type.prefix(100))'")
        }
        let (pretty, subset) = try Self.readOptions(FormDecoder.decodeQuery(request))
        let key = "R|\(type)|\(id)|\(pretty)|\(subset.map { "\($0)" } ?? "")"
        // FHIR's `W/"versionId"` is read from the body only when a client sends such a tag.
        let versionId: @Sendable (CachedResponse) -> String? = {
            (try? JSONParser.parse(Array($0.body.readableBytesView)))?["meta"]?["versionId"]?.stringValue
        }
        return try await answer(request, key: key, snapshot: snapshot, versionId: versionId, perResource: true) {
            guard FHIRID.isValid(id),
                let entry = try await admitted({ try await snapshot.index.readEntry(type: type, id: id) })
            else {
                throw FHIRError.notFound("\(type)/\(id.prefix(100)) is not in this directory")
            }
            var body = entry.json
            if let subset {
                body = ResourceTrimmer.trim(body, type: type, subset: subset, registry: snapshot.index.registry)
            }
            var response = CachedResponse(body: pretty ? JSONBytes.pretty(body) : body, lastModified: entry.lastUpdated)
            response.etag = HTTPCaching.etag(
                version: "r\(UInt64(bitPattern: entry.contentHash))-\(entry.version)-\(entry.lastUpdated)", key: key)
            return response
        }
    }

    func search(_ request: Request, _ context: PlandirRequestContext, body: [(name: String, value: String)]?)
        async throws -> Response
    {
        let type = try context.parameters.require("type")
        var snapshot = holder.current
        guard snapshot.index.registry.supports(type) else {
            throw FHIRError.notFound("unknown resource type '\(type.prefix(100))'")
        }
        var parameters = try FormDecoder.decodeQuery(request)
        if let body { parameters += body }
        parameters = SearchQueryParser.normalize(parameters)
        let lenient = request.headers[values: HTTPField.Name("Prefer")!].contains { $0.contains("handling=lenient") }
        let base = baseURL(request)
        var parser = self.parser
        parser.base = base
        let searchRequest: SearchRequest
        do throws(SearchError) {
            searchRequest = try parser.parse(resourceType: type, parameters: parameters, lenient: lenient)
        } catch {
            if let limit = error.limit { metrics.limitRejected(limit) }
            throw FHIRError(error)
        }
        try checkAccept(request)
        // A page link made on an index since replaced is answered from that index while its
        // grace lasts, so paging never mixes two versions of the directory.
        var current = true
        if let version = searchRequest.cursor?.index, version != snapshot.index.version {
            guard let minted = holder.snapshot(forVersion: version) else {
                throw FHIRError(
                    .gone, code: "processing",
                    "this page link belongs to an earlier version of the directory (\(version)), replaced since; restart the search from its first page",
                    expression: ["_cursor"])
            }
            snapshot = minted
            current = false
        }
        let pretty = searchRequest.pretty
        // Sorted pairs: parameter order does not change the answer, so it does not change the key.
        let pairs = parameters.sorted { ($0.name, $0.value) < ($1.name, $1.value) }
            .map { "\(FormDecoder.encode($0.name))=\(FormDecoder.encode($0.value))" }.joined(separator: "&")
        let key = "S|\(type)|\(base)|\(lenient)|\(pairs)"
        return try await answer(request, key: key, snapshot: snapshot, cached: current) {
            let page: SearchPage
            do {
                page = try await admitted { try await snapshot.index.search(searchRequest) }
            } catch let timeout as QueryTimeout {
                metrics.limitRejected(.queryTime)
                throw FHIRError(
                    .badRequest, code: "too-costly",
                    "\(timeout); narrow the search (a more selective parameter, fewer includes, no _total)")
            }
            if page.totalOmitted { metrics.limitRejected(.queryTime) }
            let bytes: ByteBuffer
            do throws(SearchsetWriter.TooLarge) {
                bytes = try SearchsetWriter.bundle(
                    page: page, request: searchRequest, base: base, builtAt: snapshot.index.builtAt,
                    registry: snapshot.index.registry)
            } catch {
                metrics.limitRejected(.responseBytes)
                throw FHIRError(
                    .badRequest, code: "too-costly",
                    "this page would be about \(error.size) bytes, over the \(error.limit)-byte limit; ask for a smaller _count",
                    expression: ["_count"])
            }
            if page.includesTruncated { metrics.limitRejected(.included) }
            let body = pretty ? ByteBuffer(bytes: JSONBytes.pretty(Array(bytes.readableBytesView))) : bytes
            // A page without its total is a consequence of load as much as of the query: the next
            // request may get it, so it is not kept.
            return CachedResponse(body: body, lastModified: snapshot.builtAtMillis, cacheable: !page.totalOmitted)
        }
    }

    /// Runs one index read through the gate; a request the gate turns away is a 503.
    func admitted<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await gate.withPermit(body)
        } catch is ReadGate.Full {
            metrics.limitRejected(.queue)
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            throw FHIRError(
                .serviceUnavailable, code: "transient",
                "the directory is busy: \(gate.queueLength) requests are already waiting; retry in a second",
                headers: headers)
        }
    }

    /// Conditional request handling, the cache, and the response headers shared by every
    /// successful FHIR answer.
    ///
    /// - Parameters:
    ///   - versionId: for reads, the resource's `meta.versionId`, which an
    ///     `If-None-Match: W/"versionId"` may name.
    ///   - perResource: the ETag comes with the entry (`CachedResponse.etag`), not from the
    ///     index version.
    ///   - cached: use the response cache, which holds the current index's answers only.
    func answer(
        _ request: Request, key: String, snapshot: IndexHolder.Snapshot,
        versionId: ((CachedResponse) -> String?)? = nil, perResource: Bool = false, cached: Bool = true,
        make: () async throws -> CachedResponse
    ) async throws -> Response {
        let version = snapshot.index.version
        var etag = HTTPCaching.etag(version: version, key: key)
        let ifNoneMatch = request.headers[values: .ifNoneMatch]
        // A strong match needs no work at all; FHIR's W/"versionId" form needs the resource.
        if !perResource, HTTPCaching.matches(ifNoneMatch, etag: etag, versionId: nil) {
            return notModified(etag: etag, lastModified: nil, hit: true)
        }
        var entry: CachedResponse
        var hit = false
        if cached, let hitEntry = cache.get(key, version: version) {
            entry = hitEntry
            hit = true
            metrics.cacheHits.increment()
        } else {
            entry = try await make()
            metrics.cacheMisses.increment()
            if cached && entry.cacheable { cache.put(key, version: version, entry) }
        }
        if let own = entry.etag { etag = own }
        if !ifNoneMatch.isEmpty {
            if HTTPCaching.matches(ifNoneMatch, etag: etag, versionId: versionId?(entry)) {
                return notModified(etag: etag, lastModified: entry.lastModified, hit: hit)
            }
        } else if let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse),
            entry.lastModified / 1000 <= since
        {
            return notModified(etag: etag, lastModified: entry.lastModified, hit: hit)
        }
        var headers = validators(etag: etag, lastModified: entry.lastModified, hit: hit)
        var body = entry.body
        if body.readableBytes >= configuration.gzipThreshold,
            HTTPCaching.acceptsGzip(request.headers[values: .acceptEncoding])
        {
            var gzipped = entry.gzipped
            if gzipped == nil, let made = try? Gzip.compress(body) {
                if cached { cache.setGzipped(key, version: version, made) }
                gzipped = made
            }
            if let gzipped {
                body = gzipped
                headers[.contentEncoding] = "gzip"
            }
        }
        return FHIRResponse.json(body, headers: headers)
    }

    func validators(etag: String, lastModified: Int64?, hit: Bool) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = etag
        if let lastModified { headers[.lastModified] = HTTPDate.format(millis: lastModified) }
        headers[.cacheControl] = "public, max-age=\(configuration.cacheMaxAge)"
        // `Prefer: handling=lenient` changes which parameters a search accepts.
        headers[.vary] =
            "Accept, Accept-Encoding, Origin, Prefer"
            + (configuration.trustForwardedHeaders ? ", " + ForwardedBase.vary : "")
        headers[HTTPConventionsMiddleware.cacheStatus] = hit ? "HIT" : "MISS"
        return headers
    }

    func notModified(etag: String, lastModified: Int64?, hit: Bool) -> Response {
        Response(status: .notModified, headers: validators(etag: etag, lastModified: lastModified, hit: hit))
    }

    /// `_pretty`, `_summary` and `_elements` on a read or `metadata`, validated by the same
    /// parser functions searches use.
    static func readOptions(_ parameters: [(name: String, value: String)]) throws -> (
        pretty: Bool, subset: ResourceSubset?
    ) {
        var pretty: Bool?
        var subset: ResourceSubset?
        do throws(SearchError) {
            for (name, value) in parameters {
                switch name {
                case "_pretty":
                    let value = try SearchQueryParser.pretty(name, value)
                    pretty = pretty ?? value
                case "_summary", "_elements": subset = try SearchQueryParser.subset(name, value)
                case "_format": try SearchQueryParser.format(name, value)
                default: continue
                }
            }
        } catch {
            throw FHIRError(error)
        }
        return (pretty ?? false, subset)
    }

    func formBody(_ request: Request) async throws -> [(name: String, value: String)] {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw FHIRError(
                .unsupportedMediaType, code: "not-supported",
                "POST _search takes an application/x-www-form-urlencoded body")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumFormBody)
        } catch {
            throw FHIRError(.contentTooLarge, code: "too-long", "the form body is larger than 64 KiB")
        }
        do throws(FormDecoder.Failure) {
            return try FormDecoder.decode(Substring(String(buffer: buffer)))
        } catch {
            throw FHIRError(.badRequest, code: "invalid", "cannot decode form field '\(error.pair)': \(error.reason)")
        }
    }

    /// Only JSON is served: a client that accepts XML alone gets a 406. `_format` overrides
    /// `Accept` (R4: it is there for clients that cannot set headers); the parser checks it.
    func checkAccept(_ request: Request) throws {
        if request.uri.queryParameters["_format"] != nil { return }
        guard let accept = request.headers[.accept]?.lowercased(), !accept.isEmpty else { return }
        let acceptsJSON = accept.contains("json") || accept.contains("*/*") || accept.contains("application/*")
        if !acceptsJSON {
            throw FHIRError(.notAcceptable, code: "not-supported", "only JSON is served (application/fhir+json)")
        }
    }

    /// The base for `fullUrl` and links: configured, else from trusted forwarding headers, else
    /// from the Host header when it looks sane.
    func baseURL(_ request: Request) -> String {
        if let configured = configuration.baseURL { return configured }
        if configuration.trustForwardedHeaders, let forwarded = ForwardedBase.base(request.headers) { return forwarded }
        if let host = request.head.authority, HostName.isPlausible(Substring(host)) {
            return "http://\(host)/fhir"
        }
        return "http://\(configuration.host):\(configuration.port)/fhir"
    }
}
