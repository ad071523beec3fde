import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SearchParameters
import Storage

/// FHIR Bulk Data `$export` (Bulk Data Access IG 2.0.0), open: kick-off, status, files.
///
///     GET /fhir/$export                      Prefer: respond-async  → 202, Content-Location
///     GET /fhir/$export-status/{job}         → 202 X-Progress, then 200 and the manifest
///     DELETE /fhir/$export-status/{job}      → 202 (cancelled)
///     GET /fhir/$export-file/{job}/{file}    → the NDJSON, streamed (gzip on request)
extension DirectoryService {
    static let ndjson = "application/fhir+ndjson"
    /// Resources read per chunk of a file: one index read each.
    static let exportChunk = 1000

    func addExportRoutes(to fhir: RouterGroup<PlandirRequestContext>) {
        fhir.get("$export") { request, _ in try await self.exportKickOff(request) }
        fhir.get("$export-status/:job") { _, context in try self.exportStatus(context) }
        fhir.delete("$export-status/:job") { _, context in try self.exportCancel(context) }
        fhir.get("$export-file/:job/:file") { request, context in try self.exportFile(request, context) }
    }

    func exportKickOff(_ request: Request) async throws -> Response {
        guard request.headers[values: HTTPField.Name("Prefer")!].contains(where: { $0.contains("respond-async") })
        else {
            throw FHIRError(.badRequest, code: "invalid", "$export runs asynchronously: send Prefer: respond-async")
        }
        try checkAccept(request)
        let base = baseURL(request)
        var parser = self.parser
        parser.base = base
        let parameters = try FormDecoder.decodeQuery(request)
        let exportRequest: ExportRequest
        do throws(SearchError) {
            exportRequest = try ExportRequest.parse(parameters, parser: parser)
        } catch {
            throw FHIRError(error)
        }
        let snapshot = holder.current
        let kickoff = base + "/$export" + (request.uri.query.map { "?" + $0 } ?? "")
        let job: ExportJobs.Job
        do throws(ExportJobs.Full) {
            job = try jobs.start(snapshot: snapshot, request: exportRequest, kickoff: kickoff, base: base)
        } catch {
            var headers = HTTPFields()
            headers[.retryAfter] = String(error.retryAfter)
            throw FHIRError(
                .tooManyRequests, code: "throttled",
                "\(jobs.capacity) exports are already kept; retry when one expires (in \(error.retryAfter) s)",
                headers: headers)
        }
        let jobs = self.jobs
        let partSize = configuration.exportPartResources
        Task.detached { await Self.prepare(job, jobs: jobs, partSize: partSize) }
        var headers = HTTPFields()
        headers[.contentLocation] = "\(base)/$export-status/\(job.id)"
        headers[.cacheControl] = "no-store"
        return Response(status: .accepted, headers: headers)
    }

    /// Counts each type's parts and writes the manifest; what the status URL reports meanwhile.
    static func prepare(_ job: ExportJobs.Job, jobs: ExportJobs, partSize: Int) async {
        let request = job.request
        let index = job.snapshot.index
        do {
            var parts: [String: DirectoryIndex.ExportPart] = [:]
            var output: [JSONValue] = []
            for (n, type) in request.types.enumerated() {
                guard
                    jobs.update(
                        job.id, .running(progress: "counting \(type) (\(n + 1) of \(request.types.count) types)"))
                else { return }
                for part in try await index.exportParts(request, type: type, partSize: partSize) {
                    let name = "\(type)-\(part.number).ndjson"
                    parts[name] = part
                    output.append(
                        BulkPublisher.entry(
                            type: type, url: "\(job.base)/$export-file/\(job.id)/\(name)", count: part.count))
                }
            }
            var deletions: [[UInt8]] = []
            var deleted: [JSONValue] = []
            if let since = request.since {
                let gone = try await index.deletions(since: since, types: request.types)
                deletions = DeletionBundle.lines(gone.map { (type: $0.type, id: $0.id) })
                if !deletions.isEmpty {
                    deleted.append(
                        BulkPublisher.entry(
                            type: "Bundle", url: "\(job.base)/$export-file/\(job.id)/deleted.ndjson",
                            count: deletions.count))
                }
            }
            // The index's build time, not the clock: every later index stamps what it changes
            // with its own, later, build time, so `_since` this finds exactly those changes.
            var manifest: [(key: String, value: JSONValue)] = [
                ("transactionTime", .string(index.builtAt)), ("request", .string(job.kickoff)),
                ("requiresAccessToken", .bool(false)), ("output", .array(output)),
            ]
            if request.since != nil { manifest.append(("deleted", .array(deleted))) }
            manifest.append(("error", .array([])))
            jobs.update(
                job.id,
                .ready(
                    manifest: JSONWriter.encode(.object(JSONObject(manifest))), parts: parts, deletions: deletions))
        } catch {
            jobs.update(job.id, .failed(reason: "\(error)"))
        }
    }

