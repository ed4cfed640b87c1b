/// The values the strict readers of request bodies share (the API's job and batch, the
/// simulator's create), each as `JSONDecoder` reads it or not at all: a reader that gets
/// `Unexpected` leaves the body to `JSONDecoder`, which then decides.
extension StrictJSON {
    /// A boolean, or nil for null; throws for any other value.
    package func optionalBool(_ value: Value) throws(Unexpected) -> Bool? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag
        default: throw Unexpected()
        }
    }

    /// One of an enum's values, or nil for a missing member or null; throws for a value the enum
    /// does not know. Inlinable, so each caller's enum is read by code specialised for it (in the
    /// API's module, before the reader moved here, it was).
    @inlinable
    package func optionalEnum<Known: RawRepresentable<String>>(_ value: Value?) throws(Unexpected) -> Known? {
        guard let text = try optionalString(value) else { return nil }
        guard let known = Known(rawValue: text) else { throw Unexpected() }
        return known
    }

    /// A number as `Double` reads it, or nil for null; throws for any other value and for a
    /// number past `Double`'s range, which `JSONDecoder` refuses.
    package func optionalFiniteDouble(_ value: Value) throws(Unexpected) -> Double? {
        if value.isNull { return nil }
        guard case .number(let range, _) = value, let number = Double(String(decoding: bytes[range], as: UTF8.self)), number.isFinite
        else { throw Unexpected() }
        return number
    }

    /// The elements of an array of objects, each read from its members by `read`; throws for any
    /// other value, or an element that is not an object.
    @inlinable
    package func arrayOfObjects<Element>(
        _ value: Value, _ read: ([Member]) throws(Unexpected) -> Element
    ) throws(Unexpected) -> [Element] {
        guard case .array(let values) = value else { throw Unexpected() }
        var elements: [Element] = []
        elements.reserveCapacity(values.count)
        for value in values {
            guard case .object(let members) = value else { throw Unexpected() }
            elements.append(try read(members))
        }
        return elements
    }

    /// Any value as a free-form JSON type (`Target`) decodes it: null, then a boolean, a number,
    /// a string, an array, an object. Throws where the two could differ: a number past `Double`.
    /// Inlinable, so each caller's module specialises it for its own type: called through the
    /// protocol, every value and container would resolve `Target`'s metadata at run time (a
    /// batch's thousand documents go through the API's schema check with it).
    @inlinable
    package func anyValue<Target: JSONValueCases>(_ value: Value) throws(Unexpected) -> Target {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number:
            // `optionalFiniteDouble` gives nil only for null, which this is not.
            guard let number = try optionalFiniteDouble(value) else { throw Unexpected() }
            return .number(number)
        case .string: return .string(try string(value))
        case .array(let elements):
            var values: [Target] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try anyValue(element)) }
            return .array(values)
        case .object(let members):
            var object: [String: Target] = [:]
            object.reserveCapacity(members.count)
            for member in members { object[member.key] = try anyValue(member.value) }
            return .object(object)
        }
    }

    /// ``anyValue(_:)``, or nil for null (as `decodeIfPresent` gives it).
    @inlinable
    package func optionalAnyValue<Target: JSONValueCases>(_ value: Value) throws(Unexpected) -> Target? {
        value.isNull ? nil : try anyValue(value)
    }
}

/// A free-form JSON value type with JSON's six cases (enum cases satisfy these requirements), so
/// that `StrictJSON` builds the Mantle client's `JSONValue` and the simulator's alike.
package protocol JSONValueCases {
    static var null: Self { get }
    static func bool(_ flag: Bool) -> Self
    static func number(_ number: Double) -> Self
    static func string(_ text: String) -> Self
    static func array(_ elements: [Self]) -> Self
    static func object(_ members: [String: Self]) -> Self
}
