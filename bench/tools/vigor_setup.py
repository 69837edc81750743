#!/usr/bin/env python3
"""Database and account set-up for the Vigor benchmark (standard library only).

  vigor_setup.py tier DB
      Adds (or resets) the `bench` tier: request and budget limits so high that quota is never
      the bottleneck (quota is still reserved and settled on every request, as in production).
      Run after `vigor migrate`, before or while the server runs.

  vigor_setup.py account DB BASE_URL EMAIL PASSWORD
      Registers the account over HTTP (POST /api/v1/auth/register), moves it to the `bench`
      tier in the database (the host re-reads the account on every request), logs in
      (POST /api/v1/auth/login) and, when the host has user API keys
      (POST /api/v1/users/me/api-keys), creates one. Prints JSON:
      {"user_id", "access_token", "api_key" (or null), "api_key_route": true|false}

  vigor_setup.py login BASE_URL EMAIL PASSWORD
      Prints a fresh access token (they live 15 minutes by default).
"""
import json
import sqlite3
import sys
import time
import urllib.error
import urllib.request

BIG = 10**15  # requests per period and micro-dollars: never reached


def db_tier(db_path):
    now = int(time.time() * 1000)
    con = sqlite3.connect(db_path, timeout=10)
    with con:
        con.execute(
            """INSERT INTO tiers (name, requests_per_day, requests_per_week, requests_per_month,
                   monthly_budget_micros, price_micros, created_at, updated_at)
               VALUES ('bench', ?, ?, ?, ?, 0, ?, ?)
               ON CONFLICT(name) DO UPDATE SET requests_per_day = excluded.requests_per_day,
                   requests_per_week = excluded.requests_per_week, requests_per_month = excluded.requests_per_month,
                   monthly_budget_micros = excluded.monthly_budget_micros, updated_at = excluded.updated_at""",
            (BIG, BIG, BIG, BIG, now, now),
        )
        # No global budget and no provider caps (the seed leaves them NULL; make sure).
        con.execute("UPDATE budget_settings SET weekly_budget_micros = NULL, monthly_budget_micros = NULL")
        con.execute(
            "UPDATE provider_priorities SET daily_cap_micros = NULL, weekly_cap_micros = NULL, monthly_cap_micros = NULL"
        )
    con.close()


def http(method, url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, {"raw": raw.decode(errors="replace")}


def login(base, email, password):
    status, body = http("POST", base + "/api/v1/auth/login", {"email": email, "password": password})
    if status != 200:
        raise SystemExit(f"login failed: HTTP {status} {body}")
    return body["access_token"]


def account(db_path, base, email, password):
    username = email.split("@")[0]
    status, body = http("POST", base + "/api/v1/auth/register", {"email": email, "username": username, "password": password})
    if status not in (200, 201):
        raise SystemExit(f"register failed: HTTP {status} {body}")
    user_id = body["id"]
    con = sqlite3.connect(db_path, timeout=10)
    with con:
        changed = con.execute("UPDATE users SET tier = 'bench' WHERE id = ?", (user_id,)).rowcount
    con.close()
    if changed != 1:
        raise SystemExit(f"could not move user {user_id} to the bench tier")
    token = login(base, email, password)
    api_key, route = None, False
    status, body = http("POST", base + "/api/v1/users/me/api-keys", {"name": "bench"}, token)
    if status in (200, 201) and isinstance(body, dict):
        route = True
        api_key = body.get("key") or body.get("api_key") or body.get("secret") or body.get("token")
        if api_key is None:
            raise SystemExit(f"API key created but no key field in the answer: {body}")
    elif status not in (404, 405):
        raise SystemExit(f"creating an API key failed: HTTP {status} {body}")
    print(json.dumps({"user_id": user_id, "access_token": token, "api_key": api_key, "api_key_route": route}))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "tier" and len(sys.argv) == 3:
        db_tier(sys.argv[2])
    elif cmd == "account" and len(sys.argv) == 6:
        account(*sys.argv[2:6])
    elif cmd == "login" and len(sys.argv) == 5:
        print(login(*sys.argv[2:5]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
