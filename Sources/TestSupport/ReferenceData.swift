// Locating the validation data that travels with the code: `Tests/Fixtures/` (see its README for each file's
// source and licence). A test that cannot find its fixture fails, naming the path it wanted; none skips.
// `TANSO_REFERENCE_DIR` points the tests at another copy with the same layout (e.g. a newer shared set).
import Foundation

public enum ReferenceData {
    /// A fixture that a test needs is missing.
    public struct MissingFixture: Error, CustomStringConvertible {
        public let relativePath: String
        public let searched: String
        public var description: String {
            "validation fixture \(relativePath) not found in \(searched) (Tests/Fixtures/README.md lists every fixture)"
        }
    }

    /// The fixtures folder: `$TANSO_REFERENCE_DIR` when set, else `Tests/Fixtures` under the project root.
    public static func root(filePath: String = #filePath) -> URL {
        if let env = ProcessInfo.processInfo.environment["TANSO_REFERENCE_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return projectRoot(filePath: filePath).appendingPathComponent("Tests/Fixtures")
    }

    /// A fixture file or folder; throws `MissingFixture` (which fails the calling test) when it is not there.
    public static func require(_ relativePath: String, filePath: String = #filePath) throws -> URL {
        let base = root(filePath: filePath)
        let url = base.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingFixture(relativePath: relativePath, searched: relativeToProject(base, filePath: filePath))
        }
        return url
    }

    /// `path` relative to the project root when it lies inside it (messages never carry machine paths).
    static func relativeToProject(_ url: URL, filePath: String) -> String {
        let rootPath = projectRoot(filePath: filePath).standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : url.lastPathComponent
    }

    /// The project root (the folder holding Package.swift), found from a test file's path.
    public static func projectRoot(filePath: String = #filePath) -> URL {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}

/// Minimal CSV reading for reference files (comma-separated, optional double quotes, header row).
public enum SimpleCSV {
    public static func rows(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = split(lines.removeFirst()).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { line in
            var row: [String: String] = [:]
            for (i, v) in split(line).enumerated() where i < header.count { row[header[i]] = v.trimmingCharacters(in: .whitespaces) }
            return row
        }
    }

    public static func split(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }
}
