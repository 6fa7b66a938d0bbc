// Step 5 of `tanso demo`: the sample monitoring data (data/monitoring/) against the register, as `tanso monitor`.
import Foundation
import Analysis
import Records

enum MonitorDemo {
    /// Runs `tanso monitor` on DATA/monitoring/{emissions,sweeps}.csv and DATA/assignments.csv into OUTPUT/monitor
    /// and returns what to print.
    static func step(data: String, output: String, command: [String]) throws -> String {
        func inData(_ name: String) -> String { (data as NSString).appendingPathComponent(name) }
        let emissionsPath = inData("monitoring/emissions.csv"), sweepsPath = inData("monitoring/sweeps.csv")
        let assignmentsPath = inData("assignments.csv")
        var report = LoadReport()
        var job = MonitorJob(assignments: try AssignmentLoader.load(assignmentsPath, report: &report), settings: MonitoringSettings())
        job.emissions = try EmissionLoader.load(emissionsPath, report: &report)
        job.sweepsPath = sweepsPath
        let out = (output as NSString).appendingPathComponent("monitor")
        var s = "\n6. Spectrum monitoring against the register (tanso monitor on \(inData("monitoring/")))\n\n"
        s += try MonitorCommand.execute(
            job, output: out, title: "Spectrum monitoring - Dong Nai (sample data)", list: 10, command: command,
            inputs: [("assignments", assignmentsPath), ("emissions", emissionsPath), ("sweeps", sweepsPath)])
        return s
    }
}
