// Step 7 of `tanso demo`: the broadcasting plan inspection of the sample register (`tanso broadcast` on its 40 FM and
// 10 DVB-T2 stations over the demo's DEM) on a 1 km grid, so that the step stays within seconds; the report names
// the planted breach (FM-40 on 97.8 MHz, 100 kHz from the VOV3 relay FM-10 on Chứa Chan).
import Foundation

enum BroadcastDemo {
    /// The demo's grid: 1 km cells (the command's default is 250 m).
    static let resolutionM = "1000"

    /// Runs `tanso broadcast` on DATA/assignments.csv and DATA/villages.csv over `dem` into OUTPUT/broadcast;
    /// `extra` options come last (a test's coarser grid).
    static func step(data: String, output: String, dem: String, extra: [String] = []) throws {
        func inData(_ name: String) -> String { (data as NSString).appendingPathComponent(name) }
        print("\n7. The broadcasting plan in field strength (tanso broadcast on \(inData("assignments.csv")), \(resolutionM) m grid)\n")
        _ = try BroadcastCommand.run(
            [
                "--assignments", inData("assignments.csv"), "--dem", dem, "--villages", inData("villages.csv"), "--resolution-m", resolutionM,
                "--title", "Broadcasting plan - Dong Nai (sample register)", "--output", (output as NSString).appendingPathComponent("broadcast")
            ] + extra)
    }
}
