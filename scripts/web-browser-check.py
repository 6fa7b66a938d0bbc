#!/usr/bin/python3
"""Opens a `tanso web` site in headless Chromium (Debian's chromium + chromium-driver, python3-selenium) and checks
it as a person would: the layers are listed and their tiles load, clicking a village opens its popup with the
figures of the village CSV, the search folds accents, and a screenshot (the whole map, the popup open) is
written (its colours are counted by the caller). Prints one line per check ("PASS name: detail" / "FAIL name: detail") and exits 1 if any check fails.

  scripts/web-browser-check.py --site SITE --villages compliance/villages.csv --village ID \
      --search "Phu Huu=Phú Hữu" [--search "dong hiep=Đồng Hiệp"] --layers "Villages,Best signal (dBm classes)" \
      --screenshot shot.png
"""
import argparse
import csv
import pathlib
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

failures = []


def check(name, ok, detail):
    print(("PASS " if ok else "FAIL ") + name + ": " + detail, flush=True)
    if not ok:
        failures.append(name)


def wait(driver, script, timeout=20.0):
    """Polls a JavaScript expression until it is truthy; returns its last value."""
    end = time.time() + timeout
    value = None
    while time.time() < end:
        value = driver.execute_script("return " + script)
        if value:
            return value
        time.sleep(0.2)
    return value


def browser(window):
    options = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=" + window,
              "--hide-scrollbars", "--allow-file-access-from-files"]:
        options.add_argument(a)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check_layers(driver, expected):
    labels = wait(driver, "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).map(l => l.textContent.trim())")
    for name in expected:
        check("layer " + name, name in (labels or []), "layer control lists " + repr(labels))
    for tiles in ["relief", "signal"]:
        n = wait(driver, "Array.from(document.querySelectorAll('img.tiles-%s, .tiles-%s img')).filter(i => i.complete && i.naturalWidth === 256).length" % (tiles, tiles))
        check("tiles " + tiles, (n or 0) > 0, "%s tile images of 256 px loaded" % n)


def popup_text(driver, starting=""):
    """The open popup's text, once it starts with `starting` (or after 10 s)."""
    end = time.time() + 10
    text = ""
    while time.time() < end:
        text = driver.execute_script("var e = document.querySelector('.leaflet-popup-content'); return e ? e.innerText : ''")
        if text and text.startswith(starting):
            break
        time.sleep(0.2)
    return text


def check_village_popup(driver, row):
    vid = row["id"]
    driver.execute_script("var m = tansoMap.markers[arguments[0]]; tansoMap.map.closePopup(); tansoMap.map.setView(m.getLatLng(), 12, {animate: false});", vid)
    time.sleep(0.5)
    marker = driver.find_element(By.CSS_SELECTOR, "path.village-" + vid)
    marker.click()
    text = popup_text(driver, row["name"])
    check("popup opens on click", row["name"] in text, "popup of %s: %r" % (vid, text[:120]))
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-popup-content tr[data-service]')).map(r => [r.getAttribute('data-service'), r.querySelector('.dbm').textContent, r.cells[4].textContent])")
    pop = driver.execute_script("var e = document.querySelector('.leaflet-popup-content .pop'); return e ? e.textContent : null")
    check("popup population", pop == row["population"], "popup %r, CSV %r" % (pop, row["population"]))
    shown = {c[0].lower(): (c[1], c[2]) for c in cells}
    compared = 0
    for col, value in row.items():
        if not col.endswith("_dbm") or not value:
            continue
        parts = col.split("_")
        tech = next(i for i, p in enumerate(parts) if p in ("2G", "3G", "4G", "5G"))
        key = ("_".join(parts[:tech]) + "_" + parts[tech]).lower()
        got = shown.get(key, ("missing", ""))
        covered_col = "_".join(parts[:tech + 1]) + "_covered"
        want_cov = {"1": "yes", "0": "no"}.get(row.get(covered_col, ""), "")
        check("popup " + col, got[0] == value and (not want_cov or got[1] == want_cov),
              "popup %s dBm covered %r, CSV %s dBm covered %r" % (got[0], got[1], value, want_cov))
        compared += 1
    check("popup has signals", compared > 0, "%d operator/technology figures compared" % compared)
    verdict = driver.execute_script("var e = document.querySelector('.leaflet-popup-content .verdict'); return e ? e.innerText : ''")
    for col, value in row.items():
        if col.startswith("target_") and value in ("0", "1"):
            want = col[len("target_"):] + ": " + ("met" if value == "1" else "not met")
            check("popup verdict " + col, want in verdict, "verdict %r, CSV %s=%s" % (verdict, col, value))


def check_search(driver, query, expected):
    driver.execute_script("tansoMap.map.closePopup()")
    box = driver.find_element(By.ID, "search-input")
    box.clear()
    box.send_keys(query)
    items = wait(driver, "Array.from(document.querySelectorAll('#search-results li')).map(l => l.textContent)", 5) or []
    check("search " + repr(query), any(i.startswith(expected + " (") for i in items), "results %r" % items[:5])
    box.send_keys(Keys.ENTER)
    text = popup_text(driver, expected)
    check("search opens " + repr(expected), text.startswith(expected), "popup %r" % text[:60])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True)
    ap.add_argument("--villages", required=True)
    ap.add_argument("--village", required=True)
    ap.add_argument("--search", action="append", default=[])
    ap.add_argument("--layers", default="")
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--count", action="append", default=[], help="CSS=N: exactly N elements match the selector")
    ap.add_argument("--window", default="1280,900", help="browser window size W,H")
    a = ap.parse_args()
    with open(a.villages, newline="", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == a.village)
    driver = browser(a.window)
    try:
        driver.get(pathlib.Path(a.site, "index.html").resolve().as_uri())
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE" and ".png" not in e.get("message", "")]
        check("no script errors", not errors, repr(errors[:3]))
        check_layers(driver, [x for x in a.layers.split(",") if x])
        for c in a.count:
            css, n = c.rsplit("=", 1)
            found = len(driver.find_elements(By.CSS_SELECTOR, css))
            check("count " + css, found == int(n), "%d elements, expected %s" % (found, n))
        check_village_popup(driver, row)
        # The screenshot: the whole map with the village's popup open (the map pans to show it).
        driver.execute_script("tansoMap.map.fitBounds(TANSO_META.bounds, {animate: false}); tansoMap.markers[arguments[0]].openPopup()", a.village)
        wait(driver, "Array.from(document.querySelectorAll('.tiles-signal img')).every(i => i.complete)", 10)
        time.sleep(0.5)
        driver.save_screenshot(a.screenshot)
        for s in a.search:
            query, expected = s.split("=", 1)
            check_search(driver, query, expected)
    finally:
        driver.quit()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
