#if canImport(Glibc)
    import Glibc
#endif

/// This process's resource use, for build summaries and benchmarks.
public enum ResourceUsage {
    /// The peak resident set size so far, in bytes.
    public static func peakResidentBytes() -> Int64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // Linux reports kilobytes.
        return Int64(usage.ru_maxrss) * 1024
    }
}
