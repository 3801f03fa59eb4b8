-- Core: roles, tenants, tokens, the event log with its hash chain, idempotency keys, outbox.
-- Every tenant table has tenant_id first in its primary key and forced row-level security.

do $$
begin
    -- The request path: owns nothing, sees one tenant per transaction.
    if not exists (select from pg_roles where rolname = 'jgt_app') then
        create role jgt_app login noinherit;
    end if;
    -- The cross-tenant path (projection runner, outbox dispatcher, operator's tenant list):
    -- reads every tenant, writes only with the row's tenant set.
    if not exists (select from pg_roles where rolname = 'jgt_system') then
        create role jgt_system login noinherit;
    end if;
end
$$;

grant usage on schema public to jgt_app, jgt_system;
grant select on schema_migrations to jgt_app, jgt_system;  -- /healthz reports the version

-- The tenant is set per transaction with set_config('jgt.tenant_id', ..., true).
create function jgt_current_tenant() returns uuid
language sql stable parallel safe
as $$ select nullif(current_setting('jgt.tenant_id', true), '')::uuid $$;

-- Refuses any change to an append-only table, whoever asks (the owner included).
create function jgt_refuse_change() returns trigger
language plpgsql
as $$
begin
    raise exception '% on % is not allowed: rows are immutable', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
end
$$;

create table tenants (
    tenant_id uuid primary key,
    name text not null check (length(btrim(name)) between 1 and 100),
    is_platform boolean not null default false,
    is_demo boolean not null default false,
    created_at timestamptz not null default clock_timestamp()
);

-- The head of each tenant's chain; locking it serialises appends within one tenant only.
create table tenant_heads (
    tenant_id uuid primary key references tenants,
    last_seq bigint not null default 0,
    last_hash bytea not null default decode(repeat('00', 32), 'hex')
);

create table tokens (
    tenant_id uuid not null references tenants,
    token_id uuid not null,
    secret_hash bytea not null,
    role text not null
        check (role in ('operator', 'admin', 'recorder', 'supervisor', 'auditor')),
    school_id uuid,
    label text not null,
    created_by uuid,
    created_at timestamptz not null default clock_timestamp(),
    revoked_at timestamptz,
    primary key (tenant_id, token_id),
    check ((role = 'recorder') = (school_id is not null))
);

create sequence events_global_position_seq as bigint;

create table events (
    tenant_id uuid not null,
    tenant_seq bigint not null,
    global_position bigint not null default nextval('events_global_position_seq'),
    tx_id xid8 not null default pg_current_xact_id(),
    stream_id uuid not null,
    stream_type text not null,
    version integer not null check (version > 0),
    event_type text not null,
    schema_version integer not null check (schema_version > 0),
    payload bytea not null,
    metadata bytea not null,  -- msgspec JSON; hashed as stored
    recorded_at timestamptz not null,
    prev_hash bytea not null,
    hash bytea not null,
    primary key (tenant_id, tenant_seq),
    unique (tenant_id, stream_id, version)
);
alter sequence events_global_position_seq owned by events.global_position;

-- Followers of the whole log read in (tx_id, global_position) order below the snapshot's xmin.
create index events_follow on events (tx_id, global_position);

create trigger events_immutable before update or delete on events
    for each row execute function jgt_refuse_change();
create trigger events_no_truncate before truncate on events
    for each statement execute function jgt_refuse_change();

create table idempotency_keys (
    tenant_id uuid not null,
    key text not null,
    fingerprint bytea not null,
    stream_id uuid not null,
    first_version integer not null,
    last_version integer not null,
    first_seq bigint not null,
    last_seq bigint not null,
    recorded_at timestamptz not null,
    primary key (tenant_id, key)
);
create trigger idempotency_keys_immutable before update or delete on idempotency_keys
    for each row execute function jgt_refuse_change();
create trigger idempotency_keys_no_truncate before truncate on idempotency_keys
    for each statement execute function jgt_refuse_change();

create sequence outbox_id_seq as bigint;

create table outbox (
    tenant_id uuid not null,
    outbox_id bigint not null default nextval('outbox_id_seq'),
    tenant_seq bigint not null,
    job text not null,
    payload jsonb not null,
    created_at timestamptz not null default clock_timestamp(),
    enqueued_at timestamptz,
    done_at timestamptz,
    attempts integer not null default 0,
    last_error text,
    primary key (tenant_id, outbox_id)
);
alter sequence outbox_id_seq owned by outbox.outbox_id;
create index outbox_pending on outbox (outbox_id) where done_at is null;

-- Row-level security: one policy confines every role to the transaction's tenant; the system
-- role may also read across tenants.
do $$
declare
    t text;
begin
    foreach t in array array['tenants', 'tenant_heads', 'tokens', 'events', 'idempotency_keys',
                             'outbox']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (tenant_id = jgt_current_tenant())'
            ' with check (tenant_id = jgt_current_tenant())', t);
        execute format('create policy system_read on %I for select to jgt_system using (true)', t);
    end loop;
