import Logging

/// Settings bound to a property of `ServiceConfiguration`: the default is read from `ServiceConfiguration()`, so the
/// documented default cannot drift from the code (`defaultValue` overrides it only for defaults computed at start-up).
extension Setting {
    typealias Path<Value> = WritableKeyPath<ServiceConfiguration, Value> & Sendable

    static func integer(
        flag: String?, environment: String?, _ path: Path<Int>, _ range: ClosedRange<Int>, defaultValue: String? = nil,
        _ meaning: String
    ) -> Setting {
        Setting(
            flag: flag, environment: environment, values: .integer(range),
            defaultValue: defaultValue ?? String(ServiceConfiguration()[keyPath: path]), meaning: meaning,
            store: { configuration, value in
                if case .integer(let number) = value { configuration[keyPath: path] = number }
            },
            current: { String($0[keyPath: path]) })
    }

    static func number(
        flag: String?, environment: String?, _ path: Path<Double>, _ range: ClosedRange<Double>, _ meaning: String
    ) -> Setting {
        Setting(
            flag: flag, environment: environment, values: .number(range),
            defaultValue: format(ServiceConfiguration()[keyPath: path]), meaning: meaning,
            store: { configuration, value in
                if case .number(let number) = value { configuration[keyPath: path] = number }
            },
            current: { format($0[keyPath: path]) })
    }

    /// Text that replaces a default (`127.0.0.1`, `.seedtest`).
    static func text(flag: String?, environment: String?, _ path: Path<String>, _ meaning: String) -> Setting {
        Setting(
            flag: flag, environment: environment, values: .text, defaultValue: ServiceConfiguration()[keyPath: path],
            meaning: meaning,
            store: { configuration, value in
                if case .text(let text) = value { configuration[keyPath: path] = text }
            },
            current: { $0[keyPath: path] })
    }

    /// Optional text (`values` is `.text`, `.secret` or `.url`); without a value the setting is off.
    static func optional(
        flag: String?, environment: String?, _ path: Path<String?>, values: Values = .text,
        defaultValue: String = "none",
        _ meaning: String
    ) -> Setting {
        Setting(
            flag: flag, environment: environment, values: values, defaultValue: defaultValue, meaning: meaning,
            store: { configuration, value in
                if case .text(let text) = value { configuration[keyPath: path] = text }
            },
            current: { $0[keyPath: path] ?? defaultValue })
    }

    static func logLevel(flag: String?, environment: String?, _ path: Path<Logger.Level>, _ meaning: String) -> Setting
    {
        Setting(
            flag: flag, environment: environment, values: .logLevel,
            defaultValue: ServiceConfiguration()[keyPath: path].rawValue, meaning: meaning,
            store: { configuration, value in
                if case .logLevel(let level) = value { configuration[keyPath: path] = level }
            },
            current: { $0[keyPath: path].rawValue })
    }

    /// A command-line switch, off by default.
    static func onOff(flag: String, _ path: Path<Bool>, _ meaning: String) -> Setting {
        Setting(
            flag: flag, environment: nil, values: .onOff, defaultValue: "off", meaning: meaning,
            store: { configuration, _ in configuration[keyPath: path] = true },
            current: { $0[keyPath: path] ? "on" : "off" })
    }
}
