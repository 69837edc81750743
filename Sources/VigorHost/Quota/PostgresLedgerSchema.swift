import PostgresNIO

/// The quota ledger's own schema on PostgreSQL (migration `pg2-ledger-hosts`, after the
/// tables ``PostgresMigrations`` translates from ``QuotaMigration``).
///
/// - `ledger_hosts`: one row per live host process, renewed in the background; expiry is
///   measured by the database's clock (`now()`), never a host's. A host whose row expired is
///   presumed dead: any host's sweep then releases its reservations.
/// - `vigor_ledger_reserve`: one attempt against every limit that applies, in the one
///   statement (so one round trip and one implicit transaction): the user's requests per
///   day/week/month and monthly budget, the provider's caps and the global budgets, each a
///   conditional update, undone together when any refuses.
/// - `vigor_ledger_settle`: reconciles a batch of reservations to their outcomes and appends
///   their usage-log entries in one transaction (group commit).
/// - `vigor_ledger_sweep`: releases the reservations of hosts without a live row.
/// - `vigor_ledger_apply`: adds deltas to the counters.
///
/// Deadlock freedom: every function locks counter rows in one global order: user rows (by
/// user id, then day, week, month, then period start), then provider rows (by provider,
/// then the same), then the global rows. `vigor_ledger_apply` sorts what it is given into that
/// order, so a batch or a sweep touching many users cannot deadlock with reservations.
enum PostgresLedgerSchema {
    static let name = "pg2-ledger-hosts"

