-- One command of a group commit that the database refuses fails alone.
--
-- jgt_append as in 0001, but each command's writes (events, idempotency key, outbox rows) run in
-- their own exception block: a trigger, a constraint or a cast that fails for one command undoes
-- that command's rows only and answers status 5 with the error; the others of the batch commit.
-- Outbox payloads now arrive as text and become jsonb inside that block, so a payload jsonb
-- cannot hold ("\u0000") fails its own command, not the whole call. The chain head and the
-- sequence are taken back to where they were before the failed command, so the chain stays
-- gapless. Conflicts and duplicates write nothing and need no block.
--
-- status: 0 appended, 1 version conflict, 2 duplicate (first result returned),
--         3 idempotency key reused for a different command, 4 unknown tenant,
--         5 failed inside the database (error_code is its SQLSTATE, error_message its text).

drop function jgt_append(uuid[], uuid[], text[], integer[], text[], bytea[], integer[], bytea[],
                         integer[], text[], integer[], bytea[], text[], jsonb[]);

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
    p_outbox_payloads text[]
) returns table (
    status smallint,
    stream_id uuid,
    first_seq bigint,
    last_seq bigint,
    first_version integer,
    last_version integer,
    current_version integer,
    recorded_at timestamptz,
    error_code text,
    error_message text
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
    v_event integer;
    v_outbox integer;
    v_next_event integer := 0;  -- events and outbox messages of the commands before this one
    v_next_outbox integer := 0;
    v_seq_before bigint;
    v_hash_before bytea;
    v_new_hash bytea;
    v_error_code text;
    v_error_message text;
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
        v_event := v_next_event;
        v_outbox := v_next_outbox;
        v_next_event := v_next_event + p_counts[i];
        v_next_outbox := v_next_outbox + p_outbox_counts[i];

        if not v_known then
            return query select 4::smallint, null::uuid, null::bigint, null::bigint,
                null::integer, null::integer, null::integer, null::timestamptz, null::text,
                null::text;
            continue;
        end if;

        if p_keys[i] is not null then
            select * into v_key from idempotency_keys k
                where k.tenant_id = v_tenant and k.key = p_keys[i];
            if found then
                if v_key.fingerprint is distinct from p_fingerprints[i] then
                    return query select 3::smallint, null::uuid, null::bigint, null::bigint,
                        null::integer, null::integer, null::integer, null::timestamptz,
                        null::text, null::text;
                else
                    return query select 2::smallint, v_key.stream_id, v_key.first_seq,
                        v_key.last_seq, v_key.first_version, v_key.last_version, null::integer,
                        v_key.recorded_at, null::text, null::text;
                end if;
                continue;
            end if;
        end if;

        select max(e.version) into v_current from events e
            where e.tenant_id = v_tenant and e.stream_id = p_stream_ids[i];
        v_current := coalesce(v_current, 0);
        if v_current <> p_expected[i] then
            return query select 1::smallint, null::uuid, null::bigint, null::bigint,
                null::integer, null::integer, v_current, null::timestamptz, null::text,
                null::text;
            continue;
        end if;

        v_seq_before := v_seq;
        v_hash_before := v_hash;
        begin
            for j in 1 .. p_counts[i] loop
                v_event := v_event + 1;
                v_seq := v_seq + 1;
                -- Canonical encoding; infra/chain.py computes the same bytes to verify.
                v_new_hash := sha256(
                    uuid_send(v_tenant)
                    || int8send(v_seq)
                    || uuid_send(p_stream_ids[i])
                    || int4send(p_expected[i] + j)
                    || int4send(octet_length(p_stream_types[i]))
                    || convert_to(p_stream_types[i], 'UTF8')
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
                insert into idempotency_keys (tenant_id, key, fingerprint, stream_id,
                                              first_version, last_version, first_seq, last_seq,
                                              recorded_at)
                values (v_tenant, p_keys[i], p_fingerprints[i], p_stream_ids[i],
                        p_expected[i] + 1, p_expected[i] + p_counts[i], v_seq - p_counts[i] + 1,
                        v_seq, v_now);
            end if;
            for j in 1 .. p_outbox_counts[i] loop
                v_outbox := v_outbox + 1;
                insert into outbox (tenant_id, tenant_seq, job, payload)
                values (v_tenant, v_seq, p_outbox_jobs[v_outbox],
                        p_outbox_payloads[v_outbox]::jsonb);
            end loop;
        exception when others then
            -- The block's rows are undone; its variables are not: take them back by hand.
            get stacked diagnostics v_error_code = returned_sqlstate,
                                    v_error_message = message_text;
            v_seq := v_seq_before;
            v_hash := v_hash_before;
            return query select 5::smallint, null::uuid, null::bigint, null::bigint,
                null::integer, null::integer, null::integer, null::timestamptz,
                v_error_code, v_error_message;
            continue;
        end;
        return query select 0::smallint, p_stream_ids[i], v_seq - p_counts[i] + 1, v_seq,
            p_expected[i] + 1, p_expected[i] + p_counts[i], p_expected[i] + p_counts[i], v_now,
            null::text, null::text;
    end loop;

    if v_known and v_seq > v_start_seq then
        update tenant_heads h set last_seq = v_seq, last_hash = v_hash
            where h.tenant_id = v_tenant;
    end if;
end
$$;

grant execute on function jgt_append to jgt_app;
