import ArgumentParser
import Foundation
import Service

/// The help of a setting's flag, from `ServiceConfiguration.settings`.
func settingHelp(_ flag: String) -> ArgumentHelp {
    ArgumentHelp(ServiceConfiguration.setting(flag: flag)?.help ?? "")
}

/// The environment overridden by `flags`, each value checked against its setting (and the rules between settings when
/// `validate`); a bad one ends the command with one line on standard error and exit status 2.
func resolveConfiguration(flags: [String: String], validate: Bool = false) throws -> ServiceConfiguration {
    do {
        let configuration = try ServiceConfiguration.resolve(
            environment: ProcessInfo.processInfo.environment, flags: flags)
        if validate { try configuration.validate() }
        return configuration
    } catch {
        FileHandle.standardError.write(Data("seedtest-pipelines: invalid configuration: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
