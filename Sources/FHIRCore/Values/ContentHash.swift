/// A 64-bit digest of a resource's content in one canonical form, leaving out
/// `meta.versionId` and `meta.lastUpdated`: a build compares each resource with its previous
/// version by it, so a resource whose source only re-ordered members, re-escaped a string or
/// changed its own timestamps is unchanged.
///
/// The canonical form is compact JSON with every object's members sorted by key (UTF-8 byte
/// order), strings escaped the one way `JSONWriter` does, and numbers as written (FHIR keeps a
/// decimal's precision, so `1.0` is not `1`). A `meta` left empty is the same as none.
public enum ContentHash {
    public static func of(_ resource: JSONValue) -> Int64 {
        Int64(bitPattern: digest(canonical(resource)))
    }

    /// The bytes the digest is taken over.
    public static func canonical(_ resource: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2048)
        guard case .object(let object) = resource else {
            write(resource, to: &out)
            return out
        }
        var members = object.members
        if let index = members.firstIndex(where: { $0.key == "meta" }), case .object(let meta) = members[index].value {
            let kept = meta.members.filter { $0.key != "versionId" && $0.key != "lastUpdated" }
            if kept.isEmpty {
                members.remove(at: index)
            } else {
                members[index].value = .object(JSONObject(kept))
            }
        }
        write(.object(JSONObject(members)), to: &out)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let sorted = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A multiply-and-fold hash over eight bytes at a time (the wyhash construction): fast, and
    /// unlike FNV-1a every input bit reaches every output bit, so two versions of one resource
    /// collide with probability about 2⁻⁶⁴.
    public static func digest(_ bytes: [UInt8]) -> UInt64 {
        let p0: UInt64 = 0xa076_1d64_78bd_642f
        let p1: UInt64 = 0xe703_7ed1_a0b4_28db
        let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3
        func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let product = a.multipliedFullWidth(by: b)
            return product.high ^ product.low
        }
        var state = mix(UInt64(bytes.count) ^ p0, p1)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                state = mix(word ^ p1, state ^ p2)
                offset += 8
            }
            if offset < raw.count {
                var word: UInt64 = 0
                for (shift, byte) in raw[offset...].enumerated() { word |= UInt64(byte) << (8 * UInt64(shift)) }
                state = mix(word ^ p2, state ^ p0 ^ UInt64(raw.count - offset))
            }
        }
        return mix(state ^ p0, p1 ^ UInt64(bytes.count))
    }
}
