import PostgresNIO

/// The ledger's leases on PostgreSQL (migration `pg3-ledger-leases`): blocks of a user's
/// allowance granted to one host, which then reserves from them in memory, without a round
/// trip (see ``LeaseBook``).
///
/// - `usage_counters.granted_requests` / `granted_cost_micros`: what all live hosts hold of
///   each counter row; always the sum of `ledger_leases` for the row. Every limit check
///   (`vigor_ledger_reserve`, `vigor_lease_grant`) counts spent + reserved + granted, so the
///   sum of leases and database reservations never passes a limit.
/// - `ledger_leases`: one row per (host instance, user, period row). Leases cover the user's
///   request limits and monthly budget only; an attempt under a provider cap or a global
///   budget is reserved in the database exactly.
/// - `vigor_lease_grant`: grants at most a quarter of what is left (by every period), so
///   hosts share the remainder and, near a limit, grants shrink to nothing and the last
///   requests are decided one by one in the database.
/// - `vigor_lease_return`: gives unspent allowance back.
/// - `vigor_ledger_settle2`: the group-committed settle, also for attempts served from a
///   lease: their request and cost (up to the estimate taken from the lease) move from the
///   lease to the counters; any cost above the estimate is charged too.
/// - `vigor_ledger_sweep` (replaced): also returns the leases of hosts without a live
///   registration; one sweep at a time (advisory lock).
///
/// Lock order (no deadlocks): host row, reservations (by id), this host's lease rows (by
/// instance, user, day/week/month, start), user counters, provider counters, global counters.
enum PostgresLedgerLeaseSchema {
    static let name = "pg3-ledger-leases"