end
$$;

grant select, insert on tenants, tenant_heads, tokens, events, idempotency_keys to jgt_app;
grant update (last_seq, last_hash) on tenant_heads to jgt_app;
grant update (revoked_at) on tokens to jgt_app;
grant select, insert on outbox to jgt_app;
grant update (done_at, attempts, last_error) on outbox to jgt_app;
grant usage on sequence events_global_position_seq, outbox_id_seq to jgt_app;

grant select on tenants, tenant_heads, tokens, events, idempotency_keys, outbox to jgt_system;
grant update (enqueued_at, attempts, last_error) on outbox to jgt_system;

-- Appends a batch of commands in one transaction (group commit). Each command is checked on its
-- own: an idempotency key seen before returns the first result, a stale expected version
-- returns a conflict; neither affects the other commands. Commands come sorted by tenant; each
-- tenant's head row is locked before its commands are checked, in tenant order (so concurrent
-- batches cannot deadlock), which makes every check below free of races and keeps tenant_seq
-- gapless in commit order. Every statement runs with its command's tenant set, so row-level
-- security holds inside the batch as it does for a request.
--
-- Per command i: tenant, stream id/type, expected version, idempotency key (or null),
-- fingerprint, number of events, metadata, number of outbox messages. Events and outbox
-- messages are given flat, in command order.
--
-- status: 0 appended, 1 version conflict, 2 duplicate (first result returned),
--         3 idempotency key reused for a different command, 4 unknown tenant.
create function jgt_append(
    p_tenants uuid[],
    p_stream_ids uuid[],
    p_stream_types text[],
    p_expected integer[],
    p_keys text[],
    p_fingerprints bytea[],
    p_counts integer[],
    p_metadata bytea[],
    p_outbox_counts integer[],
    p_event_types text[],
    p_schema_versions integer[],
    p_payloads bytea[],
    p_outbox_jobs text[],
    p_outbox_payloads jsonb[]
) returns table (
    status smallint,
    stream_id uuid,
    first_seq bigint,
    last_seq bigint,
    first_version integer,
    last_version integer,
    current_version integer,
    recorded_at timestamptz
)
language plpgsql
set search_path = public, pg_temp
as $$
declare
    v_tenant uuid;
    v_known boolean := false;
    v_seq bigint;
    v_hash bytea;
    v_start_seq bigint;
    v_now timestamptz;
    v_micros bigint;
    v_current integer;
    v_key idempotency_keys%rowtype;
    v_event integer := 0;
    v_outbox integer := 0;
    v_new_hash bytea;
    i integer;
    j integer;
