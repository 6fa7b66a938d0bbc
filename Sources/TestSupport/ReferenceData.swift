// Locating the shared reference data (../shared/reference relative to the project root) from tests.
//
// Tests never copy the reference files: they read them where CI puts them, and skip with a clear
// message when they are missing. `TANSO_REFERENCE_DIR` overrides the search.
import Foundation

public enum ReferenceData {
    /// The `shared/reference` folder, or nil when it cannot be found.
    public static func root(filePath: String = #filePath) -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TANSO_REFERENCE_DIR"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = dir.appendingPathComponent("shared/reference")
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// A file or folder under the reference root, or nil when the root or the file is missing.
    public static func url(_ relativePath: String, filePath: String = #filePath) -> URL? {
        guard let root = root(filePath: filePath) else { return nil }
        let url = root.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Why a test skipped, in one line.
    public static func missingMessage(_ relativePath: String) -> String {
        "reference data ../shared/reference/\(relativePath) not found (set TANSO_REFERENCE_DIR); skipping"
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
