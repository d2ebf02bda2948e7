#!/usr/bin/env python3
"""Load generator and probes for tests/bench/run.sh (loopback only).

  load.py post    --ingest PORT --events N [--batch B] [--clients C] [--match]
      posts N events as NDJSON batches; prints "events_per_second"
  load.py e2e     --ingest PORT --mock PORT --events N [--batch B] [--clients C]
      posts N forwarded events, waits until the mock received them all;
      prints "end_to_end_events_per_second ingest_events_per_second"
  load.py drain   --metrics PORT --redis PORT --staging LIST --queue LIST --events N
      renames the filled staging list to the ingest queue of an idle
      alerter, waits until it processed N events; prints "events_per_second"
  load.py latency --ingest PORT --mock PORT --rate R --seconds S
      sends R events/s for S seconds, each carrying its send time, and reads
      the mock's receive times; prints "p50_ms p95_ms p99_ms received sent"
"""
import argparse
import http.client
import json
import re
import socket
import sys
import threading
import time

HEADERS = {"Content-Type": "application/x-ndjson", "X-API-KEY": "bench-key"}


def event(i, match, sent_ms=None):
    # "ERROR" matches seed rule 2 (prod: Ticket_only, forwarded); the other
    # text matches no seed rule.
    text = "ERROR bench event" if match else "bench note nothing to see"
    if sent_ms is not None:
        text += f" sent_ms={sent_ms}"
    return json.dumps({"timestamp": "2025-01-15T14:30:22Z", "hostname": f"bench{i % 50}.prod.example.com",
                       "message": f"{text} {i}", "syslog_severity": 3})


def post_batches(port, bodies):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for body in bodies:
        conn.request("POST", "/ingest", body=body, headers=HEADERS)
        response = conn.getresponse()
        response.read()
        if response.status >= 300:
            raise SystemExit(f"ingest returned HTTP {response.status}; see the muttd log for the reason")
    conn.close()


def post(port, events, batch, clients, match):
    bodies = ["\n".join(event(i, match) for i in range(b, min(b + batch, events))).encode()
              for b in range(0, events, batch)]
    share = [bodies[c::clients] for c in range(clients)]
    threads = [threading.Thread(target=post_batches, args=(port, part)) for part in share]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return start, time.monotonic()


def get_json(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return json.loads(body)


def reset_mock(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/_control/reset", body=b"{}", headers={"Content-Type": "application/json"})
    conn.getresponse().read()
    conn.close()


def wait_mock(port, count, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get_json(port, "/_control/stats")["succeeded"] >= count:
            return time.monotonic()
        time.sleep(0.02)
    raise SystemExit(f"the mock received fewer than {count} alerts within {timeout} s")


def processed(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return sum(float(m) for m in re.findall(r"^mutt_alerter_events_processed_total(?:\{[^}]*\})? (\S+)$", text, re.M))


def cmd_post(a):
    start, end = post(a.ingest, a.events, a.batch, a.clients, a.match)
    print(f"{a.events / (end - start):.0f}")


def cmd_e2e(a):
    reset_mock(a.mock)
    start, ingested = post(a.ingest, a.events, a.batch, a.clients, True)
    done = wait_mock(a.mock, a.events, a.timeout)
    print(f"{a.events / (done - start):.0f} {a.events / (ingested - start):.0f}")


def redis_command(port, *words):
    request = f"*{len(words)}\r\n" + "".join(f"${len(w.encode())}\r\n{w}\r\n" for w in words)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request.encode())
        reply = conn.recv(4096).decode()
    if reply.startswith("-"):
        raise SystemExit(f"redis {words[0]} failed: {reply.strip()}")


def cmd_drain(a):
    before = processed(a.metrics)
    start = time.monotonic()
    redis_command(a.redis, "RENAME", a.staging, a.queue)
    deadline = start + a.timeout
    while time.monotonic() < deadline:
        if processed(a.metrics) - before >= a.events:
            print(f"{a.events / (time.monotonic() - start):.0f}")
            return
        time.sleep(0.01)
    raise SystemExit(f"the alerter processed fewer than {a.events} events within {a.timeout} s")


def cmd_latency(a):
    reset_mock(a.mock)
    per_tick = max(1, a.rate // 100)  # 100 requests a second, each a batch of per_tick events
    tick = per_tick / a.rate
    conn = http.client.HTTPConnection("127.0.0.1", a.ingest, timeout=30)
    sent = 0
    start = time.monotonic()
    while time.monotonic() - start < a.seconds:
        due = start + (sent // per_tick) * tick
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        now_ms = int(time.time() * 1000)
        body = "\n".join(event(sent + k, True, now_ms) for k in range(per_tick)).encode()
        conn.request("POST", "/ingest", body=body, headers=HEADERS)
        response = conn.getresponse()
        response.read()
        if response.status >= 300:
            raise SystemExit(f"ingest returned HTTP {response.status} during the latency run; see the muttd log")
        sent += per_tick
    conn.close()
    wait_mock(a.mock, sent, a.timeout)

    latencies = []
    offset = 0
    while True:
        page = get_json(a.mock, f"/_control/requests?offset={offset}&limit=5000")
        for record in page["requests"]:
            body = record["body"]  # the mock returns a JSON body as an object, anything else as text
            payload = json.loads(body) if isinstance(body, str) else body
            found = re.search(r"sent_ms=(\d+)", payload.get("description", ""))
            if found and record["status"] < 300:
                latencies.append(record["received_at_ms"] - int(found.group(1)))
        offset += len(page["requests"])
        if not page["requests"] or offset >= page["total"]:
            break
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
    print(f"{pct(50)} {pct(95)} {pct(99)} {len(latencies)} {sent}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("post", "e2e", "latency"):
        p = sub.add_parser(name)
        p.add_argument("--ingest", type=int, required=True)
        p.add_argument("--batch", type=int, default=500)
        p.add_argument("--clients", type=int, default=2)
        p.add_argument("--timeout", type=float, default=300)
    sub.choices["post"].add_argument("--events", type=int, required=True)
    sub.choices["post"].add_argument("--match", action="store_true")
    sub.choices["e2e"].add_argument("--events", type=int, required=True)
    sub.choices["e2e"].add_argument("--mock", type=int, required=True)
    sub.choices["latency"].add_argument("--mock", type=int, required=True)
    sub.choices["latency"].add_argument("--rate", type=int, required=True)
    sub.choices["latency"].add_argument("--seconds", type=float, required=True)
    drain = sub.add_parser("drain")
    drain.add_argument("--metrics", type=int, required=True)
    drain.add_argument("--events", type=int, required=True)
    drain.add_argument("--redis", type=int, required=True)
    drain.add_argument("--staging", required=True)
    drain.add_argument("--queue", default="mutt:ingest_queue")
    drain.add_argument("--timeout", type=float, default=300)
    a = parser.parse_args()
    {"post": cmd_post, "e2e": cmd_e2e, "drain": cmd_drain, "latency": cmd_latency}[a.command](a)


if __name__ == "__main__":
    sys.exit(main())
