import SearchParameters

/// How the HTTP server listens, presents itself and caches.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The public FHIR base (`https://directory.example.org/fhir`) when behind a proxy; links
    /// and `fullUrl`s otherwise use the request's Host header.
    public var baseURL: String?
    /// `Cache-Control: public, max-age=N` on successful FHIR responses.
    public var cacheMaxAge: Int
    /// The in-memory response cache's byte budget; 0 turns it off.
    public var cacheBytes: Int
    /// Bodies at least this large are gzipped for clients that accept it.
    public var gzipThreshold: Int
    /// How often the index file is checked for a rebuild; nil only on SIGHUP.
    public var reloadInterval: Duration?
    /// How long a replaced index keeps answering the page links minted on it (then 410 Gone).
    public var linkGrace: Duration = .seconds(600)
    /// `$export` jobs kept at once (more get 429), how long a job and its files live, and the
    /// resources per file.
    public var exportJobs = 16
    public var exportLifetime: Duration = .seconds(3600)
    public var exportPartResources = 100_000
    /// Run `PRAGMA quick_check` (every page of the file) on a new index before swapping it in.
    public var validateStructure = true
    /// Take the base of links from `Forwarded`/`X-Forwarded-*` (only behind a proxy that sets
    /// them); an explicit `baseURL` still wins.
    public var trustForwardedHeaders: Bool
    /// Bounds on what one search may ask for.
    public var limits: SearchLimits
    /// Requests that may wait for a database connection when all are busy, and for how long;
    /// beyond either a request gets 503 with `Retry-After`.
    public var queueLength = 256
    public var queueWait: Duration = .seconds(1)
    /// Open connections at most; beyond it the server stops accepting until one closes.
    public var maxConnections = 4096
    /// A connection with no request part arriving for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// The request's header block at most, in bytes (Hummingbird answers more with an empty 400
    /// and closes).
    public var headerBytes = 16 * 1024

    public init(
        host: String = "127.0.0.1", port: Int = 8080, baseURL: String? = nil, cacheMaxAge: Int = 300,
        cacheBytes: Int = 64 << 20, gzipThreshold: Int = 1024, reloadInterval: Duration? = nil,
        trustForwardedHeaders: Bool = false, limits: SearchLimits = SearchLimits()
    ) {
        self.limits = limits
        self.trustForwardedHeaders = trustForwardedHeaders
        self.host = host
        self.port = port
        self.baseURL = baseURL
        self.cacheMaxAge = cacheMaxAge
        self.cacheBytes = cacheBytes
        self.gzipThreshold = gzipThreshold
        self.reloadInterval = reloadInterval
    }
}

public let plandirVersion = "0.2.0"