    static let statements: [PostgresQuery] = [
        """
        ALTER TABLE usage_counters
            ADD COLUMN granted_requests BIGINT NOT NULL DEFAULT 0 CHECK (granted_requests >= 0),
            ADD COLUMN granted_cost_micros BIGINT NOT NULL DEFAULT 0 CHECK (granted_cost_micros >= 0)
        """,
        """
        CREATE TABLE ledger_leases (
            instance TEXT NOT NULL,
            user_id BIGINT NOT NULL,
            period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
            period_start TEXT NOT NULL,
            requests BIGINT NOT NULL DEFAULT 0 CHECK (requests >= 0),
            cost_micros BIGINT NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
            CONSTRAINT ledger_leases_pkey PRIMARY KEY (instance, user_id, period, period_start)
        )
        """,
        """
        CREATE FUNCTION vigor_ledger_apply(
            p_users BIGINT[], p_providers TEXT[], p_days TEXT[], p_weeks TEXT[], p_months TEXT[], p_requests BIGINT[], p_costs BIGINT[],
            p_grant_users BIGINT[], p_grant_periods TEXT[], p_grant_starts TEXT[], p_grant_requests BIGINT[], p_grant_costs BIGINT[]
        ) RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE
            r RECORD;
        BEGIN
            FOR r IN
                SELECT a.u, a.period, a.start, sum(a.n)::bigint AS n, sum(a.c)::bigint AS c, sum(a.gn)::bigint AS gn,
                    sum(a.gc)::bigint AS gc
                FROM (
                    SELECT x.u, k.rank, k.period, k.start, x.n, x.c, 0::bigint AS gn, 0::bigint AS gc
                    FROM unnest(p_users, p_days, p_weeks, p_months, p_requests, p_costs) AS x(u, d, w, m, n, c)
                    CROSS JOIN LATERAL (VALUES (0, 'day', x.d), (1, 'week', x.w), (2, 'month', x.m)) AS k(rank, period, start)
                    UNION ALL
                    SELECT g.u, CASE g.period WHEN 'day' THEN 0 WHEN 'week' THEN 1 ELSE 2 END, g.period, g.start, 0, 0, g.n, g.c
                    FROM unnest(p_grant_users, p_grant_periods, p_grant_starts, p_grant_requests, p_grant_costs) AS g(u, period, start, n, c)
                ) AS a
                GROUP BY a.u, a.rank, a.period, a.start
                HAVING sum(a.n) <> 0 OR sum(a.c) <> 0 OR sum(a.gn) <> 0 OR sum(a.gc) <> 0
                ORDER BY a.u, a.rank, a.start
            LOOP
                INSERT INTO usage_counters AS c (user_id, period, period_start, requests, cost_micros, granted_requests, granted_cost_micros)
                VALUES (r.u, r.period, r.start, GREATEST(0, r.n), GREATEST(0, r.c), GREATEST(0, r.gn), GREATEST(0, r.gc))
                ON CONFLICT (user_id, period, period_start) DO UPDATE
                SET requests = GREATEST(0, c.requests + r.n), cost_micros = GREATEST(0, c.cost_micros + r.c),
                    granted_requests = GREATEST(0, c.granted_requests + r.gn),
                    granted_cost_micros = GREATEST(0, c.granted_cost_micros + r.gc);
            END LOOP;
            FOR r IN
                SELECT x.p, k.period, k.start, sum(x.c)::bigint AS c
                FROM unnest(p_providers, p_days, p_weeks, p_months, p_costs) AS x(p, d, w, m, c)
                CROSS JOIN LATERAL (VALUES (0, 'day', x.d), (1, 'week', x.w), (2, 'month', x.m)) AS k(rank, period, start)
                GROUP BY x.p, k.rank, k.period, k.start
                HAVING sum(x.c) <> 0
                ORDER BY x.p, k.rank, k.start
            LOOP
                INSERT INTO provider_usage AS c (provider, period, period_start, cost_micros)
                VALUES (r.p, r.period, r.start, GREATEST(0, r.c))
                ON CONFLICT (provider, period, period_start) DO UPDATE SET cost_micros = GREATEST(0, c.cost_micros + r.c);
            END LOOP;
            FOR r IN
                SELECT k.period, k.start, sum(x.c)::bigint AS c
                FROM unnest(p_days, p_weeks, p_months, p_costs) AS x(d, w, m, c)
                CROSS JOIN LATERAL (VALUES (0, 'day', x.d), (1, 'week', x.w), (2, 'month', x.m)) AS k(rank, period, start)
                GROUP BY k.rank, k.period, k.start
                HAVING sum(x.c) <> 0
                ORDER BY k.rank, k.start
            LOOP
                INSERT INTO global_usage AS c (period, period_start, cost_micros)
                VALUES (r.period, r.start, GREATEST(0, r.c))
                ON CONFLICT (period, period_start) DO UPDATE SET cost_micros = GREATEST(0, c.cost_micros + r.c);
            END LOOP;
        END
        $fn$
        """,
        """
        CREATE FUNCTION vigor_lease_grant(
            p_instance TEXT, p_user BIGINT, p_provider TEXT, p_model TEXT, p_day TEXT, p_week TEXT, p_month TEXT,
            p_want_requests BIGINT, p_estimate BIGINT,
            OUT o_requests BIGINT, OUT o_cost BIGINT, OUT o_leasable BOOLEAN, OUT o_tier TEXT, OUT o_per_day BIGINT,
            OUT o_per_week BIGINT, OUT o_per_month BIGINT, OUT o_budget BIGINT, OUT o_day_used BIGINT, OUT o_week_used BIGINT,
            OUT o_month_used BIGINT
        ) LANGUAGE plpgsql AS $fn$
        DECLARE
            r RECORD;
            room BIGINT := GREATEST(p_want_requests, 0);
            estimate BIGINT := GREATEST(p_estimate, 0);
            lim BIGINT;
        BEGIN
            o_requests := 0;
            o_cost := 0;
            PERFORM 1 FROM ledger_hosts h WHERE h.instance = p_instance AND h.expires_at > now() FOR KEY SHARE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'ledger host % is not registered or has expired', p_instance USING ERRCODE = 'VL001';
            END IF;
            -- Leases cover the user's limits only: an attempt under a provider cap or a global
            -- budget is reserved in the database, exactly.
            o_leasable := NOT EXISTS (
                    SELECT 1 FROM provider_priorities p
                    WHERE p.provider = p_provider AND (p.model = '' OR p.model = p_model)
                        AND (p.daily_cap_micros IS NOT NULL OR p.weekly_cap_micros IS NOT NULL OR p.monthly_cap_micros IS NOT NULL))
                AND NOT EXISTS (
                    SELECT 1 FROM budget_settings b
                    WHERE b.id = 1 AND (b.weekly_budget_micros IS NOT NULL OR b.monthly_budget_micros IS NOT NULL));
            SELECT t.name, t.requests_per_day, t.requests_per_week, t.requests_per_month, t.monthly_budget_micros
            INTO o_tier, o_per_day, o_per_week, o_per_month, o_budget
            FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = p_user;
            IF NOT FOUND OR NOT o_leasable THEN
                o_leasable := FALSE;
                RETURN;
            END IF;
            -- This host's lease rows first, then the counters: the ledger's lock order.
            INSERT INTO ledger_leases (instance, user_id, period, period_start)
            VALUES (p_instance, p_user, 'day', p_day), (p_instance, p_user, 'week', p_week), (p_instance, p_user, 'month', p_month)
            ON CONFLICT DO NOTHING;
            PERFORM 1 FROM ledger_leases l
            WHERE l.instance = p_instance AND l.user_id = p_user
                AND (l.period, l.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month))
            ORDER BY CASE l.period WHEN 'day' THEN 0 WHEN 'week' THEN 1 ELSE 2 END
            FOR UPDATE;
            INSERT INTO usage_counters (user_id, period, period_start)
            VALUES (p_user, 'day', p_day), (p_user, 'week', p_week), (p_user, 'month', p_month)
            ON CONFLICT DO NOTHING;
            FOR r IN
                SELECT c.period, c.requests, c.cost_micros, c.granted_requests, c.granted_cost_micros FROM usage_counters c
                WHERE c.user_id = p_user AND (c.period, c.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month))
                ORDER BY CASE c.period WHEN 'day' THEN 0 WHEN 'week' THEN 1 ELSE 2 END
                FOR UPDATE
            LOOP
                lim := CASE r.period WHEN 'day' THEN o_per_day WHEN 'week' THEN o_per_week ELSE o_per_month END;
                -- Whole attempts (a request and its estimate), at most a quarter of what is left
                -- beyond the last 8 attempts: hosts share the remainder, grants shrink as the
                -- limit nears, and the last attempts are decided one by one in the database.
                room := LEAST(room, (lim - r.requests - r.granted_requests - 8) / 4);
                IF r.period = 'month' AND estimate > 0 THEN
                    room := LEAST(room, ((o_budget - r.cost_micros - r.granted_cost_micros) / estimate - 8) / 4);
                END IF;
            END LOOP;
            o_requests := GREATEST(room, 0);
            o_cost := o_requests * estimate;
            IF o_requests > 0 OR o_cost > 0 THEN
                UPDATE ledger_leases l
                SET requests = l.requests + o_requests,
                    cost_micros = l.cost_micros + CASE WHEN l.period = 'month' THEN o_cost ELSE 0 END
                WHERE l.instance = p_instance AND l.user_id = p_user
                    AND (l.period, l.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month));
                UPDATE usage_counters c
                SET granted_requests = c.granted_requests + o_requests,
                    granted_cost_micros = c.granted_cost_micros + CASE WHEN c.period = 'month' THEN o_cost ELSE 0 END
                WHERE c.user_id = p_user AND (c.period, c.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month));
            END IF;
            SELECT max(c.requests + c.granted_requests) FILTER (WHERE c.period = 'day'),
                max(c.requests + c.granted_requests) FILTER (WHERE c.period = 'week'),
                max(c.requests + c.granted_requests) FILTER (WHERE c.period = 'month')
            INTO o_day_used, o_week_used, o_month_used
            FROM usage_counters c
            WHERE c.user_id = p_user AND (c.period, c.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month));
        END
        $fn$
        """,
        """
        CREATE FUNCTION vigor_lease_return(
            p_instance TEXT, p_user BIGINT, p_day TEXT, p_week TEXT, p_month TEXT, p_requests BIGINT, p_cost BIGINT
        ) RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE
            r RECORD;
            users BIGINT[] := '{}';
            periods TEXT[] := '{}';
            starts TEXT[] := '{}';
            requests BIGINT[] := '{}';
            costs BIGINT[] := '{}';
            n BIGINT;
            c BIGINT;
        BEGIN
            FOR r IN
                SELECT l.period, l.period_start, l.requests, l.cost_micros FROM ledger_leases l
                WHERE l.instance = p_instance AND l.user_id = p_user
                    AND (l.period, l.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month))
                ORDER BY CASE l.period WHEN 'day' THEN 0 WHEN 'week' THEN 1 ELSE 2 END
                FOR UPDATE
            LOOP
                n := LEAST(GREATEST(p_requests, 0), r.requests);
                c := LEAST(GREATEST(p_cost, 0), r.cost_micros);
                UPDATE ledger_leases l SET requests = l.requests - n, cost_micros = l.cost_micros - c
                WHERE l.instance = p_instance AND l.user_id = p_user AND l.period = r.period AND l.period_start = r.period_start;
                users := users || p_user;
                periods := periods || r.period;
                starts := starts || r.period_start;
                requests := requests || -n;
                costs := costs || -c;
            END LOOP;
            DELETE FROM ledger_leases l
            WHERE l.instance = p_instance AND l.user_id = p_user AND l.requests = 0 AND l.cost_micros = 0;
            PERFORM vigor_ledger_apply(
                '{}', '{}', '{}', '{}', '{}', '{}', '{}', users, periods, starts, requests, costs);
        END
        $fn$
        """,
        """
        CREATE FUNCTION vigor_ledger_settle2(
            p_instances TEXT[], p_leased BOOLEAN[],
            p_ids BIGINT[], p_users BIGINT[], p_requests TEXT[], p_kinds TEXT[], p_providers TEXT[], p_models TEXT[],
            p_requested_models TEXT[], p_days TEXT[], p_weeks TEXT[], p_months TEXT[], p_counts BOOLEAN[], p_reserved BIGINT[],
            p_charged BIGINT[], p_counts_as_request BOOLEAN[], p_prompt_tokens BIGINT[], p_completion_tokens BIGINT[],
            p_latencies BIGINT[], p_outcomes TEXT[], p_created BIGINT[]
        ) RETURNS INTEGER LANGUAGE plpgsql AS $fn$
        DECLARE
            held BIGINT[];
            request_deltas BIGINT[];
            cost_deltas BIGINT[];
            r RECORD;
            n BIGINT;
            c BIGINT;
            g_users BIGINT[] := '{}';
            g_periods TEXT[] := '{}';
            g_starts TEXT[] := '{}';
            g_requests BIGINT[] := '{}';
            g_costs BIGINT[] := '{}';
        BEGIN
            WITH doomed AS (
                SELECT q.id FROM quota_reservations q
                WHERE q.id IN (SELECT s.id FROM unnest(p_ids, p_leased) AS s(id, leased) WHERE NOT s.leased)
                ORDER BY q.id
                FOR UPDATE
            ), gone AS (
                DELETE FROM quota_reservations q USING doomed d WHERE q.id = d.id
                RETURNING q.id
            )
            SELECT COALESCE(array_agg(id), '{}') INTO held FROM gone;
            -- A reservation still held is reconciled to the outcome; one a sweep already released
            -- (its host was presumed dead) is charged in full, since the attempt did happen. An
            -- attempt served from a lease is charged in full and its consumption leaves the lease.
            SELECT array_agg(CASE WHEN NOT s.leased AND s.id = ANY (held)
                        THEN CASE WHEN s.counts_as OR NOT s.counts THEN 0 ELSE -1 END
                        ELSE CASE WHEN s.counts_as AND s.counts THEN 1 ELSE 0 END END ORDER BY s.i),
                array_agg(CASE WHEN NOT s.leased AND s.id = ANY (held) THEN s.charged - s.reserved ELSE s.charged END ORDER BY s.i)
            INTO request_deltas, cost_deltas
            FROM unnest(p_ids, p_leased, p_counts, p_counts_as_request, p_reserved, p_charged) WITH ORDINALITY
                AS s(id, leased, counts, counts_as, reserved, charged, i);
            -- The leases first (this host's rows, in the ledger's lock order). What an attempt
            -- consumed is its request if it counts and its cost up to the estimate it took from
            -- the lease; a lease a sweep already returned gives nothing.
            FOR r IN
                SELECT x.h, x.u, k.period, k.start, sum(x.n)::bigint AS n,
                    sum(CASE WHEN k.period = 'month' THEN x.c ELSE 0 END)::bigint AS c
                FROM (
                    SELECT s.h, s.u, s.d, s.w, s.m, CASE WHEN s.counts_as AND s.counts THEN 1 ELSE 0 END AS n,
                        LEAST(s.charged, s.reserved) AS c
                    FROM unnest(p_instances, p_users, p_days, p_weeks, p_months, p_leased, p_counts, p_counts_as_request, p_charged,
                        p_reserved) AS s(h, u, d, w, m, leased, counts, counts_as, charged, reserved)
                    WHERE s.leased
                ) AS x
                CROSS JOIN LATERAL (VALUES (0, 'day', x.d), (1, 'week', x.w), (2, 'month', x.m)) AS k(rank, period, start)
                GROUP BY x.h, x.u, k.rank, k.period, k.start
                HAVING sum(x.n) <> 0 OR sum(CASE WHEN k.period = 'month' THEN x.c ELSE 0 END) <> 0
                ORDER BY x.h, x.u, k.rank, k.start
            LOOP
                SELECT LEAST(r.n, l.requests), LEAST(r.c, l.cost_micros) INTO n, c FROM ledger_leases l
                WHERE l.instance = r.h AND l.user_id = r.u AND l.period = r.period AND l.period_start = r.start
                FOR UPDATE;
                IF FOUND THEN
                    UPDATE ledger_leases l SET requests = l.requests - n, cost_micros = l.cost_micros - c
                    WHERE l.instance = r.h AND l.user_id = r.u AND l.period = r.period AND l.period_start = r.start;
                    g_users := g_users || r.u;
                    g_periods := g_periods || r.period;
                    g_starts := g_starts || r.start;
                    g_requests := g_requests || -n;
                    g_costs := g_costs || -c;
                END IF;
            END LOOP;
            PERFORM vigor_ledger_apply(
                p_users, p_providers, p_days, p_weeks, p_months, request_deltas, cost_deltas,
                g_users, g_periods, g_starts, g_requests, g_costs);
            INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, requested_model, prompt_tokens,
                completion_tokens, cost_micros, latency_ms, outcome, created_at)
            SELECT l.u, l.r, l.k, l.p, l.m, l.rm, l.pt, l.ct, l.c, l.lat, l.o, l.t
            FROM unnest(p_users, p_requests, p_kinds, p_providers, p_models, p_requested_models, p_prompt_tokens,
                p_completion_tokens, p_charged, p_latencies, p_outcomes, p_created) WITH ORDINALITY
                AS l(u, r, k, p, m, rm, pt, ct, c, lat, o, t, i)
            ORDER BY l.i;
            RETURN cardinality(p_ids) - cardinality(held);
        END
        $fn$
        """,
        """
        CREATE OR REPLACE FUNCTION vigor_ledger_sweep(p_now BIGINT) RETURNS INTEGER LANGUAGE plpgsql AS $fn$
        DECLARE
            users BIGINT[];
            requests TEXT[];
            kinds TEXT[];
            providers TEXT[];
            models TEXT[];
            days TEXT[];
            weeks TEXT[];
            months TEXT[];
            request_deltas BIGINT[];
            cost_deltas BIGINT[];
            g_users BIGINT[];
            g_periods TEXT[];
            g_starts TEXT[];
            g_requests BIGINT[];
            g_costs BIGINT[];
            released INTEGER;
            returned INTEGER;
        BEGIN
            -- A host whose registration expired (by this database's clock) is gone: delete it. Its
            -- reservations and leases, and any whose host has no live registration, are released
            -- below. Deleting a host's row waits for its calls in flight (they hold it FOR KEY SHARE).
            -- One sweep at a time (hosts sweep every few seconds; two would only contend).
            PERFORM pg_advisory_xact_lock(8676710111110101);
            DELETE FROM ledger_hosts WHERE expires_at <= now();
            WITH doomed AS (
                SELECT r.id FROM quota_reservations r
                WHERE NOT EXISTS (SELECT 1 FROM ledger_hosts h WHERE h.instance = r.instance AND h.expires_at > now())
                ORDER BY r.id
                FOR UPDATE
            ), gone AS (
                DELETE FROM quota_reservations r USING doomed d WHERE r.id = d.id
                RETURNING r.*
            )
            SELECT count(*), COALESCE(array_agg(g.user_id), '{}'), array_agg(g.request_id), array_agg(g.kind),
                COALESCE(array_agg(g.provider), '{}'), array_agg(g.model), COALESCE(array_agg(split_part(g.periods, ',', 1)), '{}'),
                COALESCE(array_agg(split_part(g.periods, ',', 2)), '{}'), COALESCE(array_agg(split_part(g.periods, ',', 3)), '{}'),
                COALESCE(array_agg(CASE WHEN g.counts_request AND cardinality(string_to_array(g.periods, ',')) = 3 THEN -1 ELSE 0 END), '{}'),
                COALESCE(array_agg(CASE WHEN cardinality(string_to_array(g.periods, ',')) = 3 THEN -g.estimated_cost_micros ELSE 0 END), '{}')
            INTO released, users, requests, kinds, providers, models, days, weeks, months, request_deltas, cost_deltas
            FROM gone g;
            WITH doomed AS (
                SELECT l.instance, l.user_id, l.period, l.period_start FROM ledger_leases l
                WHERE NOT EXISTS (SELECT 1 FROM ledger_hosts h WHERE h.instance = l.instance AND h.expires_at > now())
                ORDER BY l.instance, l.user_id, CASE l.period WHEN 'day' THEN 0 WHEN 'week' THEN 1 ELSE 2 END, l.period_start
                FOR UPDATE
            ), gone AS (
                DELETE FROM ledger_leases l USING doomed d
                WHERE l.instance = d.instance AND l.user_id = d.user_id AND l.period = d.period AND l.period_start = d.period_start
                RETURNING l.*
            )
            SELECT count(*), COALESCE(array_agg(g.user_id), '{}'), COALESCE(array_agg(g.period), '{}'),
                COALESCE(array_agg(g.period_start), '{}'), COALESCE(array_agg(-g.requests), '{}'), COALESCE(array_agg(-g.cost_micros), '{}')
            INTO returned, g_users, g_periods, g_starts, g_requests, g_costs
            FROM gone g;
            IF released = 0 AND returned = 0 THEN
                RETURN 0;
            END IF;
            PERFORM vigor_ledger_apply(
                users, providers, days, weeks, months, request_deltas, cost_deltas, g_users, g_periods, g_starts, g_requests, g_costs);
            INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens, completion_tokens,
                cost_micros, latency_ms, outcome, created_at)
            SELECT l.u, l.r, l.k, l.p, l.m, 0, 0, 0, 0, 'abandoned', p_now
            FROM unnest(users, requests, kinds, providers, models) AS l(u, r, k, p, m);
            RETURN released;
        END
        $fn$
        """,
        """
        CREATE OR REPLACE FUNCTION vigor_ledger_reserve(
            p_instance TEXT, p_user BIGINT, p_request TEXT, p_kind TEXT, p_provider TEXT, p_model TEXT,
            p_day TEXT, p_week TEXT, p_month TEXT, p_cost BIGINT, p_counts BOOLEAN, p_now BIGINT,
            OUT o_status TEXT, OUT o_period TEXT, OUT o_used BIGINT, OUT o_bound BIGINT,
            OUT o_tier TEXT, OUT o_per_day BIGINT, OUT o_per_week BIGINT, OUT o_per_month BIGINT, OUT o_budget BIGINT,
            OUT o_day_used BIGINT, OUT o_week_used BIGINT, OUT o_month_used BIGINT, OUT o_pending_id BIGINT, OUT o_alerts TEXT
        ) LANGUAGE plpgsql AS $fn$
        DECLARE
            n BIGINT := CASE WHEN p_counts THEN 1 ELSE 0 END;
            cap_day BIGINT;
            cap_week BIGINT;
            cap_month BIGINT;
            budget_week BIGINT;
            budget_month BIGINT;
            alert_percent BIGINT := 80;
            auto_disable BOOLEAN := TRUE;
            spent_day BIGINT;
            spent_week BIGINT;
            spent_month BIGINT;
            budget BIGINT;
            after BIGINT;
            threshold BIGINT;
            r RECORD;
        BEGIN
            PERFORM 1 FROM ledger_hosts h WHERE h.instance = p_instance AND h.expires_at > now() FOR KEY SHARE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'ledger host % is not registered or has expired', p_instance USING ERRCODE = 'VL001';
            END IF;
            SELECT t.name, t.requests_per_day, t.requests_per_week, t.requests_per_month, t.monthly_budget_micros
            INTO o_tier, o_per_day, o_per_week, o_per_month, o_budget
            FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = p_user;
            IF NOT FOUND THEN
                o_status := 'account';
                RETURN;
            END IF;
            -- An attempt that could never fit (a zero limit) is refused before any write.
            IF n > o_per_day THEN o_status := 'user'; o_period := 'day'; o_used := 0; RETURN; END IF;
            IF n > o_per_week THEN o_status := 'user'; o_period := 'week'; o_used := 0; RETURN; END IF;
            IF n > o_per_month OR p_cost > o_budget THEN o_status := 'user'; o_period := 'month'; o_used := 0; RETURN; END IF;
            -- A model-specific rule overrides the provider-wide one, cap by cap.
            FOR r IN
                SELECT p.daily_cap_micros AS d, p.weekly_cap_micros AS w, p.monthly_cap_micros AS m FROM provider_priorities p
                WHERE p.provider = p_provider AND (p.model = '' OR p.model = p_model) ORDER BY p.model = '' DESC
            LOOP
                cap_day := COALESCE(r.d, cap_day);
                cap_week := COALESCE(r.w, cap_week);
                cap_month := COALESCE(r.m, cap_month);
            END LOOP;
            SELECT b.weekly_budget_micros, b.monthly_budget_micros, b.alert_threshold_percent, b.auto_disable
            INTO r FROM budget_settings b WHERE b.id = 1;
            IF FOUND THEN
                budget_week := r.weekly_budget_micros;
                budget_month := r.monthly_budget_micros;
                alert_percent := LEAST(GREATEST(r.alert_threshold_percent, 0), 100);
                auto_disable := r.auto_disable;
            END IF;
            BEGIN
                -- The user's three periods, locked in the order day, week, month (as every ledger
                -- statement locks counter rows), each updated only if it stays within its limit
                -- with what is spent, reserved and leased to hosts.
                FOR r IN
                    INSERT INTO usage_counters AS c (user_id, period, period_start, requests, cost_micros)
                    VALUES (p_user, 'day', p_day, n, p_cost), (p_user, 'week', p_week, n, p_cost), (p_user, 'month', p_month, n, p_cost)
                    ON CONFLICT (user_id, period, period_start) DO UPDATE
                    SET requests = c.requests + excluded.requests, cost_micros = c.cost_micros + excluded.cost_micros
                    WHERE c.requests + c.granted_requests + excluded.requests
                            <= (CASE excluded.period WHEN 'day' THEN o_per_day WHEN 'week' THEN o_per_week ELSE o_per_month END)
                        AND (excluded.period <> 'month' OR c.cost_micros + c.granted_cost_micros + excluded.cost_micros <= o_budget)
                    RETURNING c.period, c.requests + c.granted_requests AS requests
                LOOP
                    CASE r.period
                        WHEN 'day' THEN o_day_used := r.requests;
                        WHEN 'week' THEN o_week_used := r.requests;
                        ELSE o_month_used := r.requests;
                    END CASE;
                END LOOP;
                o_period := CASE WHEN o_day_used IS NULL THEN 'day' WHEN o_week_used IS NULL THEN 'week'
                    WHEN o_month_used IS NULL THEN 'month' END;
                IF o_period IS NOT NULL THEN
                    o_status := 'user';
                    RAISE EXCEPTION 'refused' USING ERRCODE = 'VL002';
                END IF;
                -- The provider's caps. A free attempt changes no amount: it only reads them.
                IF p_cost > 0 THEN
                    FOR r IN
                        INSERT INTO provider_usage AS c (provider, period, period_start, cost_micros)
                        VALUES (p_provider, 'day', p_day, p_cost), (p_provider, 'week', p_week, p_cost), (p_provider, 'month', p_month, p_cost)
                        ON CONFLICT (provider, period, period_start) DO UPDATE SET cost_micros = c.cost_micros + excluded.cost_micros
                        RETURNING c.period, c.cost_micros
                    LOOP
                        CASE r.period
                            WHEN 'day' THEN spent_day := r.cost_micros;
                            WHEN 'week' THEN spent_week := r.cost_micros;
                            ELSE spent_month := r.cost_micros;
                        END CASE;
                    END LOOP;
                ELSE
                    INSERT INTO provider_usage (provider, period, period_start, cost_micros)
                    VALUES (p_provider, 'day', p_day, 0), (p_provider, 'week', p_week, 0), (p_provider, 'month', p_month, 0)
                    ON CONFLICT DO NOTHING;
                    SELECT max(c.cost_micros) FILTER (WHERE c.period = 'day'), max(c.cost_micros) FILTER (WHERE c.period = 'week'),
                        max(c.cost_micros) FILTER (WHERE c.period = 'month')
                    INTO spent_day, spent_week, spent_month
                    FROM provider_usage c
                    WHERE c.provider = p_provider AND (c.period, c.period_start) IN (('day', p_day), ('week', p_week), ('month', p_month));
                END IF;
                o_period := CASE WHEN spent_day > cap_day THEN 'day' WHEN spent_week > cap_week THEN 'week'
                    WHEN spent_month > cap_month THEN 'month' END;
                IF o_period IS NOT NULL THEN
                    o_status := 'provider';
                    o_bound := CASE o_period WHEN 'day' THEN cap_day WHEN 'week' THEN cap_week ELSE cap_month END;
                    RAISE EXCEPTION 'refused' USING ERRCODE = 'VL002';
                END IF;
                -- The global budgets (weekly and monthly).
                spent_day := NULL;
                spent_week := NULL;
                spent_month := NULL;
                IF p_cost > 0 THEN
                    FOR r IN
                        INSERT INTO global_usage AS c (period, period_start, cost_micros)
                        VALUES ('day', p_day, p_cost), ('week', p_week, p_cost), ('month', p_month, p_cost)
                        ON CONFLICT (period, period_start) DO UPDATE SET cost_micros = c.cost_micros + excluded.cost_micros
                        RETURNING c.period, c.cost_micros
                    LOOP
                        CASE r.period
                            WHEN 'week' THEN spent_week := r.cost_micros;
                            WHEN 'month' THEN spent_month := r.cost_micros;
                            ELSE NULL;
                        END CASE;
                    END LOOP;
                ELSIF budget_week IS NOT NULL OR budget_month IS NOT NULL THEN
                    SELECT COALESCE(max(c.cost_micros) FILTER (WHERE c.period = 'week'), 0),
                        COALESCE(max(c.cost_micros) FILTER (WHERE c.period = 'month'), 0)
                    INTO spent_week, spent_month
                    FROM global_usage c WHERE (c.period, c.period_start) IN (('week', p_week), ('month', p_month));
                END IF;
                FOR r IN SELECT * FROM (VALUES ('week', p_week, budget_week, spent_week), ('month', p_month, budget_month, spent_month))
                    AS g(period, start, budget, spent) WHERE g.budget IS NOT NULL AND g.spent IS NOT NULL
                LOOP
                    IF auto_disable AND r.spent > r.budget THEN
                        o_status := 'global';
                        o_period := r.period;
                        o_bound := r.budget;
                        RAISE EXCEPTION 'refused' USING ERRCODE = 'VL002';
                    END IF;
                    threshold := (r.budget / 100) * alert_percent + (r.budget % 100) * alert_percent / 100;
                    IF r.spent - p_cost < threshold AND r.spent >= threshold THEN
                        INSERT INTO budget_events (period, period_start, kind, spent_micros, budget_micros, created_at)
                        VALUES (r.period, r.start, 'alert', r.spent, r.budget, p_now);
                        o_alerts := concat_ws(',', o_alerts, r.period || ':' || r.spent || ':' || r.budget);
                    END IF;
                END LOOP;
                INSERT INTO quota_reservations (instance, user_id, request_id, kind, provider, model, periods,
                    estimated_cost_micros, counts_request, created_at)
                VALUES (p_instance, p_user, p_request, p_kind, p_provider, p_model, p_day || ',' || p_week || ',' || p_month,
                    p_cost, p_counts, p_now)
                RETURNING id INTO o_pending_id;
                o_status := 'ok';
            EXCEPTION WHEN SQLSTATE 'VL002' THEN
                -- Everything this attempt wrote is undone; say which limit refused it.
                o_alerts := NULL;
                IF o_status = 'user' THEN
                    SELECT c.requests + c.granted_requests INTO o_used FROM usage_counters c
                    WHERE c.user_id = p_user AND c.period = o_period
                        AND c.period_start = CASE o_period WHEN 'day' THEN p_day WHEN 'week' THEN p_week ELSE p_month END;
                    o_used := COALESCE(o_used, 0);
                END IF;
            END;
        END
        $fn$
        """,
    ]
}
