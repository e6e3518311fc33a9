import Fields

/// A bad run parameter (answered 400): the shared `FieldError`, which names the field; its code is
/// `invalid_parameter`.
public typealias ParameterError = FieldError
