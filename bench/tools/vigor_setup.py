#!/usr/bin/env python3
"""Database and account set-up for the Vigor benchmark (standard library only).

  vigor_setup.py tier DB [NAME REQUESTS_PER_DAY]
      Adds (or resets) the `bench` tier: request and budget limits so high that quota is never
      the bottleneck (quota is still reserved and settled on every request, as in production).
      With NAME and REQUESTS_PER_DAY: a tier of that name allowing that many requests a day
      (the quota exactness check). Run after `vigor migrate`, before or while the server runs.

  vigor_setup.py account DB BASE_URL EMAIL PASSWORD [TIER]
      Registers the account over HTTP (POST /api/v1/auth/register), moves it to the `bench`
      tier (or TIER) in the database (the host re-reads the account on every request), logs in
      (POST /api/v1/auth/login) and, when the host has user API keys
      (POST /api/v1/users/me/api-keys), creates one. Prints JSON:
      {"user_id", "access_token", "api_key" (or null), "api_key_route": true|false}

  vigor_setup.py login BASE_URL EMAIL PASSWORD
      Prints a fresh access token (they live 15 minutes by default).

  vigor_setup.py count DB SQL
      Prints the single value SQL returns (e.g. `select count(*) from ai_usage_logs`).

DB is a SQLite file path or a `postgres://` URL (then `psql` runs the statements).
"""
import json
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

BIG = 10**15  # requests per period and micro-dollars: never reached


class Database:
    """A SQLite file or a PostgreSQL URL; `?` placeholders either way. All statements given to
    one `run` call are one transaction."""

    def __init__(self, target):
        self.target = target
        self.postgres = target.startswith(("postgres://", "postgresql://"))

    def run(self, statements):
        """statements: [(sql, params)]; returns the rows of the last one (RETURNING/SELECT)."""
        if not self.postgres:
            con = sqlite3.connect(self.target, timeout=10)
            try:
                with con:
                    rows = []
                    for sql, params in statements:
                        rows = con.execute(sql, params).fetchall()
                return rows
            finally:
                con.close()
        # psql: each `?` becomes a psql variable quoted as a literal (:'v0'), so no value is
        # ever spliced into the SQL text; an untyped literal takes the column's type.
        script, variables, n = ["BEGIN;"], [], 0
        for sql, params in statements:
            parts = sql.split("?")
            if len(parts) - 1 != len(params):
                raise SystemExit(f"placeholder count mismatch in {sql}")
            text = parts[0]
            for value, rest in zip(params, parts[1:]):
                variables += ["-v", f"v{n}={value}"]
                text += f":'v{n}'" + rest
                n += 1
            script.append(text.strip().rstrip(";") + ";")
        script.append("COMMIT;")
        out = subprocess.run(["psql", self.target, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", *variables],
                             input="\n".join(script), capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"psql failed: {out.stderr.strip()}")
        return [tuple(line.split("|")) for line in out.stdout.splitlines() if line.strip()]


def db_tier(db_path, name="bench", per_day=BIG):
    now = int(time.time() * 1000)
    Database(db_path).run([
        (
            """INSERT INTO tiers (name, requests_per_day, requests_per_week, requests_per_month,
                   monthly_budget_micros, price_micros, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, 0, ?, ?)
               ON CONFLICT(name) DO UPDATE SET requests_per_day = excluded.requests_per_day,
                   requests_per_week = excluded.requests_per_week, requests_per_month = excluded.requests_per_month,
                   monthly_budget_micros = excluded.monthly_budget_micros, updated_at = excluded.updated_at""",
            (name, int(per_day), BIG, BIG, BIG, now, now),
        ),
        # No global budget and no provider caps (the seed leaves them NULL; make sure).
        ("UPDATE budget_settings SET weekly_budget_micros = NULL, monthly_budget_micros = NULL", ()),
        ("UPDATE provider_priorities SET daily_cap_micros = NULL, weekly_cap_micros = NULL, monthly_cap_micros = NULL", ()),
    ])


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


def account(db_path, base, email, password, tier="bench"):
    username = email.split("@")[0]
    status, body = http("POST", base + "/api/v1/auth/register", {"email": email, "username": username, "password": password})
    if status not in (200, 201):
        raise SystemExit(f"register failed: HTTP {status} {body}")
    user_id = body["id"]
    changed = len(Database(db_path).run([("UPDATE users SET tier = ? WHERE id = ? RETURNING id", (tier, user_id))]))
    if changed != 1:
        raise SystemExit(f"could not move user {user_id} to the {tier} tier")
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
    if cmd == "tier" and len(sys.argv) in (3, 5):
        db_tier(*sys.argv[2:])
    elif cmd == "account" and len(sys.argv) in (6, 7):
        account(*sys.argv[2:])
    elif cmd == "count" and len(sys.argv) == 4:
        rows = Database(sys.argv[2]).run([(sys.argv[3], ())])
        print(rows[0][0] if rows else "")
    elif cmd == "login" and len(sys.argv) == 5:
        print(login(*sys.argv[2:5]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
