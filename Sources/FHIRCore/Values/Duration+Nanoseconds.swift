extension Duration {
    /// Whole nanoseconds, for the APIs that count in them (NIO's `TimeAmount`, metrics timers,
    /// `DispatchTime`); a duration past Int64's range of nanoseconds (292 years) traps.
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
