#!/usr/bin/env python3
"""Writes the sample traces in src/main/resources/traces/ (run from faascell-replay/).

Both are in the exact format of the Azure Functions 2019 trace (the three files of a day, under their
public names, with all 1440 minute columns); only the first minutes have counts, the rest of the day
is zero. Seeded, so running it again writes the same files.

sample-d01: 8 functions of 3 apps over 60 minutes, skewed like the real trace: two popular functions,
  a timer, a bursty queue function and rare ones. Durations 50 ms - 2 s, memory 30-150 MB.
demo-10min: 6 functions of 3 apps over 10 minutes, light enough to replay in real time on a small
  node, with gaps between a function's invocations from seconds to minutes, so that keep-alive
  policies differ in what they keep warm.
"""
import hashlib
import os
import random

MINUTES = 1440


def h(text):
    return hashlib.sha256(text.encode()).hexdigest()


def poisson(rng, mean):
    # Knuth's method; the means here are small
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def write(directory, apps, functions):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "invocations_per_function_md.anon.d01.csv"), "w") as f:
        f.write(",".join(["HashOwner", "HashApp", "HashFunction", "Trigger"] + [str(m) for m in range(1, MINUTES + 1)]) + "\n")
        for fn in functions:
            counts = fn["counts"] + [0] * (MINUTES - len(fn["counts"]))
            f.write(",".join([fn["owner"], fn["app"], fn["hash"], fn["trigger"]] + [str(c) for c in counts]) + "\n")
    with open(os.path.join(directory, "function_durations_percentiles.anon.d01.csv"), "w") as f:
        f.write("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,"
                "percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,"
                "percentile_Average_100\n")
        for fn in functions:
            p = fn["durations"]
            average = round(sum(p) / len(p))
            f.write(",".join([fn["owner"], fn["app"], fn["hash"], str(average), str(sum(fn["counts"])), str(p[0]),
                              str(p[-1])] + [str(v) for v in p]) + "\n")
    with open(os.path.join(directory, "app_memory_percentiles.anon.d01.csv"), "w") as f:
        f.write("HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,"
                "AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,"
                "AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\n")
        for app in apps:
            m = app["memory"]
            f.write(",".join([app["owner"], app["app"], str(app["samples"]), str(m[3])] + [str(v) for v in m]) + "\n")


def function(name, app, trigger, counts, durations):
    return {"owner": app["owner"], "app": app["app"], "hash": h("function " + name), "trigger": trigger,
            "counts": counts, "durations": durations}


def app(name, samples, memory):
    return {"owner": h("owner " + name), "app": h("app " + name), "samples": samples, "memory": memory}


def sample_d01():
    rng = random.Random(20190701)
    minutes = 60
    web, jobs, media = app("web", 120, [52, 55, 61, 66, 72, 84, 95, 110]), \
        app("jobs", 60, [30, 31, 34, 38, 41, 47, 52, 58]), app("media", 40, [96, 101, 112, 124, 133, 141, 147, 150])
    # popular: rates that drift over the hour; rare: a handful of minutes with one or two invocations
    api = [poisson(rng, 18 + 8 * (m / minutes)) for m in range(minutes)]
    thumbnails = [poisson(rng, 6) for m in range(minutes)]
    timer = [1] * minutes
    bursts = [poisson(rng, 14) if m % 12 in (3, 4) else poisson(rng, 0.3) for m in range(minutes)]

    def rare(k):
        used = set(rng.sample(range(minutes), k))
        return [(1 + (rng.random() < 0.3)) if m in used else 0 for m in range(minutes)]

    functions = [
        function("web-api", web, "http", api, [48, 52, 71, 95, 130, 310, 480]),
        function("web-cron", web, "timer", timer, [880, 910, 1050, 1200, 1380, 1850, 1990]),
        function("web-admin", web, "http", rare(5), [60, 64, 90, 120, 170, 390, 520]),
        function("jobs-queue", jobs, "queue", bursts, [180, 200, 260, 340, 460, 720, 800]),
        function("jobs-webhook", jobs, "http", rare(4), [50, 51, 58, 66, 80, 130, 150]),
        function("jobs-event", jobs, "event", rare(2), [300, 310, 420, 510, 600, 900, 950]),
        function("media-thumb", media, "http", thumbnails, [240, 260, 420, 560, 780, 1400, 1800]),
        function("media-archive", media, "storage", rare(3), [700, 720, 900, 1100, 1300, 1800, 2000]),
    ]
    write("src/main/resources/traces/sample-d01", [web, jobs, media], functions)


def demo_10min():
    rng = random.Random(20190702)
    minutes = 10
    shop, mail, report = app("shop", 30, [58, 60, 63, 66, 70, 76, 80, 84]), \
        app("mail", 20, [34, 35, 37, 40, 42, 45, 47, 48]), app("report", 10, [118, 120, 124, 128, 132, 138, 142, 146])
    sparse = lambda used: [1 if m + 1 in used else 0 for m in range(minutes)]
    functions = [
        function("shop-api", shop, "http", [poisson(rng, 6) for _ in range(minutes)], [70, 80, 110, 140, 190, 290, 320]),
        function("shop-sync", shop, "timer", sparse({1, 3, 5, 7, 9}), [480, 500, 700, 850, 1000, 1350, 1500]),
        function("mail-queue", mail, "queue", [0, 8, 0, 0, 0, 10, 0, 0, 6, 0], [190, 200, 280, 350, 430, 560, 600]),
        function("mail-bounce", mail, "http", sparse({1, 4, 8}), [90, 95, 120, 150, 180, 240, 260]),
        function("report-build", report, "http", [poisson(rng, 1) for _ in range(minutes)], [300, 320, 500, 700, 900, 1400, 1600]),
        function("report-export", report, "storage", sparse({3, 10}), [800, 820, 1000, 1200, 1400, 1800, 1900]),
    ]
    write("src/main/resources/traces/demo-10min", [shop, mail, report], functions)


sample_d01()
demo_10min()
