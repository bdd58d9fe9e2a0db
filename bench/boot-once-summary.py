#!/usr/bin/env python3
"""What the boot-once benchmarks print: per matrix, the two runs (one boot per scenario, one boot for all)
read from their stores, the time each scenario took beyond its measuring time, and their ratio.

Usage: boot-once-summary.py OUT SECONDS [MATRIX ...]; MATRIX "" (or none given) reads OUT/per-scenario.db and
OUT/once.db, any other name OUT/NAME-per-scenario.db and OUT/NAME-once.db."""
import json, sqlite3, sys

out, secs, matrices = sys.argv[1], int(sys.argv[2]), sys.argv[3:] or [""]
for m in matrices:
    if m:
        print(f"matrix {m}:")
    fig = {}
    for boot in ("per-scenario", "once"):
        db = sqlite3.connect(f"{out}/{m + '-' if m else ''}{boot}.db")
        rows = [(st, a, b, json.loads(js or "{}") | {"load": json.loads(dims).get("load", "none")}) for st, a, b, js, dims in
                db.execute("select status, started_ms, ended_ms, settings_json, dims_json from scenarios where run_id = 1 order by idx")]
        done = [r for r in rows if r[0] == "done"]
        span = (max(r[2] for r in rows) - min(r[1] for r in rows)) / 1000
        each = [((b - a) / 1000, s.get("guest.boot", "?"), float(s.get("guest.elapsed", "nan"))) for st, a, b, s in done]
        boots = {s.get("guest.boot_id") for st, a, b, s in done}
        # done scenarios only: a failed one costs its timeout, which says nothing about booting
        per_done = sum(w for w, _, _ in each) / max(1, len(each)) - secs
        fig[boot] = per_done
        print(f"  boot = {boot}: {len(rows)} scenarios, {len(done)} done, {len(boots)} boot(s); first start to last end {span:.1f} s = "
              f"{span / len(rows) - secs:.2f} s per scenario beyond its {secs} s; done scenarios: {per_done:.2f} s per scenario beyond {secs} s")
        print("     each done scenario (wall s, boot, cyclictest's own s in the guest): " + ", ".join(f"{w:.1f} {b} {e:.2f}" for w, b, e in each))
        for load in ("none", "hb"):
            same = [(b - a) / 1000 - secs for st, a, b, s in done if s["load"] == load]
            if same:
                print(f"     load {load}: {len(same)} done, {sum(same) / len(same):.2f} s per scenario beyond {secs} s")
        for st, a, b, s in done:
            if "explain" not in s and "reservation" not in s:
                continue
            host = json.loads(s["explain.host"]) if "explain.host" in s else None
            print(f"     {s.get('reservation', '?')}: {(b - a) / 1000 - secs:.2f} s beyond {secs} s, {s.get('guest.boot', '?')} boot, "
                  f"{len(json.loads(s.get('explain', '{}')).get('spikes', []))} spikes explained, trace {int(s.get('explain.trace_bytes', 0)) // 1024} KiB gzip, "
                  f"clock from {host['alignment']['samples'] if host else 0} round trips, applied: {s.get('reservation.applied', '-')}")
        reused = [(w, e) for w, b, e in each if b == "reused"]
        if reused:
            print(f"     reused boots alone: {sum(w for w, _ in reused) / len(reused) - secs:.2f} s per scenario beyond {secs} s, "
                  f"{sum(w - e for w, e in reused) / len(reused):.2f} s beyond cyclictest's own time in the guest")
    if fig["once"] > 0:
        print(f"  per-scenario overhead of done scenarios, boot per scenario / boot once: {fig['per-scenario'] / fig['once']:.1f}x "
              f"({fig['per-scenario']:.2f} s -> {fig['once']:.2f} s)")