    static let statements: [PostgresQuery] = [
        """
        CREATE TABLE ledger_hosts (
            instance TEXT CONSTRAINT ledger_hosts_pkey PRIMARY KEY,
            host_name TEXT NOT NULL DEFAULT '',
            started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE FUNCTION vigor_ledger_apply(
            p_users BIGINT[], p_providers TEXT[], p_days TEXT[], p_weeks TEXT[], p_months TEXT[], p_requests BIGINT[], p_costs BIGINT[]
        ) RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE
            r RECORD;
        BEGIN
            FOR r IN
                SELECT x.u, k.period, k.start, sum(x.n)::bigint AS n, sum(x.c)::bigint AS c
                FROM unnest(p_users, p_days, p_weeks, p_months, p_requests, p_costs) AS x(u, d, w, m, n, c)
                CROSS JOIN LATERAL (VALUES (0, 'day', x.d), (1, 'week', x.w), (2, 'month', x.m)) AS k(rank, period, start)
                GROUP BY x.u, k.rank, k.period, k.start
                HAVING sum(x.n) <> 0 OR sum(x.c) <> 0
                ORDER BY x.u, k.rank, k.start
            LOOP
                INSERT INTO usage_counters AS c (user_id, period, period_start, requests, cost_micros)
                VALUES (r.u, r.period, r.start, GREATEST(0, r.n), GREATEST(0, r.c))
                ON CONFLICT (user_id, period, period_start) DO UPDATE
                SET requests = GREATEST(0, c.requests + r.n), cost_micros = GREATEST(0, c.cost_micros + r.c);
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
        CREATE FUNCTION vigor_ledger_reserve(
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
                -- statement locks counter rows), each updated only if it stays within its limit.
                FOR r IN
                    INSERT INTO usage_counters AS c (user_id, period, period_start, requests, cost_micros)
                    VALUES (p_user, 'day', p_day, n, p_cost), (p_user, 'week', p_week, n, p_cost), (p_user, 'month', p_month, n, p_cost)
                    ON CONFLICT (user_id, period, period_start) DO UPDATE
                    SET requests = c.requests + excluded.requests, cost_micros = c.cost_micros + excluded.cost_micros
                    WHERE c.requests + excluded.requests
                            <= (CASE excluded.period WHEN 'day' THEN o_per_day WHEN 'week' THEN o_per_week ELSE o_per_month END)
                        AND (excluded.period <> 'month' OR c.cost_micros + excluded.cost_micros <= o_budget)
                    RETURNING c.period, c.requests
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
                    SELECT c.requests INTO o_used FROM usage_counters c
                    WHERE c.user_id = p_user AND c.period = o_period
                        AND c.period_start = CASE o_period WHEN 'day' THEN p_day WHEN 'week' THEN p_week ELSE p_month END;
                    o_used := COALESCE(o_used, 0);
                END IF;
            END;
        END
        $fn$
        """,
        """
        CREATE FUNCTION vigor_ledger_settle(
            p_ids BIGINT[], p_users BIGINT[], p_requests TEXT[], p_kinds TEXT[], p_providers TEXT[], p_models TEXT[],
            p_requested_models TEXT[], p_days TEXT[], p_weeks TEXT[], p_months TEXT[], p_counts BOOLEAN[], p_reserved BIGINT[],
            p_charged BIGINT[], p_counts_as_request BOOLEAN[], p_prompt_tokens BIGINT[], p_completion_tokens BIGINT[],
            p_latencies BIGINT[], p_outcomes TEXT[], p_created BIGINT[]
        ) RETURNS INTEGER LANGUAGE plpgsql AS $fn$
        DECLARE
            held BIGINT[];
            request_deltas BIGINT[];
            cost_deltas BIGINT[];
        BEGIN
            WITH gone AS (DELETE FROM quota_reservations WHERE id = ANY (p_ids) RETURNING id)
            SELECT COALESCE(array_agg(id), '{}') INTO held FROM gone;
            -- A reservation still held is reconciled to the outcome; one a sweep already released
            -- (its host was presumed dead) is charged in full, since the attempt did happen.
            SELECT array_agg(CASE WHEN s.id = ANY (held)
                        THEN CASE WHEN s.counts_as OR NOT s.counts THEN 0 ELSE -1 END
                        ELSE CASE WHEN s.counts_as AND s.counts THEN 1 ELSE 0 END END ORDER BY s.i),
                array_agg(CASE WHEN s.id = ANY (held) THEN s.charged - s.reserved ELSE s.charged END ORDER BY s.i)
            INTO request_deltas, cost_deltas
            FROM unnest(p_ids, p_counts, p_counts_as_request, p_reserved, p_charged) WITH ORDINALITY
                AS s(id, counts, counts_as, reserved, charged, i);
            PERFORM vigor_ledger_apply(p_users, p_providers, p_days, p_weeks, p_months, request_deltas, cost_deltas);
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
        CREATE FUNCTION vigor_ledger_sweep(p_now BIGINT) RETURNS INTEGER LANGUAGE plpgsql AS $fn$
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
            released INTEGER;
        BEGIN
            -- A host whose registration expired (by this database's clock) is gone: delete it. Its
            -- reservations, and any whose host has no live registration, are released below.
            -- Deleting a host's row waits for its reservations in flight (they hold it FOR KEY SHARE).
            DELETE FROM ledger_hosts WHERE expires_at <= now();
            WITH gone AS (
                DELETE FROM quota_reservations r
                WHERE NOT EXISTS (SELECT 1 FROM ledger_hosts h WHERE h.instance = r.instance AND h.expires_at > now())
                RETURNING r.*
            )
            SELECT count(*), array_agg(g.user_id), array_agg(g.request_id), array_agg(g.kind), array_agg(g.provider),
                array_agg(g.model), array_agg(split_part(g.periods, ',', 1)), array_agg(split_part(g.periods, ',', 2)),
                array_agg(split_part(g.periods, ',', 3)),
                array_agg(CASE WHEN g.counts_request AND cardinality(string_to_array(g.periods, ',')) = 3 THEN -1 ELSE 0 END),
                array_agg(CASE WHEN cardinality(string_to_array(g.periods, ',')) = 3 THEN -g.estimated_cost_micros ELSE 0 END)
            INTO released, users, requests, kinds, providers, models, days, weeks, months, request_deltas, cost_deltas
            FROM gone g;
            IF released = 0 THEN
                RETURN 0;
            END IF;
            PERFORM vigor_ledger_apply(users, providers, days, weeks, months, request_deltas, cost_deltas);
            INSERT INTO ai_usage_logs (user_id, request_id, kind, provider, model, prompt_tokens, completion_tokens,
                cost_micros, latency_ms, outcome, created_at)
            SELECT l.u, l.r, l.k, l.p, l.m, 0, 0, 0, 0, 'abandoned', p_now
            FROM unnest(users, requests, kinds, providers, models) AS l(u, r, k, p, m);
            RETURN released;
        END
        $fn$
        """,
    ]
}
