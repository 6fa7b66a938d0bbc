// tanso web: the products of a run as an interactive static map site (Leaflet, opened from disk).
import Foundation
import Geo
import Reports

enum WebCommand {
    static let options: [OptionSpec] = [
        .value("coverage", "DIR", "a tanso coverage (or demo) output folder: best_signal_dbm.tif, villages.csv", required: true),
        .value("compliance", "DIR", "a tanso compliance folder: the villages' metrics and targets, communes, districts, zones"),
        .value("conflicts", "DIR", "a tanso conflicts folder: conflicts as lines, out-of-plan assignments as points"),
        .value("share-check", "DIR[,DIR…]", "tanso share-check folders (comma-separated): each proposal at its tower with its verdict"),
        .value("dem", "FILE", "elevation raster for the relief layer [default: the DEM the coverage run recorded, when it still exists]"),
        .value(
            "districts", "FILE",
            "district boundaries (any OGR polygon source or dvhcvn JSON, as compliance --admin), matched by name [default: circles at the villages' centre]"),
        .value("communes", "FILE", "commune boundaries, as --districts"),
        .value("output", "SITE", "folder for the site (index.html, lib/, data/, tiles/)", required: true),
        .value("title", "TEXT", "title shown in the legend", default: "tanso coverage map"),
        .value("max-zoom", "Z", "deepest tile zoom [default: the zoom whose pixels match the coverage cell]"),
        .value("zoom-levels", "N", "number of tile zoom levels, ending at --max-zoom", default: "4"),
        .value("leaflet", "DIR", "Leaflet's folder (leaflet.js, leaflet.css, images/)", default: "/usr/share/javascript/leaflet"),
        .value("leaflet-license", "FILE", "Leaflet's licence, copied into the site", default: "/usr/share/doc/libjs-leaflet/copyright")
    ]

    static let help = helpText(
        usage: "tanso web --coverage DIR [--compliance DIR] [--conflicts DIR] [--share-check DIR,…] --output SITE",
        summary: "Write an interactive map of a run's products as a static site: open SITE/index.html, no server or internet needed.",
        options: options,
        details: """
            The site holds Leaflet (from Debian's libjs-leaflet, with its licence, in SITE/lib/), the tiles and the data:
              tiles/relief/Z/X/Y.png   hillshade of the DEM with a height tint (XYZ, Web Mercator, 256 px)
              tiles/signal/Z/X/Y.png   best-signal classes of the coverage (the PNG map's colours)
                                       both warped to EPSG:3857 by GDAL (GDALWarp) and cut into PNGs by tanso
              data/*.js                GeoJSON assigned to variables (file:// pages may not fetch files):
                                       villages (popup: population, signal per operator and technology,
                                       targets met, serving and nearest site), communes and districts (circles
                                       at their villages' population-weighted centre, coloured by the first
                                       target's share; polygons with --districts/--communes), zones,
                                       conflicts (lines with their explanation), proposals (verdict, checks)
            The page has a layer control, a legend, a scale and a search by village name that ignores case and
            Vietnamese accents ("Phu Huu" finds "Phú Hữu"; đ matches d).

            Example (after tanso demo):
              tanso web --coverage out/demo --compliance out/demo/compliance --conflicts out/demo/conflicts \\
                        --share-check out/demo/share-check --dem out/demo/dem.tif --output out/demo/web
            """)

    static func run(_ args: [String]) throws -> Int32 {
        let a = try ParsedArguments(command: "web", arguments: args, options: options)
        if a.helpRequested { print(help); return 0 }
        let output = try OutputOptions.value(a)
        var inputs = WebSiteInputs(
            coverage: a.string("coverage")!, leaflet: a.string("leaflet")!, leafletLicence: a.string("leaflet-license")!,
            title: a.string("title")!)
        inputs.compliance = a.string("compliance")
        inputs.conflicts = a.string("conflicts")
        inputs.shareChecks = (a.string("share-check") ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
        inputs.dem = a.string("dem") ?? recordedDEM(coverage: inputs.coverage)
        inputs.districtBoundaries = a.string("districts")
        inputs.communeBoundaries = a.string("communes")
        inputs.maxZoom = try a.double("max-zoom", in: 0...20).map { Int($0) }
        inputs.zoomLevels = Int(try a.double("zoom-levels", in: 1...8)!)
        let folders = [inputs.coverage] + [inputs.compliance, inputs.conflicts].compactMap { $0 } + inputs.shareChecks
        for f in folders { try ProductFolder.verify(f) }
        let tx = try OutputOptions.open(
            output, command: ["tanso", "web"] + args, inputs: folders + [inputs.dem, inputs.districtBoundaries, inputs.communeBoundaries].compactMap { $0 },
            writes: ["index.html"])
        let start = Date()
        let summary = try WebSite.write(inputs, to: tx.staging)
        try OutputOptions.commit(
            tx, kind: "web", command: ["tanso", "web"] + args,
            inputs: folders.map { ("products", ($0 as NSString).appendingPathComponent(ProductLayout.record)) } + [
                ("dem", inputs.dem), ("districts", inputs.districtBoundaries), ("communes", inputs.communeBoundaries)
            ])
        var text = "Site: \((output as NSString).appendingPathComponent("index.html"))\n"
        text += "  tiles: zooms \(summary.zooms.lowerBound)-\(summary.zooms.upperBound), "
        text += summary.tiles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        text += "  layers: " + summary.layers.map { "\($0.name) \($0.features)" }.joined(separator: ", ") + "\n"
        for n in summary.notes { text += "  note: \(n)\n" }
        text += String(format: "  %.1f s\n", Date().timeIntervalSince(start))
        print(text, terminator: "")
        return 0
    }

    /// The DEM the coverage run recorded in its study.json (role "dem"), when that path still exists.
    static func recordedDEM(coverage: String) -> String? {
        let record = (coverage as NSString).appendingPathComponent(ProductLayout.record)
        guard let data = FileManager.default.contents(atPath: record),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let inputs = json["inputs"] as? [[String: Any]],
            let path = inputs.first(where: { $0["role"] as? String == "dem" })?["path"] as? String
        else { return nil }
        let candidates = [path, (coverage as NSString).appendingPathComponent((path as NSString).lastPathComponent)]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
