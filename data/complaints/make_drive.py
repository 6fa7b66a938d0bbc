#!/usr/bin/env python3
"""Regenerates drive_unknown.csv: a mobile unit's drive around an unknown emitter that is not in the register.

The emitter (kept out of the file, for the notebook to compare): 10.9300 N, 106.9800 E, 15 m above ground,
163.250 MHz, EIRP 40 dBm. 60 points on a loop 2.5–4.5 km around it at 1.5 m; the level is EIRP − the ITM loss over
the sample DEM (tanso pathloss link mode, defaults) + log-normal shadowing of 6 dB (seed 19); at three stops a direction
finder gives a bearing with 5° standard deviation. Run from the project root with a built tanso and the sample DEM:
    python3 data/complaints/make_drive.py .build/release/tanso out/demo/dem.tif > data/complaints/drive_unknown.csv
"""
import math
import random
import subprocess
import sys

tanso, dem = sys.argv[1], sys.argv[2]
lat0, lon0, height, f, eirp = 10.93, 106.98, 15.0, 163.25, 40.0
rng = random.Random(19)
km_lat = 110.574
km_lon = 111.320 * math.cos(math.radians(lat0))
print("latitude,longitude,level_dbm,rx_height_m,bearing_deg,bearing_sigma_deg")
for k in range(60):
    a = 2 * math.pi * k / 60
    r = 3.5 + 1.0 * math.sin(3 * a) + rng.uniform(-0.2, 0.2)
    lat = lat0 + (r * math.cos(a) + 0.8) / km_lat
    lon = lon0 + (r * math.sin(a) - 0.5) / km_lon
    out = subprocess.run(
        [tanso, "pathloss", "--model", "itm", "--dem", dem, "--from", f"{lat0},{lon0}", "--to", f"{lat:.6f},{lon:.6f}",
         "--frequency-mhz", str(f), "--tx-height-m", str(height), "--rx-height-m", "1.5"],
        check=True, capture_output=True, text=True).stdout
    loss = float(next(line.split()[1] for line in out.splitlines() if line.startswith("loss")))
    level = eirp - loss + rng.gauss(0, 6)
    bearing, sigma = "", ""
    if k in (5, 25, 45):
        dy, dx = (lat0 - lat) * km_lat, (lon0 - lon) * km_lon
        bearing = f"{(math.degrees(math.atan2(dx, dy)) + rng.gauss(0, 5)) % 360:.1f}"
        sigma = "5"
    print(f"{lat:.6f},{lon:.6f},{level:.1f},1.5,{bearing},{sigma}")