begin
    for i in 1 .. coalesce(array_length(p_stream_ids, 1), 0) loop
        if v_tenant is distinct from p_tenants[i] then
            if v_known and v_seq > v_start_seq then
                update tenant_heads h set last_seq = v_seq, last_hash = v_hash
                    where h.tenant_id = v_tenant;
            end if;
            v_tenant := p_tenants[i];
            perform set_config('jgt.tenant_id', v_tenant::text, true);
            select h.last_seq, h.last_hash into v_seq, v_hash
                from tenant_heads h where h.tenant_id = v_tenant for update;
            v_known := found;
            v_start_seq := v_seq;
            v_now := clock_timestamp();
            v_micros := (extract(epoch from v_now) * 1000000)::bigint;
        end if;

        if not v_known then
            v_event := v_event + p_counts[i];
            v_outbox := v_outbox + p_outbox_counts[i];
            return query select 4::smallint, null::uuid, null::bigint, null::bigint,
                null::integer, null::integer, null::integer, null::timestamptz;
            continue;
        end if;

        if p_keys[i] is not null then
            select * into v_key from idempotency_keys k
                where k.tenant_id = v_tenant and k.key = p_keys[i];
            if found then
                v_event := v_event + p_counts[i];
                v_outbox := v_outbox + p_outbox_counts[i];
                if v_key.fingerprint is distinct from p_fingerprints[i] then
                    return query select 3::smallint, null::uuid, null::bigint, null::bigint,
                        null::integer, null::integer, null::integer, null::timestamptz;
                else
                    return query select 2::smallint, v_key.stream_id, v_key.first_seq,
                        v_key.last_seq, v_key.first_version, v_key.last_version, null::integer,
                        v_key.recorded_at;
                end if;
                continue;
            end if;
        end if;

        select max(e.version) into v_current from events e
            where e.tenant_id = v_tenant and e.stream_id = p_stream_ids[i];
        v_current := coalesce(v_current, 0);
        if v_current <> p_expected[i] then
            v_event := v_event + p_counts[i];
            v_outbox := v_outbox + p_outbox_counts[i];
            return query select 1::smallint, null::uuid, null::bigint, null::bigint,
                null::integer, null::integer, v_current, null::timestamptz;
            continue;
        end if;

        for j in 1 .. p_counts[i] loop
            v_event := v_event + 1;
            v_seq := v_seq + 1;
            -- Canonical encoding; infra/chain.py computes the same bytes to verify.
            v_new_hash := sha256(
                uuid_send(v_tenant)
                || int8send(v_seq)
                || uuid_send(p_stream_ids[i])
                || int4send(p_expected[i] + j)
                || int4send(octet_length(p_stream_types[i])) || convert_to(p_stream_types[i], 'UTF8')
                || int4send(octet_length(p_event_types[v_event]))
                || convert_to(p_event_types[v_event], 'UTF8')
                || int4send(p_schema_versions[v_event])
                || int4send(length(p_payloads[v_event])) || p_payloads[v_event]
                || int4send(length(p_metadata[i])) || p_metadata[i]
                || int8send(v_micros)
                || v_hash
            );
            insert into events (tenant_id, tenant_seq, stream_id, stream_type, version,
                                event_type, schema_version, payload, metadata, recorded_at,
                                prev_hash, hash)
            values (v_tenant, v_seq, p_stream_ids[i], p_stream_types[i], p_expected[i] + j,
                    p_event_types[v_event], p_schema_versions[v_event], p_payloads[v_event],
                    p_metadata[i], v_now, v_hash, v_new_hash);
            v_hash := v_new_hash;
        end loop;

        if p_keys[i] is not null then
            insert into idempotency_keys (tenant_id, key, fingerprint, stream_id, first_version,
                                          last_version, first_seq, last_seq, recorded_at)
            values (v_tenant, p_keys[i], p_fingerprints[i], p_stream_ids[i], p_expected[i] + 1,
                    p_expected[i] + p_counts[i], v_seq - p_counts[i] + 1, v_seq, v_now);
        end if;
        for j in 1 .. p_outbox_counts[i] loop
            v_outbox := v_outbox + 1;
            insert into outbox (tenant_id, tenant_seq, job, payload)
            values (v_tenant, v_seq, p_outbox_jobs[v_outbox], p_outbox_payloads[v_outbox]);
        end loop;
        return query select 0::smallint, p_stream_ids[i], v_seq - p_counts[i] + 1, v_seq,
            p_expected[i] + 1, p_expected[i] + p_counts[i], p_expected[i] + p_counts[i], v_now;
    end loop;

    if v_known and v_seq > v_start_seq then
        update tenant_heads h set last_seq = v_seq, last_hash = v_hash
            where h.tenant_id = v_tenant;
    end if;
end
$$;

grant execute on function jgt_append to jgt_app;

-- The operator's list of counties: one question answered across tenants, as the system role.
create function jgt_tenant_list()
returns table (tenant_id uuid, name text, is_demo boolean, created_at timestamptz,
               event_count bigint)
language sql stable security definer
set search_path = public, pg_temp
as $$
    select t.tenant_id, t.name, t.is_demo, t.created_at, h.last_seq
    from tenants t join tenant_heads h using (tenant_id)
    where not t.is_platform
    order by t.created_at, t.tenant_id
$$;
alter function jgt_tenant_list() owner to jgt_system;
revoke all on function jgt_tenant_list() from public;
grant execute on function jgt_tenant_list() to jgt_app;
