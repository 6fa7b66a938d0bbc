#!/usr/bin/env python3
"""Generate Sources/Propagation/P1546/P1546Tables.swift from the 24 tabulated field-strength curves
of Recommendation ITU-R P.1546-6 (Figures 1-24, the Annex tables that go with the figures).

Usage (from the project root):
    python3 scripts/generate-p1546-tables.py [TABLES_DIR] [OUTPUT_SWIFT]

TABLES_DIR defaults to ../shared/reference/propagation/p1546/tables (relative to the project root);
OUTPUT_SWIFT defaults to Sources/Propagation/P1546/P1546Tables.swift. Python 3 standard library only.

Each CSV has the header distance_km,h1_10m,...,h1_1200m,Emax and 78 rows (the P.1546 nominal distances).
The Emax column is not carried over: the Swift code computes it from Annex 5 section 2, Eqs. (1)-(3).
The numbers are written exactly as they appear in the CSV text (no re-rounding).
"""
import csv
import os
import re
import sys

NOMINAL_HEIGHTS = ["10", "20", "37.5", "75", "150", "300", "600", "1200"]
FILE_RE = re.compile(r"^fig(\d\d)_(land|sea|coldsea|warmsea)_(\d+)MHz_(\d+)pct\.csv$")
SWIFT_CASE = {"land": "land", "sea": "sea", "coldsea": "coldSea", "warmsea": "warmSea"}


def read_table(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = [c.strip() for c in rows[0]]
    expected = ["distance_km"] + ["h1_%sm" % h for h in NOMINAL_HEIGHTS] + ["Emax"]
    if header != expected:
        raise SystemExit("%s: unexpected header %r" % (path, header))
    distances, values = [], []
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        cells = [c.strip() for c in row]
        distances.append(cells[0])
        for text in cells[1:9]:
            float(text)  # validate: raises on anything that is not a number
            values.append(text)
    if len(distances) != 78 or len(values) != 78 * 8:
        raise SystemExit("%s: expected 78 rows of 8 curves, got %d rows" % (path, len(distances)))
    return distances, values


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    tables_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "reference",
                                                                    "propagation", "p1546", "tables")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "Sources", "Propagation", "P1546",
                                                                  "P1546Tables.swift")
    entries = []
    for name in sorted(os.listdir(tables_dir)):
        m = FILE_RE.match(name)
        if m:
            entries.append((int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4)), name))
    if [e[0] for e in entries] != list(range(1, 25)):
        raise SystemExit("expected figures 1..24 in %s, found %r" % (tables_dir, [e[0] for e in entries]))

    distances = None
    lines = []
    lines.append("// GENERATED FILE - do not edit. Regenerate with:")
    lines.append("//     python3 scripts/generate-p1546-tables.py <tables folder>")
    lines.append("// (default folder: ../shared/reference/propagation/p1546/tables relative to the project root).")
    lines.append("//")
    lines.append("// Source: Recommendation ITU-R P.1546-6 (08/2019), the tabulated field-strength curves that")
    lines.append("// accompany Figures 1-24 of Annexes 2-4, as extracted to CSV from the reference implementation")
    lines.append("// eeveetza/Py1546 (see that folder's README.md for extraction and licence). Values: field strength")
    lines.append("// in dB(uV/m) for 1 kW e.r.p., exceeded at 50 % of locations, receiving antenna at the")
    lines.append("// representative clutter height R; rows = the 78 nominal distances, columns = the 8 nominal h1.")
    lines.append("// Input files:")
    for e in entries:
        lines.append("//   %s" % e[4])
    lines.append("")
    lines.append("extension P1546 {")
    lines.append("    /// One tabulated curve family of P.1546-6 (one figure).")
    lines.append("    struct CurveTable: Sendable {")
    lines.append("        let figure: Int")
    lines.append("        let path: CurvePath")
    lines.append("        let frequencyMHz: Double")
    lines.append("        let timePercent: Double")
    lines.append("        /// Row-major: `values[row * 8 + column]`, row = distance index, column = nominal h1 index.")
    lines.append("        let values: [Double]")
    lines.append("    }")
    lines.append("")
    lines.append("    enum CurvePath: Sendable { case land, sea, coldSea, warmSea }")
    lines.append("")
    body = []
    for fig, path, freq, pct, name in entries:
        d, v = read_table(os.path.join(tables_dir, name))
        if distances is None:
            distances = d
        elif d != distances:
            raise SystemExit("%s: distance column differs from figure 1" % name)
        body.append("    static let figure%02d: [Double] = [  // %s" % (fig, name))
        for r in range(78):
            body.append("        " + ", ".join(v[r * 8:(r + 1) * 8]) + ",")
        body.append("    ]")
        body.append("")
    lines.append("    /// Nominal distances of Annex 5 Table 1 / the tabulations, km.")
    lines.append("    static let nominalDistancesKm: [Double] = [")
    for i in range(0, 78, 13):
        lines.append("        " + ", ".join(distances[i:i + 13]) + ",")
    lines.append("    ]")
    lines.append("")
    lines.append("    /// Nominal transmitting/base antenna heights h1 of the curves, m (Annex 5 section 4.1).")
    lines.append("    static let nominalHeightsM: [Double] = [%s]" % ", ".join(NOMINAL_HEIGHTS))
    lines.append("")
    lines.append("    /// All 24 curve families, indexed by figure number - 1.")
    lines.append("    static let curveTables: [CurveTable] = [")
    for fig, path, freq, pct, name in entries:
        lines.append("        CurveTable(figure: %d, path: .%s, frequencyMHz: %d, timePercent: %d, values: figure%02d),"
                     % (fig, SWIFT_CASE[path], freq, pct, fig))
    lines.append("    ]")
    lines.append("")
    lines.extend(body)
    if lines[-1] == "":
        lines.pop()
    lines.append("}")
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("wrote %s (%d figures)" % (out_path, len(entries)))


if __name__ == "__main__":
    main()
