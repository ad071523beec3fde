/// One encoded response body and the validators that go with it.
struct CachedResponse: Sendable {
    var body: [UInt8]
    /// The gzip form, made on the first request that accepts it.
    var gzipped: [UInt8]?
    var etag: String
    /// Milliseconds since 1970, for `Last-Modified`.
    var lastModified: Int64
    /// A read's `meta.versionId`, for FHIR's `If-None-Match: W/"versionId"`.
    var versionId: String?

    /// What the entry costs against the cache's byte budget.
    var size: Int { body.count + (gzipped?.count ?? 0) + etag.utf8.count + 64 }
}
