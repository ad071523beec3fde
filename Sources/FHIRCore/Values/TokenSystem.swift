/// Code system URLs as the index and queries compare them.
public enum TokenSystem {
    /// US Drug Formulary 2.0.1 publishes its code systems with this suffix, while its own query
    /// page and real payer data use the URL without it.
    static let temporarySuffix = "-TEMPORARY-TRIAL-USE"

    /// The form stored and searched: both spellings of a system become one.
    public static func canonical(_ system: String) -> String {
        system.hasSuffix(temporarySuffix) ? String(system.dropLast(temporarySuffix.count)) : system
    }
}