    func exportJob(_ context: PlandirRequestContext) throws -> ExportJobs.Job {
        let id = try context.parameters.require("job")
        guard let job = jobs.job(id) else { throw Self.unknownJob(id) }
        return job
    }

    static func unknownJob(_ id: String) -> FHIRError {
        FHIRError.notFound("no export job \(id.prefix(64)): unknown, cancelled or expired")
    }

    func exportStatus(_ context: PlandirRequestContext) throws -> Response {
        let job = try exportJob(context)
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        switch job.state {
        case .running(let progress):
            headers[HTTPField.Name("X-Progress")!] = progress
            headers[.retryAfter] = "1"
            return Response(status: .accepted, headers: headers)
        case .failed(let reason):
            throw FHIRError(.internalServerError, code: "exception", "the export failed: \(reason)")
        case .ready(let manifest, _, _):
            headers[.expires] = HTTPDate.format(millis: Int64(job.expires.timeIntervalSince1970 * 1000))
            headers[.contentType] = "application/json"
            headers[.contentLength] = String(manifest.count)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: manifest)))
        }
    }

    func exportCancel(_ context: PlandirRequestContext) throws -> Response {
        let id = try context.parameters.require("job")
        guard jobs.cancel(id) else { throw Self.unknownJob(id) }
        return Response(status: .accepted, headers: [.cacheControl: "no-store"])
    }

    /// One file, streamed from the job's index snapshot a chunk at a time.
    func exportFile(_ request: Request, _ context: PlandirRequestContext) throws -> Response {
        let job = try exportJob(context)
        let file = try context.parameters.require("file")
        guard case .ready(_, let parts, let deletions) = job.state else {
            throw FHIRError.notFound("export \(job.id) is not finished; poll its status URL")
        }
        if file == "deleted.ndjson", !deletions.isEmpty {
            return ndjsonResponse(request, cacheControl: "no-store") { writer, stream in
                for bundle in deletions {
                    let line = ByteBuffer(bytes: bundle + [0x0A])
                    try await writer.write(try stream?.compress(line) ?? line)
                }
            }
        }
        guard let part = parts[file] else {
            throw FHIRError.notFound("export \(job.id) has no file \(file.prefix(100))")
        }
        return streamedPart(request, index: job.snapshot.index, job.request, part, cacheControl: "no-store")
    }

    /// A part's NDJSON, streamed a chunk (one index read) at a time.
    func streamedPart(
        _ request: Request, index: DirectoryIndex, _ exportRequest: ExportRequest, _ part: DirectoryIndex.ExportPart,
        cacheControl: String
    ) -> Response {
        ndjsonResponse(request, cacheControl: cacheControl) { writer, stream in
            var after: Int64?
            while let chunk = try await self.admitted({
                try await index.exportChunk(exportRequest, part: part, after: after, limit: Self.exportChunk)
            }) {
                after = chunk.last
                let buffer = ByteBuffer(bytes: chunk.ndjson)
                try await writer.write(try stream?.compress(buffer) ?? buffer)
            }
        }
    }

    /// An NDJSON body written by `write`, gzipped as it goes when the client accepts it.
    func ndjsonResponse(
        _ request: Request, cacheControl: String,
        _ write: @escaping @Sendable (inout any ResponseBodyWriter, GzipStream?) async throws -> Void
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Self.ndjson
        headers[.cacheControl] = cacheControl
        let gzip = HTTPCaching.acceptsGzip(request.headers[values: .acceptEncoding])
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let stream = gzip ? try GzipStream() : nil
                try await write(&writer, stream)
                if let stream { try await writer.write(try stream.finish()) }
                try await writer.finish(nil)
            })
    }
}
