// Limits that stop absurd work with a message instead of a crash, a hang or memory exhaustion (issue 23): the
// length and points of a terrain profile, the cells of a coverage grid, the points of the candidate grid. Each
// can be raised with an environment variable (read once per process).
import Foundation
import Radio

public enum WorkLimits {
    static func value(_ name: String, _ def: Double) -> Double {
        guard let v = ProcessInfo.processInfo.environment[name], let x = DecimalNumber.parse(v), x > 0 else { return def }
        return x
    }

    /// Longest terrain profile, km (TANSO_MAX_PROFILE_KM, default 5000: beyond every model's validity; ITM is
    /// defined to 2000 km, P.1546 to 1000 km).
    public static let maxProfileKm = value("TANSO_MAX_PROFILE_KM", 5000)
    /// Most points in one terrain profile (TANSO_MAX_PROFILE_POINTS, default 1,000,000).
    public static let maxProfilePoints = Int(min(value("TANSO_MAX_PROFILE_POINTS", 1_000_000), 1e12))
    /// Most cells in a coverage grid (TANSO_MAX_GRID_CELLS, default 200,000,000).
    public static let maxGridCells = Int(min(value("TANSO_MAX_GRID_CELLS", 200_000_000), 1e12))
    /// Most points of the candidate-site grid before the village filter (TANSO_MAX_CANDIDATE_GRID, default 1,000,000).
    public static let maxCandidateGridPoints = Int(min(value("TANSO_MAX_CANDIDATE_GRID", 1_000_000), 1e12))

    /// Documentation for `--help` texts.
    public static let help =
        "Work limits (raise with the environment variable): profile length 5000 km (TANSO_MAX_PROFILE_KM), "
        + "1,000,000 points per profile (TANSO_MAX_PROFILE_POINTS), 200,000,000 grid cells (TANSO_MAX_GRID_CELLS), "
        + "1,000,000 candidate grid points (TANSO_MAX_CANDIDATE_GRID)."
}
