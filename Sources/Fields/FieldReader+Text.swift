extension FieldReader {
    /// An identifier (see `Identifier`: 1–`maximumLength` Unicode scalars, no NUL), or nil when absent.
    public func identifier(_ name: String, maximumLength: Int = Identifier.maximumLength) throws(FieldError)
        -> String?
    {
        guard let value = value(name) else { return nil }
        return try identifier(value, label: name, maximumLength: maximumLength)
    }

    public func requiredIdentifier(_ name: String, maximumLength: Int = Identifier.maximumLength)
        throws(FieldError) -> String
    {
        guard let id = try identifier(name, maximumLength: maximumLength) else { throw missing(name) }
        return id
    }

    /// A non-empty list of at most `maxCount` identifiers, sorted and without duplicates; nil when absent. An
    /// element's error names it (`user_ids[3] …`) and carries the list's name as its field.
    public func identifiers(_ name: String, maxCount: Int) throws(FieldError) -> [String]? {
        guard let elements = try list(name, maxCount: maxCount, of: "ids") else { return nil }
        var ids: Set<String> = []
        for (index, element) in elements.enumerated() {
            do {
                ids.insert(try identifier(element, label: "\(name)[\(index)]"))
            } catch {
                throw FieldError(field: prefix + name, message: error.message, code: code)
            }
        }
        return ids.sorted()
    }

    /// The elements of a non-empty JSON array of at most `maxCount` `noun`, or nil when absent.
    public func list(_ name: String, maxCount: Int, of noun: String) throws(FieldError) -> [FieldValue]? {
        guard let value = value(name) else { return nil }
        guard let elements = value.elements, !elements.isEmpty, elements.count <= maxCount else {
            throw failure(name, "must be a non-empty array of at most \(maxCount) \(noun), got \(value.shown)")
        }
        return elements
    }

    /// A reader for an object that is element `index` of the list `name` (its fields are named `name[index].field`).
    public func element(_ element: FieldValue, of name: String, at index: Int) throws(FieldError) -> FieldReader {
        guard let object = element.object else {
            throw failure("\(name)[\(index)]", "must be an object, got \(element.shown)")
        }
        return FieldReader(json: object, position: position, prefix: "\(prefix)\(name)[\(index)].", code: code)
    }

    /// One of the `allowed` strings, or nil when absent.
    public func oneOf(_ name: String, _ allowed: [String]) throws(FieldError) -> String? {
        guard let value = value(name) else { return nil }
        guard let text = value.string, allowed.contains(text) else {
            throw failure(name, "must be one of \(allowed.joined(separator: ", ")), got \(value.shown)")
        }
        return text
    }

    /// A case of a string enum, or nil when absent; `ignoringCase` accepts any case of an upper-case raw value.
    public func oneOf<Choice: RawRepresentable & CaseIterable>(_ name: String, ignoringCase: Bool = false)
        throws(FieldError) -> Choice? where Choice.RawValue == String
    {
        guard let value = value(name) else { return nil }
        let text = ignoringCase ? value.string?.uppercased() : value.string
        guard let text, let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw failure(name, "must be one of \(allowed), got \(value.shown)")
        }
        return choice
    }

    public func oneOf<Choice: RawRepresentable & CaseIterable>(
        _ name: String, default fallback: Choice, ignoringCase: Bool = false
    ) throws(FieldError) -> Choice where Choice.RawValue == String {
        try oneOf(name, ignoringCase: ignoringCase) ?? fallback
    }

    func identifier(_ value: FieldValue, label name: String, maximumLength: Int = Identifier.maximumLength)
        throws(FieldError) -> String
    {
        guard let text = value.string else { throw failure(name, "must be a string, got \(value.shown)") }
        if let problem = Identifier.problem(text, maximumLength: maximumLength) { throw failure(name, problem) }
        return text
    }
}
