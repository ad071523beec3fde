import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SearchParameters
import Storage

/// Bulk Publish served by plandir itself: the same manifest and files `plandir publish`
/// writes, at stable URLs, made from the served index.
///
///     GET /fhir/$bulk-publish                          → the manifest (application/json)
///     GET /fhir/$bulk-publish/{index version}/{file}   → one file, streamed (gzip on request)
///
/// File URLs name the index version: after a swap, the files of the replaced index are served
/// for the link grace, then they are 404 and the manifest names the new ones.
extension DirectoryService {
    func addPublishRoutes(to fhir: RouterGroup<PlandirRequestContext>) {
        fhir.get("$bulk-publish") { request, _ in try await self.publishManifest(request) }
        fhir.get("$bulk-publish/:version/:file") { request, context in try await self.publishFile(request, context) }
    }

    func publishManifest(_ request: Request) async throws -> Response {
        let snapshot = holder.current
        let index = snapshot.index
        let base = baseURL(request)
        let all = index.wholeExport
        var output: [JSONValue] = []
        for type in all.types {
            for part in try await index.exportParts(all, type: type, partSize: configuration.exportPartResources) {
                output.append(
                    BulkPublisher.entry(
                        type: type, url: "\(base)/$bulk-publish/\(index.version)/\(type)-\(part.number).ndjson",
                        count: part.count))
            }
        }
        let body = JSONWriter.encode(BulkPublisher.manifest(index, output: output, deleted: nil, links: []))
        var headers = validators(
            etag: HTTPCaching.etag(version: index.version, key: "P|\(base)"), lastModified: snapshot.builtAtMillis,
            hit: false)
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    func publishFile(_ request: Request, _ context: PlandirRequestContext) async throws -> Response {
        let version = try context.parameters.require("version")
        let file = try context.parameters.require("file")
        guard let snapshot = holder.snapshot(forVersion: version) else {
            throw FHIRError.notFound(
                "no published files of index version \(version.prefix(40)) here: it was replaced; fetch $bulk-publish again"
            )
        }
        let index = snapshot.index
        let all = index.wholeExport
        guard file.hasSuffix(".ndjson"), let dash = file.lastIndex(of: "-"),
            let number = Int(file[file.index(after: dash)..<file.index(file.endIndex, offsetBy: -7)]),
            all.types.contains(String(file[..<dash]))
        else {
            throw FHIRError.notFound("no published file \(file.prefix(100))")
        }
        let type = String(file[..<dash])
        let parts = try await index.exportParts(all, type: type, partSize: configuration.exportPartResources)
        guard let part = parts.first(where: { $0.number == number }) else {
            throw FHIRError.notFound("no published file \(file.prefix(100))")
        }
        // The files of one index version never change.
        return streamedPart(
            request, index: index, all, part, cacheControl: "public, max-age=\(configuration.cacheMaxAge)")
    }
}
